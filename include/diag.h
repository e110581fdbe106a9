/*
 * diag.h - the one catalog of every failure bootinst can meet, and the
 * detail record that carries the numbers involved.
 *
 * Each entry: identifier, stable code, the GRUB Legacy error number(s) a user
 * may know it by ("" if none), who meets it (below), a one-line message
 * template and a fix.  The stage prints these at boot, `bootinst check`
 * reports them offline and the README's table lists them: same failure, same
 * code, same words.
 *
 * Who meets it: DIAG_AT_STAGE failures are printed by the stage at boot (and
 * predicted by `bootinst check`); DIAG_AT_BOOT ones by the stage too, but
 * they depend on the machine (its A20 gate, its disk controller), which
 * nothing offline can see; DIAG_AT_MBR ones by the MBR code, as the short
 * code alone; DIAG_AT_HOST ones only by `bootinst` on the host.  The stage
 * build carries the words of its own entries only.
 *
 * Message templates take the numbers from struct diag through placeholders,
 * expanded by diag_format() (stage1/diag_format.c):
 *   {path}  file being read or looked up     {name}  a word: feature, reason
 *   {value} a number                          {limit} the bound it broke
 *   {block} a block or sector number          {hex}   value in hex, an even
 *                                                     number of digits (01, 0201)
 *   {status} ": BIOS status 0x" and value in hex, or nothing when value is 0
 *            (offline, where no BIOS answered)
 */
#ifndef BOOTINST_DIAG_H
#define BOOTINST_DIAG_H

#include <stdint.h>
#include <stddef.h>

#define BOOTINST_DIAG_CATALOG(X) \
X(DIAG_OK, "OK", "", DIAG_AT_HOST, \
  "no error", \
  "nothing to do") \
X(DIAG_PART_TABLE_INVALID, "E05", "5", DIAG_AT_HOST, \
  "{name}: bootinst boots only from a valid DOS (MBR) partition table", \
  "make a DOS table (sfdisk --label dos), or repair this one (sfdisk --verify IMAGE shows what is wrong), then run bootinst install again") \
X(DIAG_NO_PARTITION, "E22", "22", DIAG_AT_STAGE, \
  "partition {value} is missing or has changed since install (recorded start {block}, {limit} sectors)", \
  "run bootinst install again so the stage records the current partition (if the partition shrank below its filesystem, remake the filesystem first)") \
X(DIAG_STAGE_MISMATCH, "E06", "6", DIAG_AT_STAGE, \
  "the stage is damaged or does not match the MBR code: {name}", \
  "run bootinst install again; something else wrote to the sectors after the MBR") \
X(DIAG_NOT_EXT2, "E17", "17", DIAG_AT_STAGE, \
  "cannot mount the partition: {name}", \
  "make an ext2/3/4 filesystem on it (mke2fs), or pick the right partition with --partition") \
X(DIAG_UNSUPPORTED_FEATURE, "E17F", "17", DIAG_AT_STAGE, \
  "cannot mount the partition: it uses the filesystem feature {name} (incompat 0x{hex}), which bootinst cannot read", \
  "turn it off (tune2fs -O ^FEATURE) or make the filesystem with mke2fs defaults") \
X(DIAG_FS_INCONSISTENT, "E16", "16", DIAG_AT_STAGE, \
  "inconsistent filesystem structure: {name} ({value}, limit {limit}) while reading {path}", \
  "run e2fsck -f on the partition") \
X(DIAG_FILE_NOT_FOUND, "E15", "15", DIAG_AT_STAGE, \
  "file not found: {path}", \
  "copy the file into the filesystem, or give its path with --kernel / --initrd or in /boot/bootinst.cfg") \
X(DIAG_BAD_FILE_TYPE, "E02", "2", DIAG_AT_STAGE, \
  "{path} is not a {name}", \
  "point the path at a regular file (and its parents at directories)") \
X(DIAG_TOO_MANY_SYMLINKS, "E26", "26", DIAG_AT_STAGE, \
  "too many symbolic links (more than {limit}) while looking up {path}", \
  "replace the symlink chain with a direct path") \
X(DIAG_BLOCK_OUTSIDE_PARTITION, "E24", "24", DIAG_AT_STAGE, \
  "block {block} of {path} lies past the end of its partition (it reaches sector {value} of the partition; the last is {limit})", \
  "the filesystem is larger than its partition: remake it with the partition's size (mke2fs ... BLOCKS) or grow the partition") \
X(DIAG_DISK_READ, "E25", "25", DIAG_AT_STAGE, \
  "disk read error at sector {block}{status}", \
  "check the disk image and the drive; with QEMU, check the -drive file and format=raw") \
X(DIAG_CHS_LIMIT, "E18", "18", DIAG_AT_STAGE, \
  "sector {block} is beyond what CHS can reach ({limit} sectors), and the stage reads with CHS: {name}", \
  "move the partition below the CHS limit, or boot with a BIOS that has EDD (and install without --force-chs)") \
X(DIAG_SHORT_READ, "E14", "14", DIAG_AT_STAGE, \
  "cannot read the whole of {path}: got {value} of {limit} bytes", \
  "the file is truncated or damaged: copy it again and run e2fsck") \
