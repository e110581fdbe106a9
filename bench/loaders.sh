# loaders.sh - sourced by bench/run.sh: puts each benchmarked boot loader on
# its own copy of the benchmark image, the way a user of that loader would,
# and says which QEMU options boot it.
#
# Every install_<variant> function takes IMAGE (a copy of the base image:
# MBR partition table, partition 1 at $PART_START, ext2 holding
# /boot/vmlinuz and /boot/initrd.img) and prints one line
#     FILE_COUNT FILE_BYTES
# the files the loader needs in the filesystem besides the kernel and the
# initrd.  Their progress goes to stderr.
#
# Needs from the caller: REPO, WORK, PART_START, PART_SECTORS, FS_OFFSET,
# CMDLINE, KERNEL_FILE, INITRD_FILE.

# The kernel and initrd paths inside the image, the same for every loader.
IMAGE_KERNEL=/boot/vmlinuz
IMAGE_INITRD=/boot/initrd.img

# bootinst: the command under test, as its README says to use it.
install_bootinst() {
	local image=$1

	"$REPO/bootinst" install "$image" --kernel "$IMAGE_KERNEL" --initrd "$IMAGE_INITRD" \
		--cmdline "$CMDLINE" >&2
	echo "0 0"
}

# bootinst reading through the BIOS only (install --bios-disk): the stage as
# it was before the native disk path, to measure that path against.
install_bootinst-bios() {
	local image=$1

	"$REPO/bootinst" install "$image" --kernel "$IMAGE_KERNEL" --initrd "$IMAGE_INITRD" \
		--cmdline "$CMDLINE" --bios-disk >&2
	echo "0 0"
}

# GRUB 2, laid out as grub-install lays it out on a BIOS/MBR disk: boot.img's
# code in the MBR, core.img (diskboot + kernel + the modules that reach the
# filesystem: biosdisk part_msdos ext2) in the post-MBR gap, and the rest in
# /boot/grub: grub.cfg and the modules normal mode and the `linux` command
# load at boot, with the *.lst files normal mode reads to autoload commands.
#
# grub-bios-setup ships in Debian's grub-pc, whose maintainer scripts want to
# install GRUB on the machine's own disk, so the two writes it would do are
# done here with dd.  Both images already hold what setup would patch for
# this layout: boot.img's kernel_sector (offset 0x5c) is 1 and its
# boot_drive (0x64) is 0xff, "use the drive in DL"; grub-mkimage writes
# core.img's first blocklist (the last 12 bytes of its first sector) as
# "start at LBA 2, core sectors - 1 sectors, to 0x820:0", which is where
# core.img continues when its first sector is at LBA 1.
install_grub() {
	local image=$1
	local mods=/usr/lib/grub/i386-pc
	local cfg=$WORK/grub.cfg core=$WORK/grub-core.img cmds=$WORK/grub-debugfs.cmds
	local bytes=0 count=0 module file

	# The prefix names the partition explicitly: grub-install would embed a
	# search by UUID instead, which reads more; this is GRUB's shortest path.
	grub-mkimage -O i386-pc -o "$core" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2
	local core_sectors=$(( ($(stat -c %s "$core") + 511) / 512 ))
	if [ $(( core_sectors + 1 )) -gt "$PART_START" ]; then
		echo "bench: grub: core.img needs $core_sectors sectors, the gap has $(( PART_START - 1 ))" >&2
		return 1
	fi

	cat >"$cfg" <<-EOF
		linux $IMAGE_KERNEL $CMDLINE
		initrd $IMAGE_INITRD
		boot
	EOF
	{
		echo "mkdir /boot/grub"
		echo "mkdir /boot/grub/i386-pc"
		echo "write $cfg /boot/grub/grub.cfg"
		for module in $(grub_module_closure normal linux); do
			echo "write $mods/$module.mod /boot/grub/i386-pc/$module.mod"
		done
		for file in "$mods"/*.lst; do
			echo "write $file /boot/grub/i386-pc/${file##*/}"
		done
	} >"$cmds"
	debugfs -w -f "$cmds" "$image?offset=$FS_OFFSET" >/dev/null 2>"$WORK/grub-debugfs.log" ||
		{ cat "$WORK/grub-debugfs.log" >&2; return 1; }

	dd if="$mods/boot.img" of="$image" bs=440 count=1 conv=notrunc status=none
	dd if="$core" of="$image" bs=512 seek=1 conv=notrunc status=none

	while read -r _ file _; do
		bytes=$(( bytes + $(stat -c %s "$file") ))
		count=$(( count + 1 ))
	done < <(grep '^write ' "$cmds")
	echo "$count $bytes"
}

