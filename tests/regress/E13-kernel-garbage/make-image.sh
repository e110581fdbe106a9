#!/bin/bash
# E13: the kernel overwritten with as many bytes of garbage after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
head -c "$(stat -c %s "$BREAK_PROBE")" /dev/zero | tr '\0' 'x' >garbage
replace_file /boot/vmlinuz garbage
