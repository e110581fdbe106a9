# menu.sh - /boot/bootinst.cfg's entries at boot: the default by name, the
# fallback when the chosen entry fails before Linux starts, and the one
# entry the install record gives when the file names none.  The probe
# kernel reports the command line it got.
#
# Uses failures.sh's helpers (installed_probe, fs_debugfs, boot_to_failure).
# shellcheck source=failures.sh
. "$REPO/tests/e2e/cases/failures.sh"

# menu_cfg TEXT: /boot/bootinst.cfg holds TEXT.
menu_cfg() {
	printf '%s' "$1" >cfg
	fs_debugfs "write cfg /boot/bootinst.cfg" >/dev/null
}

case_menu_default_by_name() {
	installed_probe
	menu_cfg 'default rescue
entry linux
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1 entry=linux
entry rescue
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1 entry=rescue init=/sbin/init
'
	"$BOOTINST" check disk.img >check.out || { cat check.out; fail "check refused a good menu"; }
	qemu_boot_until disk.img serial.log "PROBE end" 20
	expect_line serial.log "Using /boot/bootinst.cfg"
	expect_line serial.log "Booting 'rescue'"
	expect_line serial.log "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=rescue init=/sbin/init"
	expect_probe serial.log kernel_ok 1
}

case_menu_fallback_after_the_default_fails() {
	installed_probe
	menu_cfg 'fallback 2
entry broken
  kernel /boot/deleted
  cmdline console=ttyS0 entry=broken
entry good
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1 entry=good
'
	# check: the default fails (an error), the fallback would boot
	"$BOOTINST" check disk.img >check.out && fail "check did not see the default entry fail"
	expect_text check.out "/boot/deleted: E15: file not found: /boot/deleted"
	qemu_boot_until disk.img serial.log "PROBE end" 20
	expect_line serial.log "Booting 'broken'"
	expect_line serial.log "bootinst: E15: file not found: /boot/deleted"
	expect_line serial.log "Booting the fallback entry 'good' in 3 seconds (a key: now)"
	expect_line serial.log "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=good"
	expect_probe serial.log kernel_ok 1
}

case_menu_no_fallback_stops_with_the_diagnostic() {
	installed_probe
	menu_cfg 'entry broken
  kernel /boot/deleted
entry good
  kernel /boot/vmlinuz
'
	boot_to_failure
	expect_diag serial.log E15 "file not found: /boot/deleted"
	! grep -q "fallback" serial.log || fail "a fallback was booted without one"
}

case_menu_other_entry_broken_is_a_warning() {
	installed_probe
	menu_cfg 'entry good
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1
entry typo
  kernel /boot/vmlinux
  cmdline console=ttyS0 root=/dev/sda1
'
	# the disk boots its default: the other entry's missing kernel is a
	# warning that names the entry
	"$BOOTINST" check disk.img >check.out || { cat check.out; fail "check called a good default unbootable"; }
	expect_text check.out "bootinst: disk.img: entry typo: /boot/vmlinux: warning: E15: file not found: /boot/vmlinux"
	expect_text check.out "0 errors, 1 warning"
}

# --- the menu at boot, driven by keys (tests/e2e/lib/keys.py) ----------------

MENU_TWO='timeout 30
entry linux
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1 entry=linux
entry rescue
  kernel /boot/vmlinuz
  cmdline console=ttyS0 root=/dev/sda1 entry=rescue
'

# keys_boot STEP...: boot disk.img with serial and monitor on sockets, play
# STEPs (keys.py) with serial copied to serial.log, until the probe ends
# (KEYS_END: until that appears instead; empty: the steps alone).
# KEYS_SCREEN="-nographic -vga std" boots as the README's command does: SeaBIOS then
# copies the screen to COM1 and makes COM1's bytes keystrokes itself.
keys_boot() {
	local pid rc=0
	rm -f serial.sock monitor.sock
	# shellcheck disable=SC2086
	timeout --kill-after=5 60 "$QEMU" -accel tcg -M pc -m 256 ${KEYS_SCREEN:--display none -vga std} \
		-no-reboot -nodefaults -serial unix:serial.sock,server=on,wait=on \
		-monitor unix:monitor.sock,server=on,wait=off \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=disk.img,format=raw" </dev/null >qemu.out 2>&1 &
	pid=$!
	local end=${KEYS_END-PROBE end}
	python3 "$E2E_LIB/keys.py" serial.sock monitor.sock serial.log "$@" ${end:+"wait:$end"} || rc=$?
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	tr -d '\r' <serial.log | tr '\b' '~' >serial.txt
	[ $rc = 0 ] || { tail -c 2000 serial.txt; fail "keys.py stopped (status $rc)"; }
}

case_menu_serial_choose_second() {
	installed_probe
	menu_cfg "$MENU_TWO"
	# j moves down, Enter boots, on a serial terminal
	keys_boot 'wait:bootinst: boot menu' 'wait:Boot 1 linux, in ' 'send:j' 'wait:Boot 2 rescue' 'send:\r'
	expect_text serial.txt "  1 * linux"
	expect_text serial.txt "  2   rescue"
	expect_line serial.txt "Booting 'rescue'"
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=rescue"
}

case_menu_serial_escape_sequences_and_numbers() {
	installed_probe
	menu_cfg "$MENU_TWO"
	# a terminal's arrow keys (ESC [ B, ESC O A), an unknown sequence
	# (ESC [ 9 9 z) ignored, then a number
	keys_boot 'wait:Boot 1 linux, in ' 'send:\e[B' 'wait:Boot 2 rescue' 'send:\eOA' 'wait:Boot 1 linux' \
		'send:\e[99z' 'send:2' 'wait:Boot 2 rescue' 'send:\r'
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=rescue"
}

