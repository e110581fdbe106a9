#!/usr/bin/env bash
# fetch-kernel.sh — Debian's cloud kernel, unpacked, as a normal user: for
# bootinst's examples (README.md, "From nothing to a busybox shell") and
# its end-to-end tests.
#
# Usage: fetch-kernel.sh [CACHE_DIR]
#
#   CACHE_DIR  default ${BOOTINST_CACHE:-<repo>/.cache} (git-ignored)
#
# Prints one line: the unpacked root, e.g.
#   <cache>/kernel/linux-image-6.1.0-56-cloud-amd64_6.1.192-2/root
# which holds boot/vmlinuz-<version>, boot/config-<version> and
# lib/modules/<version>/ with a modules.dep (Debian generates modules.dep
# in the package's postinst, so the .deb has none; we run busybox depmod).
#
# The metapackage linux-image-cloud-amd64 is resolved with apt-cache depends
# to the real linux-image-<abi>-cloud-amd64 package, which is fetched with
# apt-get download and unpacked with dpkg-deb -x (no root needed, nothing
# installed). A second run uses the cache and touches no network; delete
# <cache>/kernel to fetch again. apt-get update runs only when the package
# lists are missing (a fresh machine), and needs root then.
set -euo pipefail

metapackage=linux-image-cloud-amd64
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-${BOOTINST_CACHE:-$repo/.cache}}
kernel_cache=$cache/kernel
current=$kernel_cache/current

die() {
	echo "fetch-kernel.sh: $*" >&2
	exit 1
}

# A complete unpack has the kernel and our generated modules.dep; the
# "current" file is written last, so an interrupted run is redone.
root_is_complete() {
	local root=$1
	compgen -G "$root/boot/vmlinuz-*" >/dev/null &&
		compgen -G "$root/lib/modules/*/modules.dep" >/dev/null
}

mkdir -p "$kernel_cache"
# Two test jobs may fetch at once; the second waits and then finds the cache.
exec 9>"$kernel_cache/.lock"
flock 9

if [ -s "$current" ]; then
	root=$kernel_cache/$(cat "$current")/root
	if root_is_complete "$root"; then
		echo "$root"
		exit 0
	fi
fi

# apt runs its downloads as the unprivileged _apt user; as root (CI) it
# cannot write into a cache owned by someone else and warns "Download is
# performed unsandboxed as root". Running the download as root on purpose
# says so and silences the warning.
apt_opts=()
if [ "$(id -u)" = 0 ]; then
	apt_opts+=(-o APT::Sandbox::User=root)
fi

lists_updated=0
update_lists_once() {
	[ "$lists_updated" = 0 ] || return 1
	lists_updated=1
	[ "$(id -u)" = 0 ] ||
		die "apt has no package lists for $metapackage and only root can run apt-get update"
	echo "fetch-kernel.sh: no usable package lists; running apt-get update" >&2
	apt-get -qq "${apt_opts[@]}" update </dev/null >&2 || die "apt-get update failed"
}

# "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64".
resolve_package() {
	apt-cache depends "$metapackage" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\)$/\1/p' | head -n 1 || true
}

package=$(resolve_package)
if [ -z "$package" ]; then
	update_lists_once
	package=$(resolve_package)
	[ -n "$package" ] || die "apt-cache depends $metapackage names no linux-image-*-cloud-amd64 package"
fi

debs=$kernel_cache/debs
mkdir -p "$debs"
download() {
	(cd "$debs" && apt-get -qq "${apt_opts[@]}" download "$package" </dev/null >&2)
}
if ! download; then
	update_lists_once || die "apt-get download $package failed"
	download || die "apt-get download $package failed after apt-get update"
fi

# apt-get download names the file package_version_arch.deb, with the
# version's epoch colon written as %3a.
deb=$(ls -t "$debs/${package}"_*.deb | head -n 1)
name=$(basename "$deb" _amd64.deb)
dest=$kernel_cache/$name
rm -rf "$dest.partial"
mkdir -p "$dest.partial/root"
dpkg-deb -x "$deb" "$dest.partial/root"

# modules.dep maps each module to everything it needs; make-initramfs.sh
# reads it to load the disk drivers in dependency order.
version=$(basename "$(ls -d "$dest.partial/root/lib/modules/"*)")
busybox depmod -b "$dest.partial/root" "$version" ||
	die "busybox depmod failed for $version"

rm -rf "$dest"
mv "$dest.partial" "$dest"
root_is_complete "$dest/root" || die "$deb: no boot/vmlinuz-* or lib/modules/*/ after unpacking"
echo "$name" >"$current.new"
mv "$current.new" "$current"
echo "$dest/root"
