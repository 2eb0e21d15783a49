#!/usr/bin/env bash
# Compiles the translations the fuzzer kept (fuzz/samples/*.bpf.c, written
# when TAP_FUZZ_SAMPLE_DIR is set, as fuzz/run.sh does) with the clang
# command tstap runs in pass 4. A translation of a script that passed
# pass 3 must compile: each failure is a translator bug, listed with
# clang's first error.
# Usage: fuzz/compile_sample.sh [SAMPLE_DIR]
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
samples=${1:-$here/samples}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/../runtime/bpf/tapstudio.bpf.h" "$work/"
machine=/usr/include/$(uname -m)-linux-gnu
total=0 failed=0
for c in "$samples"/*.bpf.c; do
    [ -f "$c" ] || continue
    total=$((total + 1))
    cp "$c" "$work/program.bpf.c"
    if ! out=$(clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I"$work" -I"$machine" \
                   -Wno-unused-value -Wno-unused-variable -Wno-unused-label \
                   -c "$work/program.bpf.c" -o "$work/program.o" 2>&1); then
        failed=$((failed + 1))
        echo "FAIL $c: $(grep -m1 'error:' <<<"$out")"
    fi
done
echo "compiled $((total - failed)) of $total sampled translations"
[ "$failed" -eq 0 ]