X(DIAG_NOT_BZIMAGE, "E13", "13", DIAG_AT_STAGE, \
  "{path} is not a Linux bzImage: {name}", \
  "give --kernel the kernel image itself (arch/x86/boot/bzImage or /boot/vmlinuz-*), not vmlinux or a compressed file") \
X(DIAG_PROTOCOL_TOO_OLD, "E13P", "13", DIAG_AT_STAGE, \
  "{path} uses Linux boot protocol 0x{hex}; bootinst needs 2.02 (0x0202) or newer", \
  "use a kernel newer than 2.4") \
X(DIAG_LOADS_BELOW_1MB, "E07", "7", DIAG_AT_STAGE, \
  "{path} is a zImage that must load below 1 MiB", \
  "build a bzImage (make bzImage) instead of a zImage") \
X(DIAG_NO_MEMORY, "E28", "28", DIAG_AT_STAGE, \
  "{path} does not fit in memory: needs {value} bytes, {limit} available ({name})", \
  "give the machine more RAM (QEMU -m), or use a smaller kernel or initrd") \
X(DIAG_CMDLINE_TOO_LONG, "E40", "", DIAG_AT_STAGE, \
  "the command line is {value} bytes; the kernel accepts at most {limit}", \
  "shorten the command line") \
X(DIAG_CONFIG_SYNTAX, "E41", "1 or 27", DIAG_AT_STAGE, \
  "{path} line {value}: {name}", \
  "fix the line; the file takes 'kernel PATH', 'initrd PATH', 'cmdline TEXT', 'entry NAME', 'default', 'fallback', 'timeout', 'disk bios' lines and # comments") \
X(DIAG_GAP_TOO_SMALL, "I01", "34", DIAG_AT_HOST, \
  "the gap after the MBR is {value} sectors; the stage needs {limit} ({name} at sector {block})", \
  "start the first partition at sector 2048 (what fdisk and sfdisk choose today), then make its filesystem again") \
X(DIAG_GAP_FOREIGN, "I02", "34", DIAG_AT_HOST, \
  "the sectors after the MBR hold data that is not a bootinst stage ({name}, first at sector {block})", \
  "if it is another boot loader (GRUB's core.img lives there), install replaces it with --force --backup FILE, which keeps it for bootinst uninstall to put back") \
X(DIAG_NOT_INSTALLED, "I03", "", DIAG_AT_HOST, \
  "bootinst is not installed on this disk: {name}", \
  "run bootinst install IMAGE") \
X(DIAG_DEVICE_MOUNTED, "I04", "", DIAG_AT_HOST, \
  "{path} is mounted", \
  "unmount it first; --force writes anyway, and the running system may overwrite what install wrote") \
X(DIAG_NO_BOOT_PARTITION, "I05", "", DIAG_AT_HOST, \
  "no partition to boot: none is active and none has the Linux type 0x83", \
  "choose one with --partition N, or mark it bootable (sfdisk --activate IMAGE N)") \
X(DIAG_ROOT_NO_PARTITION, "L01", "", DIAG_AT_HOST, \
  "root={name} names partition {value}, which the partition table does not have", \
  "use root= with a partition that exists (sfdisk -l IMAGE lists them); the kernel would stop with 'VFS: Unable to mount root fs'") \
X(DIAG_ROOT_DEVICE_NAME, "L02", "", DIAG_AT_HOST, \
  "root={name} is not a name the kernel gives this disk: {path}", \
  "name the disk as the kernel will on the machine's controller (/dev/sda for IDE, SATA and SCSI, /dev/vda for virtio, /dev/nvme0n1 for NVMe; bootinst check --bus BUS says it), or use root=PARTUUID=, which the kernel finds on any; otherwise it stops with 'VFS: Unable to mount root fs'") \
X(DIAG_ROOT_NOT_MOUNTABLE, "L03", "", DIAG_AT_HOST, \
  "root={name}: partition {value} holds no filesystem the kernel can mount ({path})", \
  "make a filesystem this kernel mounts on it, or point root= at the partition that holds the root filesystem; otherwise it stops with 'VFS: Unable to mount root fs'") \
X(DIAG_NO_INIT, "L04", "", DIAG_AT_HOST, \
  "no init on the root filesystem: none of {path} exists", \
  "install an init there (busybox: /sbin/init -> /bin/busybox), or name yours with init=; the kernel would stop with 'No working init found'") \
X(DIAG_INIT_NOT_EXECUTABLE, "L05", "", DIAG_AT_HOST, \
  "{path} is not an executable file ({name})", \
  "chmod 755 it, and make sure it is a regular file or a symlink to one; the kernel says 'Starting init: PATH exists but couldn't execute it' and tries the next init") \
X(DIAG_INIT_INTERPRETER_MISSING, "L06", "", DIAG_AT_HOST, \
  "{path} is a dynamically linked program whose interpreter {name} is not on the root filesystem", \
  "copy the dynamic loader and the libraries it needs into the root filesystem, or use a static binary (Debian's busybox-static); exec fails, and the kernel tries the next init") \
