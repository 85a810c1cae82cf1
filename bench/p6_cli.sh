#!/bin/sh
# P6 through the CLI: `eligo reconcile` on scripts/gen_payout.py files, each binary given run REPS times,
# alternating (before, after, before, after, ...), then the output folders compared byte for byte with the
# first binary's. Prints wall / user / sys seconds and peak RSS per run, and, with PHASES=1, one more run of
# the last binary under `strace -e rename` whose timestamps split the run into loading + classifying and
# the files written (each report file is renamed into place when complete).
#
#   /usr/bin/python3 scripts/gen_payout.py --orders 1000000 --seed 1 --out /tmp/pg1m --no-answer-key
#   flock /tmp/eligo-build.lock bench/p6_cli.sh /tmp/pg1m /tmp/p6out 3 build-before/src/cli/eligo build/src/cli/eligo
#
# A binary may be given with options for `reconcile` after it, in one word: "build/src/cli/eligo --items csv".
# Its output is then compared file by file with the first binary's, for the files it wrote.
#
# Run it under the build lock (the machine is shared): nothing else should run beside it.
set -eu
data=$1 out=$2 reps=$3
shift 3
mkdir -p "$out"
run() {  # "binary [options]", output folder
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak" ${1%% *} reconcile --orders "$data/orders.csv" \
    --bank "$data/bank.csv" --mapping "$data/mapping.json" --cutoff 2024-03-31 --out "$2" --no-workbook \
    $(case "$1" in *" "*) echo "${1#* }" ;; esac) > "$2.stdout" 2> "$2.time"
  echo "$1: $(tail -1 "$2.time")"
}
r=1
while [ "$r" -le "$reps" ]; do
  k=0
  for b in "$@"; do
    k=$((k + 1))
    rm -rf "$out/$k"
    run "$b" "$out/$k"
    if [ "$k" -gt 1 ]; then
      case "$b" in
        *" "*)
          same=yes
          for f in "$out/$k"/*; do cmp -s "$f" "$out/1/${f##*/}" || same=no; done
          if [ $same = yes ]; then echo "  its $(ls "$out/$k" | wc -l) files identical to $1's"; else echo "  OUTPUT DIFFERS from $1's"; fi ;;
        *)
          if diff -r "$out/1" "$out/$k" > /dev/null; then echo "  output identical to $1's"; else echo "  OUTPUT DIFFERS from $1's"; fi ;;
      esac
    fi
  done
  r=$((r + 1))
done
if [ "${PHASES:-0}" = 1 ]; then
  for b in "$@"; do :; done
  rm -rf "$out/phases"
  mkdir -p "$out/phases"
  start=$(date +%s.%N)
  strace -ttt -e trace=rename -o "$out/phases.strace" ${b%% *} reconcile --orders "$data/orders.csv" --bank "$data/bank.csv" \
    --mapping "$data/mapping.json" --cutoff 2024-03-31 --out "$out/phases" --no-workbook \
    $(case "$b" in *" "*) echo "${b#* }" ;; esac) > /dev/null
  end=$(date +%s.%N)
  echo "phases of $b (seconds since start; each file's time ends at its rename):"
  awk -v start="$start" -v end="$end" '/rename/ { split($3, a, "\""); n = split(a[2], p, "/"); f = p[n];
      printf "  %-16s done at %6.2f s (+%.2f s)\n", f, $1 - start, $1 - (last ? last : start); last = $1 }
      END { printf "  %-16s        %6.2f s (+%.2f s)\n", "exit", end - start, end - last }' "$out/phases.strace"
fi
