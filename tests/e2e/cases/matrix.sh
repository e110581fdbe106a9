# matrix.sh - prediction against reality: for each image below, what
# `bootinst check IMAGE --json --bus BUS` says the kernel will do after the
# loader (root=, drivers, init, console: L01-L10, N01), and what Debian's
# cloud kernel does when QEMU boots that image on that bus.  The case fails
# when the two disagree (the rules are mx_agree, tests/e2e/lib/matrix-lib.sh)
# and prints the table: case, bus, predicted, seen, agree; above it, for
# each boot that did not reach init, the kernel's (or the stage's, or the
# initramfs's) own lines, and for each disagreement check's findings.
#
# The images are made as a user makes them: bootinst mkimage from a busybox
# root (examples/busybox-root.sh --autorun: its rcS prints BOOTINST-ROOT-OK
# and powers off), Debian's kernel (examples/fetch-kernel.sh) and
# examples/initramfs.sh's switchroot or marker initramfs; an image mkimage
# refuses (check finds an error) is made with a command line check takes
# and installed again with the case's by `bootinst install --force`; the
# broken ones are then broken with debugfs, sfdisk and dd.
#
# Buses: ide (QEMU's default PIIX disk), virtio, nvme.  The cloud kernel has
# NVMe built in and ata_piix / virtio_blk as modules, so IDE and virtio
# boots to the root need the switchroot initramfs, NVMe ones none.
#
# Needs jq (tests/deps.sh).  Run alone: bash tests/e2e/run.sh matrix
# (MX_ONLY=REGEX runs only the cases whose names match it).

# shellcheck source=../lib/matrix-lib.sh
. "$E2E_LIB/matrix-lib.sh"

MX_BASE="console=ttyS0 panic=-1"    # a panic ends QEMU at once (-no-reboot)
MX_RD="rootdelay=5"                 # the switchroot initramfs waits this long for root=
MX_P1=$((2048 * 512))               # partition 1's offset: mkimage's default start

# Each case: its name and the bus QEMU attaches the disk to; mx_build_NAME
# makes disk.img in the current folder.
MX_CASES=(
	# root= and the bus
	"ide_sda1_initrd ide"
	"virtio_vda1_initrd virtio"
	"nvme_p1 nvme"
	"ide_sda1_no_initrd ide"
	"virtio_vda1_no_initrd virtio"
	"ide_vda1_initrd ide"
	"virtio_sda1_initrd virtio"
	"nvme_sda1 nvme"
	"ide_sdb1_initrd ide"
	"ide_sdb1_no_initrd ide"
	"nvme_nvme1n1p1 nvme"
	"nvme_nvme1n1p1_initrd nvme"
	"nvme_partuuid_this nvme"
	"nvme_partuuid_other nvme"
	"ide_partuuid_this ide"
	"ide_uuid_initrd ide"
	"nvme_uuid_no_initrd nvme"
	"nvme_no_root nvme"
	"ide_no_root_initrd ide"
	"nvme_no_partition nvme"
	"ide_no_partition_initrd ide"
	"nvme_root_p2 nvme"
	"nvme_random_p2 nvme"
	"ide_random_p2_initrd ide"
	"nvme_swap_p2 nvme"
	# init
	"nvme_init_none nvme"
	"ide_init_none_initrd ide"
	"nvme_init_dynamic_no_loader nvme"
	"nvme_init_dynamic_no_libc nvme"
	"nvme_init_script_no_interpreter nvme"
	"nvme_init_eq_missing nvme"
	"nvme_init_eq_script nvme"
	"nvme_init_not_executable_sh nvme"
	# console
	"nvme_dev_console nvme"
	# filesystems
	"nvme_ext3 nvme"
	"nvme_ext4 nvme"
	"virtio_ext4_initrd virtio"
	"nvme_ext4_unknown_incompat_p2 nvme"
	"nvme_ext4_unknown_incompat_p1 nvme"
	# a kernel without its config beside it
	"ide_no_config_no_initrd ide"
	"nvme_no_config nvme"
	# the marker initramfs: its own /init, no root at all
	"ide_marker_initrd ide"
)

# --- making images ------------------------------------------------------------

