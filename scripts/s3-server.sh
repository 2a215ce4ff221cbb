#!/usr/bin/env bash
# A real S3 server for the tests: a single-node Ceph cluster (one monitor, one
# memstore OSD, radosgw's beast frontend) on 127.0.0.1, everything under one
# temp folder. Ceph honours If-Match / If-None-Match on PUT, which the commit
# protocol of @lazyscribe/storage-s3 needs (npm s3rver does not).
#
#   scripts/s3-server.sh start   install Ceph when missing (apt, root), start, wait until a PUT works
#   scripts/s3-server.sh env     print export lines: eval "$(scripts/s3-server.sh env)"
#   scripts/s3-server.sh stop    stop exactly the daemons started (pid files) and remove the folder
#   scripts/s3-server.sh status  exit 0 when our cluster answers
#   scripts/s3-server.sh log     print the daemons' logs (for CI failures)
#
# The monitor ports 3300/6789 are fixed by Ceph, so only one such cluster runs
# per machine: `start` reuses a running one of ours (found via the state file)
# and refuses when something else holds those ports.
set -euo pipefail

S3_PORT="${LAZYSCRIBE_S3_PORT:-17480}"
STATE_FILE="${LAZYSCRIBE_S3_STATE_FILE:-/tmp/lazyscribe-s3-server.state}"
ACCESS_KEY="lazyscribe-test-key"
SECRET_KEY="lazyscribe-test-secret-0123456789abcdef"
REGION="us-east-1"
PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)

die() { echo "s3-server: $*" >&2; exit 1; }
say() { echo "s3-server: $*" >&2; }

