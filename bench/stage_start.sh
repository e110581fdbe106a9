#!/bin/bash
# stage_start.sh [REV] - how long the stage takes from the BIOS's handover to
# its first line on serial (the MBR's load of the stage, the head, the
# unpacking of the C part), and to "Command line:" (mounting, the config,
# the menu's decision: with timeout 0 one look for a key), for this tree's
# stage against REV's (default HEAD~1), side by side in one run: the same
# probe disk installed by each, booted N times in turn under QEMU (TCG),
# timed by bench/bootclock.
#
#   bash bench/stage_start.sh 6f1e2d3      N=7 boots of each (BENCH_N)
#
# Prints each boot, then the medians and their ratio (this / REV).  Needs
# what the suite needs (tests/deps.sh); builds REV in a git worktree under
# build/bench-stage/.  No timing claim is a test: this prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
REV=${1:-HEAD~1}
N=${BENCH_N:-7}
OUT=$REPO/build/bench-stage
rm -rf "$OUT"
mkdir -p "$OUT"

make -s all build/probe/probe.bzImage >/dev/null
cc -O2 -Wall -Wextra -o "$OUT/bootclock" bench/bootclock.c
git worktree add -f --detach "$OUT/rev" "$REV" >/dev/null 2>&1
trap 'git -C "$REPO" worktree remove --force "$OUT/rev" >/dev/null 2>&1 || true' EXIT
make -C "$OUT/rev" -s all >/dev/null

# one probe disk, installed by each bootinst
(
	cd "$OUT"
	. "$REPO/tests/regress/lib.sh"
	root_tree
	probe_disk >/dev/null
)
for side in this rev; do
	bin=$REPO/bootinst
	[ $side = this ] || bin=$OUT/rev/bootinst
	cp "$OUT/disk.img" "$OUT/$side.img"
	"$bin" install "$OUT/$side.img" --kernel /boot/vmlinuz \
		--cmdline "console=ttyS0 root=/dev/sda1" >/dev/null
done

for run in $(seq 1 "$N"); do
	for side in this rev; do
		marks=$("$OUT/bootclock" "$OUT/$side-$run.serial" \
			bios="Booting from 0000:7c00" stage="bootinst " chosen="Command line:" -- \
			timeout 60 qemu-system-x86_64 -accel tcg -M pc -m 256 -display none \
			-monitor none -no-reboot -nodefaults \
			-chardev stdio,id=serial,mux=on -serial chardev:serial \
			-device isa-debugcon,iobase=0x402,chardev=serial \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-drive "file=$OUT/$side.img,format=raw") || true
		bios=$(awk '$1 == "bios" { print $2 }' <<<"$marks")
		stage=$(awk '$1 == "stage" { print $2 }' <<<"$marks")
		chosen=$(awk '$1 == "chosen" { print $2 }' <<<"$marks")
		[ "$bios" != - ] && [ "$stage" != - ] && [ "$chosen" != - ] ||
			{ echo "stage_start: $side boot $run: no marks" >&2; exit 1; }
		ms=$(awk -v a="$bios" -v b="$stage" 'BEGIN { printf "%.3f", b - a }')
		to_chosen=$(awk -v a="$bios" -v b="$chosen" 'BEGIN { printf "%.3f", b - a }')
		echo "$side $run $ms $to_chosen" >>"$OUT/runs"
		printf 'stage_start: run %d/%d %-4s  handover -> first line %8.3f ms, -> "Command line:" %8.3f ms\n' \
			"$run" "$N" "$side" "$ms" "$to_chosen"
	done
done
awk -v rev="$REV" '
	{ v[$1, ++n[$1]] = $3; w[$1, n[$1]] = $4 }
	function median(side, col,    k, i, j, t, a) {
		k = n[side]
		for (i = 1; i <= k; i++) a[i] = col == 3 ? v[side, i] : w[side, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		t = median("this", 3); r = median("rev", 3)
		printf "stage_start: medians over %d boots, handover -> first line: this tree %.3f ms, %s %.3f ms, ratio %.3f\n", n["this"], t, rev, r, t / r
		t = median("this", 4); r = median("rev", 4)
		printf "stage_start: medians over %d boots, handover -> \"Command line:\": this tree %.3f ms, %s %.3f ms, ratio %.3f\n", n["this"], t, rev, r, t / r
	}' "$OUT/runs"
