#!/usr/bin/env bash
# fragment-files.sh — rewrite files inside an ext2/3/4 image so their blocks
# are scattered, to test a loader's block mapping on fragmented files.
#
# Usage: fragment-files.sh [--hole-blocks N] IMAGE OFFSET FILE...
#
#   IMAGE     raw disk image (e.g. from make-disk.sh)
#   OFFSET    byte offset of the filesystem in IMAGE (make-disk.sh's FS_OFFSET)
#   FILE      absolute path inside the filesystem, e.g. /boot/vmlinuz
#   --hole-blocks N  size of each free gap the file is written into; default:
#                    the smallest that the filesystem's free inodes allow
#                    (1 block, i.e. every block its own fragment, when there
#                    are enough)
#
# Prints one line per file: "FILE: blocks=B fragments=F" (F = runs of
# physically consecutive data blocks, from debugfs's `blocks` listing); exits
# non-zero if a file did not end up in at least 2 fragments or its contents
# changed.
#
# How: everything runs through debugfs -w on "IMAGE?offset=OFFSET" (the
# e2fsprogs unix I/O manager's "?offset=" option; no mount, no root). The
# file is copied out and removed; the free space it left and beyond is filled
# with filler files of N blocks each; every other filler is removed, leaving
# N-block gaps; the file is written back (libext2fs allocates each block at
# the first free block after the previous one, so it lands gap by gap); the
# remaining fillers are removed. Mode, owner and mtime are restored. As with
# mke2fs -d, all-zero blocks are stored as holes. Files with more than one
# hard link are refused (rewriting would split them).
set -euo pipefail

die() {
	echo "fragment-files.sh: $*" >&2
	exit 1
}
usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

hole_blocks=
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--hole-blocks) hole_blocks=${2:?}; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "fragment-files.sh: unknown option $1; try --help" >&2; exit 2 ;;
	*) args+=("$1") ;;
	esac
	shift
