#!/bin/bash
# make-seeds.sh OUTDIR - the fuzz targets' seed inputs, one folder each
# (OUTDIR/ext2, bzimage, config, record, check), made here from e2fsprogs'
# and sfdisk's output, the probe kernel (tests/probe/probe.asm, assembled
# small) and `bootinst install`.  Generated, never committed: the suite's
# replay (make fuzz-replay) and `make fuzz` make them afresh.  Every input
# is small (128 KiB at most), so that a fuzzer mutates what matters.
#
# Needs: mke2fs, debugfs, sfdisk, nasm, and ./bootinst built (make all).
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin
out=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p "$out"/{ext2,bzimage,config,record,check}

# Bytes that are not all zeros, not random: a fuzzer's seeds should be
# reproducible (mke2fs -d makes holes of all-zero blocks).
pattern() { # pattern BYTES TAG
	{ yes "$2" || true; } | head -c "$1"
}
mkfs() { mke2fs -q -F -E root_owner=0:0 "$@" >/dev/null 2>&1; }

# --- a small probe kernel: the real boot protocol header, 1 KiB payload,
# claiming the release whose config the tree holds (so check predicts) ----
release=6.1.0-bootinst-probe
nasm -f bin -DPAYLOAD_KIB=1 -DRELEASE="\"$release\"" -o probe.bzImage "$repo/tests/probe/probe.asm"

# --- the tree the ext2 target looks up (tests/fuzz/fuzz_ext2.c, paths[]) ---
tree=tree
mkdir -p $tree/boot $tree/dir/sub $tree/a/b/c/d/e/f/g/h/i/j $tree/sbin $tree/bin $tree/dev
printf 'hello, world\n' >$tree/hello.txt
printf 'nested\n' >$tree/dir/sub/hello.txt
printf 'deep\n' >$tree/a/b/c/d/e/f/g/h/i/j/deep
pattern 14000 big >$tree/big                     # past the 12 direct blocks
ln -s sub/hello.txt $tree/dir/rel
ln -s /dir/sub/hello.txt $tree/link_abs
ln -s chain2 $tree/chain1
ln -s /dir/rel $tree/chain2
ln -s dir $tree/dirlink
ln -s loop_b $tree/loop_a
ln -s loop_a $tree/loop_b
ln -s /dir/sub/../sub/../sub/../sub/../sub/../sub/../sub/hello.txt $tree/longlink   # slow: >= 60 bytes
printf 'kernel /boot/vmlinuz\ninitrd /boot/initrd.img\ncmdline console=ttyS0 root=/dev/sda1\n' \
	>$tree/boot/bootinst.cfg
pattern 3000 initrd >$tree/boot/initrd.img
printf '#!/bin/sh\necho init\n' >$tree/sbin/init
chmod +x $tree/sbin/init
pattern 200 sh >$tree/bin/sh
chmod +x $tree/bin/sh
printf 'CONFIG_EXT2_FS=y\nCONFIG_DEVTMPFS=y\nCONFIG_ATA_PIIX=y\nCONFIG_BLK_DEV_SD=y\n' \
	>$tree/boot/config-$release

# ext2 target: the filesystem alone, several layouts
ext2_tree=ext2tree
cp -a $tree $ext2_tree
pattern 5000 kernel >$ext2_tree/boot/vmlinuz
mkfs -t ext2 -b 1024 -N 64 -I 128 -d $ext2_tree "$out/ext2/ext2-1k.img" 128k
mkfs -t ext2 -b 1024 -N 64 -r 0 -d $ext2_tree "$out/ext2/ext2-rev0.img" 128k
mkfs -t ext2 -b 2048 -N 64 -d $ext2_tree "$out/ext2/ext2-2k.img" 128k
mkfs -t ext4 -b 1024 -N 64 -O ^has_journal -d $ext2_tree "$out/ext2/ext4.img" 128k
mkfs -t ext4 -b 1024 -N 64 -O ^has_journal,64bit,metadata_csum -d $ext2_tree "$out/ext2/ext4-64bit.img" 128k
mkfs -t ext4 -b 1024 -N 64 -O ^has_journal,^resize_inode,meta_bg -d $ext2_tree "$out/ext2/ext4-meta_bg.img" 128k
mkfs -t ext4 -b 1024 -N 64 -O ^has_journal,sparse_super2 -d $ext2_tree "$out/ext2/ext4-sparse_super2.img" 128k
# a file fragmented into an extent tree of depth 1, and one through indirect
# blocks in runs of one block: files written in turns, every other one deleted
for kind in ext4 ext2; do
	img="$out/ext2/frag-$kind.img"
	if [ $kind = ext4 ]; then mkfs -t ext4 -b 1024 -N 64 -O ^has_journal "$img" 128k
	else mkfs -t ext2 -b 1024 -N 64 "$img" 128k; fi
	pattern 1024 s >small
	pattern 40000 frag >frag
	{
		for i in $(seq 1 40); do echo "write small s$i"; done
		for i in $(seq 1 2 40); do echo "rm s$i"; done
		echo "mkdir boot"
		echo "write frag boot/vmlinuz"
	} >cmds
	debugfs -w -f cmds "$img" >/dev/null 2>&1
done

