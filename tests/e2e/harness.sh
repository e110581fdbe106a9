# harness.sh - sourced by the end-to-end cases: QEMU runs, assertions, a
# per-case scratch folder.  Every QEMU run is TCG (KVM guests hang on the
# machines this project runs on) and under a timeout.
#
# A case is a bash function; run.sh calls it in a subshell with set -e and
# counts it passed when it returns 0.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$REPO/build
BOOTINST=$REPO/bootinst
E2E_LIB=$REPO/tests/e2e/lib
PROBE=$BUILD/probe/probe.bzImage
SUM32=$BUILD/probe/sum32
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-60}

# qemu_boot IMAGE SERIAL_LOG [extra qemu args...]
#   Boots IMAGE as the first hard disk, serial to SERIAL_LOG.  Returns QEMU's
#   exit status: 33 when a probe or init exited through isa-debug-exit with
#   0x10, 124 on timeout.
qemu_boot() {
	local image=$1 log=$2
	shift 2
	local rc=0
	timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel tcg -M pc -m "${QEMU_MEM:-256}" \
		-display none -monitor none -no-reboot -nodefaults -vga std \
		-serial "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$image,format=raw${QEMU_DRIVE_OPTS:-}" "$@" </dev/null || rc=$?
	return $rc
}

fail() {
	echo "    FAIL: $*" >&2
	return 1
}

# expect_line LOG LINE: LOG must contain LINE as a whole line (CR ignored).
expect_line() {
	tr -d '\r' <"$1" | grep -qxF -- "$2" || {
		fail "expected line '$2' in $1; got:"
		tr -d '\r' <"$1" | sed 's/^/      | /' | tail -n 40 >&2
		return 1
	}
}

# expect_text LOG TEXT: LOG must contain TEXT somewhere.
expect_text() {
	tr -d '\r' <"$1" | grep -qF -- "$2" || {
		fail "expected '$2' in $1; got:"
		tr -d '\r' <"$1" | sed 's/^/      | /' | tail -n 40 >&2
		return 1
	}
}

# probe_value LOG KEY: the value of "PROBE KEY=VALUE" from a probe run.
probe_value() {
	tr -d '\r' <"$1" | sed -n "s/^PROBE $2=//p" | head -n 1
}

# expect_probe LOG KEY VALUE
expect_probe() {
	local got
	got=$(probe_value "$1" "$2")
	[ "$got" = "$3" ] || fail "probe $2: expected '$3', got '$got'"
}
