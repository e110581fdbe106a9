#!/bin/bash
# E06: one byte of the installed stage (its recorded command line) overwritten.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
put_u8 disk.img "$(rec_cmdline_byte disk.img)" 0x58
