#!/usr/bin/env bash
# initramfs.sh — a busybox-static initramfs (gzip'd cpio "newc") for
# Debian's cloud kernel, built as a normal user.
#
# Usage: initramfs.sh MODE OUT.cpio.gz [--kernel-root DIR] [--pad-mib N]
#
#   MODE marker      /init prints, on the console:
#                      BOOTINST-E2E-INIT-OK
#                      cmdline: <contents of /proc/cmdline>
#                      initrd-addr: 0x<hex>   initrd-size: <bytes>
#                      loader-type: 0x<hex>
#                    (the last three read back from boot_params, i.e. what
#                    the boot loader wrote into the setup header), and with
#                    --pad-mib also pad-bytes: and pad-sha256:, then powers off.
#   MODE switchroot  /init loads the disk drivers (ata_piix for QEMU's default
#                    PIIX IDE disk, virtio_blk/virtio_pci for if=virtio) from
#                    the kernel's modules, waits up to rootdelay= seconds
#                    (default 10) for root= to appear, mounts it read-only
#                    (rootfstype= if given, else every type the kernel knows)
#                    and switch_roots to init= (default /sbin/init). On
#                    failure it says why and powers off; with `rdshell` on the
#                    command line it starts a shell instead.
#   --kernel-root DIR  the root printed by fetch-kernel.sh (switchroot only)
#   --pad-mib N      add /pad.bin, N MiB of random bytes (large-initrd tests)
#
# Stdout: the lines a test should expect. marker mode with --pad-mib prints
# "pad-bytes: N" and "pad-sha256: HEX" (also written to OUT.expected);
# switchroot mode prints "modules: a b c" in load order.
#
# The archive has no device nodes (a normal user cannot mknod): the kernel
# unpacks its built-in default initramfs, which holds /dev/console, before
# ours, so /init starts with a console; /init then mounts devtmpfs on /dev.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/busybox-tree.sh"

# The drivers /dev/sda1 (QEMU's default i440FX/PIIX IDE disk) and /dev/vda1
# (-drive if=virtio) need, and the filesystem. Each must be built in or a
# module; their own dependencies come from modules.dep, not from this list.
required_modules=(ata_piix sd_mod virtio_pci virtio_blk ext4)
# Loaded when this kernel has them as modules: ext2 (kernels without
# EXT4_USE_FOR_EXT2) and the crc32c hash ext4 needs for metadata_csum, which
# ext4 asks for by name at mount, so modules.dep does not list it.
optional_modules=(ext2 crc32c_generic)

die() {
	echo "initramfs.sh: $*" >&2
	exit 1
}
usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

mode=
out=
kernel_root=
pad_mib=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-root) kernel_root=${2:?--kernel-root needs DIR}; shift ;;
	--pad-mib) pad_mib=${2:?--pad-mib needs N}; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "initramfs.sh: unknown option $1; try --help" >&2; exit 2 ;;
	*)
		if [ -z "$mode" ]; then mode=$1
		elif [ -z "$out" ]; then out=$1
		else echo "initramfs.sh: too many arguments; try --help" >&2; exit 2
		fi
		;;
	esac
	shift
done
[ -n "$mode" ] && [ -n "$out" ] || { echo "initramfs.sh: MODE and OUT needed; try --help" >&2; exit 2; }
case $mode in
marker) ;;
switchroot) [ -n "$kernel_root" ] || die "switchroot needs --kernel-root DIR (from fetch-kernel.sh)" ;;
*) die "MODE must be marker or switchroot, not '$mode'" ;;
esac
[[ $pad_mib =~ ^[0-9]+$ ]] || die "--pad-mib: '$pad_mib' is not a whole number"
[ "$pad_mib" = 0 ] || [ "$mode" = marker ] || die "--pad-mib goes with marker mode"

