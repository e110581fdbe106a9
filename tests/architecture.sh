#!/bin/bash
# architecture.sh - the layout of the source tree is the architecture
# (docs/design.md, "Parts"); this checks that the code keeps to it:
#
#   1. no #include cycle between any two files (include/, stage1/, installer/);
#   2. no call cycle between source files: from the built objects, file A
#      depends on file B when A uses a symbol B defines (nm), for the
#      bootinst command and for the stage;
#   3. each folder includes and calls only the folders below it:
#
#        installer/ (verbs) -> checks/ -> predict/ -> disk/ -> stage1/ -> include/
#                           -> info/ -> checks/, disk/, payload/ (`bootinst info`:
#                              the model and its views; reads only)
#                           -> commit/ -> disk/, mkimage/ (what mkimage plans)
#                           -> payload/ -> stage1/
#      with findings.h/report.h (installer/, one list and one printer) usable
#      from checks/ and predict/, and nothing in stage1/ or include/ reaching
#      up into installer/; in the stage, asm/entry.asm -> stage1/ ->
#      asm/realmode.asm (the BIOS thunk, which calls nothing);
#   4. only installer/commit/ writes to the image: no other source opens a
#      file for writing or calls a write primitive on a descriptor.
#
# Needs the objects of `make all` (build/host, build/stage).  Ends with
# "architecture: N passed, N failed"; exits non-zero if any failed.
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
report() {   # report NAME STATUS DETAILS-FILE
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1"
		sed 's/^/  | /' "$3" | head -n 30
	fi
}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT

sources=$(find include stage1 installer -name '*.[chS]' | sort)

