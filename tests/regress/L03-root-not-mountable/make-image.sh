#!/bin/bash
# L03: root=/dev/sda1 names the swap partition in front of the Linux one (partition 2).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
probe_disk --part-num 2
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
