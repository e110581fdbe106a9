#!/bin/bash
# E05: partition 2 written by hand over partition 1's last sectors (sfdisk refuses to make overlapping partitions).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
# entry 2 at 0x1CE: type 0x82, first LBA 30000, 2768 sectors (to the
# disk's end); partition 1 is 2048..32767
put_u8 disk.img $((0x1ce + 4)) 0x82
put_le32 disk.img $((0x1ce + 8)) 30000
put_le32 disk.img $((0x1ce + 12)) 2768
