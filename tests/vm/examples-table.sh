#!/usr/bin/env bash
# tests/vm/examples-table.sh EXAMPLES COMPILED RAN
#
# examples.sh's table in markdown: COMPILED has a line per example (example,
# status of its test_check command or "-", first error line), RAN a line per
# example run in the guest (example, status, seconds, first error line).
# Examples whose .meta runs no stap command, that need guru mode or embedded
# C, a procfs probe, a program (or its debug symbols, the kernel's too) this
# machine lacks, or a function, tracepoint, struct member or module the
# guest's kernel does not have (or a marker or function the installed library
# does not have) are outside the target and counted apart.
set -euo pipefail
examples=$1 compiled=$2 ran=$3

# The reason an example is outside the target, if it is.
outside_target() { # EXAMPLE WHY
  local meta=$examples/$1.meta script
  script=$examples/$(dirname "$1")/$(sed -n 's/^name: *//p' "$meta" | head -n1)
  # -g alone or in a cluster (-gp4); not in -D definitions.
  if [ "$2" = "no test_check line that runs stap" ]; then
    echo "nothing for stap to run" # a wrapper script (kmalloc-top) or no .meta command
  elif grep -qE '^test_check:.* -([a-zA-CE-Z0-9][a-zA-Z0-9]*)?g[a-zA-Z0-9]*( |$)' "$meta" || grep -qs '%{' "$script"; then
    echo "guru mode / embedded C"
  elif grep -qs 'procfs' "$script"; then
    echo "procfs probe"
  elif [[ $2 =~ cannot\ find\ executable|command\ not\ found|No\ such\ file|no\ library|no\ program\ or\ library\ matches ]]; then
    echo "program not installed"
  elif [[ $2 =~ has\ no\ debugging\ information ]]; then
    echo "program's debug symbols not installed"
  elif [[ $2 =~ needs\ the\ kernel\'s\ debuginfo|needs\ kernel\ debuginfo ]]; then
    echo "kernel's debug symbols not installed"
  elif [[ $2 =~ no\ kernel\ function\ matches|no\ kernel\ tracepoint\ matches|unable\ to\ find\ member|module\ \'[a-z0-9_]+\'\ is\ not\ loaded ]]; then
    # An example older than the kernel: stap fails on it the same way.
    echo "not in this kernel"
  elif [[ $2 =~ no\ match\ for\ (marker|function)\  ]]; then
    # A library as Debian builds it (no SDT markers, libpthread merged into libc).
    echo "not in the installed program"
  fi
}

declare -A run_status run_seconds run_why
while IFS=$'\t' read -r example status seconds why; do
  run_status[$example]=$status run_seconds[$example]=$seconds run_why[$example]=$why
done <"$ran"

rows= total=0 compiles=0 runs=0 target=0 target_compiles=0 target_runs=0
while IFS=$'\t' read -r example status why; do
  total=$((total + 1))
  compiled_mark=no ran_mark=-
  if [ "$status" = 0 ]; then
    compiled_mark=yes compiles=$((compiles + 1))
    why=
    if [ -n "${run_status[$example]+set}" ]; then
      if [ "${run_status[$example]}" = 0 ]; then
        ran_mark="yes (${run_seconds[$example]} s)" runs=$((runs + 1))
      else
        ran_mark=no why="run: status ${run_status[$example]}: ${run_why[$example]}"
      fi
    else
      ran_mark=- why="no test_installcheck line"
    fi
  elif [ "$status" = - ]; then
    compiled_mark=-
  fi
  outside=$(outside_target "$example" "$why")
  if [ -z "$outside" ]; then
    target=$((target + 1))
    [ "$compiled_mark" != yes ] || target_compiles=$((target_compiles + 1))
    [[ $ran_mark != yes* ]] || target_runs=$((target_runs + 1))
  fi
  why=${why//|/\\|}
  rows+="| $example | $compiled_mark | $ran_mark | ${outside:+($outside) }${why:0:300} |"$'\n'
done <"$compiled"

cat <<TABLE
# SystemTap's examples under tstap (Debian 12's kernel, qemu)

Written by tests/vm/examples.sh: each example's \`test_check\` command
compiled for the guest's kernel (\`tstap -r\`), and the \`test_installcheck\`
command of each that compiles run in the guest, \`tstap\` in place of \`stap\`.

Compiled: $compiles of $total; ran: $runs of $total; target: $target_compiles of $target compile, $target_runs run.

The target leaves out examples whose .meta runs no stap command, that need
guru mode or embedded C, a procfs probe, a program (or its debug symbols,
the kernel's too) that is not installed, or a kernel function, tracepoint,
struct member or module that this kernel does not have, or an SDT marker or
function that the installed library does not have (examples older than the
kernel or the library: stap fails on them the same way).

| example | compiles | runs | why not |
|---|---|---|---|
$rows
TABLE