case_menu_keyboard_choose_and_edit() {
	installed_probe
	menu_cfg "$MENU_TWO"
	# the keyboard (QEMU's sendkey): down, e, End, backspace x6, type
	# "edited", Enter; screenshots of the menu and of the editor
	keys_boot 'wait:Boot 1 linux, in ' 'key:down' 'wait:Boot 2 rescue' "shot:$PWD/menu.png" \
		'key:e' 'wait:Edit the command line' 'key:end' \
		'key:backspace' 'key:backspace' 'key:backspace' 'key:backspace' 'key:backspace' 'key:backspace' \
		'key:e' 'key:d' 'key:i' 'key:t' 'key:e' 'key:d' 'sleep:1' "shot:$PWD/editor.png" 'key:ret'
	expect_line serial.txt "Booting 'rescue'"
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=edited"
	[ -s menu.png ] && [ -s editor.png ] || fail "no screenshots"
	cp menu.png editor.png "$BUILD/e2e/" 2>/dev/null || true
}

case_menu_serial_edit_escape_cancels() {
	installed_probe
	menu_cfg "$MENU_TWO"
	# e opens the editor, a typed word and Home/Delete, then Esc: the line
	# is as it was; the menu again, Enter boots it unchanged
	keys_boot 'wait:Boot 1 linux, in ' 'send:e' 'wait:Edit the command line' 'send:junk\e[H\e[3~' \
		'send:\e' 'sleep:0.5' 'wait:bootinst: boot menu' 'wait:Boot 1 linux' 'send:\r'
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=linux"
}

case_menu_timeout_boots_the_default() {
	installed_probe
	menu_cfg "timeout 2
default 2
$(printf '%s' "$MENU_TWO" | sed 1d)"
	# nobody touches it: the countdown runs out and the default boots
	keys_boot 'wait:Boot 2 rescue, in 2 s' 'wait:Boot 2 rescue, in 1 s'
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=rescue"
}

case_menu_timeout_zero_shows_no_menu() {
	installed_probe
	menu_cfg "$(printf '%s' "$MENU_TWO" | sed 1d)"
	keys_boot
	! grep -q "boot menu" serial.txt || fail "a menu with timeout 0 and no key"
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=linux"
}

case_menu_long_diagnostic_wraps_at_words_on_screen() {
	# the tutorials' E24: a message of 120 columns; on the 80-column screen
	# it breaks at spaces (the lines after the first indented), on COM1 it
	# stays one line
	tutorial_fs_past_partition
	local message="block 32100 of /boot/vmlinuz lies past the end of its partition (it reaches sector 64201 of the partition; the last is 64196)"
	KEYS_END= keys_boot "wait:$STAGE_FAIL_PROMPT" "text:$PWD/screen.txt"
	expect_line serial.txt "bootinst: E24: $message"
	cat screen.txt
	python3 - screen.txt "$message" <<'PY' || fail "the screen cut a word of the diagnostic"
import sys
rows = open(sys.argv[1]).read().split("\n")
first = next(i for i, r in enumerate(rows) if r.startswith("bootinst: E24: "))
parts = [rows[first][len("bootinst: E24: "):].strip()]
for r in rows[first + 1:]:
    if not r.startswith("  ") or r.startswith("  fix:") or r.startswith("  (GRUB"):
        break
    parts.append(r.strip())
assert len(parts) > 1, "it did not need to wrap?"
assert all(len(r) <= 80 for r in rows), "a row longer than the screen"
assert " ".join(parts) == sys.argv[2], parts
PY
}

case_menu_install_timeout_shows_the_recorded_entry() {
	installed_probe
	# no bootinst.cfg: install --timeout gives the recorded entry a menu
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --cmdline "console=ttyS0 root=/dev/sda1 entry=recorded" \
		--timeout 2 >install.out
	expect_text install.out "menu       for 2 s before the entry boots (--timeout)"
	keys_boot 'wait:bootinst: boot menu' 'wait:Boot 1 recorded, in 2 s'
	expect_text serial.txt "  1 * recorded"
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=recorded"
	# and --timeout is checked like the file's
	"$BOOTINST" install disk.img --timeout 3601 2>usage.out && fail "--timeout 3601 was taken"
	expect_text usage.out "--timeout takes a number up to 3600"
}

case_menu_info_lists_the_entries() {
	installed_probe
	menu_cfg "$MENU_TWO
fallback rescue
"
	"$BOOTINST" info disk.img >info.txt
	expect_text info.txt "menu            2 entries, the menu waits 30 s: 1 linux (default: what is shown here), 2 rescue (fallback)"
	"$BOOTINST" info disk.img --json >info.json
	[ "$(jq -c '.menu | [.timeout, .default, .fallback, [.entries[].name]]' info.json)" = '[30,1,2,["linux","rescue"]]' ] ||
		fail "info --json's menu: $(jq -c .menu info.json)"
}

case_menu_nographic_keys_through_the_bios() {
	installed_probe
	menu_cfg "$MENU_TWO"
	# under -nographic the keys reach the stage through INT 16h (SeaBIOS's
	# serial console), not from the UART: the same menu, the same keys
	KEYS_SCREEN="-nographic -vga std" keys_boot 'wait:Boot 1 linux' 'send:j' 'wait:Boot 2 rescue' 'send:\r'
	expect_line serial.txt "Booting 'rescue'"
	expect_line serial.txt "PROBE cmdline=console=ttyS0 root=/dev/sda1 entry=rescue"
}
