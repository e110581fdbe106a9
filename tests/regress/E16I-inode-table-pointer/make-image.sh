#!/bin/bash
# E16, not E02: group 0's inode table pointer moved to a block of zeros, so the root inode reads as free - a damaged filesystem whose fix is e2fsck, not a path naming the wrong kind of file.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
# a free block of the new image: never written, zeros
zero_block=$(fs_debugfs "ffb 1 1000" | sed -n 's/^Free blocks found: *//p')
fs_debugfs "setb $zero_block"
fs_debugfs "set_bg 0 inode_table $zero_block"
fs_debugfs "set_bg 0 checksum calc"
