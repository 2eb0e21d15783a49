#!/usr/bin/env bash
# SIGKILL at moments while tstap loads and attaches hundreds of programs
# (the largest tracepoint system after syscalls, one program a tracepoint:
# 631 of xfs here, attached in 0.3 s after 0.2 s of start-up): nothing may stay loaded or attached once it is
# gone, since the kernel holds BPF programs and links only through its fds.
# Usage: sigkill_attach.sh TSTAP   (exit 77: not root / no bpftool)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root for BPF: skipped"; exit 77; }
command -v bpftool >/dev/null || { echo "bpftool is not installed: skipped"; exit 77; }
# Programs of tstap sessions that are not this test's (another test's, one
# still being released) are left out by id.
ids() { bpftool prog show 2>/dev/null | awk '/ name tap_/ {sub(":", "", $1); print $1}' | sort; }
before=$(ids)
ours() { comm -13 <(echo "$before") <(ids) | grep -c .; }
. "$(dirname "$0")/largest_tracepoint_system.sh"
script='global n; probe kernel.trace("'"$system"':*") { n++ } probe begin { println("ready") }'
"$tstap" -p4 -e "$script" >/dev/null || { echo "FAIL: the script does not compile"; exit 1; }
during=0
for delay in 0.1 0.2 0.25 0.3 0.35 0.4 0.5 0.6; do
    "$tstap" -e "$script" >/dev/null 2>&1 &
    tap=$!
    sleep "$delay"
    loaded=$(ours)
    kill -9 "$tap" 2>/dev/null
    wait "$tap" 2>/dev/null
    left=0
    for _ in $(seq 1 100); do
        left=$(ours)
        [ "$left" -eq 0 ] && break
        sleep 0.2
    done
    echo "killed after $delay s with $loaded programs loaded: $left left"
    [ "$loaded" -gt 0 ] && during=1
    [ "$left" -eq 0 ] || { echo "FAIL: programs stayed loaded after SIGKILL"; exit 1; }
done
[ "$during" -eq 1 ] || { echo "FAIL: no kill landed while programs were loaded (the machine is slower or faster than thought)"; exit 1; }
