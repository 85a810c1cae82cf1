#!/usr/bin/env bash
# P7: eligo-server under wrk on loopback, one gz-points applicant per request, keep-alive (bench/README.md).
# Usage: bench/server_load.sh [BUILD_DIR] [SECONDS]
# Runs, side by side in one go: the server alone at full load (several connection counts), with the decision
# log on, and a lighter load for the latency at about half the rate. The server and wrk share the machine's
# cores, as P7 asks. wrk (not wrk2) cannot hold a fixed rate: the lighter runs are chosen by connection count.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
secs=${2:-10}
server=$build/src/server/eligo-server
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
head -1 "$here/examples/applicants/gz-points.jsonl" > "$work/body.json"
cat > "$work/post.lua" <<LUA
local f = io.open("$work/body.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA
path="/v1/packs/cn.gz.points/evaluate?as_of=2024-05-01"

start() {  # start [config json]
  echo "$1" > "$work/server.json"
  "$server" --config "$work/server.json" > "$work/out" 2>"$work/err" &
  for _ in $(seq 50); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$work/out" | head -1 | cut -d: -f2)
  curl -sf -X POST --data-binary @"$work/body.json" "http://127.0.0.1:$port$path" | grep -q '"verdict"' || {
    echo "the server does not answer" >&2; exit 1; }
}
stop() { kill %1 2>/dev/null || true; wait 2>/dev/null || true; }
run() {  # run LABEL CONNECTIONS THREADS
  local r
  r=$(wrk -t"$3" -c"$2" -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port$path")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
  p50=$(awk '$1=="50%" {print $2}' <<<"$r")
  p99=$(awk '$1=="99%" {print $2}' <<<"$r")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$r" | tr '\n' ' ' || true)
  printf '| %-34s | %5s | %10s | %8s | %8s | %s\n' "$1" "$2" "$rps" "$p50" "$p99" "${errors:-}|"
}

echo "| run | conns | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
base="\"listen\": \"127.0.0.1:0\", \"packs\": [\"$here/rules\"], \"threads\": 2, \"reload\": {\"watch\": false}"
start "{$base}"
run "server, 2 I/O threads" 64 1
run "server, 2 I/O threads" 16 1
run "server, lighter load" 2 1
run "server, lighter load" 1 1
stop
export ELIGO_AUDIT_KEY=bench-key
start "{$base, \"decision_log\": {\"path\": \"$work/decisions.jsonl\"}}"
run "server + decision log" 64 1
run "server + decision log, lighter" 2 1
stop
echo
echo "decision log lines written: $(wc -l < "$work/decisions.jsonl")"
