# bad_input.sh - the command line given something wrong: a file that is
# not a disk image, an image too short or with a table bootinst cannot use,
# option values out of range, a filesystem that fills up.  No QEMU: each
# case runs bootinst itself (`tests/e2e/run.sh bad_input`).
#
# Every row of a case's table is one bootinst command and what it must do:
#   - end with the expected exit status (2: a usage error, 1: refused or
#     failed) under a timeout, so that a command that blocks (a FIFO with
#     no writer once made open(2) wait for ever) fails instead of hanging;
#   - print each expected fragment (and none of the '!'-prefixed ones): the
#     problem, and what to do about it;
#   - name the image, unless it is a usage error about an option;
#   - leave the image as it was: the same checksum (a folder: the same
#     listing), and where there was no file, still none.
# Shapes: `bootinst: IMAGE: OBJECT: CODE: message` + `  fix: ...` (install
# and check; check ends with `bootinst: IMAGE: N errors, ...`), `bootinst: IMAGE: while DOING: REASON` (+ `  fix: ...` where
# bootinst knows one) for a failed system call, and for usage errors
# `bootinst: ...` + `Try 'bootinst --help' ...`.

BAD_TIMEOUT=${BAD_TIMEOUT:-30}
BAD_ROWS=0

# bad_fingerprint PATH: what must not change about PATH.
bad_fingerprint() {
	if [ -f "$1" ]; then
		sha256sum <"$1"
	elif [ -d "$1" ]; then
		(cd "$1" && find . -printf '%p %s %T@\n' | sort)
	elif [ -e "$1" ] || [ -L "$1" ]; then
		stat -L -c '%F %s' "$1"      # a FIFO, a device: never read it
	else
		echo absent
	fi
}

# bad_row STATUS IMAGE FRAGMENT... -- BOOTINST_ARGS...
#   One row of a case's table: run bootinst BOOTINST_ARGS (as $BAD_AS, if
#   set: a command prefix such as setpriv) and check it as the header says.
#   A FRAGMENT starting with '!' must not appear.
bad_row() {
	local status=$1 image=$2 rc=0 fragment before after out shown
	shift 2
	local fragments=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		fragments+=("$1")
		shift
	done
	[ "${1:-}" = -- ] || fail "bad_row: no -- before the command"
	shift
	out=out.$((++BAD_ROWS))
	before=$(bad_fingerprint "$image")
	${BAD_AS:-} timeout --kill-after=5 "$BAD_TIMEOUT" "$BOOTINST" "$@" </dev/null >"$out" 2>&1 || rc=$?
	printf -v shown '%q ' "$@"          # control bytes quoted, not sent to the log raw
	printf '$ bootinst %.240s\n' "$shown"
	sed 's/^/  | /' "$out" | cut -c1-400
	case $rc in
	124 | 137) fail "bootinst $1 did not end within ${BAD_TIMEOUT}s (it blocked)" ;;
	esac
	[ $rc -eq "$status" ] || fail "bootinst $1 exited $rc, not $status"
	for fragment in "${fragments[@]}"; do
		if [ "${fragment:0:1}" = '!' ]; then
			! grep -qF -- "${fragment:1}" "$out" || fail "'${fragment:1}' should not be in $out"
		else
			expect_text "$out" "$fragment"
		fi
	done
	# the image named: always but for a usage error about an option
	[ "$status" -eq 2 ] || expect_text "$out" "$image"
	after=$(bad_fingerprint "$image")
	[ "$before" = "$after" ] || fail "bootinst $1 changed $image ($before -> $after)"
}

# probe_disk (a good disk.img: the probe kernel as /boot/vmlinuz on
# partition 1 at 2048, 16 MiB) and put_u8 / put_le32, from the helpers the
# regression folders use.
# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

# plain_probe_disk: probe_disk with the probe as it is, no Linux stand-in
# (linux_probe): bootinst predicts nothing after the loader for it, so
# these cases meet the bad input alone, not a missing root= or init.
plain_probe_disk() {
	PROBE_KERNEL=$BREAK_PROBE probe_disk "$@"
}

