#!/bin/bash
# I02: another loader's bytes in the sectors after the MBR (at sector 3); not installed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
uninstalled_probe
printf 'GRUB core.img stand-in' | dd of=disk.img bs=512 seek=3 conv=notrunc status=none
