#!/usr/bin/env bash
# tests/vm/examples.sh TSTAP [RESULTS.md]
#
# SystemTap's own examples as an outside test suite: each example's
# `test_check` command (its .meta, stap -p4) is compiled here for the guest's
# kernel (tstap -r, facts.sh), and each `test_installcheck` command of those
# that compile runs in one boot of the VM, tstap in place of stap. Writes a
# markdown table, example by example (default build/vm/examples-results.md).
# TAPSTUDIO_EXAMPLES: the examples' folder (default
# /usr/share/systemtap/examples); TAPSTUDIO_EXAMPLES_ONLY: an extended regular
# expression the examples run must match (e.g. 'general/'). Exits 77 without
# qemu or without the examples (the systemtap-doc package... or systemtap).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export TAPSTUDIO_VM_DIR=${TAPSTUDIO_VM_DIR:-$repo/build/vm}
export TAPSTUDIO_EXAMPLES_TSTAP
TAPSTUDIO_EXAMPLES_TSTAP=$(realpath "$1")
results=$(realpath -m "${2:-$TAPSTUDIO_VM_DIR/examples-results.md}")
examples=${TAPSTUDIO_EXAMPLES:-/usr/share/systemtap/examples}
[ -d "$examples" ] || { echo "examples: no $examples (apt-get install systemtap)" >&2; exit 77; }

facts=$("$here/facts.sh" "$TAPSTUDIO_EXAMPLES_TSTAP") || exit $?
work=$TAPSTUDIO_VM_DIR/examples
rm -rf "$work"
mkdir -p "$work"
export TAPSTUDIO_CACHE=$TAPSTUDIO_VM_DIR/cache
mkdir -p "$TAPSTUDIO_CACHE"

command_of() { # META KEY: the command of the .meta's line `KEY: COMMAND`
  sed -n "s/^$2: *//p" "$1" | head -n1
}

# The command's leading `stap` (or one after `... |`) becomes tstap; a
# `stap` it runs (-c "stap --benchmark-sdt") stays stap.
with_tstap() {
  case $1 in
  stap\ *) echo "$here/examples-bin/stap${1#stap}" ;;
  *"| stap "*) echo "${1%%| stap *}| $here/examples-bin/stap ${1#*| stap }" ;;
  esac
}

# Here: every test_check command, compiled for the guest's kernel (wildcards
# over many kernel functions take clang long).
compile_limit=${TAPSTUDIO_EXAMPLES_COMPILE_TIMEOUT:-120}
: >"$work/compiled" >"$work/to-run"
for meta in "$examples"/*/*.meta; do
  example=${meta#"$examples"/}
  example=${example%.meta}
  [[ $example =~ ${TAPSTUDIO_EXAMPLES_ONLY:-.} ]] || continue
  folder=$(dirname "$meta")
  check=$(with_tstap "$(command_of "$meta" test_check)")
  run=$(with_tstap "$(command_of "$meta" test_installcheck)")
  # Here, a command's `grep SYMBOL /proc/kallsyms` reads the guest's symbols.
  check=${check//\/proc\/kallsyms/$facts\/proc\/kallsyms}
  if [ -z "$check" ]; then
    printf '%s\t-\tno test_check line that runs stap\n' "$example" >>"$work/compiled"
    continue
  fi
  echo "examples: compiling $example" >&2
  status=0
  (cd "$folder" && TAPSTUDIO_EXAMPLES_FACTS=$facts timeout -k 5 "$compile_limit" bash -c "$check") \
    >/dev/null 2>"$work/error" </dev/null || status=$?
  why=$(grep -m1 -iE 'error|refuse|cannot|not supported|unknown' "$work/error" || tail -n1 "$work/error")
  [ $status -ne 124 ] || why="no end after ${compile_limit}s${why:+: $why}"
  printf '%s\t%s\t%s\n' "$example" "$status" "${why//$'\t'/ }" >>"$work/compiled"
  # The run may name other arguments than the check: its object too.
  if [ $status -eq 0 ] && [ -n "$run" ]; then
    (cd "$folder" && TAPSTUDIO_EXAMPLES_FACTS=$facts timeout -k 5 "$compile_limit" bash -c "$run") >/dev/null 2>&1 </dev/null || true
    printf '%s\t%s\t%s\n' "$example" "$folder" "$run" >>"$work/to-run"
  fi
done

# There: the test_installcheck commands of what compiled, in one boot.
: >"$work/ran"
if [ -s "$work/to-run" ]; then
  TAPSTUDIO_VM_SHARE=$TAPSTUDIO_CACHE TAPSTUDIO_VM_TIMEOUT=${TAPSTUDIO_VM_TIMEOUT:-7200} \
    "$here/run-in-vm.sh" "$here/examples-guest.sh" "$work/to-run" >"$work/guest.log" 2>&1 || true
  grep $'^RESULT\t' "$work/guest.log" | cut -f2- >"$work/ran" || true
fi

"$here/examples-table.sh" "$examples" "$work/compiled" "$work/ran" >"$results"
echo "examples: $(grep -m1 '^Compiled' "$results")" >&2
echo "examples: table in $results" >&2
