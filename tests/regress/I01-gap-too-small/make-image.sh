#!/bin/bash
# I01: partition 1 at sector 8, too early for the stage; not installed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
uninstalled_probe --start 8 2>/dev/null
