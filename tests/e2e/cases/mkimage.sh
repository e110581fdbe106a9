# mkimage.sh - `bootinst mkimage`: a folder and a kernel to an image that
# boots, with the filesystem never larger than its partition (the
# tutorials' Error 24 cannot happen), as a normal user, and OUT touched
# only by a whole, checked image.

# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

FAULT_SO=$BUILD/fault/fault_inject.so

# A command line that boots the tree below (bootinst check then finds no
# error: mkimage makes nothing it finds an error in).
GOOD="console=ttyS0 root=/dev/sda1"

# mk_tree: tree/ with a busybox init, a symlink, a hard link, a sparse file
# and a setuid file.
mk_tree() {
	rm -rf tree
	mkdir -p tree/sbin tree/bin tree/etc tree/data
	cp /bin/busybox tree/bin/busybox
	ln -s ../bin/busybox tree/sbin/init
	ln tree/bin/busybox tree/bin/sh
	truncate -s 50M tree/data/sparse
	printf 'x' | dd of=tree/data/sparse bs=1 seek=$((20 * 1024 * 1024)) conv=notrunc status=none
	echo 'set' >tree/data/suid
	chmod 4755 tree/data/suid
}

# fs_field IMAGE OFFSET FIELD: a superblock field as dumpe2fs prints it.
fs_field() {
	dumpe2fs -h "$1?offset=$2" 2>/dev/null | sed -n "s/^$3: *//p"
}

