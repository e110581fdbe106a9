#!/bin/bash
# E22: partition 1 shrunk in the table after install.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
installed_probe
resize_partition1 20000
