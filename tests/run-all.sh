#!/bin/bash
# run-all.sh - the whole test suite, from a fresh Debian 12 machine:
# installs what it needs (tests/deps.sh), builds, runs the cmocka unit tests
# and the QEMU end-to-end tests.  .ci/run runs exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tests/deps.sh || { echo "run-all: installing dependencies failed"; exit 1; }
start=$(date +%s)
make -j2 all || { echo "run-all: build failed"; exit 1; }

status=0
make unit || status=1
make e2e || status=1
echo "run-all: $(( $(date +%s) - start ))s in all"
exit $status
