#!/bin/bash
# run.sh - boot time and disk reads of bootinst against GRUB 2, EXTLINUX and
# QEMU's direct -kernel boot, side by side, from one image (issue 5).
#
#   bash bench/run.sh                  N=5, every variant, IDE and virtio-blk
#   BENCH_QUICK=1 bash bench/run.sh    smoke run: N=1, IDE only, no timing claims
#
# Settings (environment):
#   BENCH_N=5                                   timed boots per variant and disk
#   BENCH_VARIANTS=bootinst,bootinst-bios,grub,extlinux,direct
#                                               (bootinst-bios: install --bios-disk,
#                                               the stage without its native disk path)
#   BENCH_DISKS=ide,virtio                      (q35 too: the q35 machine's AHCI disk)
#   BENCH_TIMEOUT=120                           seconds allowed per boot
#   BENCH_QUICK=1                               defaults become N=1, DISKS=ide
#   BENCH_SAVE=1                                also copy the results to
#                                               bench/results/YYYY-MM-DD.{txt,png}
#
# Runs as root on Debian 12 with no terminal: it apt-get installs what is
# missing (GRUB, EXTLINUX, gnuplot and the project's own build and test
# packages), builds bootinst (make), fetches Debian's cloud kernel, makes a
# marker initramfs (its /init prints BOOTINST-E2E-INIT-OK and powers off)
# and one disk image, and copies that image once per loader.  Then:
#
# 1. One traced boot per variant and disk, which must reach the marker (else
#    the run stops with that boot's serial log): QEMU's trace events count
#    the read commands and sectors, exactly, before the kernel's first line
#    (the loader's) and up to the marker.
# 2. N timed boots per variant and disk, interleaved (every variant and disk
#    once, then again), each timed by bench/bootclock from QEMU's start to
#    SeaBIOS's "Booting from" (BIOS done), to the kernel's "Linux version"
#    and to the marker.
# 3. The tables (times, reads, footprint) to stdout and build/bench/results.txt,
#    and the time split as build/bench/boot-times.png.
#
# QEMU runs with -accel tcg, never KVM, one boot at a time, each under
# `timeout`.  Everything is written under build/bench/ (quick: build/bench-quick/).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# A quick run writes beside, not over, the last full run's results.
OUT=$REPO/build/bench
[ "${BENCH_QUICK:-0}" = 1 ] && OUT=$REPO/build/bench-quick
WORK=$OUT/work
LIB=$REPO/tests/e2e/lib
. "$REPO/bench/loaders.sh"

die() { echo "bench: $*" >&2; exit 1; }

# --- settings -------------------------------------------------------------
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=${BENCH_N:-1}
	DISKS=${BENCH_DISKS:-ide}
else
	N=${BENCH_N:-5}
	DISKS=${BENCH_DISKS:-ide,virtio}
fi
VARIANTS=${BENCH_VARIANTS:-bootinst,bootinst-bios,grub,extlinux,direct}
BOOT_TIMEOUT=${BENCH_TIMEOUT:-120}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_N=$N: a positive number of boots, please"
[[ $BOOT_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMEOUT=$BOOT_TIMEOUT: seconds, please"
IFS=, read -r -a variants <<<"$VARIANTS"
IFS=, read -r -a disks <<<"$DISKS"
for v in "${variants[@]}"; do
	case $v in bootinst | bootinst-bios | grub | extlinux | direct) ;;
	*) die "BENCH_VARIANTS: unknown variant '$v' (bootinst, bootinst-bios, grub, extlinux, direct)" ;; esac
done
for d in "${disks[@]}"; do
	case $d in ide | q35 | virtio) ;;
	*) die "BENCH_DISKS: unknown disk '$d' (ide, q35, virtio)" ;; esac
done

# The same command line for every loader.  earlyprintk makes the kernel's
# first lines reach the serial port as soon as it starts, not when its
# console is registered about half a second later: "kernel's first line" is
# then close to the moment the loader let go.
CMDLINE="console=ttyS0 earlyprintk=ttyS0"
MARKER=BOOTINST-E2E-INIT-OK

# --- dependencies ---------------------------------------------------------
bash "$REPO/tests/deps.sh"
wanted=()
for v in "${variants[@]}"; do
	case $v in
	grub) wanted+=(grub-pc-bin grub-common) ;;   # grub-mkimage, boot.img, modules
	extlinux) wanted+=(extlinux syslinux-common) ;; # extlinux, mbr.bin
	esac
