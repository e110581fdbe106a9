# console.sh - what the stage prints reaches COM1 whole, once per line,
# whether or not the BIOS copies the screen there itself.  QEMU's
# -nographic (here its firmware half, -machine graphics=off) makes SeaBIOS
# copy the screen to COM1 (sercon); a stage writing both, a character each
# in turn, came out as "bboooottiinnsstt" (stage1/console.c).

# console_probe_disk: the probe kernel on a fresh disk, installed.
console_probe_disk() {
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	eval "$("$E2E_LIB/make-disk.sh" --size 16 --start 2048 --fs ext2 --populate root disk.img)"
	"$BOOTINST" install disk.img --cmdline "console=ttyS0" >/dev/null
}

# as_seen LOG: LOG as a terminal shows it: without CRs and without the
# cursor-moving escape sequences SeaBIOS's serial console mixes in (when a
# timer tick lets its held-back character out, it says where it goes).
as_seen() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g'
}

# expect_once LOG LINE: LINE is a whole line of LOG exactly once.
expect_once() {
	local n
	n=$(as_seen "$1" | grep -cxF -- "$2" || true)
	[ "$n" = 1 ] || {
		fail "expected the line '$2' once in $1, got it $n times:"
		as_seen "$1" | sed 's/^/      | /' | tail -n 20 >&2
		return 1
	}
}

case_console_bios_copies_screen_lines_once() {
	console_probe_disk
	qemu_boot disk.img serial.log -machine graphics=off || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_once serial.log "bootinst $(cat "$REPO/VERSION"): stage 2, drive 0x80"
	expect_once serial.log "Command line: console=ttyS0"
	# the last line before Linux, its last character included
	as_seen serial.log | grep -x 'Booting Linux (protocol 2\.15), [0-9]* BIOS reads, [0-9]* native reads, [0-9]* sectors' >/dev/null ||
		fail "no whole 'Booting Linux' line: $(as_seen serial.log | grep 'Booting Linux')"
	expect_line serial.log "PROBE end"
}

case_console_plain_serial_lines_once() {
	console_probe_disk
	qemu_boot disk.img serial.log || [ $? -eq 33 ] || fail "QEMU exit status $?"
	expect_once serial.log "bootinst $(cat "$REPO/VERSION"): stage 2, drive 0x80"
	expect_once serial.log "Command line: console=ttyS0"
	expect_line serial.log "PROBE end"
}

case_console_bios_copies_screen_failure_report_whole() {
	# a failure report and its prompt, which the stage then waits on
	console_probe_disk
	debugfs -w -R "rm /boot/vmlinuz" "disk.img?offset=$FS_OFFSET" 2>/dev/null
	qemu_boot_until disk.img serial.log "Press a key to reboot." 20 -machine graphics=off
	expect_once serial.log "bootinst: E15: file not found: /boot/vmlinuz"
	expect_once serial.log "Press a key to reboot."
}
