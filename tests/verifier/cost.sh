#!/usr/bin/env bash
# The verifier's work for the heaviest programs the translator makes (user
# and kernel stacks, strings and regular expressions, every kernel-side
# builtin with statistics and loops) stays far below the kernel's limit of
# 1,000,000 instructions, so that they load on every kernel and not just
# where they were written. Prints the figures.
# Usage: cost.sh TSTAP UPROG WORKLOAD   (exit 77: BPF not available)
set -u
tstap=$1 uprog=$2 workload=$3
limit=${TAP_VERIFIER_LIMIT:-200000}
here=$(dirname "$0")
[ "$(id -u)" -eq 0 ] || { echo "needs root for BPF: skipped"; exit 77; }
status=0
for script in "$here"/*.stp; do
    name=$(basename "$script" .stp)
    case $name in
    user_*) cmd="$uprog 1" ;;
    *) cmd="$workload getppid 3" ;;
    esac
    out=$("$tstap" -vv "$script" "$uprog" -c "$cmd" 2>&1 >/dev/null)
    rc=$?
    counts=$(sed -n 's/^Pass 5: \([a-z_0-9]*\) .*: \([0-9]*\) instructions verified\.$/\1 \2/p' <<<"$out")
    if [ $rc -ne 0 ] || [ -z "$counts" ]; then
        echo "FAIL $name: tstap exited $rc without verifier figures"
        grep -E 'ERROR|error' <<<"$out" | head -5
        status=1
        continue
    fi
    while read -r program n; do
        verdict=ok
        [ "$n" -lt "$limit" ] || { verdict="FAIL (limit $limit)"; status=1; }
        printf '%-16s %-14s %8d instructions verified  %s\n' "$name" "$program" "$n" "$verdict"
    done <<<"$counts"
done
exit $status