done
command -v gnuplot >/dev/null || wanted+=(gnuplot-nox)
missing=()
for p in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || die "needs root to install ${missing[*]}"
	echo "bench: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q </dev/null >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi
case ",$VARIANTS," in
*,extlinux,*) [ "$(id -u)" -eq 0 ] || die "extlinux --install needs the filesystem mounted: run as root" ;;
esac
export PATH=$PATH:/usr/sbin:/sbin   # debugfs, losetup

# --- build ----------------------------------------------------------------
budgets=$(make -s all | tail -n 1)
echo "bench: $budgets"
rm -rf "$OUT"
mkdir -p "$WORK"
cc -O2 -Wall -Wextra -o "$OUT/bootclock" "$REPO/bench/bootclock.c"

# --- the image --------------------------------------------------------------
kroot=$("$REPO/examples/fetch-kernel.sh")
KERNEL_FILE=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
INITRD_FILE=$WORK/initrd.img
"$REPO/examples/initramfs.sh" marker "$INITRD_FILE" >/dev/null
mkdir -p "$WORK/tree/boot"
cp "$KERNEL_FILE" "$WORK/tree$IMAGE_KERNEL"
cp "$INITRD_FILE" "$WORK/tree$IMAGE_INITRD"
# 64 MiB, partition 1 at sector 2048 (fdisk's default for 20 years, and the
# gap GRUB's core.img needs), ext2 with 4 KiB blocks as mke2fs makes it on
# any disk over 512 MiB.
eval "$("$LIB/make-disk.sh" --size 64 --block-size 4096 --populate "$WORK/tree" "$WORK/base.img")"
KERNEL_BYTES=$(stat -c %s "$KERNEL_FILE")
INITRD_BYTES=$(stat -c %s "$INITRD_FILE")

