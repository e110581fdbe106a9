#!/bin/bash
# L05: /sbin/init without execute permission.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
chmod 644 root/sbin/init
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
