#!/bin/bash
# E26: the kernel replaced by a symlink to itself after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
fs_debugfs "rm /boot/vmlinuz"
fs_debugfs "symlink /boot/vmlinuz /boot/vmlinuz"
