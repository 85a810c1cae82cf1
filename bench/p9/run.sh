#!/usr/bin/env bash
# P9 (TARGETS.md): eligo batch, rank, compare and diff over a generated population; wall time and peak RSS of
# each command at each size, one after the other in one run. Data is generated under WORK (never committed).
# usage: bench/p9/run.sh WORK [ELIGO] [SIZES]   e.g. bench/p9/run.sh /tmp/p9 build/src/cli/eligo "100000 1000000"
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
eligo=$(realpath "${2:-$root/build/src/cli/eligo}")
sizes=${3:-"100000 1000000"}
ex=$root/examples/admission/yuexiu-2021
py=/usr/bin/python3
measure() {  # name rows command...
  local name=$1 rows=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$dir/time.$name" "$@" > "$dir/out.$name" 2> "$dir/err.$name" || {
    echo "$name failed:"; cat "$dir/err.$name"; exit 1; }
  read -r secs kb < "$dir/time.$name"
  printf '| %s | %s | %s s | %s k rows/s | %s MiB |\n' "$name" "$rows" "$secs" \
    "$(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", r / s / 1000 }')" "$((kb / 1024))"
}
echo "| command | rows | wall | rate | peak RSS |"
echo "|---|--:|--:|--:|--:|"
for n in $sizes; do
  dir=$work/$n
  if [ ! -f "$dir/applicants.csv" ]; then  # the Yuexiu example's pipeline: points, eligibility, joined
    mkdir -p "$dir"
    $py "$ex/gen_applicants.py" "$dir" --count "$n" --seed 2021 > /dev/null
    "$eligo" eval "$root/rules/gz-points" --input "$dir/points.jsonl" --as-of 2021-12-01 --format json \
      > "$dir/points.decisions.jsonl" 2> /dev/null
    "$eligo" eval "$root/rules/yuexiu-school" --input "$dir/eligibility.jsonl" --as-of 2021-06-01 --format json \
      --blacklist "$root/examples/blacklist/sample.csv" > "$dir/eligibility.decisions.jsonl" 2> /dev/null
    $py "$ex/join.py" "$dir"
    rm -f "$dir/points.decisions.jsonl" "$dir/eligibility.decisions.jsonl"
  fi
  [ -f "$dir/cmp/source.csv" ] || $py "$root/bench/p9/gen_compare.py" "$dir/cmp" --count "$n"
  ranked=$(($(wc -l < "$dir/applicants.csv") - 1))
  rm -rf "$dir/batch" "$dir/compare"
  measure "batch (gz-points 2021, 2 threads)" "$n" "$eligo" batch "$root/rules/gz-points" --input "$dir/points.jsonl" \
    --as-of 2021-12-01 --out "$dir/batch" --progress off
  measure "rank (Yuexiu spec, 5 schools)" "$ranked" "$eligo" rank --spec "$ex/spec.json" --input "$dir/applicants.csv" \
    --out "$dir/placements.csv" --schools "$dir/schools.csv"
  measure "compare (5 items)" "$n" "$eligo" compare "$root/tests/admission/compare/points.pack.json" \
    --declared "$dir/cmp/declared.jsonl" --source "$dir/cmp/source.csv" --as-of 2021-12-01 --out "$dir/compare"
  measure "diff (gz-points 2018 → 2021)" "$n" "$eligo" diff "$root/rules/gz-points/gz-points-2018.pack.json" \
    "$root/rules/gz-points/gz-points-2021.pack.json" --input "$dir/points.jsonl" --old-as-of 2021-11-15 \
    --new-as-of 2021-11-16 --json "$dir/diff.json"
done
