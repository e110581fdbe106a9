# stagepack.sh - the build's packer (asm/stagepack.c) on inputs the stage
# does not have today: it unpacks its own output and fails on a mismatch,
# so each run here is a round trip.  The second case runs the asm unpacker
# itself (entry.o, linked -m32 into tests/e2e/lib/unpack-harness.c) on the
# real stage and on such inputs; the boots prove it on the real stage.

case_stagepack_round_trips_edge_inputs() {
	head -c 512 /dev/zero >head.bin            # a header-sized head
	printf 'x' >one.bin                        # a single literal
	head -c 20000 /dev/zero >zeros.bin         # overlapping copies, distance 1
	head -c 20000 /dev/urandom >random.bin     # literals only
	for i in $(seq 1 1000); do printf 'mov eax, %d\n' $((i % 7)); done >text.bin   # repeated distances
	for f in one zeros random text; do
		"$BUILD/gen/stagepack" head.bin $f.bin $f.out >$f.log 2>&1 ||
			fail "stagepack failed on $f: $(cat $f.log)"
		grep "packed to" $f.log
	done
}

case_stagepack_asm_unpacker_matches_on_edge_inputs() {
	objcopy --globalize-symbol=lz_unpack --globalize-symbol=unfilter_branches \
		"$BUILD/stage/entry.o" entry.o
	# the object's 16-bit code has 16-bit relocations that cannot reach the
	# harness's addresses: linked anyway (--noinhibit-exec), never run
	cc -m32 -no-pie -O1 -o harness "$E2E_LIB/unpack-harness.c" entry.o \
		-Wl,--noinhibit-exec 2>link.log || true
	[ -x harness ] || fail "the harness did not link: $(tail -n 5 link.log)"
	local head=$BUILD/stage-head.bin head_bytes n=0 f
	head_bytes=$(stat -c %s "$head")
	./harness "$head_bytes" "$BUILD/stage.bin" "$BUILD/stage-c.bin" || fail "the real stage"
	head -c 20000 /dev/zero >zeros.bin
	printf 'x' >one.bin
	printf 'xy' >two.bin
	head -c 20000 /dev/urandom >random.bin
	for i in $(seq 1 1000); do printf 'mov eax, %d\n' $((i % 7)); done >text.bin
	for off in 0 7777; do             # slices of x86 code: the branch filter's input
		for len in 1 5 100 3000 20000; do
			head -c $((off + len)) "$BUILD/stage.elf" | tail -c $len >elf-$off-$len.bin
			head -c $((off + len)) "$BOOTINST" | tail -c $len >bootinst-$off-$len.bin
		done
	done
	for f in zeros.bin one.bin two.bin random.bin text.bin elf-*.bin bootinst-*.bin; do
		"$BUILD/gen/stagepack" "$head" "$f" "$f.stage" >"$f.log" 2>&1 ||
			fail "stagepack failed on $f: $(cat "$f.log")"
		./harness "$head_bytes" "$f.stage" "$f" || fail "the asm unpacker on $f"
		n=$((n + 1))
	done
	echo "the asm unpacker matched on the real stage and $n inputs"
}
