#!/bin/bash
# L09: a kernel older than 2.6.36, which opens init's console on the root
# filesystem, a root with no /dev/console, and a config without
# CONFIG_DEVTMPFS_MOUNT.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
sed -i 's/^CONFIG_DEVTMPFS_MOUNT=y$/# CONFIG_DEVTMPFS_MOUNT is not set/' "$PROBE_CONFIG"
old_probe_kernel
probe_disk
install_probe "console=ttyS0 root=/dev/sda1"
