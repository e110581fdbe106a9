# probe.sh - boot the probe kernel (tests/probe) with bootinst and check,
# field by field, what it received against the Linux boot protocol.

# probe_image DIR INITRD_OR_EMPTY [make-disk options...]
#   Puts build/probe/probe.bzImage (and INITRD) in DIR/root/boot and makes
#   DIR/disk.img from it; leaves the make-disk variables in the environment.
probe_image() {
	local dir=$1 initrd=$2
	shift 2
	mkdir -p "$dir/root/boot"
	cp "${PROBE_KERNEL:-$PROBE}" "$dir/root/boot/vmlinuz"
	[ -z "$initrd" ] || cp "$initrd" "$dir/root/boot/initrd.img"
	eval "$("$E2E_LIB/make-disk.sh" --populate "$dir/root" "$@" "$dir/disk.img")"
}

# check_handoff LOG CMDLINE INITRD_OR_EMPTY: the fields every boot must get
# right (boot.rst "Running the Kernel", "Details of Header Fields").
check_handoff() {
	local log=$1 cmdline=$2 initrd=$3
	expect_line "$log" "PROBE end"
	expect_probe "$log" kernel_ok 1                  # every payload word at 1 MiB
	expect_probe "$log" entry_cs 0x00003020          # setup at 0x30000, CS = seg + 0x20
	expect_probe "$log" entry_ds 0x00003000
	expect_probe "$log" entry_es 0x00003000
	expect_probe "$log" entry_ss 0x00003000
	expect_probe "$log" entry_fs 0x00003000
	expect_probe "$log" entry_gs 0x00003000
	expect_probe "$log" entry_sp 0x0000e000          # the heap end
	expect_probe "$log" entry_if 0                   # interrupts off
	expect_probe "$log" type_of_loader 0x000000ff    # no assigned loader id
	expect_probe "$log" loadflags 0x00000081         # LOADED_HIGH | CAN_USE_HEAP
	expect_probe "$log" heap_end_ptr 0x0000de00      # 0xe000 - 0x200
	expect_probe "$log" cmd_line_ptr 0x0003e000
	expect_line "$log" "PROBE cmdline=$cmdline"
	expect_probe "$log" cmdline_len "$(printf '0x%08x' ${#cmdline})"
	if [ -n "$initrd" ]; then
		local size addr
		size=$(stat -c %s "$initrd")
		expect_probe "$log" ramdisk_size "$(printf '0x%08x' "$size")"
		expect_probe "$log" initrd_sum32 "$("$SUM32" "$initrd")"
		addr=$(probe_value "$log" ramdisk_image)
		# highest 4 KiB-aligned place below the top of RAM
		[ $((addr % 4096)) -eq 0 ] || fail "initrd at $addr is not page aligned"
		[ $((addr + size)) -le $(( ${QEMU_MEM:-256} * 1024 * 1024 )) ] || fail "initrd at $addr runs past RAM"
		[ $((addr + size)) -gt $(( (${QEMU_MEM:-256} - 1) * 1024 * 1024 )) ] ||
			fail "initrd at $addr is not as high as RAM allows"
	else
		expect_probe "$log" ramdisk_image 0x00000000
		expect_probe "$log" ramdisk_size 0x00000000
	fi
}

case_probe_ext2_handoff() {
	head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >initrd.img
	probe_image "$WORK" initrd.img --size 32 --start 2048 --fs ext2
	local cmdline="console=ttyS0 root=/dev/sda1 probe \"quoted\" x=1"
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "$cmdline"
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	check_handoff serial.log "$cmdline" initrd.img
}

case_probe_ext4_defaults_handoff() {
	head -c $((1024 * 1024 + 4095)) /dev/urandom >initrd.img
	# ext4 as today's mke2fs makes it: 64bit, metadata_csum, flex_bg,
	# extents, 256-byte inodes; and metadata_csum_seed, which GRUB 2.06 missed
	probe_image "$WORK" initrd.img --size 64 --start 2048 --fs ext4 --block-size 4096 \
		--mkfs-opt -O --mkfs-opt metadata_csum_seed,64bit
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "console=ttyS0"
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	check_handoff serial.log "console=ttyS0" initrd.img
}

case_probe_setup_sects_zero_no_initrd() {
	# setup_sects = 0 means 4 (boot.rst); no initrd; an empty command line
	mkdir -p probe
	nasm -f bin -DSETUP_SECTS=0 -DCMDLINE_SIZE=100 -DPAYLOAD_KIB=64 -o probe/probe.bzImage \
		"$REPO/tests/probe/probe.asm"
	PROBE_KERNEL=$WORK/probe/probe.bzImage probe_image "$WORK" "" --size 16 --start 2048 --fs ext2
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	check_handoff serial.log "" ""
	expect_probe serial.log cmdline_size 0x00000064
}

case_probe_bootinst_cfg_overrides_record() {
	probe_image "$WORK" "" --size 16 --start 2048 --fs ext2
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --cmdline "recorded at install"
	qemu_boot disk.img first.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line first.log "PROBE cmdline=recorded at install"
	# now edit the config inside the filesystem, as a booted system would
	printf '# changed after install\ncmdline console=ttyS0 from-the-config-file\n' >cfg
	debugfs -w -R "write cfg /boot/bootinst.cfg" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	qemu_boot disk.img second.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line second.log "PROBE cmdline=console=ttyS0 from-the-config-file"
	expect_text second.log "Using /boot/bootinst.cfg"
}
