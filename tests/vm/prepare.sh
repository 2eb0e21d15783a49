#!/usr/bin/env bash
# Prepares what tests/vm/run-in-vm.sh boots: Debian's current stock kernel
# (the package linux-image-amd64 depends on, fetched with apt once), an
# initramfs of busybox-static, the virtio 9p and block modules and
# tests/vm/guest-init, and the guest's disk.
# Everything is cached in VM_DIR (default build/vm); prints the kernel's
# release. Exits 77 when qemu or busybox-static is missing (scripts/setup.sh
# installs them).
set -euo pipefail
work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
vm_dir=${TAPSTUDIO_VM_DIR:-$here/../../build/vm}
mkdir -p "$vm_dir"
vm_dir=$(cd "$vm_dir" && pwd)

for need in qemu-system-x86 busybox-static; do
  if ! dpkg-query -W -f='${Status}' "$need" 2>/dev/null | grep -q "install ok installed"; then
    echo "prepare: $need is not installed (scripts/setup.sh installs it)" >&2
    exit 77
  fi
done
busybox=/bin/busybox # static: it runs in the initramfs alone

# The virtio PCI transport, 9p and the block device (run-in-vm.sh gives the
# guest a small disk) are modules in Debian's generic image, loaded in this
# order.
modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk netfs fscache 9pnet 9pnet_virtio 9p)

package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$package" ]; then # no apt metadata: the newest kernel already fetched
  package=$(ls -d "$vm_dir"/linux-image-*/ 2>/dev/null | sort -V | tail -1 | xargs -r basename)
  [ -n "$package" ] || { echo "prepare: apt knows no linux-image-amd64 and none is cached in $vm_dir: skipped" >&2; exit 77; }
fi
kernel_dir=$vm_dir/$package
release=${package#linux-image-}

have_modules=1
for m in "${modules[@]}"; do
  [ -f "$kernel_dir/modules/$m.ko" ] || have_modules=
done
if [ ! -f "$kernel_dir/vmlinux" ] || [ -z "$have_modules" ]; then
  echo "prepare: fetching $package" >&2
  work=$(mktemp -d "$vm_dir/fetch.XXXXXX")
  # A machine that cannot reach a Debian mirror cannot run the VM tests:
  # that is a skip, not a failure of what they test.
  (cd "$work" && apt-get download -q "$package" >&2 2>/dev/null) ||
    (cd "$work" && apt-get download -q "$package" >&2) ||
    { echo "prepare: cannot fetch $package (no Debian mirror reachable?): skipped" >&2; exit 77; }
  dpkg-deb -x "$work"/"$package"_*.deb "$work/root"
  mkdir -p "$work/kernel/modules"
  # The uncompressed ELF image boots directly (PVH): decompressing the
  # bzImage under emulation took longer than the kernel's own boot.
  vmlinuz=$work/root/boot/vmlinuz-$release
  xz_at=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | awk -F: 'NR == 1 {print $1}')
  [ -n "$xz_at" ] || { echo "prepare: $vmlinuz holds no xz-compressed kernel" >&2; exit 1; }
  tail -c +$((xz_at + 1)) "$vmlinuz" >"$work/vmlinux.xz"
  xz -dc --single-stream "$work/vmlinux.xz" >"$work/kernel/vmlinux"
  cp "$work/root/boot/config-$release" "$work/kernel/config"
  for m in "${modules[@]}"; do
    ko=$(find "$work/root/lib/modules/$release" -name "$m.ko")
    [ -n "$ko" ] || { echo "prepare: $package has no module $m" >&2; exit 1; }
    cp "$ko" "$work/kernel/modules/"
  done
  rm -rf "$kernel_dir"
  mv "$work/kernel" "$kernel_dir"
  rm -rf "$work"
fi

# The initramfs is rebuilt when the init script, this script (its modules)
# or busybox changes.
initramfs=$kernel_dir/initramfs.cpio.gz
if [ ! -f "$initramfs" ] || [ "$here/guest-init" -nt "$initramfs" ] || [ "$0" -nt "$initramfs" ] ||
  [ "$busybox" -nt "$initramfs" ]; then
  work=$(mktemp -d "$vm_dir/initramfs.XXXXXX")
  mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules}
  cp "$busybox" "$work/bin/busybox"
  cp "$here/guest-init" "$work/init"
  chmod 755 "$work/init"
  for m in "${modules[@]}"; do
    cp "$kernel_dir/modules/$m.ko" "$work/modules/"
  done
  printf '%s\n' "${modules[@]}" >"$work/modules/order"
  (cd "$work" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$initramfs.tmp"
  mv "$initramfs.tmp" "$initramfs"
  rm -rf "$work"
fi
# The guest's disk: 8 MiB with an MBR and one partition from 1 MiB (vda,
# vda1), so that block I/O probes and examples reading a disk have one.
disk=$vm_dir/disk.img
if [ ! -f "$disk" ]; then
  truncate -s 8M "$disk.tmp"
  # Partition 1: type 0x83, first sector 2048, 14336 sectors; the boot signature.
  printf '\x00\x00\x00\x00\x83\x00\x00\x00\x00\x08\x00\x00\x00\x38\x00\x00' |
    dd of="$disk.tmp" bs=1 seek=446 conv=notrunc status=none
  printf '\x55\xaa' | dd of="$disk.tmp" bs=1 seek=510 conv=notrunc status=none
  mv "$disk.tmp" "$disk"
fi
echo "$release"