# The fewest sectors any loader must read to boot from this filesystem:
# the kernel's and initrd's data (to the sector), their indirect or extent
# blocks, the directory blocks of / and /boot, the sectors holding the four
# inodes, the superblock (1024 bytes) and group descriptor 0.
minimum_sectors() {
	local dev="$WORK/base.img?offset=$FS_OFFSET" per_block=$(( FS_BLOCK_SIZE / 512 ))
	local sectors=3 path block offset map_blocks dir_blocks
	local inode_sectors=()

	for path in "$IMAGE_KERNEL" "$IMAGE_INITRD"; do
		map_blocks=$(debugfs -R "stat $path" "$dev" 2>/dev/null | grep -oE '\((IND|DIND|TIND|ETB[0-9]*)\)' | wc -l)
		sectors=$(( sectors + map_blocks * per_block ))
	done
	sectors=$(( sectors + (KERNEL_BYTES + 511) / 512 + (INITRD_BYTES + 511) / 512 ))
	for path in / /boot; do
		dir_blocks=$(debugfs -R "blocks $path" "$dev" 2>/dev/null | wc -w)
		sectors=$(( sectors + dir_blocks * per_block ))
	done
	for path in / /boot "$IMAGE_KERNEL" "$IMAGE_INITRD"; do
		read -r block offset < <(debugfs -R "imap $path" "$dev" 2>/dev/null |
			sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
		inode_sectors+=($(( block * per_block + offset / 512 )))
	done
	echo $(( sectors + $(printf '%s\n' "${inode_sectors[@]}" | sort -u | wc -l) ))
}
MINIMUM_SECTORS=$(minimum_sectors)

# --- the loaders, one image each ------------------------------------------
declare -A image files_count files_bytes mbr_bytes gap_bytes bootblock_bytes

# Bytes 0..439 of the MBR up to the last nonzero one: the boot code area used.
mbr_code_bytes() {
	od -A d -v -t u1 -N 440 "$1" | awk '{ for (i = 2; i <= NF; i++) if ($i != 0) last = $1 + i - 1 }
		END { print last + 0 }'
}
# Sectors FIRST.. (COUNT of them) holding any nonzero byte, in bytes.
nonzero_sector_bytes() {
	dd if="$1" bs=512 skip="$2" count="$3" status=none |
		od -A n -v -t x1 -w512 | awk '/[1-9a-f]/ { n++ } END { print n * 512 }'
}

for v in "${variants[@]}"; do
	echo "bench: installing $v"
	image[$v]=$WORK/$v.img
	cp --sparse=always "$WORK/base.img" "${image[$v]}"
	# Not under `||`: bash would then ignore errexit inside the function.
	"install_$v" "${image[$v]}" >"$WORK/$v.files"
	read -r files_count[$v] files_bytes[$v] <"$WORK/$v.files"
	mbr_bytes[$v]=$(mbr_code_bytes "${image[$v]}")
	gap_bytes[$v]=$(nonzero_sector_bytes "${image[$v]}" 1 $(( PART_START - 1 )))
	# ext2 leaves the partition's first 1024 bytes to a boot loader.
	bootblock_bytes[$v]=$(nonzero_sector_bytes "${image[$v]}" "$PART_START" 2)
done

boot_failed() {
	local variant=$1 disk=$2 log=$3
	echo "bench: $variant on $disk did not reach the init marker ($MARKER); last serial lines ($log):" >&2
	tr -d '\r' <"$log" | tail -n 25 >&2
	exit 1
}

qemu_base=(qemu-system-x86_64 -accel tcg -M pc -m 512 -no-reboot -nodefaults
           -display none -monitor none)

# --- 1. traced boots: reads, and proof that each variant boots ------------
printf '%s\n' ide_exec_cmd ide_sector_read ide_dma_cb virtio_blk_handle_read serial_write >"$WORK/trace-events"
declare -A reads
for d in "${disks[@]}"; do
	for v in "${variants[@]}"; do
		echo "bench: traced boot: $v on $d"
		serial=$WORK/trace-$v-$d.serial
		trace=$WORK/trace-$v-$d.log
		mapfile -t boot < <(qemu_boot_args "$v" "${image[$v]}" "$d")
		timeout "$BOOT_TIMEOUT" "${qemu_base[@]}" -serial "file:$serial" \
			-trace "events=$WORK/trace-events" -D "$trace" "${boot[@]}" </dev/null ||
			boot_failed "$v" "$d" "$serial"
		grep -q "$MARKER" "$serial" || boot_failed "$v" "$d" "$serial"
		reads[$v,$d]=$(awk -f "$REPO/bench/readcount.awk" "$trace")
		# The counts are split and ended by serial text found in the trace
		# itself: without it they would be wrong, not just rough.
		[[ ${reads[$v,$d]} == *" 1 1" ]] ||
			die "$trace: the traced serial output lacks the kernel's first line or the marker"
		rm "$trace"   # megabytes of serial_write lines: counted, not kept
	done
done

# --- 2. timed boots, interleaved --------------------------------------------
runs=$OUT/runs.tsv
: >"$runs"
for run in $(seq 1 "$N"); do
	for d in "${disks[@]}"; do
		for v in "${variants[@]}"; do
			log=$WORK/boot-$v-$d-$run.serial
			mapfile -t boot < <(qemu_boot_args "$v" "${image[$v]}" "$d")
			# SeaBIOS's debug port (0x402) shares the serial stream: its
			# "Booting from 0000:7c00" (a disk's MBR) or "c000:..." (the
			# -kernel option ROM) is the moment the BIOS hands over.
			marks=$("$OUT/bootclock" "$log" \
				bios="Booting from 0000:7c00" bios="Booting from c000:" \
				kernel="Linux version" init="$MARKER" -- \
				timeout "$BOOT_TIMEOUT" "${qemu_base[@]}" \
				-chardev stdio,id=serial,mux=on -serial chardev:serial \
				-device isa-debugcon,iobase=0x402,chardev=serial "${boot[@]}") ||
				boot_failed "$v" "$d" "$log"
			bios_ms=$(awk '$1 == "bios" { print $2 }' <<<"$marks")
			kernel_ms=$(awk '$1 == "kernel" { print $2 }' <<<"$marks")
			init_ms=$(awk '$1 == "init" { print $2 }' <<<"$marks")
			[ "$init_ms" != - ] || boot_failed "$v" "$d" "$log"
			[ "$bios_ms" != - ] && [ "$kernel_ms" != - ] ||
				die "$v on $d reached the marker but printed no 'Booting from' or 'Linux version': see $log"
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$d" "$run" "$bios_ms" "$kernel_ms" "$init_ms" >>"$runs"
			printf 'bench: run %d/%d %-13s %-6s  kernel %6.0f ms  init %6.0f ms\n' \
				"$run" "$N" "$v" "$d" "$kernel_ms" "$init_ms"
		done
	done
done

# --- 3. results -------------------------------------------------------------
results=$OUT/results.txt
plotdata=$OUT/plot.dat
when=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
build=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "not a git tree")
git -C "$REPO" diff --quiet HEAD -- asm stage1 installer include 2>/dev/null || build="$build + uncommitted changes"
{
	echo "bootinst benchmark, $when"
	echo "machine: $cpu, $(nproc) CPUs, Debian $(cat /etc/debian_version), $(qemu-system-x86_64 --version | head -n 1), -accel tcg"
	echo "bootinst: $build; $budgets"
	echo "image: 64 MiB, partition 1 at sector $PART_START, ext2 with $FS_BLOCK_SIZE-byte blocks;"
	echo "       kernel $(basename "$KERNEL_FILE") $KERNEL_BYTES bytes, marker initramfs $INITRD_BYTES bytes;"
	echo "       command line \"$CMDLINE\""
	echo
	echo "Boot time"
	awk -v variants="$VARIANTS" -v disks="$DISKS" -v runs="$N" -v plot="$plotdata" \
		-f "$REPO/bench/summarize.awk" "$runs"
	echo
	echo "Disk reads per boot (QEMU trace events, one boot each)"
	printf '%-13s %-6s  %10s %10s  %10s %10s  %10s %8s\n' "" "" "loader" "" "to init" "" "minimum" "loader/"
	printf '%-13s %-6s  %10s %10s  %10s %10s  %10s %8s\n' variant disk commands sectors commands sectors sectors minimum
	for d in "${disks[@]}"; do
		for v in "${variants[@]}"; do
			read -r lcmds lsec tcmds tsec _ <<<"${reads[$v,$d]}"
			printf '%-13s %-6s  %10d %10d  %10d %10d  %10d %8.3f\n' "$v" "$d" \
				"$lcmds" "$lsec" "$tcmds" "$tsec" "$MINIMUM_SECTORS" \
				"$(awk -v a="$lsec" -v b="$MINIMUM_SECTORS" 'BEGIN { print a / b }')"
		done
	done
	echo "loader: from QEMU start to the kernel's first line (the BIOS's read of the MBR included);"
	echo "to init: to the marker (the kernel's setup code reads the MBR once more to probe EDD)."
	echo "minimum: the kernel and initrd ($(( (KERNEL_BYTES + 511) / 512 + (INITRD_BYTES + 511) / 512 )) sectors) and the filesystem metadata"
	echo "that leads to them. direct reads nothing: QEMU copies the files from the host."
	echo
	echo "Footprint on the disk"
	printf '%-13s  %9s  %9s  %10s  %18s\n' variant "MBR code" "MBR gap" "boot block" "files in the fs"
	for v in "${variants[@]}"; do
		printf '%-13s  %9s  %9s  %10s  %18s\n' "$v" "${mbr_bytes[$v]}" "${gap_bytes[$v]}" \
			"${bootblock_bytes[$v]}" "${files_count[$v]} (${files_bytes[$v]} B)"
	done
	echo "bytes: MBR code = bytes 0-439 up to the last nonzero one; MBR gap = nonzero sectors between"
	echo "the MBR and the partition; boot block = nonzero sectors of the partition's first 1024 bytes;"
	echo "files = what the loader needs in the filesystem besides the kernel and the initrd."
	echo
	echo "bootinst install on a 64 MiB and a 4 GiB sparse image (same files)"
	bash "$REPO/bench/install_io.sh" "$OUT/install-io"
	echo
	echo "bootinst mkimage against the same image made by hand (truncate, sfdisk, mke2fs -d, install)"
	BENCH_MKIMAGE_N=$N bash "$REPO/bench/mkimage.sh" "$OUT/mkimage"
} | tee "$results"

png=$OUT/boot-times.png
gnuplot -e "datafile='$plotdata'; outfile='$png'; heading='Boot time split, QEMU TCG, median of $N ($when)'" \
	"$REPO/bench/plot.gp"
echo "bench: wrote $results and $png"

if [ "${BENCH_SAVE:-0}" = 1 ]; then
	mkdir -p "$REPO/bench/results"
	day=$(date -u +%Y-%m-%d)
	cp "$results" "$REPO/bench/results/$day.txt"
	cp "$png" "$REPO/bench/results/$day.png"
	echo "bench: saved bench/results/$day.txt and .png"
fi
