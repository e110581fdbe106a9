#!/bin/bash
# L10: the IDE driver ata_piix a module (=m) and no initramfs to load it.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
sed -i 's/^CONFIG_ATA_PIIX=y$/CONFIG_ATA_PIIX=m/' "$PROBE_CONFIG"
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
