#!/bin/bash
# E17: the ext2 superblock's magic wiped after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
put_le16 disk.img $((FS_OFFSET + 1024 + 56)) 0
