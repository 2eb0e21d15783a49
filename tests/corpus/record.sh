#!/usr/bin/env bash
# Re-record the front-end acceptance corpus with the REAL SystemTap 4.8.
#
# For every tests/corpus/scripts/*.stp this runs
#     stap -p2 OPTS NNN-name.stp ARGS        (inside scripts/, with a timeout)
# and rewrites tests/corpus/verdicts.tsv with one line per script:
#     file <TAB> accept|reject <TAB> OPTS|ARGS <TAB> first error line
# accept = exit status 0.  OPTS and ARGS come from an optional header line
#     # args: OPTS|ARGS
# among the first 5 lines of the script (absent = "|"); both halves are
# shell words (quotes allowed).  See README.md.
#
# Usage: tests/corpus/record.sh [-j JOBS] [-o OUTFILE] [script.stp ...]
#   Environment: STAP (default stap), TIMEOUT seconds (default 60).
#   With explicit script names only those are run and printed to stdout
#   (verdicts.tsv is left alone) unless -o is given.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jobs=2
out=""
while getopts "j:o:" opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        o) out=$OPTARG ;;
        *) echo "usage: $0 [-j JOBS] [-o OUTFILE] [script.stp ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

export STAP=${STAP:-stap}
export TIMEOUT=${TIMEOUT:-60}
export LC_ALL=C

command -v "$STAP" >/dev/null || { echo "record.sh: $STAP not found" >&2; exit 2; }

# With -W every warning is fatal, and on this machine stap always warns
# "Kernel function symbol table missing" (the kernel build tree is fake and
# has no System.map).  For scripts whose OPTS contain -W we therefore point
# stap (-r) at a throw-away copy of the build tree that has a tiny System.map,
# so that only the script's own warnings count.  Nothing else changes.
kb=$(mktemp -d "${TMPDIR:-/tmp}/tapcorpus-kb.XXXXXX")
trap 'rm -rf "$kb"' EXIT
build=/lib/modules/$(uname -r)/build
[ -f "$build/.config" ] && cp "$build/.config" "$kb/.config"
[ -f "$build/Module.symvers" ] && cp "$build/Module.symvers" "$kb/Module.symvers"
mkdir -p "$kb/include/config"
uname -r > "$kb/include/config/kernel.release"
{ grep -E ' (_stext|_text|_etext|_sinittext|_einittext)$' /proc/kallsyms 2>/dev/null ||
  printf '%s\n' 'ffffffff81000000 T _stext' 'ffffffff81000000 T _text' 'ffffffff82000000 T _etext'; } > "$kb/System.map"
export KB=$kb

one() {
    local f=$1 base spec opts_s args_s rc line
    base=$(basename "$f")
    spec=$(head -n 5 "$f" | sed -n 's/^# args: //p' | head -n 1)
    [ -n "$spec" ] || spec="|"
    opts_s=${spec%%|*}
    args_s=${spec#*|}
    local -a opts=() args=()
    eval "opts=($opts_s)"
    eval "args=($args_s)"
    case " ${opts[*]-} " in
        *" -W "*) opts=(-r "$KB" "${opts[@]}") ;;
    esac
    local outp
    outp=$(cd "$(dirname "$f")" && timeout "$TIMEOUT" "$STAP" -p2 "${opts[@]}" "$base" "${args[@]}" 2>&1 >/dev/null </dev/null)
    rc=$?
    if [ $rc -eq 0 ]; then
        printf '%s\taccept\t%s\t\n' "$base" "$spec"
        return
    fi
    # first error line: the first "semantic error:" / "parse error:" /
    # "ERROR:" (any "...error: ..." line, but not the "[man error::passN]"
    # trailers).  Failing that (e.g. -W, where a warning was fatal) the first
    # WARNING line, and failing that the first other message (e.g. "Input
    # file 'x' is empty.", "bad lexical cast").  The environment's
    # symbol-table warning is always ignored.
    local clean
    clean=$(printf '%s\n' "$outp" | grep -v 'Kernel function symbol table missing' |
            grep -v '^[[:space:]]*$')
    line=$(printf '%s\n' "$clean" | grep -v '^Pass [0-9]' |
           grep -m1 -E '^([a-z ]*error:|ERROR:)')
    [ -n "$line" ] || line=$(printf '%s\n' "$clean" | grep -m1 '^WARNING:')
    [ -n "$line" ] || line=$(printf '%s\n' "$clean" | grep -v '^Pass [0-9]' | head -n 1)
    [ -n "$line" ] || line=$(printf '%s\n' "$clean" | head -n 1)
    [ $rc -eq 124 ] && line="TIMEOUT after ${TIMEOUT}s"
    line=$(printf '%s' "$line" | tr '\t' ' ')
    printf '%s\treject\t%s\t%s\n' "$base" "$spec" "$line"
}
export -f one

if [ $# -gt 0 ]; then
    files=("$@")
    [ -n "$out" ] || out=/dev/stdout
else
    files=("$here"/scripts/*.stp)
    [ -n "$out" ] || out=$here/verdicts.tsv
fi

tmp=$(mktemp "${TMPDIR:-/tmp}/tapcorpus-v.XXXXXX")
printf '%s\0' "${files[@]}" | xargs -0 -P "$jobs" -n 1 bash -c 'one "$1"' _ | LC_ALL=C sort > "$tmp"
cat "$tmp" > "$out"
rm -f "$tmp"
if [ "$out" != /dev/stdout ]; then
    n=$(wc -l < "$out"); a=$(grep -c $'\taccept\t' "$out"); r=$(grep -c $'\treject\t' "$out")
    echo "record.sh: $n scripts, $a accept, $r reject -> $out" >&2
fi