stage=$(mktemp -d "${TMPDIR:-/tmp}/bootinst-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{dev,proc,sys,newroot,etc}
busybox_tree_install "$stage"

# --- marker mode -----------------------------------------------------------

write_marker_init() {
	cat >"$stage/init" <<'EOF'
#!/bin/sh
# bootinst e2e marker initramfs: report what the boot loader handed the
# kernel, then power off.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo BOOTINST-E2E-INIT-OK
echo "cmdline: $(cat /proc/cmdline)"

# /sys/kernel/boot_params/data is struct boot_params as the kernel received
# it (Documentation/arch/x86/zero-page.rst); the setup header starts at 0x1f1
# (Documentation/arch/x86/boot.rst). Offsets below are decimal for od.
params=/sys/kernel/boot_params/data
u32() { od -An -tu4 -j "$1" -N4 "$params" | tr -d ' '; }
u8() { od -An -tu1 -j "$1" -N1 "$params" | tr -d ' '; }
if [ -r "$params" ]; then
	# ramdisk_image 0x218 / ramdisk_size 0x21c, high halves ext_ramdisk_image
	# 0x0c0 / ext_ramdisk_size 0x0c4 (boot protocol 2.12).
	addr=$(( $(u32 192) * 4294967296 + $(u32 536) ))
	size=$(( $(u32 196) * 4294967296 + $(u32 540) ))
	printf 'initrd-addr: 0x%x\n' "$addr"
	echo "initrd-size: $size"
	# type_of_loader 0x210
	printf 'loader-type: 0x%02x\n' "$(u8 528)"
else
	echo "initrd-size: unknown ($params missing)"
fi

if [ -e /pad.bin ]; then
	echo "pad-bytes: $(wc -c </pad.bin)"
	echo "pad-sha256: $(sha256sum /pad.bin | cut -d ' ' -f 1)"
fi
poweroff -f
EOF
}

# --- switchroot mode -------------------------------------------------------

# modules.dep lines read "kernel/drivers/ata/ata_piix.ko: kernel/.../libata.ko
# kernel/.../scsi_mod.ko ..."; modules.builtin lists built-in ones by the
# same path. A module's name is its file name without .ko[.xz|.zst], with
# '-' and '_' equivalent (the kernel's own rule).
declare -A dep_paths_of=() path_of_name=() builtin_name=() visited=()
load_order=()

module_name() {
	local base=${1##*/}
	base=${base%%.ko*}
	echo "${base//-/_}"
}

read_module_tables() {
	local moddir=$1 path deps
	[ -r "$moddir/modules.dep" ] ||
		die "$moddir/modules.dep missing; fetch-kernel.sh generates it"
	while IFS= read -r line; do
		path=${line%%:*}
		deps=${line#*:}
		dep_paths_of[$path]=$deps
		path_of_name[$(module_name "$path")]=$path
	done <"$moddir/modules.dep"
	if [ -r "$moddir/modules.builtin" ]; then
		while IFS= read -r path; do
			builtin_name[$(module_name "$path")]=1
		done <"$moddir/modules.builtin"
	fi
}

# Depth-first: every dependency is placed before the module that needs it,
# each module once, so insmod in this order never meets an unknown symbol.
visit_module() {
	local path=$1 dep
	[ -z "${visited[$path]:-}" ] || return 0
	visited[$path]=1
	for dep in ${dep_paths_of[$path]}; do
		[ -n "${dep_paths_of[$dep]+set}" ] || die "modules.dep: $path needs $dep, which it does not list"
		visit_module "$dep"
	done
	load_order+=("$path")
}

want_module() {
	local name=$1 required=$2
	if [ -n "${path_of_name[$name]:-}" ]; then
		visit_module "${path_of_name[$name]}"
	elif [ -n "${builtin_name[$name]:-}" ]; then
		echo "initramfs.sh: $name: built in" >&2
	elif [ "$required" = required ]; then
		die "$name: neither a module nor built into this kernel; it cannot see the test disk"
	fi
}

# Copies a module into the initramfs uncompressed: busybox insmod hands the
# file to init_module(2) as is, and only newer kernels decompress there.
copy_module() {
	local src=$1 dst=$2
	mkdir -p "$(dirname "$dst")"
	case $src in
	*.ko) cp "$src" "$dst" ;;
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*) die "$src: unknown module compression" ;;
	esac
}

install_modules() {
	local moddirs moddir version name path names=()
	moddirs=("$kernel_root"/lib/modules/*/)
	[ ${#moddirs[@]} = 1 ] && [ -d "${moddirs[0]}" ] ||
		die "$kernel_root/lib/modules: expected exactly one kernel version"
	moddir=${moddirs[0]%/}
	version=${moddir##*/}
	read_module_tables "$moddir"
	for name in "${required_modules[@]}"; do want_module "$name" required; done
	for name in "${optional_modules[@]}"; do want_module "$name" optional; done

	: >"$stage/etc/modules.load"
	for path in "${load_order[@]}"; do
		copy_module "$moddir/$path" "$stage/lib/modules/$version/${path%.ko*}.ko"
		echo "/lib/modules/$version/${path%.ko*}.ko" >>"$stage/etc/modules.load"
		names+=("$(module_name "$path")")
	done
	echo "modules: ${names[*]}"
}

write_switchroot_init() {
	cat >"$stage/init" <<'EOF'
#!/bin/sh
# bootinst e2e initramfs: load the disk drivers, mount root= read-only and
# switch_root to its init. Every failure is reported on the console, then
# the machine powers off (or, with rdshell on the command line, a shell).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

say() { echo "initramfs: $*"; }
loaded=
failed=
rdshell=
give_up() {
	say "$*"
	say "modules loaded:${loaded:- none}${failed:+; FAILED:$failed}"
	say "block devices: $(ls /sys/class/block | tr '\n' ' ')"
	if [ -n "$rdshell" ]; then
		say "starting a shell (rdshell)"
		exec sh
	fi
	say "powering off (add rdshell to the kernel command line for a shell)"
	poweroff -f
}

root=
fstype=
delay=10
init=/sbin/init
set -f  # split the command line into words without expanding * or ?
for arg in $(cat /proc/cmdline); do
	case $arg in
	root=*) root=${arg#root=} ;;
	rootfstype=*) fstype=${arg#rootfstype=} ;;
	rootdelay=*) delay=${arg#rootdelay=} ;;
	init=*) init=${arg#init=} ;;
	rdshell) rdshell=1 ;;
	esac
done

while read -r module; do
	name=${module##*/}
	if insmod "$module"; then
		loaded="$loaded ${name%.ko}"
	else
		failed="$failed ${name%.ko}"
	fi
done </etc/modules.load
say "modules loaded:${loaded:- none}${failed:+; FAILED:$failed}"

[ -n "$root" ] || give_up "no root= on the kernel command line"
case $root in
/dev/*) ;;
UUID=* | LABEL=*) ;;
*) give_up "root=$root: this initramfs understands /dev/NAME, UUID= and LABEL=" ;;
esac

# devtmpfs creates the node as soon as the driver has probed the disk; poll
# for it, bounded, instead of waiting for an event.
tries=$((delay * 10))
dev=
while :; do
	case $root in
	/dev/*) [ -b "$root" ] && dev=$root ;;
	*) dev=$(findfs "$root" 2>/dev/null) || dev= ;;
	esac
	[ -n "$dev" ] && break
	[ "$tries" -gt 0 ] || give_up "$root did not appear within $delay s"
	tries=$((tries - 1))
	sleep 0.1
done

if [ -n "$fstype" ]; then
	mount -t "$fstype" -o ro "$dev" /newroot ||
		give_up "cannot mount $dev (rootfstype=$fstype) read-only on /newroot"
else
	mount -o ro "$dev" /newroot ||
		give_up "cannot mount $dev read-only as any of: $(grep -v nodev /proc/filesystems | tr -d '\t' | tr '\n' ' ')"
fi
if [ ! -x "/newroot$init" ] && [ ! -L "/newroot$init" ]; then
	umount /newroot
	give_up "$dev has no executable $init"
fi

# Hand the kernel filesystems to the new root (busybox switch_root deletes
# the initramfs files but leaves mounts alone); its rcS mounts only what is
# missing. A root without the directory gets the mount dropped instead.
for m in dev proc sys; do
	if [ -d "/newroot/$m" ]; then
		mount --move "/$m" "/newroot/$m"
	else
		umount -l "/$m"
	fi
done
say "switching to $dev ($(grep "^$dev /newroot " /newroot/proc/mounts 2>/dev/null | cut -d ' ' -f 3,4)), init $init"
exec switch_root /newroot "$init"
EOF
}

expected_lines=
case $mode in
marker)
	write_marker_init
	if [ "$pad_mib" -gt 0 ]; then
		# Random bytes do not compress, so the initrd really is N MiB.
		head -c $((pad_mib * 1048576)) /dev/urandom >"$stage/pad.bin"
		expected_lines="pad-bytes: $((pad_mib * 1048576))
pad-sha256: $(sha256sum "$stage/pad.bin" | cut -d ' ' -f 1)"
	fi
	;;
switchroot)
	install_modules
	write_switchroot_init
	;;
esac
chmod 0755 "$stage/init"

# Fixed timestamps and sorted names make the archive depend only on its
# contents; --owner 0:0 makes every file root's in the guest.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc --owner=0:0 --reproducible) | gzip -n -1 >"$out.tmp"
mv "$out.tmp" "$out"

if [ -n "$expected_lines" ]; then
	echo "$expected_lines" | tee "$out.expected"
else
	rm -f "$out.expected"
fi