# expect_fs_fits IMAGE: the filesystem ends inside partition 1.
expect_fs_fits() {
	local start sectors blocks bs
	read -r start sectors < <(sfdisk -d "$1" | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p')
	blocks=$(fs_field "$1" $((start * 512)) "Block count")
	bs=$(fs_field "$1" $((start * 512)) "Block size")
	[ -n "$blocks" ] && [ -n "$bs" ] || fail "$1: no filesystem at sector $start"
	[ $((blocks * bs)) -le $((sectors * 512)) ] ||
		fail "$1: the filesystem is $((blocks * bs)) bytes, its partition $((sectors * 512))"
	# and it fills it: less than a block is left
	[ $((sectors * 512 - blocks * bs)) -lt "$bs" ] || fail "$1: the filesystem leaves a block of its partition unused"
}

# in_image IMAGE COMMAND: debugfs on partition 1 (which starts at 2048
# unless the test says otherwise).
in_image() {
	debugfs -R "$2" "$1?offset=$((${3:-2048} * 512))" 2>/dev/null
}

case_mkimage_fs_fits_partition_every_layout() {
	local fs bs start
	mk_tree
	for fs in ext2 ext3 ext4; do
		for bs in 1024 2048 4096; do
			for start in 63 2048; do
				rm -f disk.img
				"$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" --fs "$fs" --block-size "$bs" \
					--part-start "$start" --cmdline "$GOOD" -q ||
					fail "$fs, $bs-byte blocks, start $start: mkimage failed"
				expect_fs_fits disk.img
				"$BOOTINST" check disk.img >check.out 2>&1 || true
				! grep -E '^[EMI][0-9]' check.out || fail "$fs/$bs/$start: check finds the loader broken"
				echo "$fs, $bs-byte blocks, start $start: $(stat -c %s disk.img) bytes, fits"
			done
		done
	done
}

case_mkimage_sizes_smallest_to_sparse_4g() {
	local min_blocks min_mib
	mk_tree
	"$BOOTINST" mkimage small.img --root tree --kernel "$PROBE" --cmdline "$GOOD" --json >plan.json
	min_blocks=$(sed -n 's/.*"min_blocks": \([0-9]*\).*/\1/p' plan.json)
	min_mib=$(( (2048 * 512 + min_blocks * 4096 + 1048575) / 1048576 ))
	# the smallest size it names fits; a MiB less is refused, nothing made
	"$BOOTINST" mkimage min.img --root tree --kernel "$PROBE" --cmdline "$GOOD" --size "${min_mib}M" -q ||
		fail "the smallest size, ${min_mib} MiB, did not fit"
	expect_fs_fits min.img
	! "$BOOTINST" mkimage less.img --root tree --kernel "$PROBE" --cmdline "$GOOD" --size "$((min_mib - 1))M" 2>less.err ||
		fail "$((min_mib - 1)) MiB was accepted"
	expect_text less.err "is too small: the content is"
	expect_text less.err "the smallest image that holds it is ${min_mib} MiB"
	[ ! -e less.img ] || fail "a refused mkimage left less.img"
	# a sparse 4 GiB image: the filesystem fills it, the file stays small
	"$BOOTINST" mkimage big.img --root tree --kernel "$PROBE" --cmdline "$GOOD" --size 4G -q || fail "4 GiB failed"
	[ "$(stat -c %s big.img)" = $((4 * 1024 * 1024 * 1024)) ] || fail "big.img is not 4 GiB"
	[ "$(du -k big.img | cut -f1)" -lt $((200 * 1024)) ] || fail "big.img is not sparse: $(du -h big.img)"
	expect_fs_fits big.img
}

case_mkimage_tree_kept_and_owned_by_root_as_a_user() {
	mk_tree
	printf '/dev d 755 0 0 - - - - -\n/dev/console c 600 0 0 5 1 - - -\n/dev/ttyS c 660 0 5 4 64 0 1 2\n' >devices
	cp "$PROBE" probe.bzImage
	chown -R nobody . && chmod 755 .
	chmod 4755 tree/data/suid          # (chown clears the setuid bit)
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BOOTINST" mkimage disk.img --root tree --kernel probe.bzImage --device-table devices \
		--cmdline "console=ttyS0 root=/dev/sda1" >made.out 2>&1 || fail "mkimage as nobody: $(cat made.out)"
	[ "$(stat -c %U disk.img)" = nobody ] || fail "the image is not the user's"
	in_image disk.img "stat /data/suid" >suid.txt
	grep -q 'Mode:  04755' suid.txt || fail "the setuid mode was lost: $(grep Mode suid.txt)"
	grep -q 'User:     0   Group:     0' suid.txt || fail "not owned by root: $(grep User suid.txt)"
	in_image disk.img "stat /bin/sh" | grep 'Links: 2' >/dev/null || fail "the hard link is not one inode"
	[ "$(in_image disk.img "stat /sbin/init" | sed -n 's/.*Fast link dest: "\(.*\)"/\1/p')" = ../bin/busybox ] ||
		fail "the symlink is not kept"
	in_image disk.img "stat /data/sparse" >sparse.txt
	grep -q 'Size: 52428800' sparse.txt || fail "the sparse file's size changed"
	[ "$(sed -n 's/.*Blockcount: \([0-9]*\).*/\1/p' sparse.txt)" -lt 1000 ] || fail "the sparse file is not sparse"
	in_image disk.img "stat /dev/console" | grep 'Type: character special' >/dev/null || fail "no /dev/console"
	in_image disk.img "stat /dev/console" | grep 'Device major/minor number: 05:01' >/dev/null || fail "/dev/console is not 5,1"
	in_image disk.img "stat /dev/ttyS1" | grep 'Device major/minor number: 04:65' >/dev/null || fail "/dev/ttyS1 is not 4,65"
	in_image disk.img "stat /dev/ttyS1" | grep 'Group:     5' >/dev/null || fail "/dev/ttyS1 is not group 5"
	# check sees /dev/console: no L09
	"$BOOTINST" check disk.img >check.out 2>&1 || true
	! grep -q L09 check.out || fail "check still misses /dev/console"
}

case_mkimage_existing_out_kept_without_force() {
	mk_tree
	echo "precious" >disk.img
	! "$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" 2>exists.err || fail "an existing OUT was replaced"
	expect_text exists.err "disk.img: output: it exists already"
	expect_text exists.err "--force to replace it"
	[ "$(cat disk.img)" = precious ] || fail "the existing OUT changed"
	"$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" --cmdline "$GOOD" --force -q ||
		fail "--force did not replace it"
	expect_fs_fits disk.img
}

case_mkimage_killed_or_failed_leaves_no_out() {
	# Killed at each of its write calls, or with that call failing: either
	# it reports the failure and there is no OUT and no file left in the
	# folder, or (a failed fsync its own later fsync makes good) there is a
	# whole OUT that bootinst check passes; an OUT it was to replace (with
	# --force) is as it was unless replaced by a whole image.
	local n calls rc
	mk_tree
	mkdir -p work
	mkdir -p "$BUILD/fault"
	[ "$FAULT_SO" -nt "$REPO/tests/fault/fault_inject.c" ] ||
		gcc -O2 -Wall -shared -fPIC -o "$FAULT_SO" "$REPO/tests/fault/fault_inject.c" -ldl
	rm -f calls.log
	BOOTINST_FAULT_LOG=$PWD/calls.log LD_PRELOAD=$FAULT_SO \
		"$BOOTINST" mkimage work/disk.img --root tree --kernel "$PROBE" --cmdline "$GOOD" -q ||
		fail "a clean mkimage failed"
	calls=$(wc -l <calls.log)
	echo "mkimage: $calls write-family calls (mke2fs's not counted)"
	echo "old" >old.img
	for n in $(seq 1 "$calls"); do
		for mode in kill fail; do
			rm -rf work && mkdir work
			cp old.img work/old.img
			rc=0
			BOOTINST_FAULT_AT=$n BOOTINST_FAULT=$mode LD_PRELOAD=$FAULT_SO \
				"$BOOTINST" mkimage work/disk.img --root tree --kernel "$PROBE" --cmdline "$GOOD" -q \
				2>/dev/null || rc=$?
			if [ $rc -eq 0 ]; then
				[ $mode = fail ] || fail "call $n: killed, yet mkimage exited 0"
				"$BOOTINST" check work/disk.img >/dev/null 2>&1 || fail "call $n ($mode): exit 0 and a broken OUT"
				rm work/disk.img
			fi
			[ "$(ls -A work)" = old.img ] || fail "call $n ($mode): left $(ls -A work | tr '\n' ' ')"
			rc=0
			BOOTINST_FAULT_AT=$n BOOTINST_FAULT=$mode LD_PRELOAD=$FAULT_SO \
				"$BOOTINST" mkimage work/old.img --force --root tree --kernel "$PROBE" --cmdline "$GOOD" \
				-q 2>/dev/null || rc=$?
			if [ $rc -eq 0 ]; then
				"$BOOTINST" check work/old.img >/dev/null 2>&1 || fail "call $n ($mode): replaced by a broken image"
			else
				[ "$(cat work/old.img)" = old ] || fail "call $n ($mode): the OUT it was to replace changed"
			fi
			[ "$(ls -A work)" = old.img ] || fail "call $n ($mode): left $(ls -A work | tr '\n' ' ')"
		done
	done
}

case_mkimage_refuses_bad_kernel_and_layout() {
	mkdir -p tree
	head -c 100000 /dev/urandom >garbage
	! "$BOOTINST" mkimage disk.img --root tree --kernel garbage 2>kernel.err || fail "a non-bzImage was taken"
	expect_text kernel.err "kernel: E13"
	[ ! -e disk.img ] || fail "disk.img was made"
	! "$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" --part-start 20 2>layout.err ||
		fail "a partition at sector 20 was taken"
	expect_text layout.err "leaves 19 sectors after the MBR; the stage needs"
	! "$BOOTINST" mkimage disk.img --kernel "$PROBE" 2>usage.err || fail "no --root was taken"
	expect_text usage.err "--root DIR is needed"
	[ ! -e disk.img ] || fail "disk.img was made"
}

case_mkimage_empty_root_and_the_trees_own_kernel() {
	mk_tree
	mkdir -p empty tree/boot
	head -c 300000 /dev/urandom >initrd.bin
	"$BOOTINST" mkimage boot-only.img --root empty --kernel "$PROBE" --initrd initrd.bin -q ||
		fail "an empty --root (a boot-only partition) was refused"
	in_image boot-only.img "ls -l /boot" >boot.ls
	expect_text boot.ls " vmlinuz"
	expect_text boot.ls " initrd.img"
	# The tree holds the kernel already: named with --kernel, it is not copied twice.
	cp "$PROBE" tree/boot/vmlinuz
	"$BOOTINST" mkimage own.img --root tree --kernel tree/boot/vmlinuz --cmdline "$GOOD" >own.out ||
		fail "the tree's own kernel was refused"
	! grep -q "copied .* as /boot/vmlinuz" own.out || fail "the tree's kernel was copied over itself"
	in_image own.img "stat /boot/vmlinuz" | grep "Size: $(stat -c %s "$PROBE")" >/dev/null ||
		fail "/boot/vmlinuz in the image is not the probe kernel"
	# Another file at that path: one of the two would be lost.
	echo other >tree/boot/vmlinuz
	! "$BOOTINST" mkimage other.img --root tree --kernel "$PROBE" 2>other.err || fail "the tree's file was replaced"
	expect_text other.err "/boot/vmlinuz: the --root tree holds another file at this path"
	expect_text other.err "fix: give --kernel-path another path, or --kernel the tree's own file"
	[ ! -e other.img ] || fail "other.img was made"
	# No --kernel: a usage error.
	"$BOOTINST" mkimage none.img --root tree 2>none.err && fail "no --kernel was taken"
	[ $? -eq 2 ] || fail "no --kernel: exit $?, not 2 (usage)"
	expect_text none.err "--kernel FILE is needed"
}

case_mkimage_boots_probe() {
	mk_tree
	"$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" --part-start 63 \
		--cmdline "$GOOD made=by-mkimage" -q
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_line serial.log "PROBE cmdline=$GOOD made=by-mkimage"
	expect_probe serial.log kernel_ok 1
}

case_mkimage_boots_debian_to_busybox_root() {
	local kroot
	kroot=$("$REPO/examples/fetch-kernel.sh")
	"$REPO/examples/busybox-root.sh" --autorun rootfs >/dev/null
	"$REPO/examples/initramfs.sh" switchroot initrd.img --kernel-root "$kroot" >/dev/null 2>&1
	"$BOOTINST" mkimage disk.img --root rootfs --kernel "$(ls "$kroot"/boot/vmlinuz-*)" --initrd initrd.img \
		--part-start 63 --cmdline "console=ttyS0 root=/dev/sda1" | tee made.out
	expect_text made.out "check      it will boot"
	QEMU_MEM=512 qemu_boot_until disk.img serial.log "BOOTINST-ROOT-OK" 90
	expect_text serial.log "/dev/sda1 on / type ext2"
}
