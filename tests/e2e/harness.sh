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

RETRIES_LOG=$BUILD/e2e/retries.log

# qemu_boot IMAGE SERIAL_LOG [extra qemu args...]
#   Boots IMAGE as the first hard disk, serial to SERIAL_LOG, QEMU's resets
#   and guest errors to SERIAL_LOG.qemu.  Returns QEMU's exit status: 33 when
#   a probe or init exited through isa-debug-exit with 0x10, 124 on timeout.
#
#   A boot that ends with nothing at all on serial -- not even the stage's
#   first line -- is run once more, and recorded in $RETRIES_LOG, which
#   run.sh reports: about one boot in twenty of the real kernel with a
#   2047-byte command line did that in full-suite runs on a loaded machine,
#   and it has not been explained yet (see SERIAL_LOG.qemu of such a run).
#   A boot that fails the same way twice fails the test.
qemu_boot() {
	local image=$1 log=$2
	shift 2
	local rc=0 try
	for try in 1 2; do
		rc=0
		timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel tcg -M pc -m "${QEMU_MEM:-256}" \
			-display none -monitor none -no-reboot -nodefaults -vga std \
			-serial "file:$log" -d cpu_reset,guest_errors -D "$log.qemu" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-drive "file=$image,format=raw${QEMU_DRIVE_OPTS:-}" "$@" </dev/null || rc=$?
		[ -s "$log" ] || [ $try = 2 ] || [ $rc = 124 ] || {
			echo "$(date -u +%FT%TZ) $PWD: QEMU exited $rc with an empty serial log; booting once more" |
				tee -a "$RETRIES_LOG" >&2
			cp "$log.qemu" "$log.qemu.first" 2>/dev/null || true
			continue
		}
		break
	done
	return $rc
}

fail() {
	echo "    FAIL: $*" >&2
	return 1
}

# expect_line LOG LINE: LOG must contain LINE as a whole line (CR ignored).
# (grep without -q here and below: -q stops reading at the first match, tr
# then dies of SIGPIPE, and under pipefail a found line would fail.)
expect_line() {
	tr -d '\r' <"$1" | grep -xF -- "$2" >/dev/null || {
		fail "expected line '$2' in $1; got:"
		tr -d '\r' <"$1" | sed 's/^/      | /' | tail -n 40 >&2
		return 1
	}
}

# expect_text LOG TEXT: LOG must contain TEXT somewhere.
expect_text() {
	tr -d '\r' <"$1" | grep -F -- "$2" >/dev/null || {
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

# qemu_boot_until IMAGE LOG PATTERN [SECONDS [extra qemu args...]]
#   Boots IMAGE like qemu_boot, in the background, and polls LOG for PATTERN
#   (a fixed string; CR ignored).  Stops QEMU as soon as PATTERN appears and
#   returns 0; at the deadline (default 20 s) stops it and fails.  QEMU is
#   reaped either way.  For failures that end in "Press a key": the guest
#   waits for ever, so waiting for QEMU's own timeout would only waste time.
qemu_boot_until() {
	local image=$1 log=$2 pattern=$3 seconds=${4:-20}
	shift 3
	[ $# -eq 0 ] || shift
	local deadline=$((SECONDS + seconds)) pid found=0
	: >"$log"
	timeout --kill-after=5 $((seconds + 10)) "$QEMU" -accel tcg -M pc -m "${QEMU_MEM:-256}" \
		-display none -monitor none -no-reboot -nodefaults -vga std \
		-serial "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$image,format=raw${QEMU_DRIVE_OPTS:-}" "$@" </dev/null &
	pid=$!
	while [ $SECONDS -lt $deadline ]; do
		if tr -d '\r' <"$log" | grep -F -- "$pattern" >/dev/null; then
			found=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break      # QEMU ended by itself
		sleep 0.2
	done
	# a last look: QEMU may have written PATTERN and exited between polls
	[ $found -eq 1 ] || ! tr -d '\r' <"$log" | grep -F -- "$pattern" >/dev/null || found=1
	kill -TERM "$pid" 2>/dev/null || true     # timeout passes it on to QEMU
	wait "$pid" 2>/dev/null || true
	[ $found -eq 1 ] && return 0
	fail "no '$pattern' on serial within ${seconds}s; got:"
	tr -d '\r' <"$log" | sed 's/^/      | /' | tail -n 40 >&2
	return 1
}

# catalog_entry CODE FIELD: FIELD (grub, message or fix) of CODE's entry in
# include/diag.h, the catalog the stage prints from, unescaped.
catalog_entry() {
	awk -v code="\"$1\"," -v field="$2" '
		function unquote(s) {
			sub(/^[ \t]*"/, "", s); sub(/"[,)]?[ \t\\]*$/, "", s)
			gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s)
			return s
		}
		$2 == code { grub = $3; sub(/,.*/, "", grub); gsub(/"/, "", grub)
			     getline message; getline fix
			     if (field == "grub") print grub
			     else if (field == "message") print unquote(message)
			     else print unquote(fix)
			     exit }' "$REPO/include/diag.h"
}

# expect_diag LOG CODE MESSAGE: the stage's failure report on LOG, exactly:
#   bootinst: CODE: MESSAGE
#     (GRUB Legacy calls this error N)      when the catalog names one
#     fix: <the catalog's fix>
#   Press a key to reboot.
expect_diag() {
	local log=$1 code=$2 message=$3 grub
	expect_line "$log" "bootinst: $code: $message"
	grub=$(catalog_entry "$code" grub)
	[ -z "$grub" ] || expect_line "$log" "  (GRUB Legacy calls this error $grub)"
	expect_line "$log" "  fix: $(catalog_entry "$code" fix)"
	expect_line "$log" "Press a key to reboot."
}
