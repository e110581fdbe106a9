#!/bin/bash
# L06: /sbin/init a dynamically linked program whose ELF interpreter is not on the root.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
cp /bin/true root/sbin/init
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
