# failures.sh - every failure the MBR code and the stage can meet at boot,
# forced on a disk that `bootinst install` made good and that was then
# broken the way real disks get broken (a byte overwritten, a partition
# resized, a file replaced).  Each boot must end in the catalog's report on
# serial - the exact "bootinst: CODE: message" line with this disk's
# numbers, the catalog's fix and the reboot prompt - within a bounded time.
#
# The probe kernel (tests/probe) stands in for Linux wherever what is
# booted does not matter: it is small and boots in about a second.
#
# Not forced here: E18/M18 (CHS limits: chs.sh and mbr.sh), E05 (the stage
# never parses the whole table; `bootinst check` finds it offline).  E42
# cannot be met honestly in QEMU, whose A20 always works: its case below
# makes the stage's entry take the "nothing worked" branch, so that what
# the stage then does (report, not hang) is what is tested.

# The image-making and image-breaking helpers the regression folders use.
# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

STAGE_FAIL_PROMPT="Press a key to reboot."   # stage1/main.c fail()
MBR_FAIL_PROMPT="Press a key"                 # asm/mbr.asm msg_key

# boot_to_failure: boot disk.img until the stage's prompt.
boot_to_failure() {
	qemu_boot_until disk.img serial.log "$STAGE_FAIL_PROMPT" 20
}

# --- the stage's own image and install record ------------------------------

case_fail_e06_stage_checksum() {
	installed_probe
	# one byte of the recorded command line
	printf 'X' | dd of=disk.img bs=1 seek="$(rec_cmdline_byte disk.img)" conv=notrunc status=none
	boot_to_failure
	expect_diag serial.log E06 "the stage is damaged or does not match the MBR code: stage checksum does not match"
}

# A sector of the packed C part zeroed: the head's check stops it before
# anything is unpacked or run (it used to run as code, and hang silently).
case_fail_e06_stage_sector_zeroed() {
	installed_probe
	dd if=/dev/zero of=disk.img bs=512 seek=10 count=1 conv=notrunc status=none
	boot_to_failure
	expect_diag serial.log E06 "the stage is damaged or does not match the MBR code: stage checksum does not match"
}

case_fail_e22_partition_resized() {
	installed_probe
	[ "$PART_START" = 2048 ] && [ "$PART_SECTORS" = 30720 ] || fail "layout $PART_START+$PART_SECTORS"
	resize_partition1 20000
	boot_to_failure
	expect_diag serial.log E22 "partition 1 is missing or has changed since install (recorded start 2048, 30720 sectors)"
}

case_fail_e22_partition_moved() {
	installed_probe
	echo '4096,20000' | sfdisk --no-reread --no-tell-kernel -q -N 1 disk.img
	boot_to_failure
	expect_diag serial.log E22 "partition 1 is missing or has changed since install (recorded start 2048, 30720 sectors)"
}

case_fail_e42_a20() {
	installed_probe
	# In asm/entry.asm, `jnc a20_on` (2 bytes) ends right where a20_failed
	# starts: two NOPs there send every boot down the failure branch.  The
	# head is not packed; with the checksum made again for the patched
	# image, its own check lets it run.
	local addr
	addr=$(nm "$BUILD/stage.elf" | awk '$3 == "a20_failed" { print $1 }')
	[ -n "$addr" ] || fail "no a20_failed symbol in $BUILD/stage.elf"
	printf '\x90\x90' | dd of=disk.img bs=1 seek=$((512 + 0x$addr - 0x8000 - 2)) conv=notrunc status=none
	restamp_stage_checksum disk.img
	boot_to_failure
	expect_diag serial.log E42 "cannot enable the A20 address line (tried the BIOS, port 92h and the keyboard controller)"
}

# --- mounting -----------------------------------------------------------------

case_fail_e17_superblock_magic() {
	installed_probe
	# s_magic, 56 bytes into the superblock at byte 1024 (ext2 layout)
	put_le16 disk.img $((FS_OFFSET + 1024 + 56)) 0
	boot_to_failure
	expect_diag serial.log E17 "cannot mount the partition: no ext2 superblock magic (0xEF53) at byte 1080"
}

case_fail_e17f_incompat_feature() {
	# ext2 has no metadata_csum, so debugfs's edit needs no new checksum
	installed_probe
	fs_debugfs "feature encrypt"
	dumpe2fs -h "disk.img?offset=$FS_OFFSET" 2>/dev/null | grep '^Filesystem features:.* encrypt' >/dev/null ||
		fail "debugfs did not set the encrypt feature"
	boot_to_failure
	expect_diag serial.log E17F "cannot mount the partition: it uses the filesystem feature encrypt (incompat 0x010000), which bootinst cannot read"
}

# --- finding the files --------------------------------------------------------

