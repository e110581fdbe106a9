# mbr.sh - the MBR code's failure path (asm/mbr.asm), one case per fix:
# no CHS geometry (0 sectors per track) ends in M18, not a divide fault;
# an M06 after a read that failed once never shows that read's status; an
# M25 shows the failed call's status; after the key the BIOS is asked for
# the next boot device (INT 18h), and an INT 18h that returns ends in a
# halt; the report reaches COM1 itself, and with a BIOS that mirrors the
# screen on COM1 too (SeaBIOS under -machine graphics=off) it arrives as
# two whole copies, never interleaved.
#
# Some cases need a BIOS that misbehaves: they assemble a test build of
# asm/mbr.asm (nasm -DTEST_...; see its header) over the installed boot
# code, as chs.sh does.  The others use the real, installed binary.

# The image-making and image-breaking helpers failures.sh uses.
# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

MBR_PROMPT="Press a key"                        # asm/mbr.asm msg_key
NEXT_DEVICE_MARKER="bootinst-test: the next boot device"   # tests/e2e/lib/next-device.asm

# mbr_test_build NAME DEFINE...: assemble asm/mbr.asm with the test DEFINEs
# into NAME.bin (symbols in NAME.map) and put its boot code (bytes
# 0..0x1AD, before the patch area) on disk.img.
mbr_test_build() {
	local name=$1
	shift
	nasm -f bin -I"$BUILD/gen/" -DMBR_MAP_FILE="$name.map" "$@" -o "$name.bin" "$REPO/asm/mbr.asm"
	dd if="$name.bin" of=disk.img bs=1 count=$((0x1AE)) conv=notrunc status=none
}

# zero_stage_magic: the 8-byte magic of the stage at LBA 1, so that the
# MBR code finds no stage (M06).
zero_stage_magic() {
	dd if=/dev/zero of=disk.img bs=1 seek="$STAGE_MAGIC_OFF" count=8 conv=notrunc status=none
}

# expect_no_guest_reset QEMU_LOG: QEMU's -d cpu_reset log holds only the
# two resets QEMU logs at power-on (the vCPU's creation and the machine's
# first reset), and no triple fault.
expect_no_guest_reset() {
	local resets
	resets=$(grep -c '^CPU Reset' "$1" || true)
	[ "$resets" -le 2 ] || fail "$resets CPU resets in $1; a boot logs 2"
	! grep -q 'Triple fault' "$1" || fail "a triple fault in $1"
}

# --- QEMU with a monitor: the harness's boots have none, and these cases
# must press a key and read registers.  The monitor is QEMU's "pipe"
# chardev on two fifos (mon.in, mon.out): plain bash, no socat.

# mbr_qemu_start IMAGE [extra qemu args...]: QEMU in the background, as
#   the harness boots it (TCG, under $QEMU_TIMEOUT, -no-reboot, serial to
#   serial.log, resets to serial.log.qemu), with the monitor on the fifos;
#   what the monitor prints goes to monitor.log.  Sets QEMU_PID.
mbr_qemu_start() {
	local image=$1
	shift
	rm -f mon.in mon.out
	mkfifo mon.in mon.out
	: >serial.log
	: >monitor.log
	timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel tcg -M pc -m "${QEMU_MEM:-256}" \
		-display none -monitor none -no-reboot -nodefaults -vga std \
		-serial file:serial.log -d cpu_reset,guest_errors -D serial.log.qemu \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-monitor pipe:mon \
		-drive "file=$image,format=raw" "$@" </dev/null &
	QEMU_PID=$!
	# QEMU opens both fifos read-write, so this open does not wait for it
	timeout "$QEMU_TIMEOUT" cat mon.out >>monitor.log &
}

# mbr_qemu_stop: stop QEMU (timeout passes the signal on) and reap it.
mbr_qemu_stop() {
	kill -TERM "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
}

# monitor COMMAND: type COMMAND into QEMU's monitor (given up after 5 s
# if QEMU has gone: the fifo would have no reader).
monitor() {
	timeout 5 bash -c 'echo "$1" >mon.in' _ "$1" || fail "monitor '$1': QEMU is not reading"
}

