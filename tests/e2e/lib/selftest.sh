#!/usr/bin/env bash
# selftest.sh — proves the e2e assets with QEMU's own loader (-kernel/-initrd,
# no bootinst involved), so a bootinst e2e failure can be told apart from a
# broken asset.
#
# Usage: selftest.sh [CACHE_DIR]
#
#   CACHE_DIR  passed to examples/fetch-kernel.sh (default ${BOOTINST_CACHE:-<repo>/.cache})
#
# Checks, each one QEMU boot under a timeout, in this order:
#   switchroot_missing_root  root=/dev/sdb7 rootdelay=1: the initramfs says
#                            "/dev/sdb7 did not appear" and powers off
#   marker                   marker initramfs (with an 8 MiB pad): prints the
#                            marker, the command line and the pad's SHA-256
#                            the host expects, and powers off
#   switchroot_ide           ext2 at sector 63 of a 32 MiB image on QEMU's
#                            default IDE disk, root=/dev/sda1: `mount` shows
#                            /dev/sda1 on /, then BOOTINST-ROOT-OK, power off
#   switchroot_virtio        the same image as if=virtio, root=/dev/vda1
# Prints "PASS name (N.N s to marker)" or "FAIL name: why" per check, then
# "N passed, N failed"; exits non-zero if any failed. Serial logs stay in
# the printed work directory when something fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
readonly BOOT_TIMEOUT=120

work=$(mktemp -d "${TMPDIR:-/tmp}/bootinst-selftest.XXXXXX")
passed=0
failed=0
finish() {
	echo "$passed passed, $failed failed"
	if [ "$failed" = 0 ]; then
		rm -rf "$work"
	else
		echo "selftest: logs kept in $work"
	fi
}
trap finish EXIT

pass() {
	passed=$((passed + 1))
	echo "PASS $1 ($2 s to marker)"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL $1: $2 (log: $work/$1.log)"
}

kernel_root=$("$here/../../../examples/fetch-kernel.sh" "$@")
vmlinuzes=("$kernel_root"/boot/vmlinuz-*)
vmlinuz=${vmlinuzes[0]}

"$here/../../../examples/initramfs.sh" marker "$work/marker.cpio.gz" --pad-mib 8 >"$work/marker.expected"
"$here/../../../examples/initramfs.sh" switchroot "$work/switchroot.cpio.gz" \
	--kernel-root "$kernel_root" >/dev/null 2>&1
"$here/../../../examples/busybox-root.sh" --autorun "$work/rootfs"
"$here/make-disk.sh" --size 32 --start 63 --fs ext2 --populate "$work/rootfs" \
	"$work/disk.img" >/dev/null

# Boots QEMU's built-in loader; every serial line is stamped with the
# seconds since QEMU started, so the marker's arrival can be timed.
# panic=-1 makes a kernel panic reboot at once, which -no-reboot turns
# into a QEMU exit: a broken asset fails fast instead of at the timeout.
# Usage: boot NAME INITRD CMDLINE [QEMU ARGS...]; sets qemu_status.
boot() {
	local name=$1 initrd=$2 cmdline=$3 start_us tenths line
	shift 3
	start_us=${EPOCHREALTIME//[.,]/}
	set +e
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -nographic \
		-no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $cmdline" "$@" </dev/null 2>&1 |
		while IFS= read -r line; do
			tenths=$(((${EPOCHREALTIME//[.,]/} - start_us) / 100000))
			printf '%d.%d %s\n' $((tenths / 10)) $((tenths % 10)) "${line//$'\r'/}"
		done >"$work/$name.log"
	qemu_status=${PIPESTATUS[0]}
	set -e
}

# Seconds from QEMU start to the first line containing TEXT, or empty.
# (Not anchored: SeaBIOS's screen-clearing escapes share the first line.)
seconds_to() {
	grep -F -- "$2" "$work/$1.log" | head -n 1 | cut -d ' ' -f 1 || true
}
has_line() {
	grep -qF -- "$2" "$work/$1.log"
}

check_exit() {
	case $qemu_status in
	0) return 0 ;;
	124) fail "$1" "no power-off within $BOOT_TIMEOUT s" ;;
	*) fail "$1" "QEMU exited with status $qemu_status" ;;
	esac
	return 1
}

# --- failure path first: a missing root must end, loudly ---------------------
name=switchroot_missing_root
boot $name "$work/switchroot.cpio.gz" "root=/dev/sdb7 rootdelay=1" \
	-drive "file=$work/disk.img,format=raw"
if check_exit $name; then
	if has_line $name "initramfs: /dev/sdb7 did not appear within 1 s" &&
		has_line $name "initramfs: powering off"; then
		pass $name "$(seconds_to $name 'did not appear')"
	else
		fail $name "no 'did not appear' / 'powering off' message"
	fi
fi

name=marker
boot $name "$work/marker.cpio.gz" "bootinst.selftest=marker"
if check_exit $name; then
	if ! has_line $name BOOTINST-E2E-INIT-OK; then
		fail $name "no BOOTINST-E2E-INIT-OK"
	elif ! has_line $name "cmdline: console=ttyS0 panic=-1 bootinst.selftest=marker"; then
		fail $name "the cmdline line is missing or wrong"
	elif ! has_line $name "$(grep pad-sha256 "$work/marker.expected")"; then
		fail $name "guest's pad-sha256 differs from the host's: $(grep pad-sha256 "$work/$name.log" || echo none)"
	else
		pass $name "$(seconds_to $name BOOTINST-E2E-INIT-OK)"
	fi
fi

check_switchroot() {
	local name=$1 dev=$2
	shift 2
	boot "$name" "$work/switchroot.cpio.gz" "root=$dev" "$@"
	check_exit "$name" || return 0
	if ! has_line "$name" "$dev on / type ext2 (ro"; then
		fail "$name" "mount output does not show $dev on / as read-only ext2"
	elif ! has_line "$name" BOOTINST-ROOT-OK; then
		fail "$name" "no BOOTINST-ROOT-OK"
	else
		pass "$name" "$(seconds_to "$name" BOOTINST-ROOT-OK)"
	fi
}
check_switchroot switchroot_ide /dev/sda1 -drive "file=$work/disk.img,format=raw"
check_switchroot switchroot_virtio /dev/vda1 -drive "file=$work/disk.img,format=raw,if=virtio"

[ "$failed" = 0 ]
