#!/bin/bash
# L04: a root filesystem with no /sbin/init, /etc/init, /bin/init or /bin/sh.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
rm root/sbin/init
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
