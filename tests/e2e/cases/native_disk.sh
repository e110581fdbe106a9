# native_disk.sh - the stage's native disk path (stage1/ide_dma.c): READ DMA
# through the PCI IDE controller's bus master once exactly one IDE disk
# proves to be the boot disk, the BIOS everywhere else.  Each boot is the
# probe kernel, which checks every payload word at 1 MiB and the initrd's
# checksum, so a wrong sector anywhere on either path fails the case.

# native_image: the probe kernel and a 3 MiB random initrd on an ext2
# partition at 2048, installed; the make-disk variables in the environment.
native_image() {
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	head -c $((3 * 1024 * 1024 + 7)) /dev/urandom >root/boot/initrd.img
	eval "$("$E2E_LIB/make-disk.sh" --populate root --size 32 --start 2048 --fs ext2 disk.img)"
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img \
		--cmdline "console=ttyS0 probe" "$@"
}

# boot_probe LOG [qemu args...]: boot disk.img (as qemu_boot attaches it,
# QEMU_DRIVE_OPTS included) and check the payload and the initrd.
boot_probe() {
	local log=$1
	shift
	qemu_boot disk.img "$log" "$@" || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line "$log" "PROBE end"
	expect_probe "$log" kernel_ok 1
	expect_probe "$log" initrd_sum32 "$("$SUM32" root/boot/initrd.img)"
}

# native_reads LOG: the native command count the stage reports at the end.
native_reads() {
	tr -d '\r' <"$1" | sed -n 's/^Booting Linux .*, \([0-9]*\) native reads, .*/\1/p'
}

case_native_primary_master() {
	native_image
	boot_probe serial.log
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 0, device 0)"
	# the bulk went natively: the BIOS read only what came before the choice
	# (LBA 0 again, the superblock, the descriptors, /boot, the config)
	local bios native
	bios=$(tr -d '\r' <serial.log | sed -n 's/^Booting Linux .*, \([0-9]*\) BIOS reads, .*/\1/p')
	native=$(native_reads serial.log)
	[ "$bios" -le 10 ] || fail "$bios BIOS reads"
	[ "$native" -ge 20 ] || fail "$native native reads"
}

case_native_secondary_master() {
	native_image
	QEMU_DRIVE_OPTS=",if=ide,index=2" boot_probe serial.log
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 1, device 0)"
}

# An ATAPI CD-ROM drive (empty) as secondary master, the disk as secondary
# slave: the drive is no ATA disk (DRDY clear) and is passed over.
case_native_atapi_master_disk_slave() {
	native_image
	QEMU_DRIVE_OPTS=",if=ide,index=3" boot_probe serial.log -drive if=ide,index=2,media=cdrom
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 1, device 1)"
}

# Two IDE disks that differ in one byte of the stage's string area (LBA 0
# the same), the boot disk being the second (primary slave, bootindex 0):
# only the stage sectors tell them apart, and the slave is chosen.
case_native_two_disks_boot_disk_second() {
	native_image
	cp disk.img other.img
	# the stage's last byte (string-area padding): the MBR's patch area
	# names the stage's first sector and count
	local lba sectors
	lba=$(od -An -tu4 -j $((0x1B0)) -N4 disk.img | tr -d ' ')
	sectors=$(od -An -tu2 -j $((0x1B4)) -N2 disk.img | tr -d ' ')
	printf '\x5a' | dd of=other.img bs=1 seek=$(( (lba + sectors) * 512 - 1 )) conv=notrunc status=none
	cmp -s disk.img other.img && fail "other.img is the same as disk.img"
	cmp -n 512 disk.img other.img || fail "LBA 0 differs"
	QEMU_DRIVE_OPTS=",if=none,id=boot" boot_probe serial.log \
		-drive file=other.img,format=raw,if=none,id=other \
		-device ide-hd,drive=other,bus=ide.0,unit=0 \
		-device ide-hd,drive=boot,bus=ide.0,unit=1,bootindex=0
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 0, device 1)"
}

