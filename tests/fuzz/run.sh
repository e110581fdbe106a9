#!/bin/bash
# run.sh DIR SECONDS TARGET... - fuzz each target in turn (DIR/fuzz_TARGET,
# libFuzzer) for SECONDS, one process at a time, so that a core stays free
# for others.  Each starts from its corpus (DIR/corpus/TARGET, kept between
# runs: what it learnt), its seeds and tests/fuzz/crashes/TARGET; a crash
# or a run over FUZZ_TIMEOUT seconds (default 10: the reader must end in a
# diagnostic within a second) is saved in DIR/artifacts/TARGET/.
# FUZZ_FLAGS adds libFuzzer flags (e.g. -jobs=1, -only_ascii=1).
#
# The executions of every run are added to DIR/executions.log, and each
# target's total over all runs is printed ("over the issue's life": keep
# build/fuzz/ to keep counting).  Ends with "fuzz: N passed, N failed", a
# target passing when it ran its time without a crash; exits 0 when none crashed.
set -u
cd "$(dirname "$0")/../.." || exit 2
repo=$PWD
dir=$(cd "$1" && pwd) || exit 2
seconds=$2
shift 2
status=0
passed=0
failed=0
# libFuzzer writes its -jobs logs (fuzz-N.log) where it runs: there
cd "$dir" || exit 2

for t in "$@"; do
	bin=$dir/fuzz_$t log=$dir/fuzz_$t.log
	mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
	inputs=("$dir/corpus/$t" "$dir/seeds/$t")
	[ -d "$repo/tests/fuzz/crashes/$t" ] && inputs+=("$repo/tests/fuzz/crashes/$t")
	echo "fuzz: $t for ${seconds}s"
	# -malloc_limit_mb above the RSS limit: libext2fs callocs a crafted
	# inline-data symlink's i_size (2.3 GB once), which a real run only
	# reserves (3 MB RSS; crashes/check/libext2fs-inline-symlink-calloc)
	# shellcheck disable=SC2086
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/tests/fuzz/lsan.supp} \
	"$bin" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
		-malloc_limit_mb=4096 \
		-print_final_stats=1 -use_value_profile=1 -artifact_prefix="$dir/artifacts/$t/" \
		${FUZZ_FLAGS:-} "${inputs[@]}" >"$log" 2>&1
	rc=$?
	# with -jobs, each job logged to fuzz-N.log here: gather them
	for job in "$dir"/fuzz-[0-9]*.log; do
		[ -f "$job" ] && { cat "$job" >>"$log"; rm -f "$job"; }
	done
	n=$(awk '/^stat::number_of_executed_units:/ { s += $2; found = 1 } END { if (found) print s }' "$log")
	[ -n "$n" ] || n=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	echo "$(date -u +%FT%TZ) $t ${n:-0} rc=$rc" >>"$dir/executions.log"
	total=$(awk -v t="$t" '$2 == t { s += $3 } END { print s + 0 }' "$dir/executions.log")
	tail -n 1 "$log" | sed 's/^/  | /'
	echo "fuzz: $t: ${n:-0} executions this run, $total in all; corpus $(find "$dir/corpus/$t" -type f | wc -l) inputs"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	else
		status=1
		failed=$((failed + 1))
		echo "fuzz: $t: stopped with status $rc: log $log, inputs in $dir/artifacts/$t/:"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written|ALARM|==[0-9]+== ERROR)' "$log" |
			head -n 10 | sed 's/^/  | /'
	fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
