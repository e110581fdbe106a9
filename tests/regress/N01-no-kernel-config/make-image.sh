#!/bin/bash
# N01: no config for the kernel anywhere and no initramfs: whether it has the
# root's drivers built in cannot be told, and that is the risk (a warning).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
rm "$PROBE_CONFIG"
probe_disk
install_probe "console=ttyS0 root=/dev/sda1"
# a console node (debugfs makes it without root), so that nothing but
# the kernel's drivers is left to guess
# (debugfs's mknod takes a name in its current folder, not a path)
printf 'cd /dev\nmknod console c 5 1\n' >cmds
debugfs -w -f cmds "disk.img?offset=$FS_OFFSET" >/dev/null 2>&1
