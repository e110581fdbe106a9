#!/bin/bash
# E07: the kernel's loadflags LOADED_HIGH cleared after install (a zImage).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
cp "$BREAK_PROBE" low
put_u8 low "$BZ_LOADFLAGS_OFF" $(($(get_u8 low "$BZ_LOADFLAGS_OFF") & ~1))
replace_file /boot/vmlinuz low
