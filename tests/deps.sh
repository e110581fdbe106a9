#!/bin/bash
# deps.sh - install, from Debian's archive, everything bootinst needs to
# build, test and demo.  Idempotent: does nothing when all are present.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
	make gcc gcc-multilib libc6-dev pkg-config   # host and freestanding i386 builds
	nasm                                          # MBR, stage entry, probe kernel
	libfdisk-dev libext2fs-dev libblkid-dev comerr-dev  # the installer's libraries
	libcmocka-dev                                 # unit tests
	clang libclang-rt-14-dev                      # make fuzz: libFuzzer, ASan, UBSan
	fdisk e2fsprogs                               # sfdisk, mke2fs, debugfs: test images
	qemu-system-x86                               # end-to-end boots
	busybox-static cpio                           # initramfs and root filesystem
	strace                                        # bytes bootinst install reads
	jq python3                                    # check --json read back; keys typed at the boot menu
	libxml2-utils librsvg2-bin                    # bootinst info --svg: xmllint, rsvg-convert
	man-db groff-base                             # bootinst.8 rendered and checked
	dpkg-dev debhelper lintian fakeroot           # the Debian package, built and checked
	dpkg apt                                      # apt-get download, dpkg-deb -x: the kernel
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q </dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
