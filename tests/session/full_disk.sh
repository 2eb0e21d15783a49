#!/usr/bin/env bash
# -o into a file system that fills up: tstap says the output is incomplete,
# how much was lost, and exits with an error (it ended 0 with the file cut
# short). The file system is a 64 KiB tmpfs.
# Usage: full_disk.sh TSTAP   (exit 77: not root, cannot mount)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root to mount a small tmpfs: skipped"; exit 77; }
dir=$(mktemp -d)
mount -t tmpfs -o size=64k tmpfs "$dir" || { echo "cannot mount a tmpfs: skipped"; rmdir "$dir"; exit 77; }
trap 'umount "$dir"; rmdir "$dir"' EXIT
err=$("$tstap" -D MAXACTION=1000000 -o "$dir/out" \
      -e 'probe begin { for (i = 0; i < 100000; i++) println(i); exit() }' 2>&1)
status=$?
echo "$err"
[ "$status" -eq 1 ] || { echo "FAIL: exit status $status, expected 1"; exit 1; }
grep -q "ERROR: the output file '$dir/out' is incomplete: No space left on device; [0-9]* bytes were not written" <<<"$err" ||
    { echo "FAIL: no message about the incomplete output"; exit 1; }
echo "ok: $(stat -c %s "$dir/out") bytes written before the disk was full"