# The modules NAMES need, from GRUB's own dependency list (moddep.lst lines
# read "module: dependency ..."), names first, each once.
grub_module_closure() {
	local todo=("$@") seen=" " module

	while [ ${#todo[@]} -gt 0 ]; do
		module=${todo[0]}
		todo=("${todo[@]:1}")
		case $seen in *" $module "*) continue ;; esac
		seen="$seen$module "
		todo+=($(awk -F': *' -v m="$module" '$1 == m { print $2 }' /usr/lib/grub/i386-pc/moddep.lst))
	done
	echo $seen
}

# EXTLINUX, installed as its documentation says: `extlinux --install` on the
# mounted filesystem writes the partition's boot sector and ldlinux.sys
# (whose sectors it records in that boot sector) and ldlinux.c32; SYSLINUX's
# own MBR code (mbr.bin, 440 bytes) loads the active partition's boot
# sector.  make-disk.sh already marks partition 1 active.  Mounting needs
# root: a loop device over the partition's byte range.
install_extlinux() {
	local image=$1
	local mnt loop bytes=0 count=0 file

	mnt=$(mktemp -d "$WORK/extlinux-mnt.XXXXXX")
	loop=$(losetup --find --show --offset "$FS_OFFSET" --sizelimit $(( PART_SECTORS * 512 )) "$image")
	if ! mount -t ext2 "$loop" "$mnt"; then
		losetup -d "$loop"
		return 1
	fi
	# Undo the mount and the loop device however the install below ends.
	local status=0
	{
		mkdir -p "$mnt/boot/extlinux" &&
		extlinux --install "$mnt/boot/extlinux" &&
		cat >"$mnt/boot/extlinux/extlinux.conf" <<-EOF &&
			DEFAULT linux
			PROMPT 0
			TIMEOUT 0
			LABEL linux
			  LINUX $IMAGE_KERNEL
			  INITRD $IMAGE_INITRD
			  APPEND $CMDLINE
		EOF
		for file in "$mnt"/boot/extlinux/*; do
			bytes=$(( bytes + $(stat -c %s "$file") ))
			count=$(( count + 1 ))
		done
	} >&2 || status=1
	umount "$mnt"
	losetup -d "$loop"
	rmdir "$mnt"
	[ $status = 0 ] || return 1

	dd if=/usr/lib/syslinux/mbr/mbr.bin of="$image" bs=440 count=1 conv=notrunc status=none
	echo "$count $bytes"
}

# QEMU's direct boot: no loader on the disk at all.  QEMU's linuxboot_dma
# option ROM copies the same kernel and initrd from the host over fw_cfg;
# the disk is still attached so the machine is the same as the others'.
install_direct() {
	echo "0 0"
}

# The QEMU options that make VARIANT boot from IMAGE on DISK: ide (the pc
# machine's PIIX IDE), q35 (the q35 machine, whose default disk is on its
# AHCI controller) or virtio (virtio-blk).
qemu_boot_args() {
	local variant=$1 image=$2 disk=$3
	local drive="file=$image,format=raw"

	[ "$disk" = virtio ] && drive="$drive,if=virtio"
	[ "$disk" = q35 ] && printf '%s\n' -M q35
	printf '%s\n' -drive "$drive"
	if [ "$variant" = direct ]; then
		printf '%s\n' -kernel "$KERNEL_FILE" -initrd "$INITRD_FILE" -append "$CMDLINE"
	fi
}
