#!/bin/bash
# run-unit.sh DIR NAME... - run the cmocka unit test binaries DIR/test_NAME
# and sum up their test cases.
#
# Each binary's own output passes through unchanged, as it runs (cmocka's summary lines
# stay visible); the totals come from those summary lines:
#     [  PASSED  ] N test(s).
#     [  FAILED  ] N test(s), listed below:
# The last line is "unit: N passed, N failed".  A binary that is missing, or
# that exits non-zero without a cmocka failure count (a crash, an abort),
# counts as one failed test.  Exit status: 0 only if nothing failed.
set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 DIR NAME..." >&2
	exit 2
fi
dir=$1
shift

# Keep cmocka's plain-text report whatever the caller's environment asks for
# (xml, tap and subunit have other summary lines).
export CMOCKA_MESSAGE_OUTPUT=stdout

log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

passed=0 failed=0 skipped=0 bad_binaries=0

# The number N from the first line of $log matching "[  WORD  ] N test(s)".
summary_count() {
	sed -n "s/^\[ *$1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$log" | head -n 1
}

for name in "$@"; do
	bin=$dir/test_$name
	if [ ! -x "$bin" ]; then
		echo "unit: $bin: missing (not built?)"
		failed=$((failed + 1))
		bad_binaries=$((bad_binaries + 1))
		continue
	fi

	"$bin" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}

	n_passed=$(summary_count PASSED)
	n_failed=$(summary_count FAILED)
	n_skipped=$(summary_count SKIPPED)
	passed=$((passed + ${n_passed:-0}))
	failed=$((failed + ${n_failed:-0}))
	skipped=$((skipped + ${n_skipped:-0}))

	if [ "$status" -ne 0 ] && [ -z "$n_failed" ]; then
		if [ "$status" -gt 128 ]; then
			echo "unit: $bin: killed by signal $((status - 128)) before its summary"
		else
			echo "unit: $bin: exited with status $status without a cmocka failure count"
		fi
		failed=$((failed + 1))
		bad_binaries=$((bad_binaries + 1))
	elif [ "$status" -eq 0 ] && [ -z "$n_passed" ] && [ -z "$n_failed" ]; then
		echo "unit: $bin: printed no cmocka summary"
		failed=$((failed + 1))
		bad_binaries=$((bad_binaries + 1))
	fi
done

if [ "$skipped" -gt 0 ]; then
	echo "unit: $skipped skipped (see SKIPPED above)"
fi
if [ "$bad_binaries" -gt 0 ]; then
	echo "unit: $bad_binaries test binaries missing, crashed or without a summary (each counted as one failure)"
fi
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