# --- bzimage target: 8 bytes of file size, then the file's head -----------
le64() { # le64 VALUE: 8 bytes, little-endian
	local v=$1 i
	for i in 0 1 2 3 4 5 6 7; do printf "$(printf '\\x%02x' $(((v >> (8 * i)) & 255)))"; done
}
bz_seed() { # bz_seed NAME FILE [SIZE]
	{ le64 "${3:-$(stat -c %s "$2")}"; head -c 2048 "$2"; } >"$out/bzimage/$1"
}
patched() { # patched OFFSET HEXBYTES: probe.bzImage with bytes replaced, on stdout
	cp probe.bzImage p.tmp
	printf "$2" | dd of=p.tmp bs=1 seek=$(($1)) conv=notrunc status=none
	cat p.tmp
}
bz_seed probe probe.bzImage
[ ! -f "$repo/build/probe/probe.bzImage" ] || bz_seed probe-512k "$repo/build/probe/probe.bzImage"
[ -z "${BOOTINST_TEST_KERNEL:-}" ] || [ ! -f "$BOOTINST_TEST_KERNEL" ] || bz_seed debian "$BOOTINST_TEST_KERNEL"
for v in 0201 0202 0204 0205 0206 020a 020c 020f; do
	patched 0x206 "\\x${v:2:2}\\x${v:0:2}" >v; bz_seed "protocol-$v" v
done
patched 0x211 '\x00' >low; bz_seed loads-low low                 # loadflags without LOADED_HIGH
patched 0x1f1 '\x00' >s0; bz_seed setup-sects-0 s0
patched 0x1f1 '\x41' >s65; bz_seed setup-sects-65 s65
bz_seed short probe.bzImage 3000
bz_seed huge probe.bzImage $((1 << 33))
printf '\x7fELF\x02\x01\x01' >elf; bz_seed elf elf 5000000
printf '\x1f\x8b\x08' >gz; bz_seed gzip gz
printf '\xfd7zXZ\x00' >xz; bz_seed xz xz
printf '070701' >cpio; bz_seed cpio cpio

# --- config target: /boot/bootinst.cfg texts ----------------------------
c=$out/config
printf 'kernel /boot/vmlinuz\ninitrd /boot/initrd.img\ncmdline console=ttyS0 root=/dev/sda1\n' >$c/full
printf '# comment\n\n  kernel /boot/vmlinuz-6.1 with spaces  \r\n\tinitrd none\r\ncmdline a=1 # b\n' >$c/dos-blanks
printf 'initrd\ncmdline quiet' >$c/no-newline
printf 'kernel vmlinuz\n' >$c/relative
printf 'kernel /a\nkernel /b\n' >$c/twice
printf 'bogus-keyword-that-is-longer-than-thirty-two-bytes value\n' >$c/unknown
printf 'kernel /a\0b\n' >$c/nul
{ printf 'cmdline '; head -c 2047 /dev/zero | tr '\0' x; printf '\n'; } >$c/cmdline-2047
{ printf 'kernel /'; head -c 255 /dev/zero | tr '\0' k; printf '\n'; } >$c/path-256
: >$c/empty
printf 'timeout 3\ndefault rescue\nfallback 1\nentry linux\n  kernel /boot/vmlinuz\n  initrd /boot/initrd.img\n  cmdline console=ttyS0 root=/dev/sda1\nentry rescue\n  kernel /boot/vmlinuz\n  cmdline init=/bin/sh\n' >$c/menu
printf 'timeout 0\ncmdline single\ndefault recorded\n' >$c/recorded-settings
printf 'disk bios\ncmdline single\n' >$c/disk-bios
for i in 1 2 3 4 5 6 7 8; do printf 'entry e%s\nkernel /k%s\n' $i $i; done >$c/eight-entries

# --- check target: whole small disks --------------------------------------
# disk NAME [install options...]: 128 KiB, partition 1 at sector 63 to the
# end, a 1 KiB-block ext2 of the tree with the small probe as the kernel,
# installed with the options given (none: not installed).
disk() {
	local name=$1 img=$out/check/$1.img
	shift
	rm -rf disktree
	cp -a $tree disktree
	cp probe.bzImage disktree/boot/vmlinuz
	[ "${NO_CFG:-}" != 1 ] || rm disktree/boot/bootinst.cfg
	truncate -s 128K "$img"
	echo 'start=63, type=83, bootable' | sfdisk -q --no-reread --no-tell-kernel "$img" >/dev/null
	mkfs -t "${FS:-ext2}" -b 1024 -N 64 -I 128 ${FS_OPT:-} -E offset=$((63 * 512)) -d disktree "$img" $(((256 - 63) / 2))k
	if [ $# -gt 0 ]; then
		"$repo/bootinst" install "$img" "$@" >/dev/null 2>&1 ||
			"$repo/bootinst" install --force "$img" "$@" >/dev/null 2>&1 || true
	fi
}
disk plain
disk installed --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "console=ttyS0 root=/dev/sda1"
NO_CFG=1 disk installed-nocfg --kernel /boot/vmlinuz --cmdline "console=ttyS0 root=/dev/sda1"
FS=ext4 FS_OPT="-O ^has_journal" disk installed-ext4 --kernel /boot/vmlinuz --cmdline "root=/dev/sda1"

# --- record target: installed stage images, LBA 0 after them --------------
for name in installed installed-nocfg installed-ext4; do
	img=$out/check/$name.img
	lba=$(od -An -tu4 -j $((0x1b0)) -N4 "$img" | tr -d ' ')
	sectors=$(od -An -tu2 -j $((0x1b4)) -N2 "$img" | tr -d ' ')
	if [ "${sectors:-0}" -gt 0 ]; then
		{ dd if="$img" bs=512 skip="$lba" count="$sectors" status=none
		  dd if="$img" bs=512 count=1 status=none; } >"$out/record/$name"
		dd if="$img" bs=512 skip="$lba" count="$sectors" status=none >"$out/record/$name-alone"
	fi
done
[ ! -f "$repo/build/stage.bin" ] || cp "$repo/build/stage.bin" "$out/record/stage-uninstalled"

for t in ext2 bzimage config record check; do
	echo "make-seeds: $t: $(find "$out/$t" -type f | wc -l) inputs"
done
