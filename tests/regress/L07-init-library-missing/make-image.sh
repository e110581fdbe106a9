#!/bin/bash
# L07: /sbin/init a dynamically linked program with its interpreter but without libc.so.6.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
cp /bin/true root/sbin/init
mkdir -p root/lib64
cp -L /lib64/ld-linux-x86-64.so.2 root/lib64/
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
