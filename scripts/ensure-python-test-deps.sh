#!/usr/bin/env bash
# The handler packages' cross-language tests read and write files with
# Debian's Python (python3-pandas for CSV, python3-onnx for ONNX models).
# Install them when missing (CI runs as root on a fresh Debian machine).
set -euo pipefail
if /usr/bin/python3 -c "import numpy, pandas, onnx" >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3 python3-numpy python3-pandas python3-onnx
