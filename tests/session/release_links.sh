#!/usr/bin/env bash
# Ending a session with hundreds of kernel links (one per tracepoint of the
# kernel's largest tracepoint system after syscalls, whose wildcard runs as a
# few programs on raw_syscalls) must not wait for the kernel to release them one by
# one (a grace period each: 15 s here): tstap hands them to a child process
# and exits. Checks that tstap exits promptly, and that its programs are all
# gone from the kernel soon after.
# Usage: release_links.sh TSTAP   (exit 77: not root / no bpftool)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root for BPF: skipped"; exit 77; }
command -v bpftool >/dev/null || { echo "bpftool is not installed: skipped"; exit 77; }
. "$(dirname "$0")/largest_tracepoint_system.sh"
[ "$events" -ge 300 ] 2>/dev/null || { echo "no tracepoint system with 300 events here ($system: $events): skipped"; exit 77; }
echo "probing kernel.trace(\"$system:*\")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$tstap" -e 'global n; probe kernel.trace("'"$system"':*") { n++ } probe begin { println("READY") }
             probe timer.ms(1500) { printf("%d links\n", n >= 0); exit() }' > "$out" 2>&1 &
tap=$!
# Its programs, while it runs: the ids in its BPF program fds' fdinfo. How
# long it takes to get there (compiling hundreds of programs on a busy machine) is
# not what is tested: the time counts from then.
for _ in $(seq 1 1200); do
    grep -q READY "$out" && break
    sleep 0.1
done
start=$(date +%s%N)
progs=$(cat /proc/"$tap"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" {print $2}' | sort -u)
wait "$tap"
status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$out"
[ "$status" -eq 0 ] || { echo "FAIL: tstap exited with $status"; exit 1; }
count=$(echo "$progs" | grep -c .)
[ "$count" -ge 300 ] || { echo "FAIL: expected hundreds of programs held by tstap, saw $count"; exit 1; }
# 1.5 s of run time after start-up: far less than the 15 s of releasing.
echo "tstap ran for $elapsed ms with $count programs"
[ "$elapsed" -lt 9000 ] || { echo "FAIL: tstap took $elapsed ms to end"; exit 1; }
for _ in $(seq 1 120); do
    left=$(bpftool prog show 2>/dev/null | awk '/^[0-9]+:/ {print $1}' | tr -d ':' | sort -u | comm -12 - <(echo "$progs"))
    [ -z "$left" ] && { echo "all released after tstap ended"; exit 0; }
    echo "$(echo "$left" | wc -l) still loaded" >&2
    sleep 0.5
done
echo "FAIL: programs still loaded 60 s after tstap ended: $(echo $left | head -c 200)"
exit 1
