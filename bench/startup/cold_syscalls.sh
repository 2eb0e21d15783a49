#!/usr/bin/env bash
# Cold start of SystemTap's own system-call scripts: process/strace.stp and
# process/errsnoop.stp (nd_syscall.* / syscall.* wildcards over every system
# call, with the tapsets' argstr/retstr decoding) run on `-c /bin/true` with
# an empty object cache, launch to exit, median of ROUNDS runs. The peer is
# bpftrace on every syscall tracepoint (a wildcard it attaches one by one),
# measured in the same run.
# Usage (as root): bench/startup/cold_syscalls.sh [-r ROUNDS] [-t TSTAP]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=5 tstap=build/app/tstap
while getopts "r:t:" o; do
    case $o in
    r) rounds=$OPTARG ;;
    t) tstap=$OPTARG ;;
    *) exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "cold start: needs root (kernel probes)" >&2; exit 1; }
examples=/usr/share/systemtap/examples/process
[ -f $examples/strace.stp ] || { echo "cold start: SystemTap's examples are not installed (apt-get install systemtap)" >&2; exit 1; }

# The median wall time of a command run ROUNDS times, each with a new empty
# object cache, ms.
median_cold_ms() {
    python3 - "$rounds" "$@" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time
rounds, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    cache = tempfile.mkdtemp()
    t0 = time.monotonic()
    status = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, TAPSTUDIO_CACHE=cache)).returncode
    ms = (time.monotonic() - t0) * 1000
    shutil.rmtree(cache)
    if status != 0:
        sys.exit("cold start: exit status %d from: %s" % (status, " ".join(cmd)))
    return ms
print("%.0f" % statistics.median(once() for _ in range(rounds)))
PY
}

strace_ms=$(median_cold_ms "$tstap" $examples/strace.stp -c /bin/true)
errsnoop_ms=$(median_cold_ms "$tstap" $examples/errsnoop.stp -c /bin/true)
bpftrace_ms=none
if command -v bpftrace >/dev/null; then
    bpftrace_ms=$(median_cold_ms bpftrace -e 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); }' -c /bin/true)
fi
echo "cold start (empty object cache), launch to exit on -c /bin/true, median of $rounds runs:"
echo "  strace.stp    $strace_ms ms"
echo "  errsnoop.stp  $errsnoop_ms ms"
echo "  bpftrace, tracepoint:syscalls:sys_enter_* counted: $bpftrace_ms ms"
echo "  target: each SystemTap script under 3000 ms"
echo "RESULT cold_syscalls strace_ms=$strace_ms errsnoop_ms=$errsnoop_ms bpftrace_all_syscalls_ms=$bpftrace_ms"
