#!/bin/bash
# demo.sh - the tutorials' end state, the bootinst way, end to end:
#
#   1. installs what it needs (tests/deps.sh) and builds bootinst;
#   2. fetches Debian's cloud kernel and makes a busybox root and an
#      initramfs that loads the disk drivers (examples/);
#   3. `bootinst mkimage` makes the disk image as the old tutorials laid it
#      out - one bootable Linux partition at sector 63, ext2 sized to it -
#      with the loader installed and checked, with no root, loop device or
#      mount;
#   4. boots it in QEMU (TCG) and shows the kernel and the busybox shell.
#
# On a terminal you get the shell (type `poweroff -f` or Ctrl-A X to leave).
# With no terminal (CI, a pipe) the system runs `mount`, shows it booted
# from /dev/sda1, and powers off.  Everything lands in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
examples=$repo/examples
out=$repo/build/demo

bash tests/deps.sh
make -s all

rm -rf "$out"
mkdir -p "$out"
cd "$out"

echo "demo: fetching Debian's linux-image-cloud-amd64 (cached after the first run)"
kroot=$("$examples/fetch-kernel.sh")

interactive=0
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
	interactive=1
fi
if [ $interactive = 1 ]; then
	"$examples/busybox-root.sh" rootfs
else
	"$examples/busybox-root.sh" --autorun rootfs
fi
# Debian's kernel has its IDE/SATA and virtio drivers as modules: a small
# initramfs loads them and switches root to /dev/sda1.
"$examples/initramfs.sh" switchroot initrd.img --kernel-root "$kroot" >/dev/null

echo "demo: bootinst mkimage (partition 1 at sector 63, ext2 sized to it, the loader installed)"
"$repo/bootinst" mkimage disk.img --root rootfs --kernel "$(ls "$kroot"/boot/vmlinuz-*)" \
	--initrd initrd.img --part-start 63 --cmdline "root=/dev/sda1 console=tty0 console=ttyS0"
sfdisk -l disk.img

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
