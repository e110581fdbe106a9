#!/bin/bash
# L02: root=/dev/hda1, the name old IDE drivers gave; today's kernel calls the disk sda.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
probe_disk
install_probe "console=ttyS0 root=/dev/hda1" --force 2>/dev/null
