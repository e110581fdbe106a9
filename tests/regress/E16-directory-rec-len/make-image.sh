#!/bin/bash
# E16: rec_len of /boot's first directory entry set to 5 after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
dir_block=$(fs_debugfs "blocks /boot" | awk '{ print $1 }')
put_le16 disk.img $((FS_OFFSET + dir_block * FS_BLOCK_SIZE + 4)) 5
