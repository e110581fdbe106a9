# crafted.sh - filesystems crafted to make the stage's ext2 reader write
# outside its buffers or spin for minutes (stage1/ext2.h, "Bounded"): each
# boot must end in the catalog's E16 report on serial within the usual
# bound, and `bootinst check`, which runs the same reader on the host, must
# report the same within seconds.  tests/unit/test_ext2.c has one unit test
# per bound; these are the two that hung the stage at boot.
#
# Uses failures.sh's helpers (boot_to_failure) and tests/regress/lib.sh's
# (installed_probe, fs_debugfs); run.sh sources the case files in order,
# this one first.
# shellcheck source=failures.sh
. "$REPO/tests/e2e/cases/failures.sh"

# le32 VALUE: VALUE's four bytes, little-endian, on stdout.
le32() {
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

# new_block NAME FILE: write FILE (one block) into the filesystem as /NAME
# and print the block it got.
new_block() {
	fs_debugfs "write $2 /$1" >/dev/null
	fs_debugfs "blocks /$1" | awk '{ print $1 }'
}

# pointers_block NAME VALUE: a block of pointers, each VALUE, as /NAME;
# prints its block.
pointers_block() {
	local i
	for ((i = 0; i < FS_BLOCK_SIZE / 4; i++)); do le32 "$2"; done >"$1"
	new_block "$1" "$1"
}

# check_reports MESSAGE: `bootinst check` prints MESSAGE about
# /boot/vmlinuz, well within a time no real check needs.
check_reports() {
	local rc=0
	timeout 20 "$BOOTINST" check disk.img >check.out 2>&1 || rc=$?
	[ $rc != 124 ] || fail "bootinst check did not finish within 20 s"
	[ $rc -lt 128 ] || fail "bootinst check died with signal $((rc - 128))"
	expect_line check.out "bootinst: disk.img: /boot/vmlinuz: E16: $1"
}

case_crafted_e16_symlink_huge_size() {
	installed_probe
	# /boot/vmlinuz becomes a slow symlink (a target of 60 bytes or more
	# lives in a data block) to the kernel, claiming 2^64 - 1 bytes: the
	# old bound wrapped and the stage read 4 GiB into its 512-byte buffer
	fs_debugfs "ln /boot/vmlinuz /boot/kernel"
	fs_debugfs "unlink /boot/vmlinuz"
	fs_debugfs "symlink /boot/vmlinuz /boot/../boot/../boot/../boot/../boot/../boot/../boot/../boot/kernel"
	# (debugfs sets i_size and i_size_high; its stat shows a symlink's
	# low half only)
	fs_debugfs "sif /boot/vmlinuz size 0xFFFFFFFFFFFFFFFF"
	local message="inconsistent filesystem structure: symlink target plus the rest of the path too long (18446744073709551615, limit 512) while reading /boot/vmlinuz"
	check_reports "$message"
	boot_to_failure
	expect_diag serial.log E16 "$message"
}

case_crafted_e16_directory_huge() {
	installed_probe --block-size 4096
	# /boot claims 2^42 bytes, and every block its map holds - 12 direct,
	# the single, double and triple indirect trees - is one block holding
	# one empty entry: the old reader looked through all 2^30 blocks (of
	# 4 KiB) for bootinst.cfg, minutes at boot
	local empty p1 p2 p3 i
	{ le32 0; printf "$(printf '\\x%02x\\x%02x' $((FS_BLOCK_SIZE & 255)) $((FS_BLOCK_SIZE >> 8)))"
	  head -c $((FS_BLOCK_SIZE - 6)) /dev/zero; } >empty
	empty=$(new_block empty empty)
	p1=$(pointers_block p1 "$empty")
	p2=$(pointers_block p2 "$p1")
	p3=$(pointers_block p3 "$p2")
	[ -n "$empty" ] && [ -n "$p3" ] || fail "debugfs wrote no blocks"
	for ((i = 0; i < 12; i++)); do fs_debugfs "sif /boot block[$i] $empty"; done
	fs_debugfs "sif /boot block[IND] $p1"
	fs_debugfs "sif /boot block[DIND] $p2"
	fs_debugfs "sif /boot block[TIND] $p3"
	fs_debugfs "sif /boot size 0x40000000000"
	local message="inconsistent filesystem structure: directory size (4398046511104, limit 67108864) while reading"
	# the stage's reader stops at once; libext2fs, asked for a hint, walks
	# the whole block map until its reads are cut off (disk/partfs.h,
	# PARTFS_READ_BUDGET: 41 s before the bound, under a second now)
	check_reports "$message /boot/"
	expect_line check.out "       libext2fs (e2fsprogs) says: EXT2 directory corrupted"
	boot_to_failure
	# the config lookup meets it first and is skipped; the kernel's stops
	expect_line serial.log "bootinst: E16: $message /boot/"
	expect_line serial.log "  (ignoring it: booting the settings recorded at install)"
	expect_diag serial.log E16 "$message /boot/"
}
