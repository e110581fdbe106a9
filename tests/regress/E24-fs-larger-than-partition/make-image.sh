#!/bin/bash
# E24: the tutorials' mistake - mke2fs on the loop device at the partition's offset without a block count - with the kernel's blocks past the partition's end (see tutorial_fs_past_partition in ../lib.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
tutorial_fs_past_partition
