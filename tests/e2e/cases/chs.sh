# chs.sh - the CHS paths a BIOS without INT 13h extensions takes.  SeaBIOS
# has the extensions, so these cases use a test build of the MBR code
# (nasm -DTEST_FORCE_CHS) that skips the AH=41h check, and the stage's
# --force-chs install flag.  The MBR code writes its report on COM1 as
# well as on the screen, so plain serial shows it.

# chs_mbr IMAGE: replace the boot code (bytes 0..0x1AD, before the patch
# area) with the CHS-only test build.
chs_mbr() {
	nasm -f bin -I"$BUILD/gen/" -DMBR_MAP_FILE=mbr-chs.map -DTEST_FORCE_CHS \
		-o mbr-chs.bin "$REPO/asm/mbr.asm"
	dd if=mbr-chs.bin of="$1" bs=1 count=$((0x1AE)) conv=notrunc status=none
}

probe_disk() {
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	eval "$("$E2E_LIB/make-disk.sh" --size 16 --start 2048 --fs ext2 --populate root disk.img)"
}

case_chs_mbr_reads_stage_sector_by_sector() {
	probe_disk
	"$BOOTINST" install disk.img --cmdline "mbr=chs"
	chs_mbr disk.img
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line serial.log "PROBE cmdline=mbr=chs"
	expect_probe serial.log kernel_ok 1
}

case_chs_mbr_stage_beyond_chs_m18() {
	probe_disk
	"$BOOTINST" install disk.img
	chs_mbr disk.img
	# point the patch area's stage_lba (0x1B0) past cylinder 1023 of any
	# geometry: 1024 x 255 x 63 sectors
	printf '\x00\x00\x00\x01' | dd of=disk.img bs=1 seek=$((0x1B0)) conv=notrunc status=none
	qemu_boot_until disk.img serial.log "Press a key" 30
	expect_line serial.log "bootinst: M18"
}

case_chs_stage_reads_kernel_with_chs() {
	probe_disk
	head -c $((2 * 1024 * 1024 + 7)) /dev/urandom >initrd.img
	debugfs -w -R "write initrd.img /boot/initrd.img" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	"$BOOTINST" install disk.img --initrd /boot/initrd.img --cmdline "stage=chs" --force-chs
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_text serial.log "CHS reads:"
	expect_line serial.log "PROBE cmdline=stage=chs"
	expect_probe serial.log kernel_ok 1
	expect_probe serial.log initrd_sum32 "$("$SUM32" initrd.img)"
}

case_chs_stage_partition_beyond_chs_e18() {
	# a partition at 9 GiB: past 1024 cylinders of any geometry
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	eval "$("$E2E_LIB/make-disk.sh" --size 16 --sparse-start-gib 9 --fs ext2 --populate root disk.img)"
	"$BOOTINST" install disk.img --force-chs
	qemu_boot_until disk.img serial.log "Press a key to reboot." 30
	# the limit is the geometry the stage printed; the sector, the first
	# one it asked for past it, must be past the partition's start
	local c h s sector
	read -r c h s < <(tr -d '\r' <serial.log |
		sed -n 's/^CHS reads: \([0-9]*\) cylinders, \([0-9]*\) heads, \([0-9]*\) sectors$/\1 \2 \3/p')
	[ -n "$s" ] || fail "no CHS geometry line"
	sector=$(tr -d '\r' <serial.log | sed -n 's/^bootinst: E18: sector \([0-9]*\) .*/\1/p')
	[ -n "$sector" ] && [ "$sector" -ge "$PART_START" ] || fail "E18 names sector '$sector', before the partition"
	expect_diag serial.log E18 "sector $sector is beyond what CHS can reach ($((c * h * s)) sectors), and the stage reads with CHS: installed with --force-chs"
}