# mx_image CMDLINE INITRD [mkimage options...]: disk.img from $MX_ROOT (default
# the busybox root) and $MX_KERNEL (default Debian's), with INITRD ("" for
# none) and CMDLINE.  When mkimage refuses it (check finds an error, as it
# should for most of the failing cases), the image is made with a command
# line check takes and CMDLINE installed on it with install --force.
mx_image() {
	local cmdline=$1 initrd=$2
	shift 2
	local root=${MX_ROOT:-$MX_BB} kernel=${MX_KERNEL:-$MX_KERNEL_DEFAULT} args=()
	[ -z "$initrd" ] || args=(--initrd "$initrd")
	if "$BOOTINST" mkimage disk.img --root "$root" --kernel "$kernel" "${args[@]}" \
		--cmdline "$cmdline" "$@" >mkimage.out 2>&1; then
		echo "made by mkimage: $cmdline"
		return 0
	fi
	sed 's/^/  mkimage refused: /' mkimage.out
	"$BOOTINST" mkimage disk.img --root "$root" --kernel "$kernel" --initrd "$MX_SWITCHROOT" \
		--cmdline "$MX_BASE root=/dev/sda1" "$@" -q
	mx_install "$cmdline" "$initrd"
}

# mx_install CMDLINE INITRD: install disk.img's /boot/vmlinuz again, with
# /boot/initrd.img when INITRD is not "", and CMDLINE, whatever check says.
mx_install() {
	local args=(--kernel /boot/vmlinuz)
	[ -z "$2" ] || args+=(--initrd /boot/initrd.img)
	"$BOOTINST" install disk.img --force "${args[@]}" --cmdline "$1" >install.out 2>&1 ||
		{ cat install.out; return 1; }
	echo "installed with install --force: $1${2:+ (initrd)}"
}

# mx_fs PARTITION_OFFSET COMMAND...: debugfs -w on that filesystem; fails on
# any complaint.
mx_fs() {
	local offset=$1 out
	shift
	out=$(printf '%s\n' "$@" | debugfs -w -f - "disk.img?offset=$offset" 2>&1 >/dev/null |
		grep -v '^debugfs [0-9]' || true)
	[ -z "$out" ] || { echo "debugfs: $out"; return 1; }
}

# mx_add_partition MIB TYPE: grow disk.img by MIB and add partition 2 of
# TYPE there (sfdisk --append); prints its first sector.
mx_add_partition() {
	truncate -s +"$1"M disk.img
	echo ",,$2" | sfdisk --append -q disk.img >/dev/null
	sfdisk -d disk.img | sed -n 's/^disk\.img2 : start= *\([0-9]*\),.*/\1/p'
}

# mx_root_p2 FS: partition 2, 16 MiB, FS made from the busybox root.
mx_root_p2() {
	local start
	start=$(mx_add_partition 16 83)
	[ -n "$start" ]
	mke2fs -q -t "$1" -d "$MX_BB" -E offset=$((start * 512)) disk.img 16384k
	echo "$start"
}

mx_disk_id() {
	sfdisk --disk-id disk.img | sed 's/^0x//'
}

mx_fs_uuid() {
	dumpe2fs -h "disk.img?offset=$MX_P1" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p'
}

# --- the images ---------------------------------------------------------------

mx_build_ide_sda1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/sda1" "$MX_SWITCHROOT"; }
mx_build_virtio_vda1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/vda1" "$MX_SWITCHROOT"; }
mx_build_nvme_p1() { mx_image "$MX_BASE root=/dev/nvme0n1p1" ""; }
# the drivers are modules: nothing loads them without an initramfs
mx_build_ide_sda1_no_initrd() { mx_image "$MX_BASE root=/dev/sda1" ""; }
mx_build_virtio_vda1_no_initrd() { mx_image "$MX_BASE root=/dev/vda1" ""; }
# names of another bus
mx_build_ide_vda1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/vda1" "$MX_SWITCHROOT"; }
mx_build_virtio_sda1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/sda1" "$MX_SWITCHROOT"; }
mx_build_nvme_sda1() { mx_image "$MX_BASE root=/dev/sda1" ""; }
# names of a second disk
mx_build_ide_sdb1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/sdb1" "$MX_SWITCHROOT"; }
mx_build_ide_sdb1_no_initrd() { mx_image "$MX_BASE root=/dev/sdb1" ""; }
mx_build_nvme_nvme1n1p1() { mx_image "$MX_BASE root=/dev/nvme1n1p1" ""; }
mx_build_nvme_nvme1n1p1_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/nvme1n1p1" "$MX_SWITCHROOT"; }

