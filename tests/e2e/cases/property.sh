# property.sh - install's promises over many generated disks (no QEMU):
# first partition at sectors 63..4096, 1-4 partitions, ext2/3/4 with
# 1/2/4 KiB blocks, random bytes in the other partitions, past the last
# one and (every third disk) in the MBR's boot code; the gap itself is
# zeros.  On each:
#   - install changes no byte but LBA 0's bytes 0..439 and the sectors its
#     summary names (the stage, and earlier stages it cleared);
#   - installing again with the same options changes nothing at all;
#   - re-installing with other options and then uninstalling gives back
#     the disk as it was before the first install, byte for byte.
# The disks come from a fixed seed each, so a failure names the disk that
# shows it: PROPERTY_SEEDS="17 18" tests/e2e/run.sh property

PROPERTY_SEEDS=${PROPERTY_SEEDS:-$(seq 1 50)}

# random_bytes FILE OFFSET LEN: LEN random bytes at OFFSET of FILE.
random_bytes() {
	[ "$3" -gt 0 ] || return 0
	head -c "$3" /dev/urandom | dd of="$1" bs=1M seek="$2" oflag=seek_bytes conv=notrunc status=none
}

# changed_sectors A B: the sectors in which A and B differ, one per line,
# with "0.code" for a change within LBA 0's bytes 0..439 and "0.table"
# for one past them.
changed_sectors() {
	cmp -l "$1" "$2" | awk '{ o = $1 - 1; s = int(o / 512)
		if (s == 0) print (o % 512 < 440 ? "0.code" : "0.table"); else print s }' | sort -u
}

# reported_sectors SUMMARY: the sectors install's summary says it wrote.
reported_sectors() {
	sed -n 's/.*\(at LBA\|cleared    LBA\) \([0-9]*\)\.\.\([0-9]*\).*/\2 \3/p' "$1" |
		while read -r from to; do seq "$from" "$to"; done
	echo 0.code
}

# property_disk SEED: disk.img as SEED makes it; sets CMDLINE and PART_NUM
# (the Linux partition, after PART_NUM - 1 others).
property_disk() {
	local seed=$1 starts=(63 64 100 128 256 1000 2048 4096) fss=(ext2 ext3 ext4) blocks=(1024 2048 4096)
	local start fs block parts size
	RANDOM=$seed
	start=${starts[RANDOM % 8]}
	[ $((RANDOM % 3)) -ne 0 ] || start=$((63 + RANDOM % 4034))
	fs=${fss[RANDOM % 3]}
	block=${blocks[RANDOM % 3]}
	parts=$((1 + RANDOM % 4))
	PART_NUM=$parts
	size=$((24 + 10 * parts + RANDOM % 8))   # the old layout rounds each to a cylinder
	CMDLINE="console=ttyS0 root=/dev/sda$parts seed=$seed $(printf 'x%.0s' $(seq 1 $((RANDOM % 300))))"
	rm -rf root disk.img
	mkdir -p root/boot
	cp "$PROBE" root/boot/vmlinuz
	eval "$("$E2E_LIB/make-disk.sh" --size "$size" --start "$start" --fs "$fs" --block-size "$block" \
		--part-num "$parts" --populate root disk.img)"
	# random bytes everywhere but the gap and the boot partition
	sfdisk -d disk.img | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p' |
		while read -r s n; do
			[ "$s" = "$PART_START" ] || random_bytes disk.img $((s * 512)) $((n * 512))
		done
	local end
	end=$(sfdisk -d disk.img | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p' |
		awk '{ e = $1 + $2; if (e > m) m = e } END { print m }')
	random_bytes disk.img $((end * 512)) $(( $(stat -c %s disk.img) - end * 512 ))
	[ $((seed % 3)) -ne 0 ] || random_bytes disk.img 0 440
	echo "seed $seed: first partition at $start, $parts partitions, $fs with $block-byte blocks, ${size} MiB"
}

case_property_install_writes_only_its_sectors_and_uninstall_restores() {
	local seed extra
	for seed in $PROPERTY_SEEDS; do
		property_disk "$seed"
		cp disk.img original.img

		"$BOOTINST" install disk.img --partition "$PART_NUM" \
			--cmdline "$CMDLINE" >install.out 2>install.err ||
			fail "seed $seed: install failed: $(cat install.err)"
		extra=$(comm -23 <(changed_sectors original.img disk.img) <(reported_sectors install.out | sort -u))
		[ -z "$extra" ] || fail "seed $seed: install changed sectors it did not report: $(echo $extra | head -c 200)"
		cp disk.img once.img

		"$BOOTINST" install disk.img --partition "$PART_NUM" \
			--cmdline "$CMDLINE" >again.out 2>&1 || fail "seed $seed: install again failed: $(cat again.out)"
		cmp -s disk.img once.img || fail "seed $seed: installing again with the same options changed the disk"
		expect_text again.out "already installed as asked: nothing written"

		"$BOOTINST" install disk.img --partition "$PART_NUM" \
			--cmdline "$CMDLINE other" >other.out 2>&1 || fail "seed $seed: re-install failed: $(cat other.out)"
		"$BOOTINST" uninstall disk.img >uninstall.out 2>&1 || fail "seed $seed: uninstall failed: $(cat uninstall.out)"
		cmp -s disk.img original.img ||
			fail "seed $seed: uninstall left $(changed_sectors original.img disk.img | wc -l) sectors changed"
	done
}
