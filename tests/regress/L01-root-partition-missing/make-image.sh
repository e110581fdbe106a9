#!/bin/bash
# L01: root=/dev/sda3 on a disk with one partition.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
probe_disk
install_probe "console=ttyS0 root=/dev/sda3" --force 2>/dev/null
