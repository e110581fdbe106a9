#!/bin/bash
# A good image: the probe kernel installed on ext2, with a root filesystem
# the kernel can boot to a shell (root_tree in ../lib.sh) on partition 1.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
probe_disk
install_probe "console=ttyS0 root=/dev/sda1"
