#!/usr/bin/env bash
# Runs every corpus script through `tstap -p2` and compares accept/reject with
# the verdict stap 4.8 gave (verdicts.tsv, recorded by record.sh).
# Usage: check.sh TSTAP [-v]
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tstap=$1
verbose=${2:-}
pass=0
fail=0
failed=()
while IFS=$'\t' read -r file verdict optsargs stapmsg; do
    [ -n "$file" ] || continue
    opts=${optsargs%%|*}
    args=${optsargs#*|}
    eval "optv=($opts)"
    eval "argv=($args)"
    if (cd "$here/scripts" && "$tstap" -p2 "${optv[@]}" "$file" "${argv[@]}" >/dev/null 2>/tmp/tapcorpus.err); then
        got=accept
    else
        got=reject
    fi
    if [ "$got" = "$verdict" ] || grep -q "^$file"$'\t' "$here/known-divergences.txt"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed+=("$file: stap $verdict${stapmsg:+ ($stapmsg)}, tstap $got: $(grep -m1 -E 'error|WARNING' /tmp/tapcorpus.err)")
    fi
done < "$here/verdicts.tsv"
for f in "${failed[@]}"; do echo "MISMATCH $f"; done
echo "corpus: $pass agree, $fail disagree, of $((pass + fail)) scripts"
[ "$fail" -eq 0 ]
