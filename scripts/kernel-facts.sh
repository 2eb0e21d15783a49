#!/usr/bin/env bash
# scripts/kernel-facts.sh DIR [TSTAP]
#
# Copies what tstap's pass 2 reads about the running kernel into DIR, so that
# `tstap -r DIR -p4` compiles for this kernel on another machine: the release,
# BTF, tracepoint formats, kallsyms (names only), the functions ftrace can
# trace, the kprobe blacklist, the configuration, the loaded modules and, asked of TSTAP (default: tstap on PATH), which kernel
# attach kinds work. Needs root (tracefs and kallsyms).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [TSTAP]" >&2; exit 2; }
dir=$1
tstap=${2:-tstap}
tracing=/sys/kernel/tracing
[ -d $tracing/events ] || tracing=/sys/kernel/debug/tracing
[ -d $tracing/events ] || { echo "kernel-facts: no tracefs (mount -t tracefs nodev /sys/kernel/tracing)" >&2; exit 1; }

work=$(mktemp -d "${dir%/}.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sys/kernel/btf" "$work/sys/kernel/tracing" "$work/proc" "$work/boot" "$work/sys/module"
cp /sys/kernel/btf/vmlinux "$work/sys/kernel/btf/"
# Few processes: each costs much in an emulated machine, where this runs.
cd $tracing
formats=(events/*/*/format)
cd - >/dev/null
dirs=("${formats[@]/#/$work/sys/kernel/tracing/}")
mkdir -p "${dirs[@]%/format}"
(cd $tracing && awk -v out="$work/sys/kernel/tracing" \
  'FNR == 1 { if (file) close(file); file = out "/" FILENAME } { print > file }' "${formats[@]}")
cat $tracing/available_filter_functions >"$work/sys/kernel/tracing/available_filter_functions"
if [ -r /sys/kernel/debug/kprobes/blacklist ]; then
  mkdir -p "$work/sys/kernel/debug/kprobes"
  cat /sys/kernel/debug/kprobes/blacklist >"$work/sys/kernel/debug/kprobes/blacklist"
fi
# Addresses are of no use elsewhere (and differ at each boot).
sed 's/^[0-9a-f]*/0000000000000000/' /proc/kallsyms >"$work/proc/kallsyms"
release=$(uname -r)
if [ -r /proc/config.gz ]; then
  zcat /proc/config.gz >"$work/boot/config-$release"
elif [ -r "/boot/config-$release" ]; then
  cp "/boot/config-$release" "$work/boot/"
fi
modules=(/sys/module/*/)
modules=("${modules[@]%/}")
modules=("${modules[@]##*/}")
mkdir -p "${modules[@]/#/$work/sys/module/}"
"$tstap" --probe-capabilities --json 2>/dev/null |
  grep -o '"name":"\(fentry\|kprobe\)","ok":true' | cut -d'"' -f4 | tr '\n' ' ' >"$work/attach" || true
echo "$release" >"$work/release"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
