#!/bin/bash
# run-all.sh - the whole test suite, from a fresh Debian 12 machine:
# installs what it needs (tests/deps.sh), builds, checks the source tree's
# layers (tests/architecture.sh), runs the cmocka unit tests and the QEMU
# end-to-end tests.  .ci/run runs exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tests/deps.sh || { echo "run-all: installing dependencies failed"; exit 1; }
start=$(date +%s)
make -j2 all || { echo "run-all: build failed"; exit 1; }

# The kernel the end-to-end tests boot also feeds the bzImage parser's
# real-kernel unit test.
kroot=$(examples/fetch-kernel.sh) || { echo "run-all: fetching Debian's kernel failed"; exit 1; }
BOOTINST_TEST_KERNEL=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
export BOOTINST_TEST_KERNEL

status=0
make architecture || status=1
make unit || status=1
make fuzz-replay || status=1
make e2e || status=1
echo "run-all: $(( $(date +%s) - start ))s in all"
exit $status
