#!/bin/bash
# E28: a 20 MiB initrd for a kernel whose initrd_addr_max is 16 MiB (the initrd cannot lie below it).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cp "$BREAK_PROBE" capped
put_le32 capped "$BZ_INITRD_ADDR_MAX_OFF" $(((16 << 20) - 1))
PROBE_KERNEL=$PWD/capped probe_disk
truncate -s 20M initrd.img
fs_debugfs "write initrd.img /boot/initrd.img" >/dev/null
"$BREAK_BOOTINST" install disk.img --kernel /boot/vmlinuz --initrd /boot/initrd.img --cmdline "console=ttyS0" >/dev/null
