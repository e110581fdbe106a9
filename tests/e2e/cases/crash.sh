# crash.sh - an install (or uninstall) that dies at any instant, or whose
# write fails at any point, must leave a disk that boots.  The shim
# tests/fault/fault_inject.c (LD_PRELOAD) kills bootinst just before its
# Nth write, pwrite, fsync or ftruncate on the image, or makes that call
# fail, for every N a clean run makes.  After each:
#   - killed: the disk is byte for byte the one before, or the MBR boots a
#     whole stage, the old one or the new one (bootinst check finds no
#     loader error and the command line the MBR's stage records is the old
#     or the new), and nothing outside the MBR code and the gap changed;
#   - failed: bootinst exits non-zero and the disk is byte for byte the one
#     before (the journal undid it), or the install completed (a failure
#     while clearing the old stage, after the switch, costs nothing);
# and a sample boots in QEMU: killed just before the MBR is switched (the
# old stage boots) and just after (the new one does).
#
# The scenario is the reliability issue's: a bootable disk re-installed with
# a longer command line, so the stage grows.

# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

FAULT_SO=$BUILD/fault/fault_inject.so
OLD_CMDLINE="console=ttyS0 root=/dev/sda1 crash=old"

fault_shim() {
	mkdir -p "$BUILD/fault"
	[ "$FAULT_SO" -nt "$REPO/tests/fault/fault_inject.c" ] ||
		gcc -O2 -Wall -Wextra -shared -fPIC -o "$FAULT_SO" "$REPO/tests/fault/fault_inject.c" -ldl
}

# new_cmdline: long enough to make the stage two sectors longer.
new_cmdline() {
	printf 'console=ttyS0 root=/dev/sda1 crash=new-%0900d' 0
}

# booted_cmdline IMAGE: the command line recorded in the stage the MBR's
# patch area points at ("" if there is none whole): read as the MBR would.
booted_cmdline() {
	local lba sectors
	lba=$(od -An -tu4 -j $((0x1B0)) -N4 "$1" | tr -d ' ')
	sectors=$(od -An -tu2 -j $((0x1B4)) -N2 "$1" | tr -d ' ')
	dd if="$1" bs=512 skip="$lba" count="$sectors" status=none 2>/dev/null |
		tr '\0' '\n' | grep -a -m1 '^console=ttyS0 root=/dev/sda1 crash=' || true
}

# outside_gap_unchanged A B GAP_END: A and B differ only in LBA 0 bytes
# 0..439 and sectors 1..GAP_END-1.
outside_gap_unchanged() {
	cmp -s -i 440:440 -n $((512 - 440)) "$1" "$2" &&
		cmp -s -i $(($3 * 512)):$(($3 * 512)) "$1" "$2"
}

# expect_boots_old_or_new IMAGE BEFORE: the killed install's verdict.
expect_boots_old_or_new() {
	local booted
	cmp -s "$1" "$2" && return 0
	outside_gap_unchanged "$1" "$2" "$PART_START" || fail "$1: bytes outside the MBR code and the gap changed"
	"$BOOTINST" check "$1" >check.out 2>&1 || true
	! grep -E '^[EMI][0-9]' check.out || fail "$1: bootinst check finds the loader broken"
	booted=$(booted_cmdline "$1")
	[ "$booted" = "$OLD_CMDLINE" ] || [ "$booted" = "$(new_cmdline)" ] ||
		fail "$1: the MBR's stage records '$booted'"
}

# crash_scenario MAKE-DISK-OPTIONS...: base.img (installed with the old
# command line), new.img (re-installed cleanly) and CALLS, the number of
# write-family calls the re-install makes.
crash_scenario() {
	fault_shim
	root_tree
	probe_disk "$@"
	install_probe "$OLD_CMDLINE"
	mv disk.img base.img
	cp base.img new.img
	rm -f calls.log
	BOOTINST_FAULT_LOG=$PWD/calls.log LD_PRELOAD=$FAULT_SO \
		"$BOOTINST" install new.img --cmdline "$(new_cmdline)" >/dev/null
	CALLS=$(wc -l <calls.log)
	[ "$CALLS" -ge 4 ] || fail "the re-install made only $CALLS write calls"
	[ "$(booted_cmdline new.img)" = "$(new_cmdline)" ] || fail "the clean re-install does not boot the new stage"
	echo "re-install: $CALLS write-family calls"
}

