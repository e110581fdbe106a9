# stagepack.sh - the build's packer (asm/stagepack.c) on inputs the stage
# does not have today: it unpacks its own output and fails on a mismatch,
# so each run here is a round trip.  The boots elsewhere prove the asm
# unpacker on the real stage.

case_stagepack_round_trips_edge_inputs() {
	head -c 512 /dev/zero >head.bin            # a header-sized head
	printf 'x' >one.bin                        # a single literal
	head -c 200000 /dev/zero >zeros.bin        # overlapping copies, distance 1
	head -c 20000 /dev/urandom >random.bin     # literals only
	for i in $(seq 1 3000); do printf 'mov eax, %d\n' $((i % 7)); done >text.bin   # repeated distances
	for f in one zeros random text; do
		"$BUILD/gen/stagepack" head.bin $f.bin $f.out >$f.log 2>&1 ||
			fail "stagepack failed on $f: $(cat $f.log)"
		grep "packed to" $f.log
	done
}