# bad_put_entry IMAGE SLOT TYPE START SECTORS: primary partition entry SLOT
# (1-4) written raw, as sfdisk refuses to (overlapping, at sector 0).
bad_put_entry() {
	local entry=$((0x1be + 16 * ($2 - 1)))
	put_u8 "$1" $((entry + 4)) "$3"
	put_le32 "$1" $((entry + 8)) "$4"
	put_le32 "$1" $((entry + 12)) "$5"
}

BAD_USAGE="Try 'bootinst --help' for more information."
BAD_MAKE_ONE="truncate -s 64M IMAGE, then sfdisk and mke2fs"

# --- the file itself ------------------------------------------------------------

case_bad_input_missing_file() {
	for verb in install check; do
		bad_row 1 missing.img \
			"bootinst: missing.img: while opening: No such file or directory" \
			"fix: check the path (bootinst does not create the image; to make one: $BAD_MAKE_ONE" \
			-- "$verb" missing.img
	done
	[ ! -e missing.img ] || fail "bootinst created missing.img"
}

case_bad_input_directory() {
	mkdir -p folder/sub
	for verb in install check; do
		bad_row 1 folder \
			"bootinst: folder: while opening: it is a directory, not a disk image" \
			"fix: give the disk image file (not the folder that holds it), or the disk's block device" \
			-- "$verb" folder
	done
}

# Read-only for a normal user: install cannot write and must say so,
# writing nothing; check only reads, and works.  (As root the mode would
# not stop anything: the rows run as nobody.)
case_bad_input_read_only() {
	plain_probe_disk
	chmod 444 disk.img
	chmod 755 .
	BAD_AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$BAD_AS test -r disk.img -a -x "$BOOTINST" ||
		fail "nobody cannot read $WORK/disk.img or run $BOOTINST: run the suite from a folder others may enter"
	bad_row 1 disk.img "bootinst: disk.img: while opening it for writing: Permission denied" \
		-- install disk.img
	bad_row 0 disk.img "bootinst: disk.img: dry run, nothing written" -- install --dry-run disk.img
	# check works: its findings are the disk's (not installed), not a failure to read
	bad_row 1 disk.img "disk.img: MBR: I03: bootinst is not installed on this disk" \
		": it will not boot" "!while opening" \
		-- check --cmdline "console=ttyS0 root=/dev/sda1" disk.img
}

case_bad_input_short_images() {
	local size s
	for size in 0 1 511; do
		head -c "$size" /dev/zero >"short$size.img"
		[ "$size" = 1 ] && s=byte || s=bytes
		for verb in install check; do
			bad_row 1 "short$size.img" \
				"bootinst: short$size.img: while opening: it is $size $s, shorter than the 512-byte MBR that starts a disk" \
				"fix: give the whole disk image, not a part of it (to make one: $BAD_MAKE_ONE" \
				-- "$verb" "short$size.img"
		done
	done
}

# 512 bytes, an MBR and nothing after: the table's answer, never "Input/output error".
case_bad_input_512_byte_images() {
	plain_probe_disk
	head -c 512 disk.img >mbr-only.img            # partition 1 at 2048: past the end
	for verb in install check; do
		bad_row 1 mbr-only.img \
			"E05" "partition 1 (sectors 2048..32767) ends past the end of the disk (1 sectors)" \
			"fix: " "!Input/output error" "!while reading" \
			-- "$verb" mbr-only.img
	done

	truncate -s 1M empty-table.img
	echo 'label: dos' | sfdisk -q empty-table.img
	truncate -s 512 empty-table.img               # a DOS table with no partitions
	for verb in install check; do
		bad_row 1 empty-table.img \
			"I05" "no partition to boot" "I01" "the gap after the MBR is 0 sectors" \
			"fix: " "!Input/output error" \
			-- "$verb" empty-table.img
	done

	head -c 512 /dev/zero >zeros.img              # no table at all
	for verb in install check; do
		bad_row 1 zeros.img "E05" "DOS (MBR)" "fix: " "!Input/output error" -- "$verb" zeros.img
	done
}

case_bad_input_fifo() {
	mkfifo pipe
	for verb in install check; do
		bad_row 1 pipe \
			"bootinst: pipe: while opening: it is a FIFO (named pipe), not a disk image" \
			"fix: save the stream to a file first" \
			-- "$verb" pipe
	done
}

case_bad_input_character_devices() {
	local dev
	for dev in /dev/null /dev/zero; do
		for verb in install check; do
			bad_row 1 "$dev" \
				"bootinst: $dev: while opening: it is a character device, not a disk image or a block device" \
				"fix: give a disk image file, or a disk's block device" \
				-- "$verb" "$dev"
		done
	done
}

