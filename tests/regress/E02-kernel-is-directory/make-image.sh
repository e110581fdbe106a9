#!/bin/bash
# E02: the kernel replaced by a directory after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
fs_debugfs "rm /boot/vmlinuz"
fs_debugfs "mkdir /boot/vmlinuz"
