# bench.sh - the benchmark still runs: every variant (bootinst, GRUB 2,
# EXTLINUX, QEMU -kernel) boots once on IDE and its reads are counted.
# No timing is asserted here; bench/run.sh is where times are compared.

case_bench_quick_every_variant_boots() {
	BENCH_QUICK=1 bash "$REPO/bench/run.sh" | tee bench.out
	grep -q "bootinst" bench.out || fail "no bootinst row in the benchmark output"
}
