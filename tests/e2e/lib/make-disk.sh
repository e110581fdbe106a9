#!/usr/bin/env bash
# make-disk.sh — a partitioned raw disk image with an ext2/3/4 filesystem,
# made without root, loop devices or mounting.
#
# Usage: make-disk.sh [options] OUT.img
#
#   --size MIB            image size (default 32). With --sparse-start-gib
#                         the image is G GiB + MIB MiB.
#   --start SECTOR        first partition's start (default 2048). Below 2048
#                         the old DOS layout is used, as in the tutorials:
#                         partitions end on a 255-head x 63-sector cylinder
#                         boundary and later ones start on one, so --start 63
#                         on 32 MiB gives sectors 63..64259 and leaves the
#                         last 1276 sectors of the disk unpartitioned.
#   --fs ext2|ext3|ext4   filesystem type (default ext2)
#   --block-size N        filesystem block size (default: mke2fs's choice,
#                         1024 for a small ext2)
#   --mkfs-opt OPT        one more mke2fs argument, repeatable
#                         (e.g. --mkfs-opt -O --mkfs-opt ^metadata_csum)
#   --part-num N          the Linux partition's number, 1-4 (default 1).
#                         Partitions 1..N-1 are --before-mib MiB of swap
#                         (type 82) in front of it.
#   --before-mib M        size of each partition before the Linux one
#                         (default 1)
#   --sparse-start-gib G  the Linux partition starts at G GiB (sector
#                         G*2097152); the file stays sparse.
#   --fs-size-kib K       make the filesystem K KiB instead of the partition's
#                         size: deliberately wrong, for the "access beyond the
#                         partition" tests. The image keeps its size; whatever
#                         mke2fs writes past the end of the image is cut off,
#                         and e2fsck is skipped (it would rightly fail).
#   --populate DIR        copy DIR's tree into the filesystem (mke2fs -d)
#
# The Linux partition (type 83) runs to the end of the disk (or cylinder)
# and is the only one marked bootable. The partition table is written by
# sfdisk from a script; the filesystem by `mke2fs -E offset=BYTES IMAGE
# SIZEk`. Both are then checked: sfdisk -d must show the layout, and
# `e2fsck -fn 'IMAGE?offset=BYTES'` must pass — e2fsprogs' unix I/O manager
# takes "?offset=N" after the device name (e2fsck, debugfs and dumpe2fs all
# accept it).
#
# Stdout: shell assignments describing the result, for `eval`:
#   IMAGE= IMAGE_BYTES= PART_NUM= PART_START= PART_SECTORS=
#   FS_TYPE= FS_OFFSET= FS_KIB= FS_BLOCK_SIZE= FS_BLOCKS=
set -euo pipefail

die() {
	echo "make-disk.sh: $*" >&2
	exit 1
}
usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}
need_number() {
	[[ $2 =~ ^[0-9]+$ ]] || die "$1: '$2' is not a whole number"
}

readonly SECTOR=512
readonly SECTORS_PER_MIB=2048
readonly SECTORS_PER_GIB=2097152
# The geometry every BIOS of the tutorials' era reported for a disk this
# size: 255 heads x 63 sectors per track = 16065 sectors per cylinder.
readonly SECTORS_PER_CYLINDER=$((255 * 63))
# A fixed disk signature (0x1b8) keeps images reproducible; "Boot" in ASCII.
readonly DISK_ID=0x426f6f74

size_mib=32
start=2048
fs=ext2
block_size=
mkfs_opts=()
part_num=1
before_mib=1
sparse_gib=
fs_kib=
populate=
image=
while [ $# -gt 0 ]; do
	case $1 in
	--size) size_mib=${2:?}; need_number "$1" "$2"; shift ;;
	--start) start=${2:?}; need_number "$1" "$2"; shift ;;
	--fs) fs=${2:?}; shift ;;
	--block-size) block_size=${2:?}; need_number "$1" "$2"; shift ;;
	--mkfs-opt) mkfs_opts+=("${2:?}"); shift ;;
	--part-num) part_num=${2:?}; need_number "$1" "$2"; shift ;;
	--before-mib) before_mib=${2:?}; need_number "$1" "$2"; shift ;;
	--sparse-start-gib) sparse_gib=${2:?}; need_number "$1" "$2"; shift ;;
	--fs-size-kib) fs_kib=${2:?}; need_number "$1" "$2"; shift ;;
	--populate) populate=${2:?}; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "make-disk.sh: unknown option $1; try --help" >&2; exit 2 ;;
	*)
		[ -z "$image" ] || { echo "make-disk.sh: one image only; try --help" >&2; exit 2; }
		image=$1
		;;
	esac
	shift
done
[ -n "$image" ] || { echo "make-disk.sh: OUT.img missing; try --help" >&2; exit 2; }
case $fs in ext2 | ext3 | ext4) ;; *) die "--fs must be ext2, ext3 or ext4, not '$fs'" ;; esac
[ "$part_num" -ge 1 ] && [ "$part_num" -le 4 ] || die "--part-num must be 1..4 (primary partitions)"
[ "$start" -ge 1 ] || die "--start 0 would overwrite the MBR"
[ -z "$populate" ] || [ -d "$populate" ] || die "--populate $populate: not a directory"

