# lib.sh - sourced by each tests/regress/*/make-image.sh and by
# tests/e2e/cases/failures.sh: make a probe-kernel disk that `bootinst
# install` makes good, then break it the way real disks get broken.  All
# work happens in the current folder, on disk.img.

BREAK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BREAK_BOOTINST=$BREAK_REPO/bootinst
BREAK_LIB=$BREAK_REPO/tests/e2e/lib
BREAK_PROBE=$BREAK_REPO/build/probe/probe.bzImage

# Offsets into the stage at LBA 1 (include/stage_header.h).
STAGE_BYTE=512
STAGE_MAGIC_OFF=$STAGE_BYTE
REC_CMDLINE_OFF_FIELD=$((STAGE_BYTE + 0x18 + 0x16))   # install record's cmdline_off

# rec_cmdline_byte IMAGE: where the installed command line's first byte is.
rec_cmdline_byte() {
	echo $((STAGE_BYTE + $(od -An -tu2 -j "$REC_CMDLINE_OFF_FIELD" -N2 "$1")))
}
MBR_STAGE_LBA_OFF=$((0x1b0))                  # include/mbr.h patch area

# Offsets into a bzImage's setup header (Documentation/arch/x86/boot.rst).
BZ_SETUP_SECTS_OFF=$((0x1f1))
BZ_SYSSIZE_OFF=$((0x1f4))
BZ_VERSION_OFF=$((0x206))
BZ_KERNEL_VERSION_OFF=$((0x20e))
BZ_LOADFLAGS_OFF=$((0x211))
BZ_INITRD_ADDR_MAX_OFF=$((0x22c))
BZ_INIT_SIZE_OFF=$((0x260))

# old_probe_kernel: PROBE_KERNEL, for probe_disk, becomes a copy of the probe
# that claims an older release, 2.6.22.9 (the tutorials'), and its config
# moves to match: for what check predicts differently for old kernels.
# The new string is shorter, NUL-terminated.
old_probe_kernel() {
	linux_probe probe-2.6.22.9.bzImage 2.6.22.9
	mv "$PROBE_CONFIG" root/boot/config-2.6.22.9
	PROBE_KERNEL=$PWD/probe-2.6.22.9.bzImage
}

# restamp_stage_checksum IMAGE: after a test patched the stage at LBA 1 on
# purpose, give it the CRC-32 install would (over image_size bytes, the
# checksum field read as zero; include/stage_header.h), so that the stage
# head's own check (asm/entry.asm check_image) lets the patched code run.
# gzip's trailer holds the same CRC-32 (IEEE) of its input.
restamp_stage_checksum() {
	local size crc
	size=$(get_le32 "$1" $((STAGE_BYTE + 0x0c)))
	put_le32 "$1" $((STAGE_BYTE + 0x10)) 0
	crc=$(dd if="$1" bs=1 skip=$STAGE_BYTE count="$size" status=none | gzip -c | tail -c 8 | od -An -tu4 -N4 | tr -d ' ')
	put_le32 "$1" $((STAGE_BYTE + 0x10)) "$crc"
}

