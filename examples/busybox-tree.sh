# busybox-tree.sh — sourced by initramfs.sh and busybox-root.sh; not run.
#
#   . examples/busybox-tree.sh
#   busybox_tree_install DIR     # DIR/bin/busybox plus every applet link
#
# Both the initramfs and the root filesystem run Debian's busybox-static:
# one static binary, so neither tree needs a dynamic loader or libraries
# (a dynamic /sbin/init without its interpreter is one of the "No init
# found" causes bootinst diagnoses; the test assets must not hit it by
# accident).

# Where Debian's busybox-static package installs the binary.
BUSYBOX_STATIC=${BUSYBOX_STATIC:-/bin/busybox}

busybox_tree_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# Refuses a dynamic busybox: Debian's "busybox" package (dynamic) and
# "busybox-static" both install /bin/busybox, and only the static one works
# inside a tree that has no /lib. A dynamic ELF has a PT_INTERP program
# header, which readelf prints as "Requesting program interpreter".
busybox_tree_check_static() {
	[ -x "$BUSYBOX_STATIC" ] ||
		busybox_tree_die "$BUSYBOX_STATIC: not found; install Debian's busybox-static package"
	if readelf -l "$BUSYBOX_STATIC" | grep -q 'program interpreter'; then
		busybox_tree_die "$BUSYBOX_STATIC: dynamically linked; install busybox-static instead of busybox"
	fi
}

# Copies busybox to DIR/bin/busybox and makes one relative symlink per applet
# at the path busybox itself reports (--list-full: "sbin/init",
# "usr/bin/od", ...), so scripts in the tree can call applets by name and
# /sbin/init exists for the kernel's init search.
busybox_tree_install() {
	local dir=$1 applet link_dir up slashes
	busybox_tree_check_static
	mkdir -p "$dir/bin"
	cp "$BUSYBOX_STATIC" "$dir/bin/busybox"
	chmod 0755 "$dir/bin/busybox"
	while IFS= read -r applet; do
		[ "$applet" != bin/busybox ] || continue
		# Relative target, one ".." per directory level: "../bin/busybox"
		# from sbin, "../../bin/busybox" from usr/bin, "./bin/busybox" for
		# /linuxrc; the link stays right wherever the tree is mounted.
		up=.
		if [[ $applet == */* ]]; then
			link_dir=${applet%/*}
			[ -d "$dir/$link_dir" ] || mkdir -p "$dir/$link_dir"
			up=..
			slashes=${link_dir//[!\/]/}
			while [ -n "$slashes" ]; do
				up=$up/..
				slashes=${slashes#/}
			done
		fi
		ln -sf "$up/bin/busybox" "$dir/$applet"
	done < <("$BUSYBOX_STATIC" --list-full)
}