# Two byte-identical disks: nothing tells them apart, so the BIOS reads.
case_native_two_identical_disks_use_bios() {
	native_image
	cp disk.img copy.img
	boot_probe serial.log -drive file=copy.img,format=raw,if=ide,index=1
	expect_line serial.log "disk: BIOS (more than one IDE disk holds the sectors the BIOS booted)"
	[ "$(native_reads serial.log)" = 0 ] || fail "native reads on the BIOS path"
}

case_native_q35_ahci_uses_bios() {
	native_image
	boot_probe serial.log -M q35
	expect_line serial.log "disk: BIOS (no PCI IDE controller with a bus master)"
}

# A PIIX3 IDE controller added to q35 (whose own disks are AHCI): found by
# the PCI scan at its own address, not where the pc machine has one.
case_native_piix_added_to_q35() {
	native_image
	QEMU_DRIVE_OPTS=",if=none,id=boot" boot_probe serial.log -M q35 \
		-device piix3-ide,id=added -device ide-hd,drive=boot,bus=added.0,bootindex=0
	expect_line serial.log "disk: native IDE DMA (PCI 00:02.0, channel 0, device 0)"
}

case_native_virtio_uses_bios() {
	native_image
	QEMU_DRIVE_OPTS=",if=virtio" boot_probe serial.log
	# PIIX's IDE controller is there, with no disk on it
	expect_line serial.log "disk: BIOS (no IDE disk holds the sectors the BIOS booted)"
}

# A native read that fails mid-load (QEMU's blkdebug fails one read of a
# sector inside the initrd, once): E43, the rest through the BIOS, which
# reads that sector fine, and the boot goes on with every byte right.
case_native_read_error_falls_back_to_bios_e43() {
	native_image
	local sector
	sector=$("$BOOTINST" info disk.img --json |
		python3 -c 'import json,sys; e=json.load(sys.stdin)["boot"]["initrd"]["extents"]; print(e[len(e)//2]["lba"] + 3)')
	cat >blkdebug.conf <<-EOF2
	[inject-error]
	event = "read_aio"
	errno = "5"
	sector = "$sector"
	once = "on"
	EOF2
	qemu_boot "blkdebug:blkdebug.conf:disk.img" serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line serial.log "disk: native IDE DMA (PCI 00:01.1, channel 0, device 0)"
	# error 0x04 (ABRT), status 0x41 (DRDY, ERR): QEMU's answer to an EIO
	expect_text serial.log "bootinst: E43: native IDE read at sector "
	expect_text serial.log "failed (ATA error and status 0x0441); reading on through the BIOS"
	expect_line serial.log "PROBE end"
	expect_probe serial.log kernel_ok 1
	expect_probe serial.log initrd_sum32 "$("$SUM32" root/boot/initrd.img)"
}

# The switch: install --bios-disk, and 'disk bios' in bootinst.cfg.
case_native_bios_disk_switches() {
	native_image --bios-disk
	"$BOOTINST" info disk.img | grep -F "(reads through the BIOS only: --bios-disk)" >/dev/null ||
		fail "info does not show --bios-disk"
	boot_probe serial.log
	expect_line serial.log "disk: BIOS (installed with --bios-disk)"
	[ "$(native_reads serial.log)" = 0 ] || fail "native reads with --bios-disk"

	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img \
		--cmdline "console=ttyS0 probe" -q
	printf 'disk bios\n' >bootinst.cfg
	debugfs -w -R "write bootinst.cfg /boot/bootinst.cfg" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	"$BOOTINST" check disk.img -v >check.out 2>&1 || { cat check.out; fail "check failed"; }
	grep -F "disk bios (the stage reads through the BIOS only)" check.out >/dev/null ||
		fail "check -v does not say disk bios"
	boot_probe serial2.log
	expect_line serial2.log "disk: BIOS (bootinst.cfg says 'disk bios')"
}
