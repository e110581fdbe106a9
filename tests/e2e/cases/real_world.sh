# real_world.sh - the images real users make, each booted with Debian's
# cloud kernel: the tutorial layout to a busybox root on /dev/sda1, modern
# ext4 and ext3, fragmented files, a large initrd, the command-line limit,
# a second partition, a partition past CHS reach, bootinst.cfg and a
# re-install.  On QEMU's default IDE disk the stage reads natively
# (native_disk.sh); the tutorial case checks the kernel's ata_piix after it.

KERNEL_CMDLINE_MAX=2047   # cmdline_size in Debian's 6.1 kernel header

# marker_root DIR [--pad-mib N]: DIR/boot with Debian's kernel and the
# initramfs whose /init prints BOOTINST-E2E-INIT-OK and what it received.
marker_root() {
	local dir=$1 kroot
	shift
	kroot=$("$REPO/examples/fetch-kernel.sh")
	mkdir -p "$dir/boot"
	cp "$kroot"/boot/vmlinuz-* "$dir/boot/vmlinuz"
	"$REPO/examples/initramfs.sh" marker "$dir/boot/initrd.img" "$@" >/dev/null
}

# boot_marker IMAGE LOG CMDLINE: boot, expect the marker and the command line.
boot_marker() {
	QEMU_MEM=${QEMU_MEM:-512} QEMU_TIMEOUT=150 qemu_boot "$1" "$2" || fail "QEMU exit status $?"
	expect_text "$2" "BOOTINST-E2E-INIT-OK"
	expect_text "$2" "cmdline: $3"
	expect_text "$2" "loader-type: 0xff"
}

install_marker() {
	"$BOOTINST" install "$1" --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "$2" "${@:3}"
}

case_real_tutorial_layout_busybox_root() {
	# sector 63 (255x63 geometry), ext2 with 1 KiB blocks sized to the
	# partition, a 32 MiB image: the tutorials' disk, booted to their end
	# state, a busybox root on /dev/sda1 via an initramfs that switches root
	local kroot
	kroot=$("$REPO/examples/fetch-kernel.sh")
	"$REPO/examples/busybox-root.sh" --autorun root
	mkdir -p root/boot
	cp "$kroot"/boot/vmlinuz-* root/boot/vmlinuz
	"$REPO/examples/initramfs.sh" switchroot root/boot/initrd.img --kernel-root "$kroot" >/dev/null
	eval "$("$E2E_LIB/make-disk.sh" --size 32 --start 63 --fs ext2 --block-size 1024 --populate root disk.img)"
	[ "$PART_START" = 63 ] || fail "partition starts at $PART_START"
	install_marker disk.img "root=/dev/sda1 console=ttyS0 panic=-1"
	QEMU_MEM=512 QEMU_TIMEOUT=150 qemu_boot disk.img serial.log || fail "QEMU exit status $?"
	expect_text serial.log "BOOTINST-ROOT-OK"
	expect_line serial.log "/dev/sda1 on / type ext2 (ro,relatime)"
	expect_text serial.log "cmdline: root=/dev/sda1 console=ttyS0 panic=-1"
	# loaded natively, then the kernel's ata_piix drove the same controller
	# and disk as if the BIOS alone had been there (#15: leave it as found)
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 0, device 0)"
	expect_text serial.log "ata1.00: ATA-7: QEMU HARDDISK"
	! tr -d '\r' <serial.log | grep -E 'ata[0-9].*(timeout|failed|error|exception)' ||
		fail "ata_piix reported a problem after the native load"
}

case_real_modern_ext4() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 64 --start 2048 --fs ext4 --block-size 4096 --populate root disk.img)"
	local features
	features=$(dumpe2fs -h "disk.img?offset=$FS_OFFSET" 2>/dev/null | sed -n 's/^Filesystem features: *//p')
	for f in extent 64bit flex_bg metadata_csum; do
		[[ " $features " == *" $f "* ]] || fail "mke2fs -t ext4 did not set $f: $features"
	done
	install_marker disk.img "console=ttyS0 panic=-1 layout=modern-ext4"
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=modern-ext4"
}

case_real_ext3_journal() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 64 --start 2048 --fs ext3 --populate root disk.img)"
	dumpe2fs -h "disk.img?offset=$FS_OFFSET" 2>/dev/null | grep "^Filesystem features:.*has_journal" >/dev/null ||
		fail "no journal on the ext3 filesystem"
	install_marker disk.img "console=ttyS0 panic=-1 layout=ext3"
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=ext3"
}

case_real_fragmented_kernel_and_initrd() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 64 --start 2048 --fs ext2 --populate root disk.img)"
	"$E2E_LIB/fragment-files.sh" --hole-blocks 16 disk.img "$FS_OFFSET" /boot/vmlinuz /boot/initrd.img | tee frag.txt
	# the loader must have met many runs, not one
	awk -F'fragments=' '{ if ($2 + 0 < 50) exit 1 }' frag.txt || fail "files are not fragmented enough"
	install_marker disk.img "console=ttyS0 panic=-1 layout=fragmented"
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=fragmented"
}

