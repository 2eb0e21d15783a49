#!/usr/bin/env bash
# A session's procfs files are unmounted however it ends: SIGINT, SIGTERM,
# SIGHUP, exit() in a read probe, a run-time error, and (through
# fusermount3's auto_unmount) SIGKILL, whose directory the next session
# removes. Where FUSE cannot mount, the session
# runs and says why.
# Usage: procfs_unmount.sh TSTAP   (exit 77: not root or no /dev/fuse)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root to mount FUSE for others: skipped"; exit 77; }
[ -c /dev/fuse ] || { echo "needs /dev/fuse: skipped"; exit 77; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failures=0
fail() { echo "FAIL: $*"; sed 's/^/  | /' "$log"; failures=$((failures + 1)); }

# Starts SCRIPT, waits for its file x, then does ACTION (a signal or a
# read); checks the exit status and that nothing stays mounted.
check() {
    local name=$1 script=$2 action=$3 want_status=$4
    "$tstap" -e "$script" >"$log" 2>&1 &
    local pid=$! dir=/run/tapstudio/$!
    for _ in $(seq 100); do [ -e "$dir/x" ] && break; sleep 0.1; done
    [ -e "$dir/x" ] || { fail "$name: $dir/x never appeared"; kill -KILL "$pid"; wait "$pid"; return; }
    case $action in
    read) cat "$dir/x" >/dev/null 2>&1 ;;
    umount) umount "$dir"; sleep 0.5; kill -INT "$pid" ;;
    wait) ;;
    *) kill -"$action" "$pid" ;;
    esac
    wait "$pid"
    local status=$?
    [ "$status" -eq "$want_status" ] || fail "$name: exit status $status, expected $want_status"
    # After SIGKILL, fusermount3 unmounts when it sees the device closed.
    # (seconds on a loaded machine)
    for _ in $(seq 300); do grep -q " $dir " /proc/mounts || break; sleep 0.1; done
    if grep -q " $dir " /proc/mounts; then
        fail "$name: $dir is still mounted"
        umount -l "$dir"
    fi
    if [ "$action" != KILL ] && [ -e "$dir" ]; then fail "$name: $dir is left behind"; fi
    if [ "$action" = KILL ]; then
        # The killed session's empty directory goes when the next one starts.
        "$tstap" -e 'probe procfs("x").read { $value = "x" } probe begin { exit() }' >/dev/null 2>&1
        [ -e "$dir" ] && fail "$name: $dir is left behind after the next session"
    fi
    echo "$name: exit $status, unmounted"
}

serve='probe procfs("x").read { $value = "x" }'
check SIGINT "$serve" INT 0
check SIGTERM "$serve" TERM 0
check SIGHUP "$serve" HUP 0
check "exit() in a read probe" 'probe procfs("x").read { exit() }' read 0
check "run-time error" 'probe procfs("x").read { $value = "x" } probe timer.ms(500) { error("boom") }' wait 1
check SIGKILL "$serve" KILL 137
check "unmounted from outside, then SIGINT" "$serve" umount 0

# SIGKILL while the -c command runs on: the command holds nothing that keeps
# the files mounted.
"$tstap" -e "$serve" -c "sleep 30" >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -e "/run/tapstudio/$pid/x" ] && break; sleep 0.1; done
command_pid=$(pgrep -P "$pid" -x sleep)
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 300); do grep -q " /run/tapstudio/$pid " /proc/mounts || break; sleep 0.1; done
if grep -q " /run/tapstudio/$pid " /proc/mounts; then
    fail "SIGKILL with -c: /run/tapstudio/$pid stays mounted while the command runs"
    # What holds the FUSE connection open (fusermount3 unmounts only a dead one).
    [ -n "$command_pid" ] && ls -l "/proc/$command_pid/fd" 2>&1 | sed 's/^/  command | /'
    ps -eo pid,ppid,stat,wchan:24,args | grep -e fusermount -e "$pid" | grep -v grep | sed 's/^/  ps | /'
    umount -l "/run/tapstudio/$pid"
else
    echo "SIGKILL with -c running: unmounted"
fi
[ -n "$command_pid" ] && kill "$command_pid"

# A /dev/fuse that is no FUSE device: the mount fails, the session runs.
out=$(unshare -m sh -c 'mount --bind /dev/null /dev/fuse && exec "$0" -e "$1"' "$tstap" \
      'probe procfs("x").read { $value = "x" } probe begin { println("ran"); exit() }' 2>&1)
case $out in
*"WARNING: procfs probes: cannot mount the procfs files at '/run/tapstudio/"*"; serve their files with --http [ADDRESS:]PORT"*ran*) echo "no FUSE: warned and ran" ;;
*) echo "$out" >"$log"; fail "without a FUSE device the session should warn and run" ;;
esac

[ "$failures" -eq 0 ] || exit 1