done
[ ${#args[@]} -ge 3 ] || { echo "fragment-files.sh: IMAGE OFFSET FILE... needed; try --help" >&2; exit 2; }
image=${args[0]}
offset=${args[1]}
files=("${args[@]:2}")
[[ $offset =~ ^[0-9]+$ ]] || die "OFFSET '$offset' is not a byte count"
[ -z "$hole_blocks" ] || [[ $hole_blocks =~ ^[1-9][0-9]*$ ]] || die "--hole-blocks: '$hole_blocks' is not a positive number"
[ -f "$image" ] || die "$image: no such file"

fs_dev="$image?offset=$offset"
work=$(mktemp -d "${TMPDIR:-/tmp}/fragment-files.XXXXXX")
trap 'rm -rf "$work"' EXIT
filler_dir=/.fragment-fill

# debugfs exits 0 even when a request fails, so each caller checks the
# result it needs; its own banner and echoed requests go to the log.
debugfs_read() {
	debugfs -R "$1" "$fs_dev" 2>"$work/debugfs.err"
}
debugfs_write_script() {
	debugfs -w -f "$1" "$fs_dev" >"$work/debugfs.log" 2>&1
}
superblock_field() {
	dumpe2fs -h "$fs_dev" 2>/dev/null | sed -n "s/^$1: *//p"
}

# Physical data blocks in logical order, one per line ("blocks" prints them
# space-separated; holes are not listed).
data_blocks() {
	debugfs_read "blocks $1" | tr ' ' '\n' | sed '/^$/d'
}
count_fragments() {
	awk 'NR == 1 || $1 != prev + 1 { runs++ } { prev = $1 } END { print runs + 0 }'
}

# "stat" prints e.g. "Inode: 12   Type: regular    Mode:  0755   Flags: 0x0",
# "Links: 1", "User:     0   Group:     0", "mtime: 0x65a1b2c3 -- ..."
inode_field() {
	sed -n "s/.*$1: *\([0-9a-fx]*\).*/\1/p" "$2" | head -n 1
}

fragment_one() {
	local path=$1 dir name stat_out copy blocks block_size free_inodes free_blocks
	local mode uid gid mtime links gaps fillers hole i script filler

	dir=$(dirname "$path")
	name=$(basename "$path")
	stat_out=$work/stat
	debugfs_read "stat $path" >"$stat_out"
	grep -q 'Type: regular' "$stat_out" || die "$path: not a regular file in $image at byte $offset"
	links=$(inode_field Links "$stat_out")
	[ "$links" = 1 ] || die "$path: has $links hard links; rewriting it would split them"
	mode=$(inode_field Mode "$stat_out")
	uid=$(inode_field User "$stat_out")
	gid=$(inode_field Group "$stat_out")
	mtime=$(inode_field mtime "$stat_out")

	copy=$work/copy
	rm -f "$copy"
	debugfs_read "dump $path $copy" >/dev/null
	[ -f "$copy" ] || die "$path: debugfs could not copy it out: $(cat "$work/debugfs.err")"
	blocks=$(data_blocks "$path" | wc -l)
	[ "$blocks" -ge 2 ] || die "$path: $blocks data block(s); a file needs 2 to be fragmented"

	block_size=$(superblock_field 'Block size')
	free_inodes=$(superblock_field 'Free inodes')
	free_blocks=$(superblock_field 'Free blocks')
	# Room for the file's own mapping blocks (ext2 indirect blocks: one per
	# block_size/4 data blocks; ext4 extent blocks need fewer).
	local need=$((blocks + blocks / (block_size / 4) + 4))
	if [ -n "$hole_blocks" ]; then
		hole=$hole_blocks
	else
		# Two fillers per gap, and keep some inodes spare for the directory
		# and the file itself.
		local usable_inodes=$((free_inodes - 8))
		[ "$usable_inodes" -ge 4 ] || die "$image: only $free_inodes free inodes; need a few to make gaps"
		hole=$(((2 * need + usable_inodes - 1) / usable_inodes))
	fi
	gaps=$(((need + hole - 1) / hole))
	fillers=$((2 * gaps))
	# The file's own blocks are freed first, so they count as free space.
	[ $((fillers * hole + need)) -le $((free_blocks + blocks)) ] ||
		die "$image: $free_blocks free blocks; fragmenting $path ($blocks blocks) in $hole-block gaps needs about $((fillers * hole + need - blocks))"

	# Non-zero filler bytes: zero blocks would be stored as holes and take
	# no space at all.
	filler=$work/filler
	head -c $((hole * block_size)) /dev/zero | tr '\0' '\245' >"$filler"

	script=$work/script
	{
		echo "rm $path"
		echo "mkdir $filler_dir"
		echo "cd $filler_dir"
		for ((i = 0; i < fillers; i++)); do echo "write $filler f$i"; done
		for ((i = 0; i < fillers; i += 2)); do echo "rm f$i"; done
		echo "cd $dir"
		echo "write $copy $name"
		echo "cd $filler_dir"
		for ((i = 1; i < fillers; i += 2)); do echo "rm f$i"; done
		echo "cd /"
		echo "rmdir $filler_dir"
		printf 'sif %s mode 0%o\n' "$path" $((8#$mode | 8#100000))
		echo "sif $path uid $uid"
		echo "sif $path gid $gid"
		echo "sif $path mtime @$((mtime))"
	} >"$script"
	debugfs_write_script "$script"

	local check=$work/check
	rm -f "$check"
	debugfs_read "dump $path $check" >/dev/null
	cmp -s "$copy" "$check" || die "$path: contents differ after rewriting (debugfs log: $work/debugfs.log)"
	if debugfs_read "stat $filler_dir" | grep -q 'Inode:'; then
		die "$filler_dir was left behind in $image"
	fi

	local fragments
	fragments=$(data_blocks "$path" | count_fragments)
	echo "$path: blocks=$blocks fragments=$fragments"
	[ "$fragments" -ge 2 ] || die "$path: still in one piece after rewriting"
}

for path in "${files[@]}"; do
	case $path in /*) ;; *) die "$path: give the absolute path inside the filesystem" ;; esac
	fragment_one "$path"
done
e2fsck -fn "$fs_dev" >"$work/fsck.log" 2>&1 ||
	{ cat "$work/fsck.log" >&2; die "e2fsck -fn finds the filesystem damaged after rewriting"; }
