/*
 * root.c - which device root= names, and what that device holds.
 *
 * The kernel turns root= into a device number itself (init/do_mounts.c
 * name_to_dev_t up to Linux 6.4, block/early-lookup.c early_lookup_bdev
 * since): "/dev/NAME" for a disk or partition the kernel has named,
 * "PARTUUID=" (the partition table's id of a partition), "PARTLABEL=" (GPT
 * only), or a number, "MAJOR:MINOR" or hexadecimal.  It does not know
 * filesystem UUIDs or labels: root=UUID= and root=LABEL= work only when an
 * initramfs resolves them (udev/blkid), as do /dev/disk/by-* names.
 *
 * The image has the first name of its kind: /dev/sda when the disk is IDE
 * (libata names IDE disks like SCSI ones), SATA or SCSI, /dev/vda under
 * virtio, /dev/nvme0n1 on NVMe (bus.c).  Which kind is the machine's
 * choice: --bus says it, else the kind root= names is taken as meant.  A
 * name of a second disk (sdb, nvme1n1) is a disk the image cannot see:
 * N01, a warning, never an error.  What the partition holds is rootfs.c's.
 */
#include "parts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "disk/partfs.h"

#define MBR_TYPE_EXTENDED     0x05      /* extended partition, CHS */
#define MBR_TYPE_EXTENDED_LBA 0x0f
#define MBR_TYPE_EXTENDED_LNX 0x85

/* Device numbers with fixed meaning (Documentation/admin-guide/devices.txt). */
#define MAJOR_IDE0      3     /* hda..: the old IDE driver's */
#define MAJOR_IDE1      22
#define MAJOR_SCSI_DISK 8     /* sda..: 16 minors a disk, partitions 1-15 */


/* --- findings ------------------------------------------------------------ */

struct finding *root_report(struct findings *out, enum finding_severity severity, enum diag_id id,
			    const char *name, const char *path, uint64_t value, const char *hint)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, id);
	d.name = name;
	d.path = path;
	d.value = value;
	item = findings_add(out, severity, &d, "root=");
	if (hint)
		finding_hint(item, "%s", hint);
	return item;
}

struct finding *root_not_found(const struct predict_input *in, struct finding *item)
{
	if (!in->initrd)
		finding_kernel_says(item, "%s", KERNEL_SAYS_NO_ROOT);
	return item;
}

struct finding *root_cannot_tell(struct findings *out, enum finding_severity severity,
				 const char *question, const char *spec, const char *verb,
				 const char *why, const char *hint)
{
	char name[128];

	snprintf(name, sizeof(name), "%s root=%.100s %s", question, spec, verb);
	return root_report(out, severity, DIAG_CANNOT_TELL, name, why, 0, hint);
}

/* N01 about root=: where it is, which the image cannot tell, with why. */
static struct finding *cannot_tell(struct findings *out, enum finding_severity severity,
				   const char *spec, const char *why, const char *hint)
{
	return root_cannot_tell(out, severity, "where", spec, "is", why, hint);
}

/* --- by partition number -------------------------------------------------- */

static int has_extended_partition(const struct disk_image *img)
{
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		uint8_t t = img->part[i].type;
		if (img->part[i].used &&
		    (t == MBR_TYPE_EXTENDED || t == MBR_TYPE_EXTENDED_LBA || t == MBR_TYPE_EXTENDED_LNX))
			return 1;
	}
	return 0;
}

/* Partition n of this disk, named by spec: 1..4 when the table has it, else
 * 0 with a finding (L01, L03 for the whole disk, N01 for logical ones). */
static unsigned partition_or_report(const struct predict_input *in, const char *spec, unsigned n,
				    struct findings *out)
{
	const struct disk_image *img = in->img;

	if (n == 0) {
		root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_NOT_MOUNTABLE, spec,
				   "it is the whole disk, which starts with the partition table; name a partition, such as /dev/sda1",
				   0, NULL));
		return 0;
	}
	if (n > MBR_PART_ENTRIES && has_extended_partition(img)) {
		/* Logical partitions live in the extended partition's own chain
		 * of tables, which image.h does not read. */
		cannot_tell(out, FINDING_NOTE, spec,
			    "it is a logical partition inside the extended one, and bootinst reads only the primary table",
			    NULL);
		return 0;
	}
	if (n > MBR_PART_ENTRIES || !img->part[n - 1].used) {
		root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_NO_PARTITION, spec, NULL, n, NULL));
		return 0;
	}
	return n;
}

/* --- by /dev name ---------------------------------------------------------- */

struct disk_name {
	const char *prefix;
	enum root_disk disk;
	int numbered;          /* nvme0n1, mmcblk0: a number and a 'p' before the partition */
};

