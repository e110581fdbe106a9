# block_device.sh - install and check on a block device rather than an image
# file: a loop device over a disk image (the suite runs as root).  A
# mounted device is refused with I04 and nothing written; --force writes.
# Whether a device is mounted is libext2fs's answer
# (ext2fs_check_if_mounted); a partition of a loop device has no node in
# a container without udev, so the library's own test switch
# EXT2FS_PRETEND_RW_MOUNT stands in for the mount, and bootinst's refusal,
# message and no-write promise are what is tested.

# loop_attach IMAGE: a loop device over IMAGE in $LOOP, detached when the
# case's shell exits.
loop_attach() {
	LOOP=$(losetup --find --show "$1") || fail "losetup could not attach $1 (no loop devices?)"
	# shellcheck disable=SC2064
	trap "losetup -d '$LOOP' 2>/dev/null || true" EXIT
}

case_block_device_mounted_refused_i04() {
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	eval "$("$E2E_LIB/make-disk.sh" --size 16 --start 2048 --fs ext2 --populate root disk.img)"
	loop_attach disk.img
	sha256sum <"$LOOP" >before.sum

	local rc=0
	EXT2FS_PRETEND_RW_MOUNT=1 "$BOOTINST" install "$LOOP" >install.out 2>&1 || rc=$?
	cat install.out
	[ $rc -eq 1 ] || fail "install on a mounted device exited $rc, not 1"
	expect_text install.out "$LOOP: I04: $LOOP is mounted"
	expect_text install.out "not installed: 1 error"
	sha256sum <"$LOOP" | cmp -s - before.sum || fail "install wrote to a mounted device"

	# --force writes anyway, and says what it risks
	EXT2FS_PRETEND_RW_MOUNT=1 "$BOOTINST" install --force "$LOOP" >forced.out 2>&1 ||
		fail "install --force on a mounted device failed: $(cat forced.out)"
	cat forced.out
	expect_text forced.out "warning: I04: $LOOP is mounted"
	expect_text forced.out "installed"
	# what was installed is whole: no loader finding (the probe's root has
	# no init, which the kernel-side predictions rightly report)
	"$BOOTINST" check "$LOOP" >check.out 2>&1 || true
	! grep -E '^[EMI][0-9]' check.out || fail "check finds the forced install damaged"
}