# The folder a file belongs to, as the rules name them.
layer() {
	case $1 in
	include/*)            echo include ;;
	asm/entry.asm)        echo entry ;;
	asm/realmode.asm)     echo realmode ;;
	stage1/*)             echo stage1 ;;
	installer/*/*)        d=${1#installer/}; echo "${d%%/*}" ;;
	installer/findings.*|installer/report.*) echo findings ;;
	installer/*)          echo verbs ;;
	*)                    echo other ;;
	esac
}

# Which layers each layer may use (itself always).
allowed() {
	case $1 in
	include)  echo "" ;;
	entry)    echo "stage1 realmode include" ;;
	realmode) echo "" ;;
	stage1)   echo "realmode include" ;;
	payload)  echo "stage1 include" ;;
	mkimage)  echo "stage1 include" ;;
	disk)     echo "stage1 include" ;;
	commit)   echo "disk mkimage stage1 include" ;;
	findings) echo "stage1 include" ;;
	predict)  echo "disk findings stage1 include" ;;
	checks)   echo "predict disk payload findings stage1 include" ;;
	info)     echo "checks disk payload findings stage1 include" ;;
	verbs)    echo "info checks predict disk commit mkimage payload findings stage1 include" ;;
	*)        echo "" ;;
	esac
}

layer_ok() {   # layer_ok FROM-FILE TO-FILE
	local from to
	from=$(layer "$1")
	to=$(layer "$2")
	[ "$from" = "$to" ] && return 0
	[[ " $(allowed "$from") " == *" $to "* ]]
}

# --- 1 and 3: the include graph ------------------------------------------------
# A quoted include is looked up as the compiler does: the including file's
# folder, then -Iinclude -Istage1 -Iinstaller (Makefile).
: >"$work/includes"
for f in $sources; do
	grep -o '^#include "[^"]*"' "$f" | sed 's/^#include "\(.*\)"/\1/' | while read -r name; do
		for dir in "$(dirname "$f")" include stage1 installer stage1/libc; do
			if [ -f "$dir/$name" ]; then
				echo "$f $(realpath --relative-to=. "$dir/$name")"
				break
			fi
		done
	done
done >>"$work/includes"

tsort "$work/includes" >/dev/null 2>"$work/include-cycles"
report "no #include cycle ($(wc -l <"$work/includes") includes)" \
	"$([ -s "$work/include-cycles" ] && echo 1 || echo 0)" "$work/include-cycles"

: >"$work/include-layers"
while read -r from to; do
	layer_ok "$from" "$to" || echo "$from ($(layer "$from")) includes $to ($(layer "$to"))" >>"$work/include-layers"
done <"$work/includes"
report "every #include goes down the layers" "$([ -s "$work/include-layers" ] && echo 1 || echo 0)" \
	"$work/include-layers"

# --- 2 and 3: the call graph, from the objects ----------------------------------
# objects: the object file and the source it was built from
call_graph() {   # call_graph NAME OBJECT-DIR SOURCE-PREFIX...
	local name=$1 dir=$2 edges=$work/calls-$1 defs=$work/defs-$1
	shift 2
	: >"$defs"
	: >"$edges"
	local objs
	objs=$(find "$dir" -name '*.o' ! -path '*/tests/*' | sort)
	if [ -z "$objs" ]; then
		echo "no objects in $dir: run make all first" >"$work/calls-$name-cycles"
		report "$name: no call cycle between files" 1 "$work/calls-$name-cycles"
		return
	fi
	for o in $objs; do
		src=$(source_of "$o")
		nm --defined-only -g "$o" | awk -v src="$src" 'NF == 3 { print $3, src }' >>"$defs"
	done
	for o in $objs; do
		src=$(source_of "$o")
		nm -u "$o" | awk '{ print $NF }' | while read -r sym; do
			awk -v sym="$sym" -v src="$src" '$1 == sym && $2 != src { print src, $2 }' "$defs"
		done
	done | sort -u >"$edges"
	tsort "$edges" >/dev/null 2>"$edges-cycles"
	report "$name: no call cycle between files ($(wc -l <"$edges") file-to-file uses)" \
		"$([ -s "$edges-cycles" ] && echo 1 || echo 0)" "$edges-cycles"
	: >"$edges-layers"
	while read -r from to; do
		layer_ok "$from" "$to" || echo "$from ($(layer "$from")) calls into $to ($(layer "$to"))" >>"$edges-layers"
	done <"$edges"
	report "$name: every call goes down the layers" "$([ -s "$edges-layers" ] && echo 1 || echo 0)" \
		"$edges-layers"
}

# build/host/installer/disk/image.o -> installer/disk/image.c (or .S);
# build/stage/ext2.o -> stage1/ext2.c; build/stage/entry.o -> asm/entry.asm
source_of() {
	local o=$1 base
	case $o in
	build/host/*) base=${o#build/host/} ;;
	build/stage/entry.o) echo asm/entry.asm; return ;;
	build/stage/realmode.o) echo asm/realmode.asm; return ;;
	build/stage/*) base=stage1/${o#build/stage/} ;;
	esac
	base=${base%.o}
	if [ -f "$base.c" ]; then echo "$base.c"; else echo "$base.S"; fi
}

call_graph bootinst build/host
call_graph stage build/stage

# --- 4: only commit/ writes ----------------------------------------------------
# Opening for writing, or writing to a descriptor, anywhere else in installer/.
# (comments stripped: they may name what the code must not do)
for f in $(find installer -name '*.[ch]' ! -path 'installer/commit/*'); do
	sed -e 's|/\*.*\*/||g' -e '/^[[:space:]]*\/\?\*/d' "$f" |
		grep -nE 'O_RDWR|O_WRONLY|O_CREAT|O_TRUNC|\bpwrite|\bwrite\(|ftruncate|fallocate|EXT2_FLAG_RW|fopen\([^)]*"[wa]' |
		sed "s|^|$f:|"
done >"$work/writers"
report "only installer/commit/ opens the image for writing" \
	"$([ -s "$work/writers" ] && echo 1 || echo 0)" "$work/writers"

echo "architecture: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