mx_build_nvme_partuuid_this() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_install "$MX_BASE root=PARTUUID=$(mx_disk_id)-01" ""
}
# this disk's PARTUUID on IDE: named right, but ata_piix is a module
mx_build_ide_partuuid_this() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_install "$MX_BASE root=PARTUUID=$(mx_disk_id)-01" ""
}
mx_build_nvme_partuuid_other() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	local other=deadbeef
	[ "$(mx_disk_id)" != $other ] || other=feedface
	mx_install "$MX_BASE root=PARTUUID=$other-01" ""
}
mx_build_ide_uuid_initrd() {
	mx_image "$MX_BASE $MX_RD root=/dev/sda1" "$MX_SWITCHROOT"
	mx_install "$MX_BASE $MX_RD root=UUID=$(mx_fs_uuid)" initrd
}
mx_build_nvme_uuid_no_initrd() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_install "$MX_BASE root=UUID=$(mx_fs_uuid)" ""
}
mx_build_nvme_no_root() { mx_image "$MX_BASE" ""; }
mx_build_ide_no_root_initrd() { mx_image "$MX_BASE $MX_RD" "$MX_SWITCHROOT"; }
mx_build_nvme_no_partition() { mx_image "$MX_BASE root=/dev/nvme0n1p3" ""; }
mx_build_ide_no_partition_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/sda3" "$MX_SWITCHROOT"; }

# the root on a second partition: ext2 from the busybox root (the control),
# random bytes, a swap area
mx_build_nvme_root_p2() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_root_p2 ext2 >/dev/null
	mx_install "$MX_BASE root=/dev/nvme0n1p2" ""
}
mx_random_p2() {
	local start
	start=$(mx_add_partition 16 83)
	[ -n "$start" ]
	head -c 16M /dev/urandom | dd of=disk.img bs=1M seek=$((start / 2048)) conv=notrunc status=none
}
mx_build_nvme_random_p2() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_random_p2
	mx_install "$MX_BASE root=/dev/nvme0n1p2" ""
}
mx_build_ide_random_p2_initrd() {
	mx_image "$MX_BASE $MX_RD root=/dev/sda1" "$MX_SWITCHROOT"
	mx_random_p2
	mx_install "$MX_BASE $MX_RD root=/dev/sda2" initrd
}
mx_build_nvme_swap_p2() {
	local start
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	start=$(mx_add_partition 16 82)
	[ -n "$start" ]
	rm -f swap.bin
	truncate -s 16M swap.bin
	mkswap -q swap.bin >/dev/null
	dd if=swap.bin of=disk.img bs=1M seek=$((start / 2048)) conv=notrunc status=none
	rm swap.bin
	mx_install "$MX_BASE root=/dev/nvme0n1p2" ""
}

