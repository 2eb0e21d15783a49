#!/usr/bin/env bash
# tests/vm/examples-guest.sh LINES
#
# The guest's half of examples.sh: runs each `test_installcheck` command of
# LINES (example, its folder, the command; tab-separated) in the example's
# folder (their `stap` is tests/vm/examples-bin/stap: tstap), and prints a line per example:
# RESULT<tab>EXAMPLE<tab>STATUS<tab>SECONDS<tab>FIRST ERROR LINE.
set -uo pipefail
limit=${TAPSTUDIO_EXAMPLES_TIMEOUT:-120}
# SystemTap's test suite runs these on a live machine; the guest is idle, and
# an example such as func_time_stats.stp 'syscall.read' -T 1 then has nothing
# to report. A light background load: a read every 50 ms, from one process
# (a shell loop would add 40 process creations a second to what every
# example sees).
python3 -c '
import time
while True:
    with open("/etc/hostname") as f:
        f.read(1)
    time.sleep(0.05)' &
activity=$!
trap 'kill $activity 2>/dev/null' EXIT
while IFS=$'\t' read -r example folder command; do
  echo "RUN $example" >&2
  start=$SECONDS
  (cd "$folder" && timeout -k 5 "$limit" bash -c "$command") >/tmp/example.out 2>/tmp/example.err </dev/null
  status=$?
  why=$(grep -m1 -iE 'error|refuse|cannot|not supported|unknown|killed' /tmp/example.err || tail -n1 /tmp/example.err)
  [ $status -ne 124 ] || why="no end after ${limit}s${why:+: $why}"
  printf 'RESULT\t%s\t%s\t%s\t%s\n' "$example" "$status" "$((SECONDS - start))" "${why//$'\t'/ }"
done <"$1"
