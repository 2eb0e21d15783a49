#!/usr/bin/env bash
# Start-up of tstap against bpftrace, side by side in one run: launch until a
# script's begin has printed "ready", its kernel probes attached first. Four scripts: a tracepoint, a uprobe, timer.ms with
# task context (a perf clock event in the kernel) and timer.profile. tstap's
# compiled object is cached (one run before the rounds); the median of
# ROUNDS runs is reported, and tstap/bpftrace for each; also the CPU time
# of a whole run (user + system, start to exit), which a busy machine does
# not blur as it does the time to "ready".
# Usage (as root): bench/startup/run.sh [-r ROUNDS] [-t TSTAP] [-u UPROBE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=7 tstap=build/app/tstap uprog=build/tests/tap_uprog_O0
while getopts "r:t:u:" o; do
    case $o in
    r) rounds=$OPTARG ;;
    t) tstap=$OPTARG ;;
    u) uprog=$OPTARG ;;
    *) exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "start-up: needs root (kernel probes)" >&2; exit 1; }
command -v bpftrace >/dev/null || { echo "start-up: bpftrace is not installed (apt-get install bpftrace)" >&2; exit 1; }
uprog=$(realpath "$uprog")

# The median time from launch until a command has printed "ready" (its
# probes are attached before begin runs), ms; what it does after (exit,
# detaching) is not start-up.
median_ms() {
    python3 - "$rounds" "$@" <<'PY'
import os, statistics, subprocess, sys, time
rounds, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = None
    for line in p.stdout:
        if ready is None and "ready" in line:
            ready = time.monotonic() - t0
    _, _, usage = os.wait4(p.pid, 0)
    if ready is None:
        sys.exit("start-up: no 'ready' from: " + " ".join(cmd))
    return ready * 1000, (usage.ru_utime + usage.ru_stime) * 1000
once()  # fills tstap's object cache
runs = [once() for _ in range(rounds)]
print("%.0f %.0f" % (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)))
PY
}

declare -A tap bt
tap[tp]=$(median_ms "$tstap" -e 'global n; probe kernel.trace("sched:sched_switch") { n++ } probe begin { println("ready"); exit() }')
bt[tp]=$(median_ms bpftrace -e 'tracepoint:sched:sched_switch { @n = count(); } BEGIN { printf("ready\n"); exit(); }')
tap[uprobe]=$(median_ms "$tstap" -e 'global n; probe process("'"$uprog"'").function("add") { n++ } probe begin { println("ready"); exit() }')
bt[uprobe]=$(median_ms bpftrace -e 'uprobe:'"$uprog"':add { @n = count(); } BEGIN { printf("ready\n"); exit(); }')
tap[timer]=$(median_ms "$tstap" -e 'global n; probe timer.ms(100) { n[pid()]++ } probe begin { println("ready"); exit() }')
bt[timer]=$(median_ms bpftrace -e 'interval:ms:100 { @n[pid] = count(); } BEGIN { printf("ready\n"); exit(); }')
tap[profile]=$(median_ms "$tstap" -e 'global n; probe timer.profile { n++ } probe begin { println("ready"); exit() }')
bt[profile]=$(median_ms bpftrace -e 'profile:hz:99 { @n = count(); } BEGIN { printf("ready\n"); exit(); }')

echo "start-up, launch until begin printed \"ready\" with the probes attached, median of $rounds runs (tstap's object cached):"
printf '  %-8s %9s %12s %7s %10s %13s %9s\n' script "tstap ms" "bpftrace ms" ratio "tstap cpu" "bpftrace cpu" "cpu ratio"
ratio() { python3 -c "print('%.2f' % ($1 / max($2, 1)))"; }
for k in tp uprobe timer profile; do
    read -r tw tc <<<"${tap[$k]}"
    read -r bw bc <<<"${bt[$k]}"
    printf '  %-8s %9s %12s %7s %10s %13s %9s\n' "$k" "$tw" "$bw" "$(ratio "$tw" "$bw")" "$tc" "$bc" "$(ratio "$tc" "$bc")"
done
echo "  target: tstap at most half of bpftrace on each"
result="RESULT startup"
for k in tp uprobe timer profile; do result+=" ${k}_ms=${tap[$k]%% *}"; done
for k in tp uprobe timer profile; do result+=" bpftrace_${k}_ms=${bt[$k]%% *}"; done
for k in tp uprobe timer profile; do result+=" ${k}_cpu_ms=${tap[$k]##* } bpftrace_${k}_cpu_ms=${bt[$k]##* }"; done
echo "$result"
