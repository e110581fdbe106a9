#!/bin/bash
# run-direct.sh - self-test of the probe kernel: boot it with QEMU's own
# Linux loader (-kernel/-initrd/-append) and check that what it reports is
# what QEMU handed it.  This proves the probe before our loader is judged by
# it.  Prints one PASS/FAIL line per check; exits 1 if any check failed.
#
# Run from anywhere: ./tests/probe/run-direct.sh   (builds into build/probe/)
set -eu

cd "$(dirname "$0")/../.."
out=build/probe
mkdir -p "$out"

nasm -f bin -l "$out/probe.lst" -o "$out/probe.bzImage" tests/probe/probe.asm
# setup_sects=0 (means 4), a short command-line limit, a 3 KiB payload
nasm -f bin -DSETUP_SECTS=0 -DCMDLINE_SIZE=100 -DPAYLOAD_KIB=3 \
	-o "$out/probe-small.bzImage" tests/probe/probe.asm
gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$out/sum32" tests/probe/sum32.c

failures=0

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: expected '$2', got '$3'"
		failures=$((failures + 1))
	fi
}

# field REPORT KEY: the value of "PROBE KEY=..." in REPORT (empty if absent)
field() {
	sed -n "s/^PROBE $2=//p" "$1"
}

# hex8 N: N as the probe prints it
hex8() {
	printf '0x%08x' "$1"
}

# boot IMAGE REPORT [QEMU ARGS...]: boot IMAGE with QEMU's loader, serial to
# REPORT; sets $status to QEMU's exit status (33 = the probe's clean exit).
boot() {
	local image=$1 report=$2
	shift 2
	rm -f "$report"
	status=0
	timeout 60 qemu-system-x86_64 -accel tcg -M pc -m 256 -nodefaults \
		-display none -monitor none -no-reboot \
		-serial "file:$report" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$image" "$@" || status=$?
	touch "$report"
}

# check_entry_state NAME REPORT: the register state boot.rst's "RUNNING THE
# KERNEL" prescribes, whatever loader produced it.
check_entry_state() {
	local name=$1 report=$2 ds
	ds=$(field "$report" entry_ds)
	case $ds in
	0x[0-9a-f]*) ;;
	*) ds=0 ;;                     # missing: the checks below fail, readably
	esac
	check "$name: begin line" "PROBE begin" "$(head -n 1 "$report")"
	check "$name: end line" "PROBE end" "$(tail -n 1 "$report")"
	check "$name: protocol" 0x0000020f "$(field "$report" protocol)"
	check "$name: entry_cs = load segment + 0x20" "$(hex8 $((ds + 0x20)))" "$(field "$report" entry_cs)"
	for seg in es fs gs ss; do
		check "$name: entry_$seg = load segment" "$ds" "$(field "$report" entry_$seg)"
	done
	check "$name: setup_linear" "$(hex8 $((ds * 16)))" "$(field "$report" setup_linear)"
	check "$name: interrupts off" 0 "$(field "$report" entry_if)"
	check "$name: loadflags LOADED_HIGH|CAN_USE_HEAP" \
		0x00000081 "$(field "$report" loadflags)"
	check "$name: type_of_loader (QEMU)" 0x000000b0 "$(field "$report" type_of_loader)"
	check "$name: payload intact" 1 "$(field "$report" kernel_ok)"
	check "$name: no wrong payload dword" 0xffffffff "$(field "$report" kernel_bad_offset)"
}

# --- 1: default build, 3 MiB + 5 bytes of random initrd ---------------------
initrd=$out/initrd-direct.bin
head -c $((3 * 1024 * 1024 + 5)) /dev/urandom > "$initrd"
cmdline="console=ttyS0 hello probe"
report=$out/direct.out
start_ms=$(date +%s%3N)
boot "$out/probe.bzImage" "$report" -initrd "$initrd" -append "$cmdline"
echo "direct: QEMU ran $(($(date +%s%3N) - start_ms)) ms"

check "direct: QEMU exit status" 33 "$status"
check_entry_state direct "$report"
check "direct: cmdline" "$cmdline" "$(field "$report" cmdline)"
check "direct: cmdline_len" "$(hex8 ${#cmdline})" "$(field "$report" cmdline_len)"
check "direct: cmdline_size" 0x000007ff "$(field "$report" cmdline_size)"
check "direct: ramdisk_size" "$(hex8 "$(stat -c %s "$initrd")")" "$(field "$report" ramdisk_size)"
check "direct: initrd_sum32 = sum32 of the file" "$("$out/sum32" "$initrd")" \
	"$(field "$report" initrd_sum32)"
# The payload is the last PAYLOAD_KIB (512) KiB of the image file: its
# host-side sum32 must be what the probe found in memory.
tail -c $((512 * 1024)) "$out/probe.bzImage" > "$out/payload-direct.bin"
check "direct: kernel_sum32 = sum32 of the image's payload" \
	"$("$out/sum32" "$out/payload-direct.bin")" "$(field "$report" kernel_sum32)"

# --- 2: setup_sects=0, no initrd, no command line --------------------------
report=$out/direct-small.out
boot "$out/probe-small.bzImage" "$report"
check "small: QEMU exit status" 33 "$status"
check_entry_state small "$report"
check "small: empty cmdline" "" "$(field "$report" cmdline)"
check "small: cmdline_len" 0x00000000 "$(field "$report" cmdline_len)"
check "small: cmdline_size" 0x00000064 "$(field "$report" cmdline_size)"
check "small: ramdisk_size" 0x00000000 "$(field "$report" ramdisk_size)"
check "small: initrd_sum32 of nothing" 0x00000000 "$(field "$report" initrd_sum32)"

if [ "$failures" -ne 0 ]; then
	echo "run-direct: $failures check(s) failed; reports in $out/direct*.out"
	exit 1
fi
echo "run-direct: all checks passed"
