#!/bin/bash
# E41: /boot/bootinst.cfg with a relative kernel path on line 2 (the stage ignores the file and boots what install recorded).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
printf '# edited by hand\nkernel vmlinuz\ncmdline not-used\n' >cfg
fs_debugfs "write cfg /boot/bootinst.cfg" >/dev/null
