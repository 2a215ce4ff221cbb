#!/usr/bin/env bash
# The cross-language tests run Debian's Python: the handler packages read and
# write files with python3-pandas (CSV) and python3-onnx (ONNX models), and
# packages/lazyscribe opens what we write with real Python lazyscribe 2.2.1
# (vendored in tools/python) on its runtime dependencies python3-attr,
# python3-fsspec and python3-slugify, and on s3:// through python3-boto3
# (tools/python/boto3_fsspec.py stands in for s3fs, which Debian 12 does not
# package). Install them when missing (CI runs as root on a fresh Debian
# machine).
set -euo pipefail
if /usr/bin/python3 -c "import numpy, pandas, onnx, attrs, fsspec, slugify, boto3" >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
  python3 python3-numpy python3-pandas python3-onnx \
  python3-attr python3-fsspec python3-slugify python3-boto3
