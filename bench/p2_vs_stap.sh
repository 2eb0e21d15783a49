#!/usr/bin/env bash
# Benchmark: `tstap -p2` against SystemTap 4.8's `stap -p2` on the same scripts,
# measured in the same run.  Not a test: it prints numbers.
#
# Scripts: a fixed spread of ~20 tests/corpus/scripts/*.stp that stap accepts
# with no options (verdicts.tsv: "accept" and "|"), covering the lexer, the
# preprocessor, macros, aliases, wildcards, timers, statistics and tapset
# functions, plus every resources/examples/*.stp.  A script is used only if
# both tools accept it here (a skipped one is listed with the reason).
#
# Times are whole command runs (process start, tapset loading, pass 1+2), as
# a user sees them.  With hyperfine (apt-get install hyperfine): --shell=none,
# warm-up runs, then the mean; without it a date +%s%N loop.
#
# Usage: bench/p2_vs_stap.sh [-t TSTAP] [-s STAP] [-r STAP_RUNS] [-R TSTAP_RUNS] [-o TSV]
#   TSTAP defaults to build-bench/app/tstap, then build/app/tstap.
#   STAP_RUNS default 10, TSTAP_RUNS default 30.
# The last line is machine-readable:  RESULT p2 scripts=N geomean_ratio=X ...
set -u
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=$root/tests/corpus

tstap=""
stap=${STAP:-stap}
stap_runs=10
tstap_runs=30
out_tsv=""
while getopts "t:s:r:R:o:" opt; do
    case $opt in
        t) tstap=$OPTARG ;;
        s) stap=$OPTARG ;;
        r) stap_runs=$OPTARG ;;
        R) tstap_runs=$OPTARG ;;
        o) out_tsv=$OPTARG ;;
        *) sed -n '2,20p' "$0" >&2; exit 2 ;;
    esac
done
if [ -z "$tstap" ]; then
    for c in "$root/build-bench/app/tstap" "$root/build/app/tstap"; do
        [ -x "$c" ] && { tstap=$c; break; }
    done
fi
[ -n "$tstap" ] && [ -x "$tstap" ] || { echo "p2_vs_stap: tstap not found (build first or pass -t)" >&2; exit 2; }
command -v "$stap" >/dev/null || { echo "p2_vs_stap: $stap not found (apt-get install systemtap)" >&2; exit 2; }
tstap=$(readlink -f "$tstap")
stap=$(command -v "$stap")

# The spread of corpus scripts (file names; see the header).
picks=(
    006-shebang-line.stp
    026-string-glue-across-comment.stp
    046-op-concat-assign.stp
    087-pp-and-or.stp
    097-pp-inside-expression.stp
    117-global-init-glued-strings.stp
    125-function-overload-arity.stp
    153-probe-condition-global.stp
    168-probe-wildcard-with-params.stp
    170-probe-wildcard-begin.stp
    177-probe-timer-units.stp
    189-alias-of-alias.stp
    190-alias-wildcard-use.stp
    412-macro-inside-probe-body.stp
    442-macro-in-probe-point.stp
    564-foreach-value-and-sort-on-key.stp
    579-end-report-stats.stp
    601-cpu-as-array-key.stp
    620-isinstr-and-str-replace.stp
    621-strtol-bases.stp
    629-execname-pid-format.stp
    648-probe-condition-compound.stp
)

scripts=()
skipped=()
for f in "${picks[@]}"; do
    if ! grep -q "^$f"$'\taccept\t|\t' "$corpus/verdicts.tsv"; then
        skipped+=("$f: not 'accept' with empty options in verdicts.tsv"); continue
    fi
    scripts+=("$corpus/scripts/$f")
done
for f in "$root"/resources/examples/*.stp; do
    [ -f "$f" ] && scripts+=("$f")
done

usable=()
for f in "${scripts[@]}"; do
    if ! (cd "$(dirname "$f")" && "$tstap" -p2 "$f" >/dev/null 2>&1); then
        skipped+=("$(basename "$f"): tstap -p2 rejects it"); continue
    fi
    if ! (cd "$(dirname "$f")" && timeout 120 "$stap" -p2 "$f" >/dev/null 2>&1); then
        skipped+=("$(basename "$f"): stap -p2 rejects it"); continue
    fi
    usable+=("$f")
done
[ ${#usable[@]} -gt 0 ] || { echo "p2_vs_stap: no script accepted by both" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

# mean_ms RUNS WARMUP CMD... : prints the mean wall time in ms.
mean_ms() {
    local runs=$1 warm=$2; shift 2
    if [ $have_hyperfine = 1 ]; then
        hyperfine -N --style none --warmup "$warm" --runs "$runs" \
                  --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1 || return 1
        python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$tmp/h.json"
    else
        local i s e total=0
        for ((i = 0; i < warm; i++)); do "$@" >/dev/null 2>&1; done
        for ((i = 0; i < runs; i++)); do
            s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
            total=$((total + e - s))
        done
        awk -v t="$total" -v n="$runs" 'BEGIN { printf "%.3f\n", t / n / 1e6 }'
    fi
}

echo "p2_vs_stap: tstap=$tstap"
echo "            stap=$stap ($("$stap" -V 2>&1 | head -n1 | sed 's/.*(version \([^)]*\)).*/\1/'))"
echo "            timing: $([ $have_hyperfine = 1 ] && echo "hyperfine $(hyperfine --version | cut -d' ' -f2)" || echo "date +%s%N loop"), runs: stap $stap_runs, tstap $tstap_runs"
printf '%-40s %12s %12s %9s\n' script tstap_ms stap_ms stap/tstap
: > "$tmp/rows.tsv"
for f in "${usable[@]}"; do
    name=$(basename "$f")
    cd "$(dirname "$f")"
    t=$(mean_ms "$tstap_runs" 3 "$tstap" -p2 "$f") || { skipped+=("$name: tstap timing failed"); continue; }
    s=$(mean_ms "$stap_runs" 1 "$stap" -p2 "$f") || { skipped+=("$name: stap timing failed"); continue; }
    r=$(awk -v s="$s" -v t="$t" 'BEGIN { printf "%.1f", s / t }')
    printf '%-40s %12.2f %12.2f %8.1fx\n' "$name" "$t" "$s" "$r"
    printf '%s\t%s\t%s\t%s\n' "$name" "$t" "$s" "$r" >> "$tmp/rows.tsv"
done
cd "$root"
[ -n "$out_tsv" ] && cp "$tmp/rows.tsv" "$out_tsv"
for s in "${skipped[@]}"; do echo "skipped: $s"; done
awk -F'\t' '
    { n++; lr += log($3 / $2); st += $2; ss += $3
      if (n == 1 || $3 / $2 < mn) mn = $3 / $2
      if (n == 1 || $3 / $2 > mx) mx = $3 / $2 }
    END {
        if (n == 0) exit 1
        g = exp(lr / n)
        printf "geometric mean stap/tstap over %d scripts: %.1fx (min %.1fx, max %.1fx); mean tstap %.2f ms, mean stap %.2f ms\n", n, g, mn, mx, st / n, ss / n
        printf "target: tstap at least 10x faster -> %s\n", (g >= 10 ? "MET" : "NOT MET")
        printf "RESULT p2 scripts=%d geomean_ratio=%.1f min_ratio=%.1f max_ratio=%.1f tstap_mean_ms=%.2f stap_mean_ms=%.2f\n", n, g, mn, mx, st / n, ss / n
    }' "$tmp/rows.tsv"