# wait_for FILE PATTERN SECONDS [COUNT]: until FILE holds PATTERN (a fixed
# string, CR ignored) COUNT times (default once); fails, showing FILE, at
# the deadline.
wait_for() {
	local file=$1 pattern=$2 deadline=$((SECONDS + $3)) count=${4:-1}
	while [ $SECONDS -lt $deadline ]; do
		[ "$(tr -d '\r' <"$file" | grep -oF -- "$pattern" | wc -l)" -ge "$count" ] && return 0
		sleep 0.2
	done
	fail "not $count x '$pattern' in $file within $3s; got:"
	tr -d '\r' <"$file" | sed 's/^/      | /' | tail -n 40 >&2
	return 1
}

# --- the cases -----------------------------------------------------------------

case_mbr_spt_zero_m18() {
	# A BIOS without EDD whose AH=08h says 0 sectors per track: the LBA ->
	# CHS division would divide by zero (#DE; the old code hung there).
	installed_probe
	mbr_test_build mbr-spt0 -DTEST_FORCE_CHS -DTEST_BIOS_SPT_ZERO
	qemu_boot_until disk.img serial.log "$MBR_PROMPT" 20 -d cpu_reset,guest_errors -D serial.log.qemu
	expect_line serial.log "bootinst: M18"
	expect_no_guest_reset serial.log.qemu
}

case_mbr_stale_status_m06_shows_none() {
	# The stage's first read fails once for real (QEMU's blkdebug driver:
	# EIO on the first read that touches sector 1) and the retry succeeds;
	# the stage's magic is zeroed, so the real MBR code ends in M06, which
	# has no BIOS status: the failed try's must not show.
	installed_probe
	zero_stage_magic
	cat >blkdebug.cfg <<-'RULES'
	[inject-error]
	event = "read_aio"
	errno = "5"
	sector = "1"
	once = "on"
	RULES
	qemu_boot_until "blkdebug:blkdebug.cfg:disk.img" serial.log "$MBR_PROMPT" 20 \
		-trace "ide_sector_read,file=ide.trace"
	expect_line serial.log "bootinst: M06"
	! tr -d '\r' <serial.log | grep '^bootinst: M06.' >/dev/null || fail "M06 printed more than its code:
$(tr -d '\r' <serial.log | grep '^bootinst: M06')"
	# the read did fail once, and the retry read the stage again: the disk
	# saw sector 1 read twice (the old code retried with the packet's
	# count as the failed call left it, 0, and read nothing)
	[ "$(grep -c 'ide_sector_read sector=1 ' ide.trace)" = 2 ] ||
		fail "sector 1 was read $(grep -c 'ide_sector_read sector=1 ' ide.trace) times, not 2 (a failed try and its retry)"
}

case_mbr_read_error_m25_status() {
	# Every read of sector 1 fails: three tries, then M25 with the status
	# SeaBIOS gives a failed ATA read (0Ch, DISK_RET_EBADTRACK).  (The old
	# code's second try asked for 0 sectors, "succeeded" and said M06 0C.)
	installed_probe
	cat >blkdebug.cfg <<-'RULES'
	[inject-error]
	event = "read_aio"
	errno = "5"
	sector = "1"
	RULES
	qemu_boot_until "blkdebug:blkdebug.cfg:disk.img" serial.log "$MBR_PROMPT" 20 \
		-trace "ide_sector_read,file=ide.trace"
	expect_line serial.log "bootinst: M25 0C"
	[ "$(grep -c 'ide_sector_read sector=1 ' ide.trace)" = 3 ] ||
		fail "sector 1 was read $(grep -c 'ide_sector_read sector=1 ' ide.trace) times, not 3 (READ_TRIES)"
}