# --- the partition table -------------------------------------------------------

case_bad_input_no_partition_table() {
	plain_probe_disk
	dd if=/dev/zero of=disk.img bs=1 seek=510 count=2 conv=notrunc status=none   # no 55 AA
	bad_row 1 disk.img "disk.img: partition table: E05" "DOS (MBR)" "fix: " \
		"sfdisk --label dos IMAGE" -- install disk.img
	bad_row 1 disk.img "disk.img: partition table: E05:" "DOS (MBR)" "fix: " -- check disk.img
}

# GPT is not an invalid table: it is one bootinst does not boot from.
case_bad_input_gpt() {
	plain_probe_disk
	printf 'label: gpt\nstart=2048, type=L\n' | sfdisk -q disk.img
	for verb in install check; do
		bad_row 1 disk.img "E05" "GPT" "DOS (MBR)" "fix: " "!is invalid" -- "$verb" disk.img
	done
}

case_bad_input_partition_past_end() {
	plain_probe_disk
	truncate -s 8M disk.img
	for verb in install check; do
		bad_row 1 disk.img "E05" \
			"partition 1 (sectors 2048..32767) ends past the end of the disk (16384 sectors)" \
			"fix: " "!Input/output error" -- "$verb" disk.img
	done
}

case_bad_input_partition_at_sector_0() {
	plain_probe_disk
	bad_put_entry disk.img 2 0x83 0 100
	for verb in install check; do
		bad_row 1 disk.img "E05" "partition 2 starts at sector 0, over the MBR" "fix: " \
			-- "$verb" disk.img
	done
}

case_bad_input_overlapping_partitions() {
	plain_probe_disk
	bad_put_entry disk.img 2 0x83 4096 1024
	for verb in install check; do
		bad_row 1 disk.img "E05" \
			"partitions 1 and 2 overlap (sectors 2048..32767 and 4096..5119)" "fix: " \
			-- "$verb" disk.img
	done
}

# Logical partitions: the stage boots from a primary one (--partition 5 is
# a usage error that says so); root= may name one, which the kernel finds
# itself, and check says it cannot tell more (N01, a note).
case_bad_input_extended_partition() {
	mkdir -p root/boot
	linux_probe root/boot/vmlinuz
	truncate -s 32M disk.img
	printf 'start=2048, size=8192, type=83, bootable\nstart=10240, type=5\nstart=12288, type=83\n' |
		sfdisk -q disk.img
	mke2fs -q -F -t ext2 -d root -E offset=$((2048 * 512)) disk.img 4096k
	mke2fs -q -F -t ext2 -d root -E offset=$((12288 * 512)) disk.img $(((65536 - 12288) / 2))k
	for verb in install check; do
		bad_row 2 disk.img \
			"bootinst: --partition 5: partitions from 5 on are logical ones, inside an extended partition" \
			"give 1 to 4" "$BAD_USAGE" \
			-- "$verb" --partition 5 disk.img
	done
	bad_row 0 disk.img "dry run, nothing written" \
		-- install --dry-run --cmdline "console=ttyS0 root=/dev/sda5" disk.img
	bad_row 1 disk.img "disk.img: root=: note: N01: cannot tell where root=/dev/sda5 is: it is a logical partition" \
		"!L01" -- check --cmdline "console=ttyS0 root=/dev/sda5" disk.img
}

# --- option values --------------------------------------------------------------

case_bad_input_partition_option() {
	plain_probe_disk
	local value
	for value in 0 abc 1x; do
		for verb in install check; do
			bad_row 2 disk.img \
				"bootinst: --partition takes a primary partition number, 1 to 4, not '$value'" \
				"$BAD_USAGE" -- "$verb" --partition "$value" disk.img
		done
	done
	for verb in install check; do
		bad_row 2 disk.img "bootinst: --partition 5: partitions from 5 on are logical ones" \
			"give 1 to 4" "$BAD_USAGE" -- "$verb" --partition 5 disk.img
	done
}

