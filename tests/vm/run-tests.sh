#!/usr/bin/env bash
# tests/vm/run-tests.sh DIRECTIVE_RUNNER [RUNNER OPTION]... TSTAP FILE...
#
# Runs directive tests in one boot of the VM (run-in-vm.sh), their programs
# compiled on this machine first: clang in the emulated guest takes ~20 s a
# program. The guest's kernel facts (scripts/kernel-facts.sh) are read there
# once (facts.sh); `directive_runner --compile-for`
# compiles each test for them (tstap -r) into build/vm/cache, the object
# cache the guest's tstap reads and writes. build/vm/last-run.log keeps the
# run's output with a line per test started (a hang shows where). Exits 77
# without qemu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export TAPSTUDIO_VM_DIR=${TAPSTUDIO_VM_DIR:-$repo/build/vm}
runner=$1
shift
args=("$@")
tstap=
for a in "${args[@]}"; do # the first argument naming tstap
  case $a in */tstap) tstap=$a; break ;; esac
done
[ -n "$tstap" ] || { echo "run-tests: no tstap among the arguments" >&2; exit 2; }

facts=$("$here/facts.sh" "$tstap") || exit $?

export TAPSTUDIO_CACHE=$TAPSTUDIO_VM_DIR/cache
mkdir -p "$TAPSTUDIO_CACHE"
"$runner" --compile-for "$facts" "${args[@]}"
status=0
# The whole suite takes over 15 minutes of a loaded 2-core host (ctest
# gives it 30).
TAPSTUDIO_VM_SHARE=$TAPSTUDIO_CACHE TAPSTUDIO_TIMEOUT_SCALE=${TAPSTUDIO_TIMEOUT_SCALE:-6} \
  TAPSTUDIO_VM_TIMEOUT=${TAPSTUDIO_VM_TIMEOUT:-1500} "$here/run-in-vm.sh" "$runner" --progress "${args[@]}" >"$TAPSTUDIO_VM_DIR/last-run.log" || status=$?
grep -v '^RUN ' "$TAPSTUDIO_VM_DIR/last-run.log" || true
if [ $status -ne 0 ] && last=$(grep '^RUN ' "$TAPSTUDIO_VM_DIR/last-run.log" | tail -1) && [ -n "$last" ]; then
  echo "run-tests: the last test started: ${last#RUN }" >&2
fi
# The tests of tests/vm/ are there for this kernel: none may skip.
if grep -q "^SKIP $here/" "$TAPSTUDIO_VM_DIR/last-run.log"; then
  echo "run-tests: tests meant for this kernel were skipped" >&2
  [ $status -ne 0 ] || status=1
fi
exit $status
