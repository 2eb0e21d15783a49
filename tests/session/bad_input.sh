#!/usr/bin/env bash
# Input a user can get wrong, the rows of docs/reliability.md that need a
# file, a command or a process around tstap: each gets its clear message and
# exit status, nothing hangs (every run is bounded by `timeout`).
# Usage: bad_input.sh TSTAP
set -u
tstap=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME SECONDS ARGS...: tstap's stdout, stderr and status in $dir/NAME.{out,err,status}
run() {
    local name=$1 seconds=$2
    shift 2
    timeout "$seconds" "$tstap" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    echo $? >"$dir/$name.status"
    [ "$(cat "$dir/$name.status")" -ne 124 ] || fail "$name: still running after $seconds s"
}
expect_status() { [ "$(cat "$dir/$1.status")" -eq "$2" ] || fail "$1: exit status $(cat "$dir/$1.status"), expected $2"; }
expect_stderr() { grep -qF -- "$2" "$dir/$1.err" || fail "$1: stderr lacks '$2': $(head -c 400 "$dir/$1.err")"; }
expect_stdout() { [ "$(cat "$dir/$1.out")" = "$2" ] || fail "$1: printed '$(head -c 200 "$dir/$1.out")', expected '$2'"; }

# A 50 MB script: 500,000 comment lines after one probe.
{
    echo 'probe begin { println("big") exit() }'
    yes '# padding: a comment line of a generated script, about one hundred bytes long ...................' |
        head -n 500000
} >"$dir/big.stp"
start=$(date +%s%N)
run big 120 "$dir/big.stp"
echo "50 MB script ($(stat -c %s "$dir/big.stp") bytes): $(( ($(date +%s%N) - start) / 1000000 )) ms"
expect_status big 0
expect_stdout big big

# Invalid UTF-8 in a string and in a comment: strings keep their bytes.
printf 'probe begin {\n  println("a\xff\xfe\xc3(b") # \xc3\x28 \xff\xff\n  exit()\n}\n' >"$dir/utf8.stp"
run utf8 30 "$dir/utf8.stp"
expect_status utf8 0
printf 'a\xff\xfe\xc3(b\n' | cmp -s - "$dir/utf8.out" || fail "utf8: the string's bytes changed: $(od -c "$dir/utf8.out" | head -2)"
# ... and a parse error after them still points at the right column (bytes, as stap).
printf 'probe begin { println("\xff\xfe") $ }\n' >"$dir/utf8-error.stp"
run utf8-error 30 "$dir/utf8-error.stp"
expect_status utf8-error 1
expect_stderr utf8-error "utf8-error.stp:1:29"

# -c with a command that does not exist: an error, end probes still run.
run no-command 30 -e 'probe begin { println("begin") } probe end { println("end") }' -c /nonexistent/command
expect_status no-command 1
expect_stderr no-command "ERROR: cannot run '/nonexistent/command': No such file or directory"
expect_stdout no-command "$(printf 'begin\nend')"

# -o into a file that cannot be opened: an error before anything runs.
run bad-output 30 -o "$dir/no/such/dir/out" -e 'probe begin { println("x") exit() }'
expect_status bad-output 1
expect_stderr bad-output "ERROR: cannot open output file '$dir/no/such/dir/out': No such file or directory"
[ ! -s "$dir/bad-output.out" ] || fail "bad-output: printed to stdout instead"

# -x with a pid that no longer exists: accepted, target() is that pid (as stap).
true &
dead=$!
wait "$dead"
run dead-pid 30 -x "$dead" -e 'probe begin { println(target()) exit() }'
expect_status dead-pid 0
expect_stdout dead-pid "$dead"

[ "$failures" -eq 0 ] || exit 1
echo "ok: big script, invalid UTF-8, missing -c command, unopenable -o, dead -x pid"
