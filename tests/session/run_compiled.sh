#!/usr/bin/env bash
# tstap --save-compiled / --run-compiled, the staprun of tstap: a session
# compiled with a tapset of its own (-I) runs after that tapset is gone,
# without clang on PATH; the tar form through a pipe stops when its input
# closes and still runs its end probe; a session whose BPF program does not
# fit the translation made here is refused with the reason (as root, with a
# kernel probe, so the object travels).
# Usage: run_compiled.sh TSTAP
set -u
tstap=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$dir/tapset"
echo 'function answer:long (x:long) { return x * 7 }' > "$dir/tapset/answer.stp"
cat > "$dir/script.stp" <<'STP'
probe begin { printf("answer %d, arg %s\n", answer($1), @2) }
probe timer.ms(50) { exit() }
probe end { println("end") }
STP
"$tstap" -I "$dir/tapset" --save-compiled "$dir/session" "$dir/script.stp" 6 'two words' || fail "--save-compiled"
rm -r "$dir/tapset"
out=$(env PATH=/nonexistent TAPSTUDIO_TAPSETS=/nonexistent "$tstap" --run-compiled "$dir/session" 2>&1) ||
    fail "--run-compiled: $out"
[ "$out" = $'answer 42, arg two words\nend' ] || fail "--run-compiled printed: $out"
echo "a saved session ran without its tapset folder and without clang"

# remote_id() and remote_uri(): -1 and "" unless --remote set them.
"$tstap" --save-compiled "$dir/ids" -e 'probe begin { printf("%d [%s]\n", remote_id(), remote_uri()); exit() }' ||
    fail "--save-compiled -e"
out=$("$tstap" --run-compiled "$dir/ids" 2>&1)
[ "$out" = "-1 []" ] || fail "remote_id()/remote_uri() without --remote: $out"
out=$("$tstap" --run-compiled "$dir/ids" --remote-id 2 --remote-uri 'ssh://me@db:22' 2>&1)
[ "$out" = "2 [ssh://me@db:22]" ] || fail "remote_id()/remote_uri() with --remote-id/--remote-uri: $out"

# What --remote asks each host to run: ssh is a stand-in that prints it.
printf '#!/bin/sh\nwhile [ $# -gt 1 ]; do shift; done\necho "$1"\n' > "$dir/ssh"
chmod +x "$dir/ssh"
echo 'probe begin { exit() }' > "$dir/remote.stp"
out=$(TSTAP_SSH="$dir/ssh" TSTAP_REMOTE_TSTAP=/opt/tstap "$tstap" --remote ssh://me@db:2222 -T 5 -v --json \
      --procfs-dir /run/tap -c 'ls -l' "$dir/remote.stp" 2>"$dir/remote.err") ||
    fail "--remote through a stand-in ssh: $out $(cat "$dir/remote.err")"
expected="/opt/tstap --run-compiled - --remote-id 0 --remote-uri 'ssh://me@db:2222' '-v' '--json' '-T' '5' '-c' 'ls -l' '--procfs-dir' '/run/tap'"
[ "$out" = "$expected" ] || fail "--remote ran: $out"
echo "--remote passes the run-time options on"

# The tar on a pipe: its end of input stops the session at once (the timer
# never fires: no exit() from it), and the end probe runs.
cat > "$dir/forever.stp" <<'STP'
probe timer.s(60) { println("timer") }
probe end { println("stopped at end of input") }
STP
start=$(date +%s)
out=$("$tstap" --save-compiled - "$dir/forever.stp" | "$tstap" --run-compiled - 2>&1) || fail "tar on a pipe: $out"
[ "$out" = "stopped at end of input" ] || fail "tar on a pipe printed: $out"
[ $(($(date +%s) - start)) -lt 30 ] || fail "the session did not stop when its input closed"
echo "the tar form stopped when its input closed"

# With the tar on standard input, that input is the stop channel: a -c
# command gets /dev/null (it would otherwise take what the sender writes
# after the tar).
echo 'probe end { println("end") }' > "$dir/quiet.stp"
out=$({ "$tstap" --save-compiled - "$dir/quiet.stp"; sleep 3; } |
      "$tstap" --run-compiled - -c 'readlink /proc/self/fd/0' 2>&1) || fail "-c on a tar from a pipe: $out"
[ "$out" = $'/dev/null\nend' ] || fail "the -c command's standard input was not /dev/null: $out"
echo "a -c command of a session on standard input gets /dev/null"

# Killed with SIGKILL (no clean-up runs), a session from standard input
# leaves no folder in TMPDIR: it is removed once passes 1-4 have read it.
mkdir "$dir/tmp"
( echo "$BASHPID" > "$dir/writer"; "$tstap" --save-compiled - "$dir/forever.stp"; exec sleep 60 ) |
    TMPDIR="$dir/tmp" "$tstap" --run-compiled - >/dev/null 2>&1 &
receiver=$!
for _ in $(seq 50); do [ -s "$dir/writer" ] && break; sleep 0.1; done
sleep 3
kill -9 "$receiver"
kill "$(cat "$dir/writer")" 2>/dev/null
wait "$receiver" 2>/dev/null
left=$(ls -A "$dir/tmp")
[ -z "$left" ] || fail "a SIGKILLed session left $left in TMPDIR"
echo "a session from standard input killed with SIGKILL left no folder"

if [ "$(id -u)" -ne 0 ]; then
    echo "not root: the kernel-probe case is skipped"
    exit 0
fi
cat > "$dir/kernel.stp" <<'STP'
global n
probe kernel.trace("sched:sched_switch") { n++ }
probe timer.ms(100) { printf("switches seen: %s\n", n > 0 ? "yes" : "no"); exit() }
STP
"$tstap" --save-compiled "$dir/kernel" "$dir/kernel.stp" || fail "--save-compiled with a kernel probe"
[ -s "$dir/kernel/program.o" ] || fail "no program.o in the session"
out=$(env PATH=/nonexistent "$tstap" --run-compiled "$dir/kernel" 2>&1) || fail "kernel session: $out"
[ "$out" = "switches seen: yes" ] || fail "kernel session printed: $out"
sed -i 's/n++/n += 2/' "$dir/kernel/script.stp"
out=$("$tstap" --run-compiled "$dir/kernel" 2>&1) && fail "a session whose object does not fit ran: $out"
grep -q "ERROR: the compiled session's BPF object does not fit this host" <<<"$out" || fail "no reason given: $out"
echo "the kernel probe's object travelled; a mismatched one was refused"