case_fail_e16_directory_rec_len() {
	installed_probe
	local dir_block
	dir_block=$(fs_debugfs "blocks /boot" | awk '{ print $1 }')
	# rec_len of /boot's first entry ("."), 4 bytes into the block: 5 is
	# below the 12-byte minimum and not a multiple of 4
	put_le16 disk.img $((FS_OFFSET + dir_block * FS_BLOCK_SIZE + 4)) 5
	boot_to_failure
	# the config lookup meets it first and is skipped; the kernel's stops;
	# both name the directory they were reading
	expect_line serial.log "bootinst: E16: inconsistent filesystem structure: directory entry length (rec_len) (5, limit $FS_BLOCK_SIZE) while reading /boot/"
	expect_line serial.log "  (ignoring it: booting the settings recorded at install)"
	expect_diag serial.log E16 "inconsistent filesystem structure: directory entry length (rec_len) (5, limit $FS_BLOCK_SIZE) while reading /boot/"
}

case_fail_e15_kernel_deleted() {
	installed_probe
	fs_debugfs "rm /boot/vmlinuz"
	boot_to_failure
	expect_diag serial.log E15 "file not found: /boot/vmlinuz"
}

case_fail_e02_kernel_is_directory() {
	installed_probe
	fs_debugfs "rm /boot/vmlinuz"
	fs_debugfs "mkdir /boot/vmlinuz"
	boot_to_failure
	expect_diag serial.log E02 "/boot/vmlinuz is not a regular file"
}

case_fail_e26_symlink_loop() {
	installed_probe
	fs_debugfs "rm /boot/vmlinuz"
	fs_debugfs "symlink /boot/vmlinuz /boot/vmlinuz"
	boot_to_failure
	expect_diag serial.log E26 "too many symbolic links (more than 8) while looking up /boot/vmlinuz"
}

# --- reading the files ----------------------------------------------------------

case_fail_e24_fs_larger_than_partition() {
	# the tutorials' mistake, with the kernel past the partition's end
	# (tests/regress/lib.sh says how)
	tutorial_fs_past_partition
	boot_to_failure
	expect_diag serial.log E24 "block 32100 of /boot/vmlinuz lies past the end of its partition (it reaches sector 64201 of the partition; the last is 64196)"
}

case_fail_e24_boot_directory_past_partition() {
	# the same with /boot's own directory block past the end: the report
	# names the directory, not the file its lookup never reached
	tutorial_fs_past_partition boot-dir-past
	boot_to_failure
	expect_line serial.log "bootinst: E24: block 32100 of /boot/ lies past the end of its partition (it reaches sector 64201 of the partition; the last is 64196)"
	expect_diag serial.log E24 "block 32100 of /boot/ lies past the end of its partition (it reaches sector 64201 of the partition; the last is 64196)"
}

case_fail_e16_inode_table_pointer_wrong() {
	installed_probe
	# group 0's inode table pointer moved to a block of zeros: the root
	# inode reads as free - a damaged filesystem (E16, run e2fsck), not
	# "/ is not a directory" (E02)
	local zero_block
	# a free block of the new image: never written, zeros
	zero_block=$(fs_debugfs "ffb 1 1000" | sed -n 's/^Free blocks found: *//p')
	fs_debugfs "setb $zero_block"
	fs_debugfs "set_bg 0 inode_table $zero_block"
	fs_debugfs "set_bg 0 checksum calc"
	boot_to_failure
	expect_diag serial.log E16 "inconsistent filesystem structure: inode free or not of its directory entry's type: inode (2, limit $(dumpe2fs -h "disk.img?offset=$FS_OFFSET" 2>/dev/null | sed -n 's/^Inode count: *//p')) while reading /boot/vmlinuz"
}

case_fail_e25_read_past_disk_end() {
	installed_probe
	local block sector
	block=$(first_block_from /boot/vmlinuz 0)
	sector=$((PART_START + block * FS_BLOCK_SIZE / 512))
	# the disk ends where the kernel begins; the table still covers it
	truncate -s $((sector * 512)) disk.img
	boot_to_failure
	expect_diag serial.log E25 "disk read error at sector $sector: BIOS status 0x01"
}

case_fail_e14_kernel_truncated() {
	installed_probe
	local setup_bytes need
	setup_bytes=$((($(get_u8 "$PROBE" $BZ_SETUP_SECTS_OFF) + 1) * 512))
	need=$((setup_bytes + $(get_le32 "$PROBE" $BZ_SYSSIZE_OFF) * 16))
	head -c 300000 "$PROBE" >short
	replace_file /boot/vmlinuz short
	boot_to_failure
	expect_diag serial.log E14 "cannot read the whole of /boot/vmlinuz: got 300000 of $need bytes"
}

# --- the kernel's header ----------------------------------------------------------

case_fail_e13_kernel_garbage() {
	installed_probe
	head -c "$(stat -c %s "$PROBE")" /dev/zero | tr '\0' 'x' >garbage
	replace_file /boot/vmlinuz garbage
	boot_to_failure
	expect_diag serial.log E13 "/boot/vmlinuz is not a Linux bzImage: no 0xAA55 boot flag at 0x1FE"
}