# init: the busybox root has /sbin/init and /bin/sh (links to the static
# busybox), no /etc/init or /bin/init.  Where /bin/sh would be the kernel's
# next try it is removed, or it would run as init and wait on the console.
mx_build_nvme_init_none() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_fs $MX_P1 "rm /sbin/init" "rm /bin/sh"
}
mx_build_ide_init_none_initrd() {
	mx_image "$MX_BASE $MX_RD root=/dev/sda1" "$MX_SWITCHROOT"
	mx_fs $MX_P1 "rm /sbin/init" "rm /bin/sh"
}
# Debian's /bin/true, which needs the loader and libc.so.6
mx_build_nvme_init_dynamic_no_loader() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_fs $MX_P1 "rm /sbin/init" "write /bin/true /sbin/init" "rm /bin/sh"
}
mx_build_nvme_init_dynamic_no_libc() {
	local loader
	loader=$(readelf -l /bin/true | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ "$loader" = /lib64/ld-linux-x86-64.so.2 ] || { echo "/bin/true's loader is '$loader'"; return 1; }
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_fs $MX_P1 "rm /sbin/init" "write /bin/true /sbin/init" "mkdir /lib64" \
		"write $(readlink -f "$loader") $loader" "rm /bin/sh"
}
mx_build_nvme_init_script_no_interpreter() {
	printf '#!/bin/bash\necho "this is not reached"\n' >init.sh
	chmod 755 init.sh
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_fs $MX_P1 "rm /sbin/init" "write init.sh /sbin/init" "rm /bin/sh"
}
mx_build_nvme_init_eq_missing() { mx_image "$MX_BASE root=/dev/nvme0n1p1 init=/sbin/nonexistent" ""; }
# init= a #! script: rcS itself, run by /bin/sh as process 1
mx_build_nvme_init_eq_script() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1 init=/etc/init.d/rcS" ""
	mx_fs $MX_P1 "rm /sbin/init"
}
# /sbin/init a mode 644 copy of busybox; /bin/sh, the kernel's last try, a
# script that runs rcS (a bare shell would wait on the console for ever)
mx_build_nvme_init_not_executable_sh() {
	printf '#!/bin/busybox sh\nexec /bin/busybox sh /etc/init.d/rcS\n' >sh.sh
	chmod 755 sh.sh
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	mx_fs $MX_P1 "rm /sbin/init" "write $MX_BB/bin/busybox /sbin/init" "sif /sbin/init mode 0100644" \
		"rm /bin/sh" "write sh.sh /bin/sh"
}

# console: the busybox root has none; this one has /dev/console
mx_build_nvme_dev_console() {
	printf '/dev/console c 600 0 0 5 1 - - -\n' >devices
	mx_image "$MX_BASE root=/dev/nvme0n1p1" "" --device-table devices
}

# filesystems
mx_build_nvme_ext3() { mx_image "$MX_BASE root=/dev/nvme0n1p1" "" --fs ext3; }
mx_build_nvme_ext4() { mx_image "$MX_BASE root=/dev/nvme0n1p1" "" --fs ext4; }
mx_build_virtio_ext4_initrd() { mx_image "$MX_BASE $MX_RD root=/dev/vda1" "$MX_SWITCHROOT" --fs ext4; }
# an incompat feature Linux does not have (dirdata, 0x1000): on a root of
# its own (the kernel refuses it), and on the boot partition (the stage does)
mx_build_nvme_ext4_unknown_incompat_p2() {
	local start
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
	start=$(mx_root_p2 ext4)
	mx_fs $((start * 512)) "feature dirdata"
	mx_install "$MX_BASE root=/dev/nvme0n1p2" ""
}
mx_build_nvme_ext4_unknown_incompat_p1() {
	mx_image "$MX_BASE root=/dev/nvme0n1p1" "" --fs ext4
	mx_fs $MX_P1 "feature dirdata"
}

# the kernel alone in a folder: mkimage has no config-VERSION to copy
mx_build_ide_no_config_no_initrd() {
	local MX_KERNEL=$MX_KERNEL_NOCFG
	mx_image "$MX_BASE root=/dev/sda1" ""
}
mx_build_nvme_no_config() {
	local MX_KERNEL=$MX_KERNEL_NOCFG
	mx_image "$MX_BASE root=/dev/nvme0n1p1" ""
}

mx_build_ide_marker_initrd() { mx_image "$MX_BASE root=/dev/sda1" "$MX_MARKER"; }

# --- the matrix -----------------------------------------------------------------

# mx_columns: "a|b|c" lines as a table, each column as wide as its widest cell.
mx_columns() {
	awk -F'|' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
		     nf[NR] = NF }
		END { for (r = 1; r <= NR; r++) {
			line = ""
			for (i = 1; i < nf[r]; i++) line = line sprintf("%-" w[i] "s  ", cell[r, i])
			print line cell[r, nf[r]] } }'
}

