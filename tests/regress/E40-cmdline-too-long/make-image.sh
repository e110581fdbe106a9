#!/bin/bash
# E40: a kernel that takes 100 bytes of command line, and a /boot/bootinst.cfg written after install with 200.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
nasm -f bin -DCMDLINE_SIZE=100 -DPAYLOAD_KIB=64 -o probe100.bzImage "$BREAK_REPO/tests/probe/probe.asm"
PROBE_KERNEL=$PWD/probe100.bzImage installed_probe
printf 'cmdline console=ttyS0 root=/dev/sda1 %0171d\n' 0 >cfg
fs_debugfs "write cfg /boot/bootinst.cfg" >/dev/null