# put_u8 / put_le16 / put_le32 FILE OFFSET VALUE: overwrite bytes in place.
put_u8() {
	printf "$(printf '\\x%02x' $(($3 & 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
put_le16() {
	put_u8 "$1" "$2" "$3"
	put_u8 "$1" $(($2 + 1)) $(($3 >> 8))
}
put_le32() {
	put_le16 "$1" "$2" $(($3 & 0xffff))
	put_le16 "$1" $(($2 + 2)) $(($3 >> 16 & 0xffff))
}
get_u8() {
	od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '
}
get_le32() {
	od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}

# fs_debugfs COMMAND: run a debugfs command on disk.img's filesystem
# (at $FS_OFFSET, from make-disk.sh), writable.
fs_debugfs() {
	debugfs -w -R "$1" "disk.img?offset=$FS_OFFSET" 2>/dev/null
}

# replace_file PATH FILE: PATH in the filesystem now holds FILE's bytes.
replace_file() {
	fs_debugfs "rm $1" >/dev/null
	fs_debugfs "write $2 $1" >/dev/null
}

# first_block_from PATH MIN: the first block of PATH, in file order
# (indirect blocks before the blocks they map), that is >= MIN.
first_block_from() {
	fs_debugfs "blocks $1" | tr ' ' '\n' | awk -v min="$2" '$1 >= min && !found { print; found = 1 }'
}

# probe_disk [make-disk options...]: disk.img, 16 MiB, partition 1 at 2048,
# ext2, with the probe kernel ($PROBE_KERNEL, else the build's standing in
# for Linux 6.1: linux_probe) as
# /boot/vmlinuz; leaves make-disk's variables (FS_OFFSET...) set.
probe_disk() {
	mkdir -p root/boot
	if [ -n "${PROBE_KERNEL:-}" ]; then
		cp "$PROBE_KERNEL" root/boot/vmlinuz
	else
		linux_probe root/boot/vmlinuz
	fi
	eval "$("$BREAK_LIB/make-disk.sh" --size 16 --start 2048 --fs ext2 --populate root "$@" disk.img)"
}

# installed_probe [make-disk options...]: a good disk, installed, that the
# caller then breaks in one way: root_tree, probe_disk, and install with
# the command line "console=ttyS0 root=/dev/sda1".
installed_probe() {
	root_tree
	probe_disk "$@"
	install_probe "console=ttyS0 root=/dev/sda1"
}

# resize_partition1 SECTORS: partition 1's size in the table, nothing else.
resize_partition1() {
	echo ",$1" | sfdisk --no-reread --no-tell-kernel -q -N 1 disk.img
}

# tutorial_fs_past_partition: the tutorials' mistake, installed with
# `install --force` (install refuses it: E24).  A 32 MiB disk, partition 1 at sector 63 ending
# on a cylinder (sectors 63..64259, 64197 sectors), and mke2fs run on the
# loop device at the partition's offset without a block count, so the
# filesystem takes the rest of the disk: 32736 blocks of 1 KiB, of which
# 32098 (half of it) and up lie past the partition.  The filesystem is then
# filled, and the few blocks left below 32100 marked in use, so the kernel
# lands at block 32100 (sector 64200 of the partition) and up.  With
# "boot-dir-past", /boot is made after the filler too: its directory block
# is 32100, the kernel's 32101 and up.
tutorial_fs_past_partition() {
	local free first_free kernel_first=32100 boot_later=${1:-}
	eval "$("$BREAK_LIB/make-disk.sh" --size 32 --start 63 --fs ext2 --block-size 1024 \
		--fs-size-kib $(((32 * 2048 - 63) / 2)) disk.img 2>/dev/null)"
	[ "$PART_SECTORS" = 64197 ] || { echo "partition has $PART_SECTORS sectors, not 64197" >&2; return 1; }
	free=$(dumpe2fs -h "disk.img?offset=$FS_OFFSET" 2>/dev/null | sed -n 's/^Free blocks: *//p')
	# leave room for the kernel past block 32100 and the filler's indirect blocks
	head -c $(((free - 900) * 1024)) /dev/urandom >filler
	[ "$boot_later" = boot-dir-past ] || fs_debugfs "mkdir /boot"
	fs_debugfs "write filler /filler" >/dev/null
	rm filler
	first_free=$(fs_debugfs "ffb 1" | sed -n 's/^Free blocks found: *//p')
	[ "$first_free" -le 32100 ] || { echo "the filler reached block $first_free" >&2; return 1; }
	[ "$first_free" -eq 32100 ] || fs_debugfs "setb $first_free $((32100 - first_free))"
	if [ "$boot_later" = boot-dir-past ]; then
		fs_debugfs "mkdir /boot"
		kernel_first=32101
	fi
	fs_debugfs "write $BREAK_PROBE /boot/vmlinuz" >/dev/null
	fs_debugfs "dump /boot/vmlinuz written"
	cmp -s written "$BREAK_PROBE" || { echo "the kernel did not fit" >&2; return 1; }
	rm written
	[ "$(first_block_from /boot/vmlinuz 0)" = $kernel_first ] || { echo "the kernel does not start at block $kernel_first" >&2; return 1; }

	"$BREAK_BOOTINST" install --force disk.img --kernel /boot/vmlinuz --cmdline "console=ttyS0" >/dev/null 2>&1
}

# The probe kernel says it is "bootinst probe kernel", which is no Linux
# release: bootinst check then predicts nothing after the loader.  The
# disks made here stand it in for Linux 6.1: linux_probe writes this
# release over that string in a copy, and check finds its config as
# /boot/config-RELEASE.
PROBE_RELEASE=6.1.0-bootinst-probe
PROBE_CONFIG=root/boot/config-$PROBE_RELEASE

# linux_probe OUT [RELEASE]: a copy of the probe whose version string is
# RELEASE (default $PROBE_RELEASE), NUL-terminated over the old one (which
# is longer: "bootinst probe kernel").
linux_probe() {
	local at
	cp "$BREAK_PROBE" "$1"
	# the setup header's kernel_version: the string's offset less 0x200
	at=$(( $(od -An -tu2 -j $((BZ_KERNEL_VERSION_OFF)) -N2 "$1") + 0x200 ))
	printf '%s\0' "${2:-$PROBE_RELEASE}" | dd of="$1" bs=1 seek="$at" conv=notrunc status=none
}

# root_tree: root/ as a root filesystem the kernel can boot to a shell:
# busybox-static as /sbin/init, a /dev folder, and the probe
# kernel's config ($PROBE_CONFIG) with the disk and filesystem drivers and
# devtmpfs built in.  The L folders take one thing away.
root_tree() {
	mkdir -p root/sbin root/dev root/boot
	cp /bin/busybox root/sbin/init
	cat >"$PROBE_CONFIG" <<-'CONFIG'
	CONFIG_DEVTMPFS=y
	CONFIG_DEVTMPFS_MOUNT=y
	CONFIG_ATA=y
	CONFIG_ATA_PIIX=y
	CONFIG_SCSI=y
	CONFIG_BLK_DEV_SD=y
	CONFIG_VIRTIO_PCI=y
	CONFIG_VIRTIO_BLK=y
	CONFIG_EXT2_FS=y
	CONFIG_EXT4_FS=y
	CONFIG_EXT4_USE_FOR_EXT2=y
	CONFIG
}

# uninstalled_probe [make-disk options...]: the good disk installed_probe
# makes, never installed: the command line "console=ttyS0 root=/dev/sda1"
# is in /boot/bootinst.cfg, where `bootinst check` finds it.
uninstalled_probe() {
	root_tree
	printf 'cmdline console=ttyS0 root=/dev/sda1\n' >root/boot/bootinst.cfg
	probe_disk "$@"
}

# install_probe CMDLINE [OPTION...]: install disk.img's /boot/vmlinuz with CMDLINE
# (the L folders add --force: install refuses what check finds in them).
install_probe() {
	"$BREAK_BOOTINST" install disk.img --kernel /boot/vmlinuz --cmdline "$1" "${@:2}" >/dev/null
}