case_mbr_int18_boots_next_device() {
	# The real MBR code on disk 0 (no stage: M06), a floppy that prints a
	# marker as the next boot device.  A floppy, not a second hard disk:
	# SeaBIOS gives all hard disks one boot entry (the first), so INT 18h
	# never reaches a second one; -boot order=ca: the disk, then the
	# floppy.  INT 19h (the old code) started again from disk 0.
	installed_probe
	zero_stage_magic
	nasm -f bin -o next-device.img "$E2E_LIB/next-device.asm"
	truncate -s 1440K next-device.img
	mbr_qemu_start disk.img -drive file=next-device.img,format=raw,if=floppy -boot order=ca
	wait_for serial.log "$MBR_PROMPT" 20 || { mbr_qemu_stop; return 1; }
	monitor "sendkey ret"
	wait_for serial.log "$NEXT_DEVICE_MARKER" 20 || { mbr_qemu_stop; return 1; }
	mbr_qemu_stop
	[ "$(tr -d '\r' <serial.log | grep -cx 'bootinst: M06')" = 1 ] ||
		fail "disk 0 was booted more than once"
	expect_no_guest_reset serial.log.qemu
}

case_mbr_int18_returns_halts() {
	# A BIOS whose INT 18h returns (the test build points its vector at an
	# IRET): after the key the code must halt for good, interrupts off, at
	# its own hlt, not reset or run on.
	installed_probe
	zero_stage_magic
	mbr_test_build mbr-int18 -DTEST_INT18_RETURNS
	local halt
	halt=$(awk '$3 == "fail.halt" { print $1 }' mbr-int18.map)
	[ -n "$halt" ] || fail "no fail.halt in mbr-int18.map"
	mbr_qemu_start disk.img
	wait_for serial.log "$MBR_PROMPT" 20 || { mbr_qemu_stop; return 1; }
	monitor "sendkey ret"
	local regs="" try
	for try in 1 2 3 4 5 6 7 8 9 10; do
		sleep 1
		monitor "info registers"
		sleep 0.5
		regs=$(tr -d '\r' <monitor.log | grep -a '^EIP=' | tail -n 1)
		[[ $regs == *HLT=1* ]] && break
	done
	kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU ended (a reset, with -no-reboot)"
	mbr_qemu_stop
	echo "registers: $regs"
	[[ $regs == *HLT=1* ]] || fail "the CPU is not halted: $regs"
	local eip efl
	eip=$(sed -n 's/^EIP=\([0-9a-f]*\) .*/\1/p' <<<"$regs")
	efl=$(sed -n 's/.* EFL=\([0-9a-f]*\) .*/\1/p' <<<"$regs")
	# halted on fail.halt's hlt: EIP is past it (QEMU) or on it
	[ $((16#$eip)) -eq $((16#$halt + 1)) ] || [ $((16#$eip)) -eq $((16#$halt)) ] ||
		fail "halted at EIP $eip, not at fail.halt (0x$halt): in the BIOS, not for good"
	[ $((16#$efl & 0x200)) -eq 0 ] || fail "interrupts are on (EFL $efl): an interrupt ends the halt"
	tr -d '\r' <monitor.log | grep -a '^CS =0000 ' >/dev/null || fail "CS is not 0000"
	expect_no_guest_reset serial.log.qemu
}

case_mbr_m06_graphics_off_two_whole_copies() {
	# SeaBIOS's serial console (-machine graphics=off) mirrors the screen
	# on COM1, where the MBR code writes too: the report must arrive as
	# two readable copies (COM1's, then the screen's), not one character
	# of each in turn ("bboooottiinnsstt").
	installed_probe
	zero_stage_magic
	mbr_qemu_start disk.img -machine graphics=off
	wait_for serial.log "$MBR_PROMPT" 20 2 || { mbr_qemu_stop; return 1; }
	mbr_qemu_stop
	[ "$(tr -d '\r' <serial.log | grep -oF 'bootinst: M06' | wc -l)" = 2 ] ||
		fail "not two copies of 'bootinst: M06'"
	expect_line serial.log "bootinst: M06"      # at least one on a line of its own
	! tr -d '\r' <serial.log | grep 'bboo' >/dev/null || fail "the two copies are interleaved"
}
