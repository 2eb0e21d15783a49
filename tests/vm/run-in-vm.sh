#!/usr/bin/env bash
# tests/vm/run-in-vm.sh COMMAND [ARG]...
#
# Runs COMMAND as root in a qemu guest running Debian's stock kernel
# (tests/vm/prepare.sh), in this tree's root: the host's / is the guest's,
# read-only, with proc, sys, tracefs, debugfs, bpffs, /dev, a writable
# /tmp and /root, the kernel's configuration in /boot as Debian installs
# it, and an 8 MiB disk (vda, vda1; writes are dropped at the end). Prints COMMAND's output and exits with its status; 77 (skipped) when
# qemu or busybox-static is missing.
#
# Software emulation (TCG): KVM guests hung at the firmware here. One host
# thread runs both emulated CPUs: with a thread each, a CPU once kept
# running its stale copy of kernel code another CPU had just patched (a
# tracepoint's int3, forever: the guest locked up in CI). qboot and
# the uncompressed kernel start it in seconds; no_timer_check because a busy
# host made the emulated timer fail the kernel's IO-APIC check. A CPU stuck
# in the kernel for two minutes panics the guest (the console shows where)
# instead of holding it until the timeout; loglevel=5 lets that backtrace
# through. TAPSTUDIO_*
# variables (but TAPSTUDIO_VM_*) and QT_QPA_PLATFORM reach the command.
# TAPSTUDIO_VM_CPUS (default 2), TAPSTUDIO_VM_MEMORY (MiB, default 2048),
# TAPSTUDIO_VM_TIMEOUT (seconds, default 900), TAPSTUDIO_VM_DIR (default build/vm),
# TAPSTUDIO_VM_SHARE: a folder of the host the guest may write into too.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG]..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export TAPSTUDIO_VM_DIR=${TAPSTUDIO_VM_DIR:-$repo/build/vm}
release=$("$here/prepare.sh") || exit $?
kernel_dir=$TAPSTUDIO_VM_DIR/linux-image-$release

mkdir -p "$TAPSTUDIO_VM_DIR/jobs"
job=$(mktemp -d "$TAPSTUDIO_VM_DIR/jobs/job.XXXXXX")
qemu_pid=
cleanup() {
  [ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
  [ -n "${TAPSTUDIO_VM_KEEP:-}" ] || rm -rf "$job"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "cd $(printf %q "$PWD") 2>/dev/null || cd $(printf %q "$repo")"
  while IFS= read -r name; do
    echo "export $name=$(printf %q "${!name}")"
  done < <(compgen -e | grep -E '^(TAPSTUDIO_|QT_QPA_PLATFORM$)' | grep -v '^TAPSTUDIO_VM_')
  printf 'exec'
  printf ' %q' "$@"
  echo
} >"$job/command"

share=
share_device=()
if [ -n "${TAPSTUDIO_VM_SHARE:-}" ]; then
  mkdir -p "$TAPSTUDIO_VM_SHARE"
  share=$(cd "$TAPSTUDIO_VM_SHARE" && pwd)
  share_device=(-virtfs "local,path=$share,mount_tag=share,security_model=none,multidevs=remap")
fi
qemu-system-x86_64 -accel tcg,thread=single -M pc -cpu max -smp "${TAPSTUDIO_VM_CPUS:-2}" -m "${TAPSTUDIO_VM_MEMORY:-2048}" \
  -bios /usr/share/qemu/qboot.rom -display none -monitor none -no-reboot -nic none \
  -serial "file:$job/console" \
  -kernel "$kernel_dir/vmlinux" -initrd "$kernel_dir/initramfs.cpio.gz" \
  -append "console=ttyS0 ${TAPSTUDIO_VM_KEEP:+printk.time=1} loglevel=5 no_timer_check watchdog_thresh=60 softlockup_panic=1 panic=-1 tapstudio_job=$job tapstudio_config=$kernel_dir/config${share:+ tapstudio_share=$share}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$job,mount_tag=job,security_model=none,multidevs=remap" \
  -drive "file=$TAPSTUDIO_VM_DIR/disk.img,format=raw,if=virtio,snapshot=on" \
  "${share_device[@]}" \
  </dev/null >"$job/qemu.log" 2>&1 &
qemu_pid=$!
timeout=${TAPSTUDIO_VM_TIMEOUT:-900}
deadline=$((SECONDS + timeout))
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ $SECONDS -ge $deadline ]; then
    echo "run-in-vm: no end after ${timeout}s, guest stopped" >&2
    break
  fi
  sleep 0.2
done
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=

cat "$job/stdout" 2>/dev/null || true
cat "$job/stderr" >&2 2>/dev/null || true
if [ ! -s "$job/status" ]; then
  echo "run-in-vm: the guest ended without running the command; qemu and console:" >&2
  cat "$job/qemu.log" "$job/console" >&2 2>/dev/null || true
  exit 125
fi
exit "$(cat "$job/status")"
