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
	expect_line serial.log "Booting the fallback entry 'good' instead"
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
