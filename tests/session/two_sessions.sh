#!/usr/bin/env bash
# Two sessions attach the same points at once: each counts exactly its own
# command's calls, and both end cleanly.
# Usage: two_sessions.sh TSTAP WORKLOAD   (exit 77: not root)
set -u
tstap=$1 workload=$2
[ "$(id -u)" -eq 0 ] || { echo "needs root for BPF: skipped"; exit 77; }
script='global n; probe syscall.getppid { if (pid() == target()) n++ } probe end { printf("n=%d\n", n) }'
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$tstap" -e "$script" -c "$workload getppid 5000" >"$a" 2>&1 &
first=$!
"$tstap" -e "$script" -c "$workload getppid 7000" >"$b" 2>&1 &
second=$!
wait "$first"; s1=$?
wait "$second"; s2=$?
echo "first: $(cat "$a") (exit $s1), second: $(cat "$b") (exit $s2)"
[ "$s1" -eq 0 ] && [ "$s2" -eq 0 ] && [ "$(cat "$a")" = n=5000 ] && [ "$(cat "$b")" = n=7000 ] ||
    { echo "FAIL: the sessions disturbed each other"; exit 1; }
