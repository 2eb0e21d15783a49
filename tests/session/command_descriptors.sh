#!/usr/bin/env bash
# A -c command and a system() command get the files tstap was started with
# and none that tstap opened itself: libfuse's unmount socket held by a
# command kept a killed session's procfs files mounted while the command ran.
# Usage: command_descriptors.sh TSTAP   (exit 77: not root or no /dev/fuse)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root for kernel probes and FUSE: skipped"; exit 77; }
[ -c /dev/fuse ] || { echo "needs /dev/fuse: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# fds.sh FILE writes the descriptor numbers of the shell running it to FILE.
printf '%s\n' 'ls /proc/$$/fd | sort -n | tr "\n" " " > "$1"' >"$dir/fds.sh"
sh "$dir/fds.sh" "$dir/baseline" 7</dev/null
baseline=$(cat "$dir/baseline")

script="global n
probe kernel.trace(\"sched_process_exec\") { n++ }
probe procfs(\"x\").read { \$value = sprint(n) }
probe begin { system(\"sh $dir/fds.sh $dir/system\") }
probe timer.ms(1500) { exit() }"
"$tstap" -e "$script" -c "sh $dir/fds.sh $dir/command" 7</dev/null >"$dir/log" 2>&1
status=$?
failures=0
[ "$status" -eq 0 ] || { echo "FAIL: tstap exited $status"; sed 's/^/  | /' "$dir/log"; failures=1; }
for who in command system; do
    got=$(cat "$dir/$who" 2>/dev/null)
    if [ "$got" = "$baseline" ]; then
        echo "$who: descriptors $got, as a shell's child gets"
    else
        echo "FAIL: the $who has descriptors '$got', a shell's child '$baseline'"
        failures=1
    fi
done
exit "$failures"
