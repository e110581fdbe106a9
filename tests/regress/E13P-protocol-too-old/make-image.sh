#!/bin/bash
# E13P: the kernel's boot protocol field patched to 2.01 after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
cp "$BREAK_PROBE" old
put_le16 old "$BZ_VERSION_OFF" 0x0201
replace_file /boot/vmlinuz old
