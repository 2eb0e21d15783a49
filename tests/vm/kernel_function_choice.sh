#!/usr/bin/env bash
# How kernel.function chooses its way, from a kernel's facts (tstap -r) made
# up here: fentry where ftrace traces the function, a kprobe on a compiler
# clone or a notrace function, an error naming both reasons for a function on
# the kprobe blacklist, __x64_sys_* in listings, and an error for a wildcard
# by source file (only DWARF knows files). Needs this machine's BTF.
set -euo pipefail
tstap=$1
[ -r /sys/kernel/btf/vmlinux ] || { echo "no kernel BTF here"; exit 77; }
facts=$(mktemp -d)
trap 'rm -rf "$facts"' EXIT
mkdir -p "$facts/sys/kernel/btf" "$facts/sys/kernel/tracing/events" "$facts/proc" "$facts/sys/kernel/debug/kprobes"
ln -s /sys/kernel/btf/vmlinux "$facts/sys/kernel/btf/vmlinux"
echo 6.1.0-test >"$facts/release"
echo "kprobe fentry" >"$facts/attach"
cat >"$facts/proc/kallsyms" <<'SYMBOLS'
0000000000000000 T do_sys_openat2
0000000000000000 t finish_task_switch.isra.0
0000000000000000 t finish_task_switch.cold
0000000000000000 T __switch_to
0000000000000000 T __x64_sys_getppid
0000000000000000 t __do_sys_getppid
0000000000000000 T asm_exc_int3
SYMBOLS
printf '%s\n' do_sys_openat2 finish_task_switch.isra.0 __x64_sys_getppid __do_sys_getppid \
  >"$facts/sys/kernel/tracing/available_filter_functions"
printf '0x0-0x0\tasm_exc_int3\n' >"$facts/sys/kernel/debug/kprobes/blacklist"

failed=0
expect() { # WHAT OUTPUT TEXT
  if ! grep -qF -- "$3" <<<"$2"; then
    echo "FAIL $1: lacks '$3' in:"
    echo "$2"
    failed=1
  fi
}
way() { "$tstap" -r "$facts" -p2 -v -e "probe kernel.function(\"$1\") { next }" 2>&1 || true; }
expect "fentry where ftrace traces it" "$(way do_sys_openat2)" 'kernel.function("do_sys_openat2"): fentry'
expect "a clone under its source name" "$(way finish_task_switch)" \
  'kernel.function("finish_task_switch"): kprobe on finish_task_switch.isra.0'
expect "a notrace function" "$(way __switch_to)" \
  'kernel.function("__switch_to"): kprobe on __switch_to; fentry: ftrace cannot trace it (notrace)'
refused=$(way asm_exc_int3)
expect "blacklisted: why not fentry" "$refused" 'kernel.function("asm_exc_int3") cannot be probed on this kernel (fentry: '
expect "blacklisted: why not kprobes" "$refused" "kprobes: asm_exc_int3 is on the kernel's kprobe blacklist)"
listing=$("$tstap" -r "$facts" -l 'kernel.function("*sys_getppid")' 2>&1 || true)
expect "listing" "$listing" 'kernel.function("__x64_sys_getppid")'
expect "listing" "$listing" 'kernel.function("__do_sys_getppid")'
clones=$("$tstap" -r "$facts" -l 'kernel.function("finish_task_switch*")' 2>&1 || true)
if [ "$clones" != 'kernel.function("finish_task_switch")' ]; then
  echo "FAIL a clone and its .cold part list as the function once: got"
  echo "$clones"
  failed=1
fi
# A source file picks functions only with DWARF: an error, not every function.
expect "a file wildcard" "$(way '*@fs/proc*.c')" \
  'kernel.function("*@fs/proc*.c") picks functions by their source file: that needs the kernel'"'"'s debuginfo'
expect "a named function's file" "$(way 'do_sys_openat2@fs/open.c')" \
  'kernel.function("do_sys_openat2@fs/open.c"): fentry'
optional=$("$tstap" -r "$facts" -p2 -e 'probe kernel.function("*@fs/*.c") ? { next } probe begin { exit() }' 2>&1 || true)
expect "an optional file wildcard is left out" "$optional" 'begin'
exit $failed
