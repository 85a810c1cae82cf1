#!/usr/bin/env bash
# The Debian packages, installed and used as operations staff and integrators would (CTest install.packages).
# Usage: packages.sh BUILD_DIR SOURCE_DIR
# 1. CPack makes the packages from the built tree (no second build) and lintian finds no errors in them.
# 2. They are unpacked into a throw-away root (dpkg-deb -x: no root rights, no maintainer scripts), and:
#    no installed ELF file carries a RUNPATH; the dependencies came from dpkg-shlibdeps;
#    the C example compiles with `pkg-config --cflags --libs eligo` alone and runs;
#    examples/consumer builds with find_package(eligo) and runs;
#    /usr/bin/python3 imports eligo from the root and evaluates a bundled pack (a folder: versions by date);
#    the root's eligo prints --version and passes `eligo test` on every bundled pack;
#    the eligo package's /etc/eligo/server.json is a conffile, its systemd unit passes systemd-analyze, and
#    eligo-server starts from that configuration and serves the installed packs and the installed ECharts.
# The one concession: the root's library folder is not in the dynamic loader's path, so the C example runs
# with LD_LIBRARY_PATH pointing at it (an installed package puts the library in /usr/lib, which needs none).
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$build/package-test
rm -rf "$work"
mkdir -p "$work/debs" "$work/root"
# The installed packs' cases and headers are copies of the sources, with their public sample numbers:
# clear by intent for the R8 scan (tests/r8_scan.py).
echo '*' > "$work/.r8-clear"
fail() { echo "install.packages: $*" >&2; exit 1; }

