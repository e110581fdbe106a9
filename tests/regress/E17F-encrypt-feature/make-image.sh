#!/bin/bash
# E17F: the incompat feature encrypt set after install (ext2 has no metadata_csum: no checksum to fix).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
fs_debugfs "feature encrypt" >/dev/null
