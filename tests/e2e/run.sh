#!/bin/bash
# run.sh [PATTERN] - run the end-to-end cases (tests/e2e/cases/*.sh), each
# function named case_* in them, optionally only those matching PATTERN.
# Each runs in a subshell with `set -e` and a scratch folder in $WORK.
# Ends with "e2e: N passed, N failed"; exits non-zero if any failed.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/harness.sh

pattern=${1:-}
passed=0
failed=0
failed_names=()
start_all=$(date +%s)
mkdir -p "$BUILD/e2e"
rm -f "$BUILD/e2e/retries.log"

for file in tests/e2e/cases/*.sh; do
	# shellcheck disable=SC1090
	. "$file"
	for name in $(grep -o '^case_[a-z0-9_]*' "$file"); do
		[[ -n $pattern && $name != *$pattern* ]] && continue
		WORK=$BUILD/e2e/${name#case_}
		rm -rf "$WORK"
		mkdir -p "$WORK"
		start=$(date +%s)
		( set -eo pipefail; cd "$WORK"; WORK=$WORK "$name" ) >"$WORK/case.log" 2>&1
		rc=$?
		secs=$(( $(date +%s) - start ))
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
			echo "PASS ${name#case_} (${secs}s)"
		else
			failed=$((failed + 1))
			failed_names+=("${name#case_}")
			echo "FAIL ${name#case_} (${secs}s), log: $WORK/case.log"
			sed 's/^/  | /' "$WORK/case.log" | tail -n 40
		fi
	done
done

echo "e2e: $(( $(date +%s) - start_all ))s"
if [ -s "$BUILD/e2e/retries.log" ]; then
	echo "e2e: $(wc -l <"$BUILD/e2e/retries.log") boot(s) printed nothing and were booted again:"
	sed 's/^/  | /' "$BUILD/e2e/retries.log"
fi
[ $failed -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
