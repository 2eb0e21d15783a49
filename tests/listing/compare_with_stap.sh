#!/usr/bin/env bash
# `tstap -L` must print what `stap -L` (SystemTap 4.8, the reference) prints
# for user-space probe points of the tap_uprog test programs: functions with
# their DWARF variables, markers, PLT entries, statements, libc through
# .library, and a whole -O2 program.
# Usage: compare_with_stap.sh TSTAP UPROG_O0 UPROG_O2   (exit 77: no stap)
set -u
tstap=$1 o0=$2 o2=$3
command -v stap >/dev/null || { echo "stap is not installed: skipped"; exit 77; }
# stap insists on a kernel build tree even to list user-space points; give it
# a throw-away one (the kernel's config and release) instead of needing one
# in /lib/modules.
kb=$(mktemp -d "${TMPDIR:-/tmp}/tapstap-kb.XXXXXX")
trap 'rm -rf "$kb"' EXIT
zcat /proc/config.gz > "$kb/.config" 2>/dev/null || cp "/boot/config-$(uname -r)" "$kb/.config" 2>/dev/null ||
    : > "$kb/.config"
: > "$kb/Module.symvers"
mkdir -p "$kb/include/config"
uname -r > "$kb/include/config/kernel.release"
if ! stap -r "$kb" -L "process(\"$o0\").function(\"main\")" >/dev/null 2>"$kb/err"; then
    echo "stap cannot list here: $(head -n 1 "$kb/err"): skipped"
    exit 77
fi
patterns=(
    "process(\"$o0\").function(\"point_sum\")"
    "process(\"$o0\").function(\"*\").call"
    "process(\"$o0\").mark(\"*\")"
    "process(\"$o0\").plt(\"get*\")"
    "process(\"$o0\").statement(\"add@*:36\")"
    "process(\"$o0\").library(\"libc.so.6\").function(\"malloc\")"
    "process(\"$o2\").function(\"*\")"
)
failed=0
for p in "${patterns[@]}"; do
    expected=$(stap -r "$kb" -L "$p" 2>/dev/null)
    got=$("$tstap" -L "$p" 2>&1)
    if [ "$expected" = "$got" ]; then
        echo "same: $p"
    else
        echo "DIFFERENT: $p"
        diff <(echo "$expected") <(echo "$got") | head -10
        failed=1
    fi
done
exit $failed
