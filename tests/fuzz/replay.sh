#!/bin/bash
# replay.sh DIR TARGET... - run each fuzz target's replay build
# (DIR/replay_TARGET: its LLVMFuzzerTestOneInput under gcc's ASan and
# UBSan, tests/fuzz/replay_main.c) once over its seeds (DIR/seeds/TARGET,
# from make-seeds.sh) and its committed regression inputs
# (tests/fuzz/crashes/TARGET/).  A target whose inputs all run clean
# passes; one whose run a sanitizer stops (or that has no inputs) fails,
# and the end of its log is shown.  Last line:
#     fuzz-replay: N passed, N failed
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=$1
shift
passed=0 failed=0 failed_names=()

for t in "$@"; do
	bin=$dir/replay_$t log=$dir/replay_$t.log
	inputs=()
	[ -d "$dir/seeds/$t" ] && inputs+=("$dir/seeds/$t")
	[ -d "tests/fuzz/crashes/$t" ] && inputs+=("tests/fuzz/crashes/$t")
	start=$(date +%s)
	if [ ! -x "$bin" ]; then
		echo "fuzz-replay: $t: $bin is missing (not built?)" >"$log"
		ok=0
	elif [ ${#inputs[@]} -eq 0 ]; then
		echo "fuzz-replay: $t: no inputs (make-seeds.sh not run?)" >"$log"
		ok=0
	else
		ok=1
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp} \
			"$bin" "${inputs[@]}" >"$log" 2>&1 || ok=0
	fi
	n=$(sed -n 's/^replay: \([0-9]*\) inputs$/\1/p' "$log")
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
		echo "fuzz-replay: $t: ${n:-0} inputs clean ($(( $(date +%s) - start ))s)"
	else
		failed=$((failed + 1))
		failed_names+=("$t")
		echo "fuzz-replay: $t: FAILED, log: $log"
		# the input that failed is the last one named before the report
		grep '^replay: ' "$log" | tail -n 1 | sed 's/^replay: /  | input: /'
		grep -v '^replay: ' "$log" | head -n 40 | sed 's/^/  | /'
	fi
done
[ $failed -eq 0 ] || echo "fuzz-replay: failed: ${failed_names[*]}"
echo "fuzz-replay: $passed passed, $failed failed"
[ $failed -eq 0 ]
