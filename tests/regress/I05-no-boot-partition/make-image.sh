#!/bin/bash
# I05: the only partition is neither active nor of type 0x83 (here 0x0c, FAT32), and install was never run.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
uninstalled_probe
sfdisk --no-reread --no-tell-kernel -q --part-type disk.img 1 c
sfdisk --no-reread --no-tell-kernel -q --activate disk.img -
