#!/bin/bash
# mkimage.sh [WORKDIR] - `bootinst mkimage` against the same image made by
# hand (truncate, sfdisk, mke2fs -d, bootinst install), side by side in one
# run: a 64 MiB image and a 4 GiB sparse one, both holding Debian's kernel,
# a busybox initramfs and a busybox root at sector 2048, ext2, 4 KiB blocks.
#
# Time: BENCH_MKIMAGE_N (default 5) runs of each route, interleaved, the
# median of each and their ratio.  Bytes written: one run of each route
# under strace -f, every write/pwrite64 of every process (sfdisk and mke2fs
# included) on descriptors other than 0-2.  Allocated: what the finished
# image takes on the host's disk (du).  Prints a table.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$REPO/build/bench-mkimage}
N=${BENCH_MKIMAGE_N:-5}
BOOTINST=$REPO/bootinst
CMDLINE="console=ttyS0 root=/dev/sda1"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

kroot=$("$REPO/examples/fetch-kernel.sh")
kernel=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
"$REPO/examples/busybox-root.sh" rootfs >/dev/null
"$REPO/examples/initramfs.sh" switchroot initrd.img --kernel-root "$kroot" >/dev/null 2>&1
# The hand route's tree: the root with the kernel and initrd where mkimage
# puts them.
cp -a rootfs handroot
mkdir -p handroot/boot
cp "$kernel" handroot/boot/vmlinuz
cp initrd.img handroot/boot/initrd.img

by_mkimage() {	# OUT MIB
	"$BOOTINST" mkimage "$1" --root rootfs --kernel "$kernel" --initrd initrd.img \
		--cmdline "$CMDLINE" --size "$2M" -q
}
by_hand() {	# OUT MIB
	rm -f "$1"
	truncate -s "$2M" "$1"
	echo 'start=2048, type=83, bootable' | sfdisk -q "$1"
	mke2fs -q -F -t ext2 -b 4096 -I 256 -d handroot -E offset=$((2048 * 512)) "$1" \
		$(( ($2 * 1024 - 1024) / 4 )) >/dev/null
	"$BOOTINST" install "$1" --kernel /boot/vmlinuz --initrd /boot/initrd.img \
		--cmdline "$CMDLINE" >/dev/null
}
export -f by_mkimage by_hand
export BOOTINST CMDLINE kernel
ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Bytes written by a command and its children, stdin/stdout/stderr excluded.
written() {
	strace -f -qq -o trace.txt -e trace=write,pwrite64 "$@"
	sed -n 's/^[0-9]* *\(write\|pwrite64\)(\([0-9]*\),.*= \([0-9]*\).*$/\2 \3/p' trace.txt |
		awk '$1 > 2 { n += $2 } END { print n + 0 }'
}

printf '%-8s %-9s %10s %10s %10s %14s %10s\n' image route "min ms" "median ms" "max ms" "bytes written" allocated
for mib in 64 4096; do
	: >"t-mkimage-$mib" ; : >"t-hand-$mib"
	for _ in $(seq "$N"); do
		rm -f m.img h.img
		t=$(ms); by_mkimage m.img "$mib"; echo $(( $(ms) - t )) >>"t-mkimage-$mib"
		t=$(ms); by_hand h.img "$mib"; echo $(( $(ms) - t )) >>"t-hand-$mib"
	done
	"$BOOTINST" check m.img >/dev/null || { echo "mkimage.sh: check fails on mkimage's $mib MiB image" >&2; exit 1; }
	"$BOOTINST" check h.img >/dev/null || { echo "mkimage.sh: check fails on the hand-made $mib MiB image" >&2; exit 1; }
	rm -f m.img
	wm=$(written bash -c "by_mkimage m.img $mib")
	wh=$(written bash -c "by_hand h.img $mib")
	for route in mkimage hand; do
		img=m.img; w=$wm
		[ $route = hand ] && { img=h.img; w=$wh; }
		printf '%-8s %-9s %10s %10s %10s %14s %10s\n' "$mib MiB" "$route" \
			"$(sort -n "t-$route-$mib" | head -n 1)" "$(median <"t-$route-$mib")" \
			"$(sort -n "t-$route-$mib" | tail -n 1)" "$w" "$(du -h "$img" | cut -f1)"
	done
	echo "$mib MiB: mkimage/hand median time $(awk -v a="$(median <"t-mkimage-$mib")" -v b="$(median <"t-hand-$mib")" 'BEGIN { printf "%.2f", a / b }'), bytes written $(awk -v a="$wm" -v b="$wh" 'BEGIN { printf "%.2f", a / b }')"
done
echo "N=$N runs of each route, interleaved; hand = truncate, sfdisk, mke2fs -d, bootinst install."
echo "mkimage also copies the kernel and initrd in with libext2fs, reads the filesystem back and"
echo "runs bootinst check; the hand route's check is not timed."
