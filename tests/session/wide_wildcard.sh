#!/usr/bin/env bash
# A wildcard over more than 100,000 probe points whose handler tells each
# point apart (probefunc()): every function of the biggest shared libraries
# on the machine (LLVM, clang, Qt). It compiles to a few programs, attaches,
# counts the functions `clang --version` calls and ends 0; nothing is left
# running (the whole run is bounded by `timeout`). Functions whose first
# instruction the kernel cannot probe (some in Qt) are left out with a warning.
# Usage: wide_wildcard.sh TSTAP   (exit 77: not root, or too few functions here)
set -u
tstap=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root for uprobes: skipped"; exit 77; }
command -v clang >/dev/null || { echo "clang is not installed: skipped"; exit 77; }
points=()
for lib in /usr/lib/x86_64-linux-gnu/libLLVM-*.so.1 /usr/lib/x86_64-linux-gnu/libclang-cpp.so.* \
           /usr/lib/x86_64-linux-gnu/libQt6Widgets.so.6 /usr/lib/x86_64-linux-gnu/libQt6Core.so.6; do
    [ -f "$lib" ] || continue
    lib=$(realpath "$lib")
    case " ${points[*]} " in *"\"$lib\""*) continue ;; esac
    points+=("process(\"$lib\").function(\"*\")")
done
[ ${#points[@]} -gt 0 ] || { echo "no large libraries here: skipped"; exit 77; }
list=$(IFS=,; echo "${points[*]}")
script="global called
probe $list { called[probefunc()]++ }
probe end { n = 0; foreach (f in called) n++; printf(\"%d functions called\\n\", n) }"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
start=$(date +%s%N)
timeout 600 "$tstap" -v -e "$script" -c "clang --version" >"$out" 2>"$err"
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep "^Pass\|^WARNING" "$err"
probes=$(sed -n 's/^Pass 2: analyzed script: \([0-9]*\) probes.*/\1/p' "$err")
[ "$status" -ne 124 ] || { echo "FAIL: still running after 600 s"; exit 1; }
if [ -n "$probes" ] && [ "$probes" -lt 100000 ]; then
    echo "only $probes functions in these libraries: skipped"
    exit 77
fi
[ "$status" -eq 0 ] || { echo "FAIL: exit status $status"; cat "$err"; exit 1; }
grep -Eq '^[1-9][0-9]* functions called$' "$out" || { echo "FAIL: printed '$(cat "$out")'"; exit 1; }
echo "ok: $probes probe points, $(grep 'functions called' "$out"), $ms ms"
