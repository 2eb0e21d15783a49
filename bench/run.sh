#!/usr/bin/env bash
# Builds the benchmarks in Release (separate dir build-bench/, no tests) and
# runs them:
#   pass1_tapsets   pass 1 over Debian's systemtap 4.8 tapsets (target < 150 ms)
#   p2_vs_stap.sh   tstap -p2 vs stap -p2, same scripts, same run (target >= 10x)
# then prints a short summary table.
#
# Usage: bench/run.sh [-n PASS1_REPS] [-r STAP_RUNS] [-R TSTAP_RUNS] [--no-build]
# Environment: BENCH_BUILD_DIR (default build-bench), CXX (compiler to use).
set -eu
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
reps=10
stap_runs=10
tstap_runs=30
do_build=1
while [ $# -gt 0 ]; do
    case $1 in
        -n) reps=$2; shift 2 ;;
        -r) stap_runs=$2; shift 2 ;;
        -R) tstap_runs=$2; shift 2 ;;
        --no-build) do_build=0; shift ;;
        *) sed -n '2,10p' "$0" >&2; exit 2 ;;
    esac
done

if [ $do_build = 1 ]; then
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    [ -f "$build/CMakeCache.txt" ] && gen=()
    cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
          -DTAPSTUDIO_TESTS=OFF -DTAPSTUDIO_BENCH=ON -DTAPSTUDIO_FUZZ=OFF >/dev/null
    cmake --build "$build" -j2 --target pass1_tapsets tstap
fi

log1=$(mktemp); log2=$(mktemp)
trap 'rm -f "$log1" "$log2"' EXIT

echo "== pass 1 over the systemtap 4.8 tapsets =="
rc1=0
"$build/bench/pass1_tapsets" -n "$reps" | tee "$log1" || rc1=$?
echo
echo "== pass 2: tstap -p2 vs stap -p2 =="
rc2=0
"$here/p2_vs_stap.sh" -t "$build/app/tstap" -r "$stap_runs" -R "$tstap_runs" | tee "$log2" || rc2=$?

field() { sed -n "s/^RESULT $1 .*\\b$2=\\([^ ]*\\).*/\\1/p" "$3"; }
echo
echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)) =="
printf '%-44s %-22s %-10s %s\n' benchmark result target verdict
p1=$(field pass1 median_ms "$log1"); p1min=$(field pass1 min_ms "$log1")
p1lps=$(field pass1 lines_per_s "$log1"); p1err=$(field pass1 errors "$log1")
if [ -n "$p1" ]; then
    v=$(awk -v m="$p1" -v e="$p1err" 'BEGIN { print (m < 150 && e == 0) ? "MET" : "NOT MET" }')
    printf '%-44s %-22s %-10s %s\n' "pass 1, 607 tapset files (median/min)" "$p1 / $p1min ms" "< 150 ms" "$v"
    printf '%-44s %-22s %-10s %s\n' "pass 1 throughput, errors" "$p1lps lines/s, $p1err" "0 errors" ""
else
    printf '%-44s %s\n' "pass 1" "FAILED (exit $rc1)"
fi
g=$(field p2 geomean_ratio "$log2"); n=$(field p2 scripts "$log2")
tm=$(field p2 tstap_mean_ms "$log2"); sm=$(field p2 stap_mean_ms "$log2")
if [ -n "$g" ]; then
    v=$(awk -v g="$g" 'BEGIN { print (g >= 10) ? "MET" : "NOT MET" }')
    printf '%-44s %-22s %-10s %s\n' "-p2 stap/tstap, geomean of $n scripts" "${g}x" ">= 10x" "$v"
    printf '%-44s %-22s %-10s %s\n' "-p2 mean per script (tstap / stap)" "$tm / $sm ms" "" ""
else
    printf '%-44s %s\n' "p2_vs_stap" "FAILED (exit $rc2)"
fi
[ $rc1 = 0 ] && [ $rc2 = 0 ]
