# bench.sh - the benchmark still runs: every variant (bootinst, bootinst
# --bios-disk, GRUB 2, EXTLINUX, QEMU -kernel) boots once on IDE and its
# reads are counted.
# No timing is asserted here; bench/run.sh is where times are compared.

case_bench_quick_every_variant_boots() {
	BENCH_QUICK=1 bash "$REPO/bench/run.sh" | tee bench.out
	grep -q "bootinst" bench.out || fail "no bootinst row in the benchmark output"
	# the read counts are exact: on IDE the native path (READ DMA, 256
	# sectors a command) needs fewer commands than the BIOS path (127)
	local native bios
	native=$(awk '$1 == "bootinst" && $2 == "ide" && NF == 8 { print $3 }' bench.out | tail -n 1)
	bios=$(awk '$1 == "bootinst-bios" && $2 == "ide" && NF == 8 { print $3 }' bench.out | tail -n 1)
	[ -n "$native" ] && [ -n "$bios" ] || fail "no read counts for bootinst and bootinst-bios on IDE"
	[ "$native" -lt "$bios" ] || fail "native path: $native read commands, BIOS path $bios"
}

case_bench_install_reads_under_1mib_on_4gib_image() {
	# exact byte counts (strace), not time: install must not read the
	# kernel's data, nor anything that grows with the disk
	BENCH_IO_MAX_READ=1048576 bash "$REPO/bench/install_io.sh" "$WORK/io" | tee io.txt
	grep -q "^4096 MiB" io.txt || fail "no 4 GiB row"
}