state_dir() { [[ -f "$STATE_FILE" ]] && cat "$STATE_FILE" || true; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

http_ok() {
  # Any HTTP answer from radosgw (an anonymous GET / gives 200 with an empty bucket list).
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 "http://127.0.0.1:${S3_PORT}/"
  else
    node -e "fetch('http://127.0.0.1:${S3_PORT}/',{signal:AbortSignal.timeout(2000)}).then(()=>process.exit(0),()=>process.exit(1))"
  fi
}

print_env() {
  cat <<EOF
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:${S3_PORT}
export AWS_ACCESS_KEY_ID=${ACCESS_KEY}
export AWS_SECRET_ACCESS_KEY=${SECRET_KEY}
export AWS_REGION=${REGION}
export LAZYSCRIBE_S3_TEST_BUCKET=lazyscribe-test
EOF
}

running() {
  local dir
  dir="$(state_dir)"
  [[ -n "$dir" && -d "$dir" ]] || return 1
  pid_alive "$dir/run/mon.pid" && pid_alive "$dir/run/osd.pid" && pid_alive "$dir/run/rgw.pid" && http_ok
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "Ceph is not installed and there is no apt-get here; install ${PACKAGES[*]} (Debian 12 / Ceph 16), then run: scripts/s3-server.sh start"
  [[ "$(id -u)" -eq 0 ]] || die "Ceph is not installed; as root run: apt-get install -y --no-install-recommends ${PACKAGES[*]}"
  while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do sleep 2; done
  say "installing ${missing[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

wait_for() {
  # wait_for <seconds> <what> <command...>
  local secs="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { say "timed out after ${secs}s waiting for $what"; return 1; }
    sleep 0.3
  done
}

start() {
  if running; then
    say "already running in $(state_dir) (port ${S3_PORT})"
    return 0
  fi
  # A stale state of ours (daemons dead): clean it up before starting again.
  if [[ -n "$(state_dir)" ]]; then stop_cluster; fi
  for port in 3300 6789 "$S3_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port on 127.0.0.1 is already in use by something else (another Ceph cluster?); stop it or set LAZYSCRIBE_S3_PORT"
    fi
  done
  install_packages

  local dir
  dir="$(mktemp -d /tmp/lazyscribe-s3.XXXXXX)"
  echo "$dir" >"$STATE_FILE"
  mkdir -p "$dir"/{run,log,mon,osd,rgw}
  local conf="$dir/ceph.conf" fsid
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:3300,v1:127.0.0.1:6789
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_client_mode = crc
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_max_pg_per_osd = 1000
run_dir = $dir/run
log_file = $dir/log/\$name.log
admin_socket = $dir/run/\$name.asok
keyring = $dir/keyring
[mon]
mon_data = $dir/mon/\$name
pid_file = $dir/run/mon.pid
# A test cluster has one small in-memory OSD and deleted objects wait for RGW's
# GC: the default ratios (full at 95 %) stop every request while a few 1 GiB
# benchmark objects are still waiting to be collected. Writes stop at 99 %.
mon_osd_full_ratio = .99
mon_osd_backfillfull_ratio = .98
mon_osd_nearfull_ratio = .97
[osd]
osd_data = $dir/osd/\$name
osd_objectstore = memstore
memstore_device_bytes = ${LAZYSCRIBE_S3_MEMSTORE_BYTES:-4294967296}
pid_file = $dir/run/osd.pid
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:${S3_PORT}
rgw_data = $dir/rgw
# Deleted objects go to RGW's garbage collector; with memstore their RAM comes
# back only when it runs, so run it often (the default waits 2 hours).
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 30
pid_file = $dir/run/rgw.pid
log_file = $dir/log/rgw.log
EOF
  local C=(-c "$conf")
  ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$dir/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:3300,v1:127.0.0.1:6789]" "$dir/monmap" >/dev/null
  ceph-mon "${C[@]}" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring" >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  ceph-mon "${C[@]}" -i a >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  wait_for 30 "the monitor" timeout 5 ceph "${C[@]}" mon stat || { fail_start "$dir"; }

  local uuid id
  uuid="$(cat /proc/sys/kernel/random/uuid)"
  id="$(timeout 20 ceph "${C[@]}" osd new "$uuid")" || fail_start "$dir"
  mkdir -p "$dir/osd/osd.$id"
  ceph-osd "${C[@]}" -i "$id" --mkfs --osd-uuid "$uuid" >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  ceph-osd "${C[@]}" -i "$id" >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  wait_for 60 "osd.$id up" bash -c "timeout 5 ceph -c '$conf' osd dump | grep -q '^osd.$id up'" || fail_start "$dir"

  radosgw "${C[@]}" -n client.rgw.a >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  wait_for 90 "radosgw on port ${S3_PORT}" http_ok || fail_start "$dir"
  timeout 60 radosgw-admin "${C[@]}" user create --uid=lazyscribe --display-name=lazyscribe \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >>"$dir/log/setup.log" 2>&1 || fail_start "$dir"
  wait_for 60 "a PUT to succeed" put_works || fail_start "$dir"
  say "running in $dir: S3 on http://127.0.0.1:${S3_PORT} (eval \"\$(scripts/s3-server.sh env)\")"
}

put_works() {
  eval "$(print_env)"
  node --no-warnings --input-type=module - <<'EOF'
const { createHmac, createHash } = await import("node:crypto");
// A minimal SigV4 request (no SDK needed): create the bucket, PUT and GET one object.
const ep = process.env.AWS_ENDPOINT_URL_S3, ak = process.env.AWS_ACCESS_KEY_ID, sk = process.env.AWS_SECRET_ACCESS_KEY;
const region = process.env.AWS_REGION, host = new URL(ep).host;
const h = (d) => createHash("sha256").update(d).digest("hex");
const hm = (k, d) => createHmac("sha256", k).update(d).digest();
async function req(method, path, body = "") {
  const t = new Date().toISOString().replace(/[-:]|\.\d+/g, ""), day = t.slice(0, 8);
  const ph = h(body);
  const canon = [method, path, "", `host:${host}`, `x-amz-content-sha256:${ph}`, `x-amz-date:${t}`, "", "host;x-amz-content-sha256;x-amz-date", ph].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const sts = ["AWS4-HMAC-SHA256", t, scope, h(canon)].join("\n");
  const key = hm(hm(hm(hm("AWS4" + sk, day), region), "s3"), "aws4_request");
  const sig = createHmac("sha256", key).update(sts).digest("hex");
  const res = await fetch(ep + path, { method, body: body || undefined, headers: { "x-amz-date": t, "x-amz-content-sha256": ph,
    authorization: `AWS4-HMAC-SHA256 Credential=${ak}/${scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${sig}` }, signal: AbortSignal.timeout(5000) });
  return res;
}
const b = process.env.LAZYSCRIBE_S3_TEST_BUCKET;
const c = await req("PUT", `/${b}`);
if (!c.ok && c.status !== 409) process.exit(1);
const p = await req("PUT", `/${b}/.s3-server-check`, "ok");
if (!p.ok) process.exit(1);
const d = await req("DELETE", `/${b}/.s3-server-check`);
process.exit(d.ok ? 0 : 1);
EOF
}

fail_start() {
  local dir="$1"
  say "the server did not start; its logs follow"
  print_logs "$dir" >&2
  stop_cluster
  exit 1
}

print_logs() {
  local dir="${1:-$(state_dir)}"
  [[ -n "$dir" && -d "$dir/log" ]] || { say "no logs (not started)"; return 0; }
  for f in "$dir"/log/*; do
    echo "===== $f (last 60 lines)"
    tail -n 60 "$f"
  done
}

stop_cluster() {
  local dir
  dir="$(state_dir)"
  if [[ -z "$dir" ]]; then return 0; fi
  local pids=()
  for name in rgw osd mon; do
    local f="$dir/run/$name.pid"
    if pid_alive "$f"; then
      pids+=("$(cat "$f")")
      kill "$(cat "$f")" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  case "$dir" in /tmp/lazyscribe-s3.*) rm -rf "$dir" ;; esac
  rm -f "$STATE_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop_cluster ;;
  env) print_env ;;
  status) running ;;
  log) print_logs ;;
  *) echo "usage: $0 start|stop|env|status|log" >&2; exit 2 ;;
esac
