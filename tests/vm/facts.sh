#!/usr/bin/env bash
# tests/vm/facts.sh TSTAP
#
# Prints the folder of the guest kernel's facts (scripts/kernel-facts.sh),
# which `tstap -r` compiles for: read in the guest once, kept in
# build/vm/facts/RELEASE and read again when kernel-facts.sh changes. Exits
# 77 without qemu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export TAPSTUDIO_VM_DIR=${TAPSTUDIO_VM_DIR:-$repo/build/vm}
tstap=$1
release=$("$here/prepare.sh") || exit $?
facts=$TAPSTUDIO_VM_DIR/facts/$release
if [ ! -f "$facts/release" ] || [ "$repo/scripts/kernel-facts.sh" -nt "$facts/release" ]; then
  echo "facts: reading the facts of kernel $release in the guest" >&2
  rm -rf "$facts" # here: removing files over 9p is slow in the guest
  TAPSTUDIO_VM_SHARE=$TAPSTUDIO_VM_DIR/facts "$here/run-in-vm.sh" "$repo/scripts/kernel-facts.sh" "$facts" "$tstap" >&2
  # Debian's kernel keeps its configuration in /boot, which the guest lacks.
  cp "$TAPSTUDIO_VM_DIR/linux-image-$release/config" "$facts/boot/config-$release"
fi
echo "$facts"
