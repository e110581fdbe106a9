#!/bin/bash
# I03: a good image on which bootinst was never installed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
uninstalled_probe