reinstall_killed_at_every_call() {
	local n rc
	for n in $(seq 1 "$CALLS"); do
		cp base.img "killed-$n.img"
		rc=0
		BOOTINST_FAULT_AT=$n BOOTINST_FAULT=kill LD_PRELOAD=$FAULT_SO \
			"$BOOTINST" install "killed-$n.img" --cmdline "$(new_cmdline)" >/dev/null 2>&1 || rc=$?
		[ $rc -eq 137 ] || fail "call $n: bootinst exited $rc, not killed (137)"
		expect_boots_old_or_new "killed-$n.img" base.img
		echo "killed before call $n: boots '$(booted_cmdline "killed-$n.img" | cut -c1-50)'"
	done
}

reinstall_failing_at_every_call() {
	local n rc
	for n in $(seq 1 "$CALLS"); do
		cp base.img "failed-$n.img"
		rc=0
		BOOTINST_FAULT_AT=$n BOOTINST_FAULT=fail LD_PRELOAD=$FAULT_SO \
			"$BOOTINST" install "failed-$n.img" --cmdline "$(new_cmdline)" >"failed-$n.out" 2>&1 || rc=$?
		if cmp -s "failed-$n.img" base.img; then
			[ $rc -ne 0 ] || fail "call $n failed, nothing was installed, and bootinst exited 0"
		else
			[ $rc -eq 0 ] || fail "call $n: bootinst exited $rc and the disk changed: $(cat "failed-$n.out")"
			expect_boots_old_or_new "failed-$n.img" base.img
			[ "$(booted_cmdline "failed-$n.img")" = "$(new_cmdline)" ] || fail "call $n: exit 0, but the old stage boots"
		fi
		echo "call $n failed: exit $rc"
	done
}

case_crash_reinstall_gap_2048() {
	crash_scenario
	reinstall_killed_at_every_call
	reinstall_failing_at_every_call
	# the stage went beside the old one: the switch is the MBR write
	grep -q 'beside the earlier bootinst stage' <("$BOOTINST" install base.img --cmdline "$(new_cmdline)" --dry-run) ||
		fail "the re-install is not planned beside the old stage"
}

case_crash_reinstall_gap_63() {
	# the tutorials' layout: a 62-sector gap, which may hold one stage only
	crash_scenario --start 63
	reinstall_killed_at_every_call
	reinstall_failing_at_every_call
}

case_crash_reinstall_killed_boots_in_qemu() {
	# Killed just before the MBR's write (the new stage and its sync are
	# done) the old stage boots; killed just after it (before its sync) the
	# new one does.  The shim's log of a clean run says which call is the
	# MBR's: the pwrite at offset 0.
	local mbr n want
	crash_scenario
	mbr=$(awk '$2 == "pwrite" && $3 == 0 { print $1 }' calls.log)
	[ -n "$mbr" ] || fail "no write of the MBR in the clean run's calls: $(cat calls.log)"
	for n in "$mbr" $((mbr + 1)); do
		cp base.img "killed-$n.img"
		BOOTINST_FAULT_AT=$n BOOTINST_FAULT=kill LD_PRELOAD=$FAULT_SO \
			"$BOOTINST" install "killed-$n.img" --cmdline "$(new_cmdline)" >/dev/null 2>&1 || true
		want=$OLD_CMDLINE
		[ "$n" = "$mbr" ] || want=$(new_cmdline)
		[ "$(booted_cmdline "killed-$n.img")" = "$want" ] || fail "call $n: the MBR's stage is not the expected one"
		qemu_boot "killed-$n.img" "serial-$n.log" || [ $? -eq 33 ] || fail "QEMU exit status $?"
		expect_line "serial-$n.log" "PROBE cmdline=$want"
		expect_probe "serial-$n.log" kernel_ok 1
	done
}

