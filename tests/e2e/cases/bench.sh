# bench.sh - the benchmark still runs: every variant (bootinst, GRUB 2,
# EXTLINUX, QEMU -kernel) boots once on IDE and its reads are counted.
# No timing is asserted here; bench/run.sh is where times are compared.

case_bench_quick_every_variant_boots() {
	BENCH_QUICK=1 bash "$REPO/bench/run.sh" | tee bench.out
	grep -q "bootinst" bench.out || fail "no bootinst row in the benchmark output"
}

case_bench_install_reads_under_1mib_on_4gib_image() {
	# exact byte counts (strace), not time: install must not read the
	# kernel's data, nor anything that grows with the disk
	BENCH_IO_MAX_READ=1048576 bash "$REPO/bench/install_io.sh" "$WORK/io" | tee io.txt
	grep -q "^4096 MiB" io.txt || fail "no 4 GiB row"
}
