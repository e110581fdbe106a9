#!/usr/bin/env bash
# busybox-root.sh — a minimal busybox root filesystem as a plain directory.
#
# Usage: busybox-root.sh [--autorun] DIR
#
#   DIR        created (must be absent or empty); make an image of it with
#              bootinst mkimage disk.img --root DIR ...
#   --autorun  for CI: /etc/init.d/rcS prints `mount`, /proc/cmdline and
#              `uname -a`, then the line BOOTINST-ROOT-OK, then powers off.
#              Without it the system ends at a shell on ttyS0 and one on
#              the VGA screen (tty1): the tutorials' end state.
#
# Runs as a normal user. The tree holds no device nodes: a normal user cannot
# mknod, so `mke2fs -d` has none to copy. Instead rcS mounts devtmpfs on /dev
# (the cloud kernel has CONFIG_DEVTMPFS=y but not DEVTMPFS_MOUNT, so nothing
# mounts it for us unless the initramfs moved its own /dev here), then
# reopens its output on /dev/console. Until then, init writes to whatever
# console the kernel or the initramfs handed it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/busybox-tree.sh"

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

autorun=0
dir=
while [ $# -gt 0 ]; do
	case $1 in
	--autorun) autorun=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "busybox-root.sh: unknown option $1; try --help" >&2; exit 2 ;;
	*)
		[ -z "$dir" ] || { echo "busybox-root.sh: one DIR only; try --help" >&2; exit 2; }
		dir=$1
		;;
	esac
	shift
done
[ -n "$dir" ] || { echo "busybox-root.sh: DIR missing; try --help" >&2; exit 2; }
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
	echo "busybox-root.sh: $dir: exists and is not empty; remove it first" >&2
	exit 1
fi

mkdir -p "$dir"/{proc,sys,dev,etc/init.d,tmp,root}
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
busybox_tree_install "$dir"

# busybox init reads /etc/inittab (busybox examples/inittab documents the
# "id::action:process" format; id is the tty to run on, relative to /dev).
cat >"$dir/etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
ttyS0::respawn:-/bin/sh
tty1::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot -f
::shutdown:/bin/umount -a -r
EOF

cat >"$dir/etc/init.d/rcS" <<'EOF'
#!/bin/sh
# Mounts the kernel filesystems. The root is read-only and holds no device
# nodes, so /dev comes from devtmpfs; the initramfs may already have moved
# its own proc, sys and devtmpfs mounts here, which we keep.
[ -e /proc/mounts ] || mount -t proc proc /proc
is_mounted() { grep -q "^[^ ]* $1 " /proc/mounts; }
is_mounted /sys || mount -t sysfs sysfs /sys
is_mounted /dev || mount -t devtmpfs devtmpfs /dev
is_mounted /tmp || mount -t tmpfs tmpfs /tmp
# Booted without an initramfs, init had no /dev/console to open and our
# output would be lost; /dev/console follows the last console= argument.
exec </dev/console >/dev/console 2>&1
EOF

if [ "$autorun" = 1 ]; then
	cat >>"$dir/etc/init.d/rcS" <<'EOF'

# --autorun: what a CI test checks, then power off (QEMU -no-reboot exits).
echo "BOOTINST-ROOT: mount:"
mount
echo "cmdline: $(cat /proc/cmdline)"
uname -a
echo BOOTINST-ROOT-OK
poweroff -f
EOF
fi
chmod 0755 "$dir/etc/init.d/rcS"
