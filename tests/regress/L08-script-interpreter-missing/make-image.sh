#!/bin/bash
# L08: /sbin/init a script for /bin/bash, which the root does not have.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root_tree
printf '#!/bin/bash\nexec /bin/sh\n' >root/sbin/init
chmod 755 root/sbin/init
probe_disk
install_probe "console=ttyS0 root=/dev/sda1" --force 2>/dev/null
