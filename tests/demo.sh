#!/bin/bash
# demo.sh - the tutorials' end state, the bootinst way, end to end:
#
#   1. installs what it needs (tests/deps.sh) and builds bootinst;
#   2. makes a disk image as the old tutorials did - an MBR partition table
#      with one bootable Linux partition at sector 63, an ext2 filesystem
#      sized to it, holding Debian's cloud kernel in /boot and a busybox
#      root - with no root, loop device or mount (sfdisk on the file,
#      mke2fs -d -E offset=);
#   3. `bootinst install`s it with root=/dev/sda1 console=ttyS0;
#   4. boots it in QEMU (TCG) and shows the kernel and the busybox shell.
#
# On a terminal you get the shell (type `poweroff -f` or Ctrl-A X to leave).
# With no terminal (CI, a pipe) the system runs `mount`, shows it booted
# from /dev/sda1, and powers off.  Everything lands in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
lib=$repo/tests/e2e/lib
out=$repo/build/demo

bash tests/deps.sh
make -s all

rm -rf "$out"
mkdir -p "$out"
cd "$out"

echo "demo: fetching Debian's linux-image-cloud-amd64 (cached after the first run)"
kroot=$("$lib/fetch-kernel.sh")

interactive=0
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
	interactive=1
fi
if [ $interactive = 1 ]; then
	"$lib/make-rootfs.sh" rootfs
else
	"$lib/make-rootfs.sh" --autorun rootfs
fi
mkdir -p rootfs/boot
cp "$kroot"/boot/vmlinuz-* rootfs/boot/vmlinuz
# Debian's kernel has its IDE/SATA and virtio drivers as modules: a small
# initramfs loads them and switches root to /dev/sda1.
"$lib/make-initramfs.sh" switchroot rootfs/boot/initrd.img --kernel-root "$kroot" >/dev/null

echo "demo: making disk.img (partition 1 at sector 63, ext2 sized to it)"
eval "$("$lib/make-disk.sh" --size 48 --start 63 --fs ext2 --populate rootfs disk.img)"
sfdisk -l disk.img

echo "demo: bootinst install"
"$repo/bootinst" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img \
	--cmdline "root=/dev/sda1 console=ttyS0"

echo "demo: booting in QEMU (-accel tcg)"
qemu=(qemu-system-x86_64 -accel tcg -M pc -m 512 -no-reboot -nodefaults
      -drive file=disk.img,format=raw)
if [ $interactive = 1 ]; then
	timeout --foreground 3600 "${qemu[@]}" -nographic -serial mon:stdio || true
	exit 0
fi

start=$(date +%s%N)
timeout 180 "${qemu[@]}" -display none -monitor none -serial file:serial.log </dev/null || true
tr -d '\r' <serial.log
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo
if tr -d '\r' <serial.log | grep -q "BOOTINST-ROOT-OK" &&
   tr -d '\r' <serial.log | grep -Eq '^/dev/sda1 on / type ext[24]'; then
	echo "demo: bootinst booted Debian's kernel to the busybox root on /dev/sda1 (ext2), ${ms} ms from QEMU start to power-off"
else
	echo "demo: FAILED: the system did not reach the busybox root on /dev/sda1; full log: $out/serial.log"
	exit 1
fi
