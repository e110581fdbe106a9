#!/bin/bash
# E15: the kernel deleted after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
fs_debugfs "rm /boot/vmlinuz"