case_crash_uninstall_killed_then_finished() {
	# An uninstall killed at any call leaves a disk that is uninstalled
	# already (its last write had been made) or that uninstall then
	# finishes: byte for byte the disk before the first install.
	local n rc calls
	fault_shim
	root_tree
	probe_disk
	cp disk.img original.img
	install_probe "$OLD_CMDLINE"
	"$BOOTINST" install disk.img --cmdline "$(new_cmdline)" >/dev/null
	mv disk.img installed.img
	cp installed.img clean.img
	rm -f calls.log
	BOOTINST_FAULT_LOG=$PWD/calls.log LD_PRELOAD=$FAULT_SO "$BOOTINST" uninstall clean.img >/dev/null
	cmp clean.img original.img || fail "a clean uninstall did not restore every byte"
	calls=$(wc -l <calls.log)
	for n in $(seq 1 "$calls"); do
		cp installed.img "u-$n.img"
		rc=0
		BOOTINST_FAULT_AT=$n BOOTINST_FAULT=kill LD_PRELOAD=$FAULT_SO \
			"$BOOTINST" uninstall "u-$n.img" >/dev/null 2>&1 || rc=$?
		[ $rc -eq 137 ] || fail "call $n: uninstall exited $rc, not killed"
		if ! cmp -s "u-$n.img" original.img; then
			"$BOOTINST" uninstall "u-$n.img" >"u-$n.out" 2>&1 ||
				fail "call $n: uninstall again: $(cat "u-$n.out")"
			cmp "u-$n.img" original.img || fail "call $n: uninstall again did not restore every byte"
		fi
	done
	echo "uninstall: $calls write-family calls, each survived"
}

case_crash_two_installs_wait_for_each_other() {
	# Install A pauses after writing its stage (before the MBR); install B,
	# started meanwhile, must wait for A's lock, not write under it; with
	# --no-wait it gives up and writes nothing.  The reliability issue saw
	# A undo B's stage: both then lost.
	local a b mbr
	crash_scenario
	cp base.img disk.img
	mbr=$(awk '$2 == "pwrite" && $3 == 0 { print $1 }' calls.log)
	BOOTINST_FAULT_AT=$mbr BOOTINST_FAULT=pause BOOTINST_FAULT_SECONDS=3 LD_PRELOAD=$FAULT_SO \
		"$BOOTINST" install disk.img --cmdline "$(new_cmdline)" >a.out 2>&1 &
	a=$!
	sleep 1
	cp disk.img during.img
	! "$BOOTINST" install disk.img --cmdline "$OLD_CMDLINE crash=b" --no-wait >nowait.out 2>&1 ||
		fail "install --no-wait did not give up while another install held the disk"
	expect_text nowait.out "another bootinst is installing on it; not waiting (--no-wait)"
	cmp disk.img during.img || fail "install --no-wait wrote to the disk"
	"$BOOTINST" install disk.img --cmdline "console=ttyS0 root=/dev/sda1 crash=b" >b.out 2>&1 &
	b=$!
	wait $a || fail "install A failed: $(cat a.out)"
	wait $b || fail "install B failed: $(cat b.out)"
	expect_text b.out "waiting for another bootinst to finish with it"
	[ "$(booted_cmdline disk.img)" = "console=ttyS0 root=/dev/sda1 crash=b" ] ||
		fail "the disk does not boot B's install, which ran last: '$(booted_cmdline disk.img)'"
	"$BOOTINST" check disk.img >check.out 2>&1 || fail "check after both: $(cat check.out)"
}

case_crash_reinstall_gap_read_error_writes_nothing() {
	# A sector of the old stage that cannot be read: the re-install stops,
	# names what failed and writes nothing (it used to say "installed" and
	# leave the old stage's tail behind).
	local rc=0
	crash_scenario
	cp base.img disk.img
	BOOTINST_FAULT_READ_AT=$((20 * 512)) LD_PRELOAD=$FAULT_SO \
		"$BOOTINST" install disk.img --cmdline "$(new_cmdline)" >read.out 2>&1 || rc=$?
	cat read.out
	[ $rc -eq 1 ] || fail "install exited $rc with an unreadable sector after the MBR"
	expect_text read.out "bootinst: disk.img: while reading the sectors after the MBR: Input/output error"
	cmp -s disk.img base.img || fail "install wrote to the disk after a failed read"
}