case_real_large_initrd_high() {
	marker_root root --pad-mib 64
	eval "$("$E2E_LIB/make-disk.sh" --size 128 --start 2048 --fs ext4 --populate root disk.img)"
	install_marker disk.img "console=ttyS0 panic=-1 layout=large-initrd"
	QEMU_MEM=768 boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=large-initrd"
	# the guest hashed the pad it found in the initramfs
	while read -r line; do
		expect_text serial.log "$line"
	done <root/boot/initrd.img.expected
	# placed high: its end within the last MiB below the top of RAM
	local addr size
	addr=$(tr -d '\r' <serial.log | sed -n 's/.*initrd-addr: \(0x[0-9a-f]*\).*/\1/p')
	size=$(stat -c %s root/boot/initrd.img)
	[ $((addr + size)) -gt $(( (768 - 2) * 1024 * 1024 )) ] || fail "initrd at $addr is not placed high"
}

case_real_cmdline_at_limit() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 48 --start 2048 --fs ext2 --populate root disk.img)"
	local base="console=ttyS0 panic=-1 pad=" cmdline
	cmdline=$base$(head -c $((KERNEL_CMDLINE_MAX - ${#base})) /dev/zero | tr '\0' 'x')
	[ ${#cmdline} -eq $KERNEL_CMDLINE_MAX ] || fail "test built a ${#cmdline}-byte command line"
	# one byte over: refused, image untouched
	cp disk.img before.img
	if install_marker disk.img "${cmdline}y" 2>refused.txt; then
		fail "a $((KERNEL_CMDLINE_MAX + 1))-byte command line was accepted"
	fi
	cat refused.txt
	grep -q "E40" refused.txt || fail "no E40 in the refusal"
	grep -q "$((KERNEL_CMDLINE_MAX + 1))" refused.txt || fail "the refusal does not give the length"
	cmp -s before.img disk.img || fail "a refused install changed the image"
	# exactly at the limit: arrives intact
	install_marker disk.img "$cmdline"
	boot_marker disk.img serial.log "$cmdline"
}

case_real_second_partition() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 64 --start 2048 --fs ext2 --part-num 2 --before-mib 8 --populate root disk.img)"
	sfdisk -d disk.img | grep 'disk.img1 .*type=82' >/dev/null || fail "partition 1 is not the swap partition"
	install_marker disk.img "console=ttyS0 panic=-1 layout=partition-2" --partition 2
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=partition-2"
}

case_real_partition_beyond_8gib_lba() {
	# past 1024 cylinders x 255 heads x 63 sectors = 8,422,686,720 bytes:
	# CHS cannot address it, so every read must go through LBA
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 48 --sparse-start-gib 9 --fs ext2 --populate root disk.img)"
	[ "$PART_START" -gt $((1024 * 255 * 63)) ] || fail "partition at $PART_START is within CHS reach"
	[ "$(du -k disk.img | cut -f1)" -lt $((200 * 1024)) ] || fail "image is not sparse"
	install_marker disk.img "console=ttyS0 panic=-1 layout=beyond-8gib"
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 layout=beyond-8gib"
}

case_real_bootinst_cfg_changes_next_boot() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 48 --start 2048 --fs ext2 --populate root disk.img)"
	install_marker disk.img "console=ttyS0 panic=-1 from=install"
	printf 'cmdline console=ttyS0 panic=-1 from=config-file\n' >cfg
	debugfs -w -R "write cfg /boot/bootinst.cfg" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	boot_marker disk.img first.log "console=ttyS0 panic=-1 from=config-file"
	# edit it (as the booted system would) and boot again: no re-install
	printf '# edited\ncmdline console=ttyS0 panic=-1 from=edited-config\n' >cfg
	debugfs -w -R "rm /boot/bootinst.cfg" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	debugfs -w -R "write cfg /boot/bootinst.cfg" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	boot_marker disk.img second.log "console=ttyS0 panic=-1 from=edited-config"
}

case_real_reinstall_replaces_first() {
	marker_root root
	eval "$("$E2E_LIB/make-disk.sh" --size 48 --start 2048 --fs ext2 --populate root disk.img)"
	dd if=disk.img bs=1 skip=440 count=72 status=none >table.before
	install_marker disk.img "console=ttyS0 panic=-1 install=first"
	install_marker disk.img "console=ttyS0 panic=-1 install=second" | tee second.txt
	grep -q "beside the earlier bootinst stage" second.txt || fail "the second install did not see the first"
	grep -q "cleared    LBA 1\.\.[0-9]* (an earlier stage)" second.txt || fail "the second install did not clear the first"
	# one consistent install: signature and table as made, and the stage
	# holds the second install's record only
	cmp <(dd if=disk.img bs=1 skip=440 count=72 status=none) table.before ||
		fail "re-install changed the disk signature or the partition table"
	grep -qa "install=first" <(dd if=disk.img bs=512 skip=1 count=$((PART_START - 1)) status=none) &&
		fail "the first install's record is still in the gap"
	boot_marker disk.img serial.log "console=ttyS0 panic=-1 install=second"
	if tr -d '\r' <serial.log | grep "install=first" >/dev/null; then
		fail "the first install's command line survived"
	fi
}
