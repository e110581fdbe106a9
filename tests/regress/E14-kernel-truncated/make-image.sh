#!/bin/bash
# E14: the kernel replaced by its first 300000 bytes after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
head -c 300000 "$BREAK_PROBE" >short
replace_file /boot/vmlinuz short