case_bad_input_kernel_option() {
	plain_probe_disk
	local long
	long=/$(head -c 4999 /dev/zero | tr '\0' k)
	for verb in install check; do
		bad_row 2 disk.img \
			"bootinst: $verb: --kernel is empty: it takes an absolute path inside the filesystem, such as /boot/vmlinuz" \
			"$BAD_USAGE" -- "$verb" --kernel '' disk.img
		bad_row 2 disk.img \
			"bootinst: $verb: --kernel takes an absolute path inside the filesystem, such as /boot/vmlinuz, not 'boot/vmlinuz'" \
			"$BAD_USAGE" -- "$verb" --kernel boot/vmlinuz disk.img
		bad_row 2 disk.img \
			"bootinst: $verb: --kernel is 5000 bytes long; the install record holds a path of at most 255 bytes: give a shorter one" \
			"$BAD_USAGE" "!kkkkkkkkkk" -- "$verb" --kernel "$long" disk.img
	done
}

# A control character is a usage error (installer/checks/checks.c,
# cmdline_problem, says why); so are bytes that are not UTF-8.  Too long
# is the kernel's limit, the catalog's E40.
case_bad_input_cmdline_option() {
	plain_probe_disk
	local long
	long=$(head -c 102400 /dev/zero | tr '\0' x)
	for verb in install check; do
		bad_row 2 disk.img \
			"bootinst: $verb: --cmdline has a newline (byte 0x0a) at offset 13: the kernel splits the arguments there" \
			"separate the arguments with spaces" "$BAD_USAGE" \
			-- "$verb" --cmdline $'console=ttyS0\nroot=/dev/sda1' disk.img
		bad_row 2 disk.img \
			"bootinst: $verb: --cmdline has an escape (byte 0x1b) at offset 14" "remove it" "$BAD_USAGE" \
			-- "$verb" --cmdline $'root=/dev/sda1\e[2J' disk.img
		bad_row 2 disk.img \
			"bootinst: $verb: --cmdline has a control character (byte 0x07) at offset 0" "$BAD_USAGE" \
			-- "$verb" --cmdline $'\a' disk.img
		bad_row 2 disk.img \
			"bootinst: $verb: --cmdline is not UTF-8 text (byte 0xe9 at offset 18): write it in UTF-8, or plain ASCII" \
			"$BAD_USAGE" -- "$verb" --cmdline $'root=/dev/sda1 caf\xe9' disk.img
	done
	# valid UTF-8 is taken
	bad_row 0 disk.img "dry run, nothing written" \
		-- install --dry-run --cmdline $'root=/dev/sda1 name=caf\xc3\xa9' disk.img
	bad_row 1 disk.img \
		"disk.img: command line: E40: the command line is 102400 bytes; the kernel accepts at most 2047" \
		"fix: shorten the command line" -- install --cmdline "$long" disk.img
	bad_row 1 disk.img "disk.img: command line: E40: the command line is 102400 bytes; the kernel accepts at most 2047" \
		": it will not boot" -- check --cmdline "$long" disk.img
}

# --- writing --------------------------------------------------------------------

# A full filesystem: install's first write fails with ENOSPC.  The image
# is sparse on a small tmpfs whose every block is taken, so writing the
# stage over its holes after the MBR needs space there is none of.  What
# must hold: a non-zero exit, the reason, and every byte as it was.
case_bad_input_full_filesystem() {
	plain_probe_disk
	mkdir mnt
	mount -t tmpfs -o size=2M tmpfs mnt || fail "cannot mount a tmpfs (the suite runs as root)"
	# shellcheck disable=SC2064
	trap "umount '$WORK/mnt' 2>/dev/null || umount -l '$WORK/mnt' 2>/dev/null || true" EXIT
	cp --sparse=always disk.img mnt/disk.img
	dd if=/dev/zero of=mnt/fill bs=4k status=none 2>/dev/null || true     # ENOSPC ends it
	[ "$(df --output=avail mnt | tail -n 1 | tr -d ' ')" = 0 ] || fail "the tmpfs is not full"
	# the first write fails part-way; the journal puts back only what it
	# reached, and says so (it used to call the unchanged image damaged)
	bad_row 1 mnt/disk.img "mnt/disk.img" "No space left on device" "fix: free space" \
		"nothing was installed: every original byte was restored and checked" \
		"!could not restore" -- install mnt/disk.img
	cmp -s disk.img mnt/disk.img || fail "mnt/disk.img differs from the disk it was copied from"
}