X(DIAG_INIT_LIBRARY_MISSING, "L07", "", DIAG_AT_HOST, \
  "{path} needs the library {name}, which is in none of /lib, /lib64, /usr/lib and their x86_64-linux-gnu folders", \
  "copy the library into the root filesystem (ldd shows what a program needs), or use a static binary; the program starts, its loader exits 127, and the kernel stops with 'Attempted to kill init! exitcode=0x00007f00'") \
X(DIAG_SCRIPT_INTERPRETER_MISSING, "L08", "", DIAG_AT_HOST, \
  "{path} is a script for {name}, which is not on the root filesystem", \
  "install the interpreter, or change the #! line; exec fails, and the kernel tries the next init") \
X(DIAG_NO_DEV_CONSOLE, "L09", "", DIAG_AT_HOST, \
  "the root filesystem has no usable /dev/console, where this kernel opens init's console ({name})", \
  "make it: with bootinst mkimage --device-table FILE and the line '/dev/console c 600 0 0 5 1 0 0 -' (no root needed), or as root mknod -m 600 dev/console c 5 1; or boot with an initramfs; otherwise the kernel prints 'Warning: unable to open an initial console'") \
X(DIAG_KERNEL_LACKS_DRIVER, "L10", "", DIAG_AT_HOST, \
  "the kernel has no built-in {name}, and no initramfs is given to load it as a module ({path})", \
  "give an initramfs that loads the module (--initrd), or use a kernel with it built in; otherwise it stops with 'VFS: Unable to mount root fs'") \
X(DIAG_ROOT_NOT_GIVEN, "L11", "", DIAG_AT_HOST, \
  "the command line has no root=: {path}", \
  "add root= naming the root filesystem's partition as the kernel calls it (root=/dev/sda1 on IDE, SATA and SCSI, /dev/vda1 on virtio, /dev/nvme0n1p1 on NVMe, or root=PARTUUID=); otherwise it stops with 'VFS: Unable to mount root fs'") \
X(DIAG_CANNOT_TELL, "N01", "", DIAG_AT_HOST, \
  "cannot tell {name}: {path}", \
  "bootinst check predicts only what it can read from the image: give it what it lacks (the kernel's config-VERSION beside it, --bus), or see on a boot") \
X(DIAG_A20, "E42", "", DIAG_AT_BOOT, \
  "cannot enable the A20 address line (tried the BIOS, port 92h and the keyboard controller)", \
  "this machine cannot address memory above 1 MiB in the usual ways; report it with the machine model") \
X(DIAG_NATIVE_DISK_READ, "E43", "", DIAG_AT_BOOT, \
  "native IDE read at sector {block} failed (ATA error and status 0x{hex}); reading on through the BIOS", \
  "if every boot does this: install --bios-disk, or put 'disk bios' in /boot/bootinst.cfg") \
X(DIAG_MBR_READ, "M25", "25", DIAG_AT_MBR, \
  "the MBR code could not read the stage from disk{status}", \
  "check the disk image; run bootinst check IMAGE") \
X(DIAG_MBR_CHS, "M18", "18", DIAG_AT_MBR, \
  "the BIOS has no INT 13h extensions and the stage is beyond its CHS geometry", \
  "boot with a BIOS that has EDD (any made after 1998, SeaBIOS, QEMU)") \
X(DIAG_MBR_NO_STAGE, "M06", "6", DIAG_AT_MBR, \
  "the MBR code found no bootinst stage of its version after the MBR", \
  "run bootinst install again; another tool overwrote the sectors after the MBR")

enum diag_where {
	DIAG_AT_STAGE,
	DIAG_AT_BOOT,
	DIAG_AT_MBR,
	DIAG_AT_HOST,
};

enum diag_id {
#define BOOTINST_DIAG_ENUM(id, code, grub, where, msg, fix) id,
	BOOTINST_DIAG_CATALOG(BOOTINST_DIAG_ENUM)
#undef BOOTINST_DIAG_ENUM
	DIAG_COUNT
};

/* The numbers a failure is reported with; unset fields stay 0/NULL. */
struct diag {
	enum diag_id id;
	const char *path;
	uint32_t path_len;           /* bytes of path meant, 0 for all of it */
	const char *name;
	uint64_t value;
	uint64_t limit;
	uint64_t block;
};

struct diag_entry {
	const char *code;
	const char *grub;
	enum diag_where where;
	const char *message;
	const char *fix;
};

extern const struct diag_entry diag_catalog[DIAG_COUNT];

/*
 * Expand d's message template into out (always NUL-terminated, truncated to
 * out_size).  Returns the length written.
 */
size_t diag_format_message(const struct diag *d, char *out, size_t out_size);

/* Write v in base 10 or 16 (lower case, no prefix, no NUL) to out, which
 * holds 20 bytes; returns the digits written.  Shared with the console. */
size_t format_u64(uint64_t v, unsigned base, char *out);

/* Set *d to a failure with no numbers yet and return its id. */
enum diag_id diag_set(struct diag *d, enum diag_id id);

#endif
