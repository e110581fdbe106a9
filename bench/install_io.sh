#!/bin/bash
# install_io.sh [WORKDIR] - what `bootinst install` reads and writes, and how
# long it takes, on a 64 MiB image and on a 4 GiB sparse one holding the
# same files: the counts come from strace (every read/pread64 and
# write/pwrite64 on the image, not on stdout), so they are exact.  Prints a
# table; BENCH_IO_MAX_READ (bytes, optional) makes it fail above that.
# The images hold a kernel and nothing to boot into (no root=, no init):
# install's checks say so and --force installs anyway; what is measured is
# install's own I/O.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$REPO/build/bench-io}
lib=$REPO/tests/e2e/lib
rm -rf "$work"
mkdir -p "$work/root/boot"
cd "$work"

kroot=$("$REPO/examples/fetch-kernel.sh")
cp "$kroot"/boot/vmlinuz-* root/boot/vmlinuz

printf '%-10s %12s %14s %14s %10s\n' image "file size" "bytes read" "bytes written" seconds
for mib in 64 4096; do
	img=disk-$mib.img
	"$lib/make-disk.sh" --size $mib --start 2048 --fs ext4 --populate root "$img" >/dev/null 2>&1
	start=$(date +%s%N)
	strace -f -o trace-$mib.txt -e trace=openat,read,pread64,write,pwrite64 \
		"$REPO/bootinst" install "$img" --cmdline "console=ttyS0" --force >/dev/null 2>&1
	secs=$(( ($(date +%s%N) - start) / 1000000 ))
	# the file descriptors the image was opened on, then their bytes
	read -r rd wr < <(sed -n 's/^[0-9]* *\(openat\|read\|pread64\|write\|pwrite64\)(\(.*\)= \(-\?[0-9]*\).*$/\1 \3 \2/p' trace-$mib.txt |
		awk -v img="\"$img\"" '
		$1 == "openat" && index($0, img) { fds[$2] = 1; next }
		{ fd = $3; sub(/,.*/, "", fd) }
		$1 != "openat" && (fd in fds) && $2 > 0 { if ($1 ~ /read/) rd += $2; else wr += $2 }
		END { print rd + 0, wr + 0 }')
	printf '%-10s %12s %14s %14s %10s\n' "$mib MiB" "$(du -h "$img" | cut -f1)" "$rd" "$wr" \
		"$(printf '%d.%03d' $((secs / 1000)) $((secs % 1000)))"
	if [ -n "${BENCH_IO_MAX_READ:-}" ] && [ "$rd" -gt "$BENCH_IO_MAX_READ" ]; then
		echo "install_io: install read $rd bytes of the $mib MiB image, more than $BENCH_IO_MAX_READ" >&2
		exit 1
	fi
done
echo "read: the partition table (libfdisk and its signature probes), the filesystem's metadata"
echo "(libext2fs and the stage's reader mapping every block of the kernel), the sectors after the"
echo "MBR; written: the stage and MBR bytes 0-439, read back to verify. Time includes strace."
