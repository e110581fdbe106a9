#!/bin/bash
# E28: a 20 MiB initrd for a kernel whose initrd_addr_max is 16 MiB (the initrd cannot lie below it).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cp "$BREAK_PROBE" capped
put_le32 capped "$BZ_INITRD_ADDR_MAX_OFF" $(((16 << 20) - 1))
root_tree
truncate -s 20M root/boot/initrd.img
PROBE_KERNEL=$PWD/capped probe_disk
# install finds it too (E28) and refuses; --force is what a user who
# does not believe it would type
"$BREAK_BOOTINST" install --force disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img \
	--cmdline "console=ttyS0 root=/dev/sda1" >/dev/null 2>&1