/* Longest prefix first where one is a prefix of another (xvd before vd). */
static const struct disk_name disk_names[] = {
	{ "sd",     ROOT_DISK_SD,   0 },
	{ "xvd",    ROOT_DISK_XVD,  0 },
	{ "vd",     ROOT_DISK_VD,   0 },
	{ "hd",     ROOT_DISK_UNKNOWN, 0 },   /* the old IDE driver's names */
	{ "nvme",   ROOT_DISK_NVME, 1 },
	{ "mmcblk", ROOT_DISK_MMC,  1 },
};

/* Parse "<disk><partition>" after a known prefix: letters ("a", "b", "aa")
 * or, for numbered names, "0n1" / "0" then "p".  Returns 0 when name is not
 * of that form; *first says whether it is the first disk of its kind. */
static int parse_disk_name(const char *rest, int numbered, int *first, unsigned *partition)
{
	char *end;

	if (numbered) {
		unsigned long disk = strtoul(rest, &end, 10);
		if (end == rest)
			return 0;
		*first = disk == 0;
		rest = end;
		if (*rest == 'n') {              /* NVMe namespace, the first is 1 */
			unsigned long ns = strtoul(rest + 1, &end, 10);
			if (end == rest + 1)
				return 0;
			*first = *first && ns == 1;
			rest = end;
		}
		if (*rest == 'p')
			rest++;
		else if (*rest)
			return 0;
	} else {
		const char *letters = rest;
		while (*rest >= 'a' && *rest <= 'z')
			rest++;
		if (rest == letters)
			return 0;
		*first = rest - letters == 1 && *letters == 'a';
	}
	if (!*rest) {
		*partition = 0;
		return 1;
	}
	if (!isdigit((unsigned char)*rest))
		return 0;
	*partition = (unsigned)strtoul(rest, &end, 10);
	return *end == '\0';
}

/*
 * A disk name of kind disk, first or not of its kind: this disk's name on
 * the machine's bus, or another disk's.  Returns 1 when it is this disk
 * (root->disk set), 0 with a finding.
 */
static int this_disk(const struct predict_input *in, const char *spec, enum root_disk disk, int first,
		     struct root_fs *root, struct findings *out)
{
	const struct bus *bus = bus_info(in->bus);
	char why[300];

	if (bus && bus->disk != disk) {
		char first_partition[32];

		snprintf(first_partition, sizeof(first_partition), bus->partition_fmt, 1u);
		snprintf(why, sizeof(why), "the disk is %s (--bus %s), which the kernel calls %s (its first "
			 "partition %s)", bus->machine, bus->name, bus->disk_name, first_partition);
		root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_DEVICE_NAME, spec, why, 0, NULL));
		return 0;
	}
	if (!first) {
		root->disk = disk;      /* another disk, but of this kind: drivers.c still asks */
		snprintf(why, sizeof(why), "it names another disk than the first of its kind, and this image is %s",
			 bus ? bus->disk_name : disk == ROOT_DISK_VD ? "/dev/vda" : disk == ROOT_DISK_NVME ? "/dev/nvme0n1"
			 : disk == ROOT_DISK_SD ? "/dev/sda" : "the first");
		root_not_found(in, cannot_tell(out, FINDING_WARNING, spec, why,
					"right if the machine has that other disk; if this image is its only disk, the kernel will not find the root"));
		return 0;
	}
	root->disk = disk;
	return 1;
}

static unsigned resolve_dev_name(const struct predict_input *in, const char *spec,
				 struct root_fs *root, struct findings *out)
{
	const char *name = spec + strlen("/dev/");
	unsigned partition;
	int first;

	for (unsigned i = 0; i < sizeof(disk_names) / sizeof(disk_names[0]); i++) {
		const struct disk_name *dn = &disk_names[i];
		size_t len = strlen(dn->prefix);

		if (strncmp(name, dn->prefix, len) != 0 ||
		    !parse_disk_name(name + len, dn->numbered, &first, &partition))
			continue;
		if (strcmp(dn->prefix, "hd") == 0) {
			root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_DEVICE_NAME, spec,
					   "the kernel has no /dev/hd* disks since its old IDE driver was removed (Linux 5.14): libata names IDE disks /dev/sd*, so this image is /dev/sda",
					   0, NULL));
			return 0;
		}
		if (!this_disk(in, spec, dn->disk, first, root, out))
			return 0;
		return partition_or_report(in, spec, partition, out);
	}
	/* /dev/nfs, /dev/ram0, /dev/md0, /dev/mapper/...: not a partition of
	 * this disk, or one that something other than the table makes. */
	cannot_tell(out, FINDING_NOTE, spec,
		    "it is not a partition of this disk by any name bootinst knows (sdX, vdX, xvdX, nvme0n1pN, mmcblk0pN)",
		    "the root filesystem, init and /dev/console are not checked");
	return 0;
}