(cd "$build" && cpack --config CPackConfig.cmake -B "$work/debs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
debs=("$work"/debs/*.deb)
names=$(for d in "${debs[@]}"; do dpkg-deb -f "$d" Package; done | sort | tr '\n' ' ')
[ "$names" = "eligo eligo-rules libeligo libeligo-dev python3-eligo " ] || fail "packages made: $names"
command -v lintian >/dev/null || fail "lintian is missing (scripts/bootstrap installs it)"
lintian --fail-on error "${debs[@]}" || fail "lintian reports errors"

for d in "${debs[@]}"; do dpkg-deb -x "$d" "$work/root"; done
root=$work/root
# shlibdeps: the CLI's dependencies name the Debian libraries it links.
deps=$(dpkg-deb -f "$work"/debs/eligo_*.deb Depends)
for lib in libc6 libicu72 libsqlite3-0 libssl3 libstdc++6; do
  [[ "$deps" == *"$lib "* ]] || fail "eligo's Depends lacks $lib: $deps"
done
# No RUNPATH/RPATH in any installed ELF file.
while IFS= read -r f; do
  if file -b "$f" | grep -q '^ELF' && readelf -d "$f" | grep -qE 'RPATH|RUNPATH'; then
    fail "$f carries a RUNPATH: $(readelf -d "$f" | grep -E 'RPATH|RUNPATH')"
  fi
done < <(find "$root" -type f)

# C example with pkg-config alone.
libdir=$(dirname "$(find "$root" -name eligo.pc)")
export PKG_CONFIG_LIBDIR=$libdir
flags=$(pkg-config --cflags --libs eligo)
cc -std=c99 "$src/examples/c/evaluate.c" $flags -o "$work/evaluate"
rules=$root/usr/share/eligo/rules
out=$(LD_LIBRARY_PATH=$(pkg-config --variable=libdir eligo) "$work/evaluate" \
        "$rules/major-illness/major-illness.pack.json" "$src/examples/c/applicant.json" 2024-05-01)
[[ "$out" == *'"verdict":"eligible"'* ]] || fail "the C example printed: $out"
unset PKG_CONFIG_LIBDIR

# CMake consumer with find_package.
cmake -S "$src/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_BUILD_TYPE=Release \
      >"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "configuring the consumer failed"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "building the consumer failed"; }
"$work/consumer/consumer" && "$work/consumer/consumer_c" >/dev/null || fail "the consumer failed"
grep -q "$root/usr" "$work/consumer/CMakeCache.txt" || fail "the consumer did not use the root's eligo"

# Python: Debian's python3 imports the root's module and evaluates a bundled pack folder.
PYTHONPATH=$root/usr/lib/python3/dist-packages /usr/bin/python3 - "$root" "$src" <<'PY'
import json, sys
root, src = sys.argv[1], sys.argv[2]
import eligo
assert eligo.__file__.startswith(root), eligo.__file__
rules = eligo.load(root + "/usr/share/eligo/rules/gz-points")
with open(src + "/examples/applicants/gz-points.jsonl", encoding="utf-8") as f:
    applicant = json.loads(f.readline())
old, new = rules.evaluate(applicant, as_of="2020-06-01"), rules.evaluate(applicant, as_of="2024-05-01")
assert old.to_dict()["pack"]["version"] == "2018.1" and new.to_dict()["pack"]["version"] == "2021.1"
assert new.score is not None
print("python3-eligo:", new.verdict, new.score)
PY

# The CLI on the installed packs.
"$root/usr/bin/eligo" --version > "$work/version.txt" || fail "eligo --version"
grep -q '^eligo [0-9]' "$work/version.txt" || fail "eligo --version: $(cat "$work/version.txt")"
# The dashboard's ECharts ships in the eligo package, and the installed eligo finds it from its own folder.
echarts=$root/usr/share/eligo/echarts/echarts.min.js
[ -s "$echarts" ] && [ -s "$root/usr/share/eligo/echarts/LICENSE" ] || fail "ECharts is not in the eligo package: web/node_modules/echarts was missing when the build was configured (run scripts/bootstrap, then reconfigure)"
grep -qxF "ECharts for the dashboard: $echarts" "$work/version.txt" \
  || fail "the installed eligo does not use the installed ECharts: $(grep ECharts "$work/version.txt")"
"$root/usr/bin/eligo" test "$rules"/*/ || fail "eligo test on the installed packs"

# eligo-server from the package, on the installed packs, on a free loopback port: health, the packs, and one
# evaluation whose decision equals the installed CLI's.
[ -x "$root/usr/bin/eligo-server" ] || fail "eligo-server is not in the eligo package"
[ -f "$root/usr/share/doc/eligo/examples/server/server.json" ] || fail "the example server config is not packaged"
# The package's default configuration (a conffile) and systemd unit.
conffiles=$(dpkg-deb -I "$work"/debs/eligo_*.deb conffiles 2>/dev/null) || conffiles=""
[ "$conffiles" = "/etc/eligo/server.json" ] || fail "the eligo package's conffiles: '$conffiles'"
unit=$root/lib/systemd/system/eligo-server.service
[ -f "$unit" ] || fail "no systemd unit in the eligo package"
grep -qxF 'ExecStart=/usr/bin/eligo-server --config /etc/eligo/server.json' "$unit" || fail "the unit's ExecStart: $(grep ExecStart "$unit")"
grep -qF '"packs": ["/usr/share/eligo/rules"]' "$root/etc/eligo/server.json" || fail "/etc/eligo/server.json does not serve the installed packs"
grep -qF '"listen": "127.0.0.1:8080"' "$root/etc/eligo/server.json" || fail "/etc/eligo/server.json does not listen on loopback"
if command -v systemd-analyze >/dev/null; then
  # systemd checks the unit's syntax and that its programs exist: point them at the root.
  sed "s|/usr/bin/|$root/usr/bin/|; s|/etc/eligo/|$root/etc/eligo/|g" "$unit" > "$work/eligo-server.service"
  systemd-analyze verify "$work/eligo-server.service" > "$work/unit-verify.txt" 2>&1 \
    || { cat "$work/unit-verify.txt" >&2; fail "systemd-analyze verify rejects the unit"; }
fi
# Started as the unit starts it, from the shipped configuration; only the packs' folder (inside the root) and
# a free port are given on the command line.
"$root/usr/bin/eligo-server" --config "$root/etc/eligo/server.json" --packs "$rules" --listen 127.0.0.1:0 \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/server.out" | head -1 | cut -d: -f2)
[ -n "$port" ] || { kill "$server_pid" 2>/dev/null; cat "$work/server.err" >&2; fail "eligo-server did not start"; }
applicant=$(head -1 "$src/examples/applicants/major-illness.jsonl")
health=$(curl -sf "http://127.0.0.1:$port/healthz") || health=""
packs=$(curl -sf "http://127.0.0.1:$port/v1/packs") || packs=""
served_echarts=$(curl -sf "http://127.0.0.1:$port/dashboard/echarts.min.js" | sha256sum | cut -d' ' -f1) || served_echarts=""
by_server=$(printf '%s' "$applicant" | curl -sf -X POST --data-binary @- \
  "http://127.0.0.1:$port/v1/packs/cn.minsheng.major-illness/evaluate?as_of=2024-05-01") || by_server=""
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
[ "$health" = '{"status":"ok"}' ] || fail "eligo-server /healthz: $health"
grep -q '"cn.minsheng.major-illness"' <<<"$packs" || fail "eligo-server /v1/packs lacks the installed packs"
[ "$served_echarts" = "$(sha256sum < "$echarts" | cut -d' ' -f1)" ] || fail "eligo-server does not serve the installed ECharts"
by_cli=$(printf '%s\n' "$applicant" | "$root/usr/bin/eligo" eval "$rules/major-illness" --input - --as-of 2024-05-01 \
  --format json | sed -E 's/^\{"line":[0-9]+,/{/')
[ -n "$by_server" ] && [ "$by_server" = "$by_cli" ] || fail "eligo-server's decision differs from the CLI's"
echo "install.packages: ok"
