#!/bin/bash
# E24: the tutorials' mistake with /boot's own directory block past the partition's end: the lookups of /boot/bootinst.cfg and /boot/vmlinuz stop in /boot, and the report names the directory ("block 32100 of /boot/"), not a file never reached (see tutorial_fs_past_partition in ../lib.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
tutorial_fs_past_partition boot-dir-past