/* root=MAJOR:MINOR or root=HEX (new_decode_dev: 12-bit major, 20-bit minor). */
static unsigned resolve_dev_number(const struct predict_input *in, const char *spec,
				   struct root_fs *root, struct findings *out)
{
	unsigned long major, minor, dev;
	char *end;

	major = strtoul(spec, &end, 10);
	if (end != spec && *end == ':') {
		minor = strtoul(end + 1, &end, 10);
	} else {
		dev = strtoul(spec, &end, 16);
		major = (dev & 0xfff00) >> 8;
		minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	}
	if (end == spec || *end) {
		root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_DEVICE_NAME, spec,
				   "the kernel reads a root= without /dev/, PARTUUID= or a colon as a hexadecimal device number, and this is none",
				   0, NULL));
		return 0;
	}
	if (major == MAJOR_IDE0 || major == MAJOR_IDE1) {
		root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_DEVICE_NAME, spec,
				   "that is an old IDE driver's device (/dev/hd*), which the kernel no longer has; libata calls this image /dev/sda (8:1 for its first partition)",
				   0, NULL));
		return 0;
	}
	if (major != MAJOR_SCSI_DISK) {
		cannot_tell(out, FINDING_NOTE, spec,
			    "only the SCSI disk numbers (major 8) are fixed; virtio and NVMe numbers are given out at boot",
			    "the root filesystem, init and /dev/console are not checked");
		return 0;
	}
	if (!this_disk(in, spec, ROOT_DISK_SD, minor / 16 == 0, root, out))
		return 0;
	return partition_or_report(in, spec, minor % 16, out);
}

/* --- by identity: PARTUUID=, UUID=, LABEL= --------------------------------- */

static uint32_t disk_signature(const struct disk_image *img)
{
	const uint8_t *s = img->sector0 + MBR_DISK_SIGNATURE_OFF;

	return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

/*
 * An MBR partition's PARTUUID is "SSSSSSSS-NN": the disk signature and the
 * partition number, in hex (block/partitions/msdos.c).  The kernel compares
 * only as many characters as root= gives, ignoring case, and takes the first
 * match (match_dev_by_uuid); "/PARTNROFF=N" then moves N partitions on.
 *
 * A PARTUUID that is not this disk's may be another disk's: N01 as a
 * warning, not an error, since the machine may have more disks than this
 * image.  One with this disk's signature but a partition the table lacks
 * can be nothing else: L01.
 */
static unsigned resolve_partuuid(const struct predict_input *in, const char *spec,
				 struct findings *out)
{
	char want[64], id[16], why[200];
	const char *value = spec + strlen("PARTUUID="), *offset_arg;
	uint32_t signature = disk_signature(in->img);
	long offset = 0;
	size_t len;

	snprintf(want, sizeof(want), "%s", value);
	offset_arg = strstr(value, "/PARTNROFF=");
	if (offset_arg) {
		want[offset_arg - value] = '\0';
		offset = strtol(offset_arg + strlen("/PARTNROFF="), NULL, 10);
	}
	len = strlen(want);
	for (unsigned n = 1; n <= MBR_PART_ENTRIES && len; n++) {
		snprintf(id, sizeof(id), "%08x-%02x", signature, n);
		if (!in->img->part[n - 1].used || len > strlen(id) || strncasecmp(id, want, len) != 0)
			continue;
		if (n + offset < 1)
			break;
		return partition_or_report(in, spec, (unsigned)(n + offset), out);
	}
	snprintf(id, sizeof(id), "%08x", signature);
	if (len >= 11 && strncasecmp(id, want, 8) == 0 && want[8] == '-') {
		unsigned long n = strtoul(want + 9, NULL, 16);
		return partition_or_report(in, spec, (unsigned)(n + offset), out);
	}
	snprintf(why, sizeof(why),
		 "no partition of this disk has it (its disk signature is %08x, so its partitions are %08x-01 to %08x-04); the kernel will look on other disks",
		 signature, signature, signature);
	root_not_found(in, cannot_tell(out, FINDING_WARNING, spec, why,
				"right if the machine has that other disk; if this image is its only disk, the kernel will not find the root"));
	return 0;
}

static unsigned resolve_fs_identity(const struct predict_input *in, const char *spec,
				    int by_label, const char *want, struct findings *out)
{
	char known[256] = "";
	struct partition_probe probe;
	size_t used = 0;

	for (unsigned n = 1; n <= MBR_PART_ENTRIES; n++) {
		if (!in->img->part[n - 1].used)
			continue;
		probe_partition(in->img, n, &probe);
		if (!probe.uuid[0] && !probe.label[0])
			continue;
		if (by_label ? strcmp(probe.label, want) == 0 : strcasecmp(probe.uuid, want) == 0)
			return n;
		if (used < sizeof(known))
			used += (size_t)snprintf(known + used, sizeof(known) - used, "%spartition %u (%s): UUID=%s%s%s",
						 used ? "; " : "", n, probe.type, probe.uuid,
						 probe.label[0] ? " LABEL=" : "", probe.label);
	}
	cannot_tell(out, FINDING_WARNING, spec,
		    by_label ? "no filesystem on this disk has that label; the initramfs will look on other disks"
			     : "no filesystem on this disk has that UUID; the initramfs will look on other disks",
		    known[0] ? known : "this disk has no filesystem with a UUID or a label");
	return 0;
}

/* --- root= ------------------------------------------------------------------ */

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Names only an initramfs understands: the kernel's lookup fails on them. */
static int needs_initramfs(const struct predict_input *in, const char *spec, struct findings *out)
{
	if (in->initrd)
		return 0;
	root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_DEVICE_NAME, spec,
			   starts_with(spec, "/dev/disk/")
				   ? "/dev/disk/by-* links are made by udev, which runs only in an initramfs; the kernel alone knows /dev/sdXN, PARTUUID= and MAJOR:MINOR"
				   : "the kernel resolves only /dev/NAME, PARTUUID= and MAJOR:MINOR itself; UUID= and LABEL= need an initramfs (udev or blkid)",
			   0, "give an initramfs with --initrd, or name the partition, e.g. root=/dev/sda1"));
	return 1;
}

