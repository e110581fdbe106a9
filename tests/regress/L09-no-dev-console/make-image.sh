#!/bin/bash
# L09: no /dev/console, and a kernel config without CONFIG_DEVTMPFS_MOUNT.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
sed -i 's/^CONFIG_DEVTMPFS_MOUNT=y$/# CONFIG_DEVTMPFS_MOUNT is not set/' root/boot/config-bootinst
probe_disk
install_probe "console=ttyS0 root=/dev/sda1"
