#!/bin/bash
# M06: the stage's magic zeroed after install: the MBR code would find no stage.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
dd if=/dev/zero of=disk.img bs=1 seek="$STAGE_MAGIC_OFF" count=8 conv=notrunc status=none
