#!/usr/bin/env bash
# A script that prints faster than the ring buffer drains: what fits is
# printed, what did not is counted in a warning at the end, and the two add
# up to the records the probe made; the session ends 0.
# Usage: ring_overflow.sh TSTAP WORKLOAD   (exit 77: not root)
set -u
tstap=$1 workload=$2
[ "$(id -u)" -eq 0 ] || { echo "needs root for BPF: skipped"; exit 77; }
records=300000
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 300 "$tstap" -e 'probe syscall.getppid { if (pid() == target()) printf("%d %s\n", pid(), "a record of some length to fill the buffer") }' \
    -c "$workload getppid $records" >"$out" 2>"$err"
status=$?
printed=$(wc -l <"$out")
dropped=$(sed -n 's/^WARNING: \([0-9]*\) kernel output records were dropped (the ring buffer was full)$/\1/p' "$err")
echo "printed $printed, dropped ${dropped:-0} of $records (exit $status)"
[ "$status" -eq 0 ] || { echo "FAIL: exit status $status"; cat "$err"; exit 1; }
[ $((printed + ${dropped:-0})) -eq "$records" ] || { echo "FAIL: printed and dropped records do not add up"; cat "$err"; exit 1; }
grep -v '^WARNING: [0-9]* kernel output records were dropped' "$err" | grep -q . && { echo "FAIL: other messages:"; cat "$err"; exit 1; }
echo ok
