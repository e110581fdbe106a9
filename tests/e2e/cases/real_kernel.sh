# real_kernel.sh - boot Debian's cloud kernel with a busybox initramfs.

case_real_kernel_initramfs_marker() {
	local kroot cmdline="console=ttyS0 panic=-1 bootinst-e2e=marker"
	kroot=$("$REPO/examples/fetch-kernel.sh")
	mkdir -p root/boot
	cp "$kroot"/boot/vmlinuz-* root/boot/vmlinuz
	"$REPO/examples/initramfs.sh" marker root/boot/initrd.img >/dev/null
	eval "$("$E2E_LIB/make-disk.sh" --size 48 --start 2048 --fs ext2 --populate root disk.img)"
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "$cmdline"
	local start=$(date +%s%N)
	QEMU_MEM=512 QEMU_TIMEOUT=120 qemu_boot disk.img serial.log || fail "QEMU exit status $?"
	echo "QEMU start to power-off: $(( ($(date +%s%N) - start) / 1000000 )) ms"
	expect_text serial.log "BOOTINST-E2E-INIT-OK"
	expect_text serial.log "cmdline: $cmdline"
	expect_text serial.log "loader-type: 0xff"
	expect_text serial.log "initrd-size: $(stat -c %s root/boot/initrd.img)"
}
