#!/bin/sh
# P1 figures that hold still (issue 11, item 2): runs bench_eval's bound-input cases in several separate
# processes (each one a fresh heap: a different placement of the bound inputs), takes each process's
# median of its repetitions, and prints per case the median across processes and the min–max spread.
# Several binaries may be given (e.g. before and after a change): their processes are interleaved, so a
# change of machine load hits both alike.
#
#   bench/p1_spread.sh [PROCESSES] BENCH_EVAL [BENCH_EVAL...]
#   flock /tmp/eligo-build.lock bench/p1_spread.sh 5 build/bench/bench_eval      # under the build lock
set -eu
procs=5
case "${1:-}" in ''|*[!0-9]*) ;; *) procs=$1; shift ;; esac
[ $# -ge 1 ] || { echo "usage: $0 [PROCESSES] BENCH_EVAL [BENCH_EVAL...]" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
while [ "$i" -lt "$procs" ]; do
  b=0
  for bin in "$@"; do
    "$bin" --benchmark_filter='BM_Eval_(Points|PointsCached|PointsMany|PointsHandWritten|Eligibility|EligibilityCached|EligibilityMany|EligibilityHandWritten)$' \
      --benchmark_min_time=0.3 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
      --benchmark_format=json >"$out/$b.$i.json" 2>/dev/null
    b=$((b + 1))
  done
  i=$((i + 1))
done
/usr/bin/python3 - "$out" "$procs" "$@" <<'EOF'
import json, os, statistics, sys
out, procs, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print(f"{procs} processes each; per process the median of 3 repetitions (CPU time, ns per applicant)")
for b, binary in enumerate(bins):
    per_case = {}
    for i in range(procs):
        with open(os.path.join(out, f"{b}.{i}.json")) as f:
            for r in json.load(f)["benchmarks"]:
                if r.get("aggregate_name") == "median":
                    # ns per applicant (a *Many case decides 50 applicants per iteration)
                    ips = r.get("items_per_second")
                    per_case.setdefault(r["run_name"], []).append(1e9 / ips if ips else r["cpu_time"])
    print(f"\n{binary}")
    print(f"  {'case':34} {'median':>9} {'min':>9} {'max':>9} {'spread':>7}  per second")
    for name, xs in per_case.items():
        m = statistics.median(xs)
        print(f"  {name:34} {m:9.1f} {min(xs):9.1f} {max(xs):9.1f} {100 * (max(xs) - min(xs)) / m:6.1f}%  {1e9 / m / 1e6:.2f} M")
    hand = {n.replace("HandWritten", ""): statistics.median(v) for n, v in per_case.items() if "HandWritten" in n}
    for n, v in per_case.items():
        base = n[:-4] if n.endswith("Many") else n
        if base in hand:
            print(f"  {n}: {statistics.median(v) / hand[base]:.1f}x the hand-written yardstick")
EOF
