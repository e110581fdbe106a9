#!/bin/sh
# make_images.sh OUTDIR - the filesystem images test_ext2 reads.
#
# Every image is made by e2fsprogs (mke2fs -d, debugfs, e2fsck -D) from
# files created here with random contents (mke2fs -d turns all-zero blocks
# into holes, so only random data exercises real blocks).  test_ext2 reads
# each file through the stage's reader and through libext2fs and compares.
set -eu
PATH=$PATH:/usr/sbin:/sbin   # mke2fs, debugfs, e2fsck, sfdisk
out=$1
tree=$out/tree
mkdir -p "$tree/dir/sub"
cd "$out"

rand() { head -c "$1" /dev/urandom; }

# --- the tree every image holds -------------------------------------------
printf 'hello, world\n' > "$tree/hello.txt"
: > "$tree/empty"
printf 'x' > "$tree/one"
printf 'nested\n' > "$tree/dir/sub/hello.txt"
rand 307323 > "$tree/dind.bin"           # past 12 + 256 KiB: double indirect at 1K blocks
ln -s sub/hello.txt "$tree/dir/rel"             # relative
ln -s /dir/sub/hello.txt "$tree/link_abs"       # absolute
ln -s chain2 "$tree/chain1"                     # chain: chain1 -> chain2 -> /dir/rel -> sub/hello.txt
ln -s /dir/rel "$tree/chain2"
ln -s dir "$tree/dirlink"                       # a symlink in the middle of a path
ln -s loop_b "$tree/loop_a"                     # a loop
ln -s loop_a "$tree/loop_b"
# A slow symlink: a target of 60 bytes or more lives in a data block.
ln -s /dir/sub/../sub/../sub/../sub/../sub/../sub/../sub/../sub/hello.txt "$tree/longlink"
# Chains of exactly EXT2_MAX_SYMLINKS (8) and one more.
for n in 8 9; do
	i=1
	while [ $i -lt $n ]; do ln -s "c${n}_$((i + 1))" "$tree/c${n}_$i"; i=$((i + 1)); done
	ln -s hello.txt "$tree/c${n}_$n"
done

# --- per filesystem type and block size -----------------------------------
mkfs() { mke2fs -q -F -E root_owner=0:0 "$@" > /dev/null 2>&1; }

# 1K ext2 with a sparse file whose data reaches the triple-indirect tree
# (logical block >= 12 + 256 + 65536): holes everywhere else.
cp -a "$tree" tree1k
rand 4096 | dd of=tree1k/sparse.bin bs=1024 seek=0 conv=notrunc status=none
rand 4096 | dd of=tree1k/sparse.bin bs=1024 seek=5000 conv=notrunc status=none
rand 5000 | dd of=tree1k/sparse.bin bs=1024 seek=66000 conv=notrunc status=none
truncate -s 70000000 tree1k/sparse.bin
mkfs -t ext2 -b 1024 -d tree1k ext2-1k.img 16M

mkfs -t ext2 -b 2048 -d "$tree" ext2-2k.img 8M
mkfs -t ext3 -b 4096 -I 128 -d "$tree" ext3-4k-i128.img 16M

# ext4 as mke2fs 1.47 makes it, plus 64bit and checksums spelled out; an
# 8 MiB file and a directory of 3000 entries that e2fsck -D indexes (htree).
cp -a "$tree" tree4
rand 8388608 > tree4/big.bin
mkdir tree4/many
(cd tree4/many && seq -f 'f%04g' 0 2999 | xargs touch)
printf 'last entry\n' > tree4/many/f2999
mkfs -t ext4 -O 64bit,metadata_csum,metadata_csum_seed,dir_index -d tree4 ext4.img 32M
e2fsck -fyD ext4.img > /dev/null 2>&1 || [ $? -le 1 ]

# The old tutorials' layout: an MBR partition at sector 63, the filesystem
# written into it with mke2fs -E offset=.
truncate -s 24M part.img
echo 'start=63, size=40000, type=83' | sfdisk -q part.img
mkfs -t ext4 -b 4096 -E offset=32256 -d "$tree" part.img 5000

# Fragmented files: 2-block files, every other one deleted, then a big file
# written with debugfs fills the gaps (ext4: an extent tree of depth 1;
# ext2: runs of 2 blocks through indirect blocks).
rand 8192 > small.bin
rand 3002368 > frag.bin                 # 733 blocks of 4K, sector-aligned size
frag() {   # frag IMAGE SIZE MKE2FS-OPTIONS...
	img=$1 size=$2; shift 2
	mkfs "$@" "$img" "$size"
	{
		i=1; while [ $i -le 300 ]; do echo "write small.bin s$i"; i=$((i + 1)); done
		i=1; while [ $i -le 300 ]; do echo "rm s$i"; i=$((i + 2)); done
		echo "write frag.bin frag.bin"
	} > frag.cmds
	debugfs -w -f frag.cmds "$img" > /dev/null 2>&1
}
frag frag-ext4.img 16M -t ext4 -b 4096
frag frag-ext2.img 16M -t ext2 -b 1024
