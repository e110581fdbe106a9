#!/bin/bash
# L11: a command line with no root= and no initramfs: the kernel has no root device to mount.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
probe_disk
install_probe "console=ttyS0" --force 2>/dev/null