case_fail_e13p_protocol_too_old() {
	installed_probe
	cp "$PROBE" old
	put_le16 old $BZ_VERSION_OFF 0x0201
	replace_file /boot/vmlinuz old
	boot_to_failure
	expect_diag serial.log E13P "/boot/vmlinuz uses Linux boot protocol 0x0201; bootinst needs 2.02 (0x0202) or newer"
}

case_fail_e07_loads_below_1mb() {
	installed_probe
	cp "$PROBE" low
	put_u8 low $BZ_LOADFLAGS_OFF $(($(get_u8 low $BZ_LOADFLAGS_OFF) & ~1))
	replace_file /boot/vmlinuz low
	boot_to_failure
	expect_diag serial.log E07 "/boot/vmlinuz is a zImage that must load below 1 MiB"
}

# --- memory ----------------------------------------------------------------------

case_fail_e28_init_size_too_big() {
	# the kernel says it needs 128 MiB from 1 MiB up; the machine has 64
	cp "$PROBE" hungry.bzImage
	put_le32 hungry.bzImage $BZ_INIT_SIZE_OFF $((128 << 20))
	PROBE_KERNEL=$WORK/hungry.bzImage installed_probe
	QEMU_MEM=64 boot_to_failure
	local available
	available=$(tr -d '\r' <serial.log | sed -n 's/.*needs 134217728 bytes, \([0-9]*\) available.*/\1/p')
	# all of RAM from 1 MiB up, less what the BIOS keeps at its top
	[ -n "$available" ] && [ "$available" -le $((63 << 20)) ] && [ "$available" -gt $((62 << 20)) ] ||
		fail "available '$available' is not about 63 MiB"
	expect_diag serial.log E28 "/boot/vmlinuz does not fit in memory: needs 134217728 bytes, $available available (RAM from 1 MiB up)"
}

case_fail_e28_initrd_too_big() {
	installed_probe
	# 70 MiB of zeros: a sparse file in the filesystem, cheap to make
	truncate -s 70M big.img
	fs_debugfs "write big.img /boot/initrd.img"
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "console=ttyS0" >/dev/null
	QEMU_MEM=64 boot_to_failure
	local available
	available=$(tr -d '\r' <serial.log | sed -n 's/.*needs 73400320 bytes, \([0-9]*\) available.*/\1/p')
	[ -n "$available" ] && [ "$available" -lt 73400320 ] || fail "available '$available'"
	expect_diag serial.log E28 "/boot/initrd.img does not fit in memory: needs 73400320 bytes, $available available (RAM above the kernel and below initrd_addr_max)"
}

# --- the command line and bootinst.cfg ---------------------------------------------

case_fail_e40_cmdline_too_long() {
	nasm -f bin -DCMDLINE_SIZE=100 -DPAYLOAD_KIB=64 -o probe100.bzImage "$REPO/tests/probe/probe.asm"
	PROBE_KERNEL=$WORK/probe100.bzImage installed_probe
	# install checked its own short line; a config edited later is longer
	printf 'cmdline console=ttyS0 %0186d\n' 0 >cfg
	fs_debugfs "write cfg /boot/bootinst.cfg"
	boot_to_failure
	expect_diag serial.log E40 "the command line is 200 bytes; the kernel accepts at most 100"
}

case_fail_e41_config_syntax_boots_recorded() {
	installed_probe
	printf '# edited by hand\nkernel vmlinuz\ncmdline not-used\n' >cfg
	fs_debugfs "write cfg /boot/bootinst.cfg"
	qemu_boot_until disk.img serial.log "PROBE end" 20
	expect_line serial.log "bootinst: E41: /boot/bootinst.cfg line 2: the path is not absolute (it must start with /)"
	expect_line serial.log "  fix: $(catalog_entry E41 fix)"
	expect_line serial.log "  (ignoring it: booting the settings recorded at install)"
	# and the boot goes on with what install recorded
	expect_line serial.log "PROBE cmdline=console=ttyS0 root=/dev/sda1"
	expect_probe serial.log kernel_ok 1
}

# --- the MBR code: the code alone, on COM1 and on the screen (tests/e2e/cases/
# mbr.sh has the rest of its failure path) -------------------------------------------

case_fail_m06_stage_magic_zeroed() {
	installed_probe
	dd if=/dev/zero of=disk.img bs=1 seek=$STAGE_MAGIC_OFF count=8 conv=notrunc status=none
	qemu_boot_until disk.img serial.log "$MBR_FAIL_PROMPT" 20
	expect_line serial.log "bootinst: M06"   # no BIOS status: M06 has none
}

case_fail_m25_stage_past_disk_end() {
	installed_probe
	# the 16 MiB disk has 32768 sectors
	put_le32 disk.img $MBR_STAGE_LBA_OFF 40000
	qemu_boot_until disk.img serial.log "$MBR_FAIL_PROMPT" 20
	expect_line serial.log "bootinst: M25 01"
}
