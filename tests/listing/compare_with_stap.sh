#!/usr/bin/env bash
# `tstap -L` must print what `stap -L` (SystemTap 4.8, the reference) prints
# for user-space probe points of the tap_uprog test programs: functions with
# their DWARF variables, markers, PLT entries, statements, libc through
# .library, and a whole -O2 program.
# Usage: compare_with_stap.sh TSTAP UPROG_O0 UPROG_O2   (exit 77: no stap)
set -u
tstap=$1 o0=$2 o2=$3
command -v stap >/dev/null || { echo "stap is not installed: skipped"; exit 77; }
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
    expected=$(stap -L "$p" 2>/dev/null)
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