static unsigned resolve_root(const struct predict_input *in, const char *spec,
			     struct root_fs *root, struct findings *out)
{
	static const struct { const char *prefix; int by_label; } identities[] = {
		{ "UUID=", 0 }, { "LABEL=", 1 },
		{ "/dev/disk/by-uuid/", 0 }, { "/dev/disk/by-label/", 1 },
	};
	char partuuid[PREDICT_ARG_MAX + 16];

	if (starts_with(spec, "PARTUUID="))
		return resolve_partuuid(in, spec, out);
	if (starts_with(spec, "/dev/disk/by-partuuid/")) {
		if (needs_initramfs(in, spec, out))
			return 0;
		snprintf(partuuid, sizeof(partuuid), "PARTUUID=%s", spec + strlen("/dev/disk/by-partuuid/"));
		return resolve_partuuid(in, partuuid, out);
	}
	if (starts_with(spec, "PARTLABEL=")) {
		root_not_found(in, cannot_tell(out, FINDING_WARNING, spec,
					"PARTLABEL= names GPT partitions, and this disk has an MBR table, whose partitions have no names; the kernel will look on other disks",
					NULL));
		return 0;
	}
	for (unsigned i = 0; i < sizeof(identities) / sizeof(identities[0]); i++) {
		if (!starts_with(spec, identities[i].prefix))
			continue;
		if (needs_initramfs(in, spec, out))
			return 0;
		return resolve_fs_identity(in, spec, identities[i].by_label,
					   spec + strlen(identities[i].prefix), out);
	}
	if (starts_with(spec, "/dev/"))
		return resolve_dev_name(in, spec, root, out);
	return resolve_dev_number(in, spec, root, out);
}

void predict_root(const struct predict_input *in, const struct kernel_args *args,
		  struct root_fs *root, struct findings *out)
{
	memset(root, 0, sizeof(*root));
	if (!args->has_root || !args->root[0]) {
		/* The boot protocol's root_dev field would be the fallback, but
		 * no bzImage built since rdev went (Linux 2.6) sets it: the
		 * kernel panics with 'Cannot open root device ""': L11, whose
		 * fix says how to name the disk (L02 is for a name that is
		 * wrong, L01 for a partition that is missing). */
		/* An initramfs that is the whole system needs none; one that
		 * hands over to a root (initramfs-tools, dracut, a busybox
		 * switch_root script) stops without it. */
		if (in->initrd)
			root_report(out, FINDING_WARNING, DIAG_CANNOT_TELL, "which filesystem is the root",
			       "the command line has no root=, so the initramfs decides: one that mounts a root "
			       "and switches to it (initramfs-tools, dracut, a switch_root script) stops here", 0,
			       "add root=/dev/sda1 (or the root's partition) unless the initramfs is the whole system");
		else
			root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_NOT_GIVEN, NULL,
					   "the kernel has no root device to mount, and no initramfs is given to find one",
					   0, NULL));
		return;
	}
	root->partition = resolve_root(in, args->root, root, out);
}