case_matrix_prediction_vs_boot() {
	local kroot entry name bus dir rc passed=0 failed=0 start=$SECONDS
	local rows=() details=() disagree=() agree
	MX_LOCK_WAITED=0
	kroot=$("$REPO/examples/fetch-kernel.sh")
	mkdir -p shared/nocfg cases
	# one bootinst for the whole matrix, even if make runs meanwhile
	cp "$BOOTINST" shared/bootinst
	local BOOTINST=$PWD/shared/bootinst
	MX_KERNEL_DEFAULT=$(ls "$kroot"/boot/vmlinuz-*)
	[ -f "$MX_KERNEL_DEFAULT" ] || fail "no kernel in $kroot/boot"
	cp "$MX_KERNEL_DEFAULT" shared/nocfg/vmlinuz
	MX_KERNEL_NOCFG=$PWD/shared/nocfg/vmlinuz
	MX_BB=$PWD/shared/busybox-root
	"$REPO/examples/busybox-root.sh" --autorun "$MX_BB" >/dev/null
	MX_SWITCHROOT=$PWD/shared/switchroot.img
	"$REPO/examples/initramfs.sh" switchroot "$MX_SWITCHROOT" --kernel-root "$kroot" >/dev/null 2>&1
	MX_MARKER=$PWD/shared/marker.img
	"$REPO/examples/initramfs.sh" marker "$MX_MARKER" >/dev/null
	echo "matrix: shared pieces made in $((SECONDS - start))s"

	for entry in "${MX_CASES[@]}"; do
		read -r name bus <<<"$entry"
		[[ -z ${MX_ONLY:-} || $name =~ $MX_ONLY ]] || continue
		dir=$PWD/cases/$name
		mkdir -p "$dir"
		# The builder in a subshell of its own with set -e (set -e is
		# ignored in a function called from a condition).
		set +e
		(cd "$dir" && set -e && "mx_build_$name") >"$dir/build.log" 2>&1
		rc=$?
		set -e
		if [ $rc -ne 0 ] || [ ! -f "$dir/disk.img" ]; then
			failed=$((failed + 1))
			rows+=("$name|$bus|-|could not build: $(tail -n 1 "$dir/build.log" | tr '|' /)|BUILD")
			disagree+=("$name")
			details+=("$name ($bus): could not build; $dir/build.log:" "$(sed 's/^/    /' "$dir/build.log")")
			continue
		fi
		mx_predict "$dir/disk.img" "$bus" "$dir"
		mx_boot "$dir/disk.img" "$bus" "$dir"
		mx_classify "$dir"
		if mx_agree "$dir"; then
			agree=yes
			passed=$((passed + 1))
		else
			agree=NO
			failed=$((failed + 1))
		fi
		rows+=("$name|$bus|${MX_P_TEXT//|//}|${MX_SEEN_TEXT//|//}|$agree")
		[ $agree = yes ] || disagree+=("$name")
		if [ "$MX_SEEN" = failed ] || [ $agree = NO ]; then
			details+=("$name ($bus), agree $agree: $(grep -E "^(made|installed)" "$dir/build.log" | tail -n 1 || true)")
			[ $agree = yes ] || details+=("  check said ($MX_P_TEXT):" "$(mx_findings "$dir" | sed 's/^/    /')")
			if [ "$MX_SEEN" = failed ]; then
				details+=("  serial ($MX_SEEN_TEXT):")
				if [ -s "$dir/telling.txt" ]; then
					details+=("$(sed 's/^/    | /' "$dir/telling.txt")")
				else
					details+=("$(tail -n 5 "$dir/serial.txt" | sed 's/^/    ~ /')")
				fi
			fi
		fi
		[ $agree = NO ] || rm -f "$dir/disk.img"
		echo "matrix: $name ($bus): $agree after $((SECONDS - start))s"
	done

	echo
	echo "matrix: what each failing boot printed (and, for each disagreement, what check found)"
	printf '%s\n' "${details[@]}"
	echo
	{
		printf '%s\n' "case|bus|predicted|seen|agree" "${rows[@]}" | mx_columns
		echo "matrix: $((SECONDS - start))s, of which ${MX_LOCK_WAITED}s waiting for $MX_QEMU_LOCK"
		[ ${#disagree[@]} -eq 0 ] || echo "matrix: disagree: ${disagree[*]}"
		echo "matrix: $passed passed, $failed failed"
	} | tee table.txt
	[ $failed -eq 0 ]
}
