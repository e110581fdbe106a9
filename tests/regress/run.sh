#!/bin/bash
# run.sh [PATTERN] - the regression folders (tests/regress/*/): for each,
# make its broken image with make-image.sh in build/regress/NAME/, run
# `bootinst check disk.img` there, and compare what it prints (stdout and
# stderr, in order) with NAME/expect, exactly.  The exit status must be 0
# exactly when the summary counts no errors, and 0 for the folder `good`.  Needs bootinst and the probe kernel
# built.
# Then every code in the catalog (include/diag.h) must have a folder here or
# a test named after it elsewhere (an e2e case_*_e42 or a cmocka test_*_i04):
# a code nothing triggers counts as one failure.
# Prints PASS/FAIL per folder, then "regress: N passed, N failed"; exits
# non-zero if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
# built by `make e2e` (which runs this through tests/e2e/cases/regress.sh)
for built in bootinst build/probe/probe.bzImage; do
	[ -f "$built" ] || { echo "regress: no $built; run make all build/probe/probe.bzImage"; exit 1; }
done

pattern=${1:-}
passed=0
failed=0

for dir in tests/regress/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[[ -n $pattern && $name != *$pattern* ]] && continue
	work=build/regress/$name
	rm -rf "$work"
	mkdir -p "$work"
	start=$(date +%s)
	problem=
	if ! (cd "$work" && bash "$repo/$dir/make-image.sh") >"$work/make-image.log" 2>&1; then
		problem="make-image.sh failed, log: $work/make-image.log"
	else
		(cd "$work" && "$repo/bootinst" check disk.img) >"$work/check.out" 2>&1
		status=$?
		if [ ! -f "$dir/expect" ]; then
			problem="no $dir/expect; the output is in $work/check.out"
		elif ! diff -u "$dir/expect" "$work/check.out" >"$work/check.diff"; then
			problem="output differs from $dir/expect:"
		elif [ "$name" = good ] && [ $status -ne 0 ]; then
			problem="exit status $status on the good image"
		elif [ "$(tail -n 1 "$work/check.out" | grep -c '[:;] 0 errors,')" = "$status" ]; then
			# exit 0 exactly when the summary counts no errors
			problem="exit status $status with the summary '$(tail -n 1 "$work/check.out")'"
		fi
	fi
	secs=$(( $(date +%s) - start ))
	if [ -z "$problem" ]; then
		passed=$((passed + 1))
		echo "PASS $name (${secs}s)"
	else
		failed=$((failed + 1))
		echo "FAIL $name (${secs}s): $problem"
		[ ! -s "$work/check.diff" ] || sed 's/^/  | /' "$work/check.diff" | head -n 40
	fi
done

# Every catalog code is triggered somewhere: a folder, or a test whose
# name ends in the code or has it between underscores.
[ -n "$pattern" ] || for code in $(sed -n 's/^X(DIAG_[A-Z0-9_]*, "\([A-Z][0-9][0-9A-Z]*\)".*/\1/p' include/diag.h); do
	lower=$(echo "$code" | tr 'A-Z' 'a-z')
	if compgen -G "tests/regress/$code-*/" >/dev/null ||
	   grep -rqE "(case|test)_[a-z0-9_]*_${lower}(_[a-z0-9_]*)?\(" tests/e2e/cases tests/unit; then
		continue
	fi
	failed=$((failed + 1))
	echo "FAIL $code: no tests/regress/$code-*/ folder and no test named *_${lower}"
done

echo "regress: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