dos_layout=0
[ "$start" -ge 2048 ] || dos_layout=1

# In the DOS layout a partition ends on a cylinder boundary: partitions in
# front of Linux round up (fdisk's "+1M" gave at least one cylinder), the
# Linux one rounds down so it stays on the disk. Ends are exclusive.
cylinder_end() {
	local end=$1 direction=$2
	if [ "$dos_layout" = 1 ]; then
		[ "$direction" = down ] || end=$((end + SECTORS_PER_CYLINDER - 1))
		end=$((end / SECTORS_PER_CYLINDER * SECTORS_PER_CYLINDER))
	fi
	echo "$end"
}

# Lays out partitions 1..N-1 (swap) then N (Linux), as sfdisk script lines.
if [ -n "$sparse_gib" ]; then
	linux_start=$((sparse_gib * SECTORS_PER_GIB))
	total_sectors=$((linux_start + size_mib * SECTORS_PER_MIB))
else
	total_sectors=$((size_mib * SECTORS_PER_MIB))
fi
table="label: dos
label-id: $DISK_ID
unit: sectors
"
next=$start
for ((n = 1; n < part_num; n++)); do
	[ "$before_mib" -ge 1 ] || die "--before-mib must be at least 1"
	end=$(cylinder_end $((next + before_mib * SECTORS_PER_MIB)) up)
	table+="start=$next, size=$((end - next)), type=82
"
	next=$end
done
if [ -n "$sparse_gib" ]; then
	[ "$linux_start" -ge "$next" ] ||
		die "--sparse-start-gib $sparse_gib: the partitions before it end at sector $next"
else
	linux_start=$next
fi
linux_end=$(cylinder_end "$total_sectors" down)
[ "$linux_end" -gt "$linux_start" ] ||
	die "no room for the Linux partition: it would start at sector $linux_start of $total_sectors"
linux_sectors=$((linux_end - linux_start))
table+="start=$linux_start, size=$linux_sectors, type=83, bootable
"

image_bytes=$((total_sectors * SECTOR))
fs_offset=$((linux_start * SECTOR))
partition_kib=$((linux_sectors / 2))
wrong_size=0
if [ -z "$fs_kib" ]; then
	fs_kib=$partition_kib
elif [ "$fs_kib" != "$partition_kib" ]; then
	wrong_size=1
fi

mkdir -p "$(dirname "$image")"
rm -f "$image"
truncate -s "$image_bytes" "$image"

log=$(mktemp "${TMPDIR:-/tmp}/make-disk.XXXXXX")
trap 'rm -f "$log"' EXIT
run_logged() {
	"$@" >"$log" 2>&1 || { cat "$log" >&2; die "failed: $*"; }
}

# sfdisk writes an MBR label into a plain file without asking the kernel
# anything (--no-reread/--no-tell-kernel); explicit start and size are
# taken as given, and for a file it computes CHS fields from 255x63.
run_logged sfdisk --no-reread --no-tell-kernel "$image" <<<"$table"

mkfs=(mke2fs -q -F -t "$fs" -E "offset=$fs_offset")
[ -z "$block_size" ] || mkfs+=(-b "$block_size")
[ -z "$populate" ] || mkfs+=(-d "$populate")
mkfs+=("${mkfs_opts[@]}" "$image" "${fs_kib}k")
run_logged "${mkfs[@]}" </dev/null
if [ "$(stat -c %s "$image")" -gt "$image_bytes" ]; then
	# Only a deliberately oversized filesystem writes past the disk's end.
	truncate -s "$image_bytes" "$image"
fi

# --- verify what we made ---------------------------------------------------
sfdisk -d "$image" >"$log" 2>&1 || { cat "$log" >&2; die "sfdisk -d cannot read the table it wrote"; }
grep -Eq "^[^ ]*$part_num : start= *$linux_start, size= *$linux_sectors, type=83, bootable$" "$log" ||
	{ cat "$log" >&2; die "sfdisk -d does not show partition $part_num as written"; }

fs_dev="$image?offset=$fs_offset"
dumpe2fs -h "$fs_dev" >"$log" 2>&1 || { cat "$log" >&2; die "no filesystem at byte $fs_offset"; }
fs_block_size=$(sed -n 's/^Block size: *//p' "$log")
fs_blocks=$(sed -n 's/^Block count: *//p' "$log")
if [ "$wrong_size" = 0 ]; then
	run_logged e2fsck -fn "$fs_dev" </dev/null
else
	echo "make-disk.sh: filesystem is ${fs_kib} KiB in a ${partition_kib} KiB partition, as asked; e2fsck skipped" >&2
fi

printf 'IMAGE=%q\n' "$image"
cat <<EOF
IMAGE_BYTES=$image_bytes
PART_NUM=$part_num
PART_START=$linux_start
PART_SECTORS=$linux_sectors
FS_TYPE=$fs
FS_OFFSET=$fs_offset
FS_KIB=$fs_kib
FS_BLOCK_SIZE=$fs_block_size
FS_BLOCKS=$fs_blocks
EOF
