/*
 * drivers.c - whether the kernel has the drivers the root needs built in
 * (L10).  Without an initramfs nothing can load a module before the root
 * is mounted, so the disk's driver (bus.c: it depends on the controller)
 * and the filesystem's driver must be =y; the kernel's config (kconfig.c)
 * says which are.  When nothing says, that is the risk the user must know:
 * distribution kernels build their disk drivers as modules.
 */
#include "parts.h"

#include <stdio.h>
#include <string.h>

/* Disks that --bus does not name; their name alone says the driver. */
static const struct { enum root_disk disk; struct driver_need need; } other_disks[] = {
	{ ROOT_DISK_XVD, { "XEN_BLKDEV_FRONTEND", "Xen block front end (CONFIG_XEN_BLKDEV_FRONTEND)" } },
	{ ROOT_DISK_MMC, { "MMC_BLOCK", "MMC/SD card driver (CONFIG_MMC_BLOCK)" } },
};

/* Filesystems blkid names and the option of their driver. */
static const struct { const char *type; const char *option; } fs_drivers[] = {
	{ "xfs", "XFS_FS" }, { "btrfs", "BTRFS_FS" }, { "f2fs", "F2FS_FS" },
	{ "squashfs", "SQUASHFS" }, { "erofs", "EROFS_FS" }, { "vfat", "VFAT_FS" },
	{ "iso9660", "ISO9660_FS" }, { "jfs", "JFS_FS" }, { "reiserfs", "REISERFS_FS" },
	{ "ntfs", "NTFS3_FS" }, { "nilfs2", "NILFS2_FS" }, { "bcachefs", "BCACHEFS_FS" },
};

static struct finding *report_driver(struct findings *out, const struct predict_input *in,
				     const struct kernel_config *cfg, enum finding_severity severity,
				     const char *what, const char *said, const char *why)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, DIAG_KERNEL_LACKS_DRIVER);
	d.name = what;
	d.path = cfg->source;
	item = findings_add(out, severity, &d, "%s", in->kernel);
	finding_hint(item, "%s; %s", said, why);
	finding_kernel_says(item, "%s", KERNEL_SAYS_NO_ROOT);
	return item;
}

/* "CONFIG_X=m: a module, which nothing loads without an initramfs". */
static void describe_option(const struct kernel_config *cfg, const char *option, char *out, size_t size)
{
	if (kconfig_value(cfg, option) == 'm')
		snprintf(out, size, "CONFIG_%s=m: a module, which nothing loads before the root is mounted", option);
	else
		snprintf(out, size, "CONFIG_%s is not set: not even as a module", option);
}

/*
 * The filesystem: ext4's driver mounts ext3 and ext4, and ext2 when built
 * with EXT4_USE_FOR_EXT2; ext2's own driver mounts ext2, and ext3 too (it
 * ignores the journal, a compat feature) unless a recovery is pending; the
 * EXT3_FS option of kernels since 4.3 is an alias that selects EXT4_FS
 * (fs/ext4/Kconfig).
 */
static void check_fs_driver(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out)
{
	int ext4 = kconfig_value(cfg, "EXT4_FS") == 'y';
	int ext3 = kconfig_value(cfg, "EXT3_FS") == 'y';
	int ext2 = kconfig_value(cfg, "EXT2_FS") == 'y';
	char said[200], what[120];

	switch (root->probe.content == CONTENT_EXT ? root->kind : EXT_KIND_NONE) {
	case EXT_KIND_EXT2:
		if (ext2 || (ext4 && kconfig_value(cfg, "EXT4_USE_FOR_EXT2") == 'y'))
			return;
		if (ext4)
			snprintf(said, sizeof(said), "CONFIG_EXT2_FS is not =y and CONFIG_EXT4_USE_FOR_EXT2 is not set, so the ext4 driver will not mount ext2");
		else
			describe_option(cfg, "EXT2_FS", said, sizeof(said));
		report_driver(out, in, cfg, FINDING_ERROR,
			      "ext2 filesystem driver (CONFIG_EXT2_FS, or CONFIG_EXT4_FS with CONFIG_EXT4_USE_FOR_EXT2)",
			      said, "the root filesystem is ext2");
		return;
	case EXT_KIND_EXT3:
		if (ext4 || ext3 || ext2)
			return;
		describe_option(cfg, "EXT4_FS", said, sizeof(said));
		report_driver(out, in, cfg, FINDING_ERROR, "ext3 filesystem driver (CONFIG_EXT4_FS or CONFIG_EXT3_FS)",
			      said, "the root filesystem is ext3");
		return;
	case EXT_KIND_EXT4:
		if (ext4)
			return;
		describe_option(cfg, "EXT4_FS", said, sizeof(said));
		report_driver(out, in, cfg, FINDING_ERROR, "ext4 filesystem driver (CONFIG_EXT4_FS)", said,
			      "the root filesystem is ext4");
		return;
	case EXT_KIND_NONE:
		break;
	}
	if (root->probe.content != CONTENT_OTHER_FS)
		return;
	for (size_t i = 0; i < sizeof(fs_drivers) / sizeof(fs_drivers[0]); i++) {
		if (strcmp(root->probe.type, fs_drivers[i].type) || kconfig_value(cfg, fs_drivers[i].option) == 'y')
			continue;
		describe_option(cfg, fs_drivers[i].option, said, sizeof(said));
		snprintf(what, sizeof(what), "%s filesystem driver (CONFIG_%s)", fs_drivers[i].type, fs_drivers[i].option);
		report_driver(out, in, cfg, FINDING_ERROR, what, said, "that is what the root partition holds");
	}
}

/* The first driver bus b lacks, or NULL when it has them all built in. */
static const struct driver_need *missing_on(const struct kernel_config *cfg, const struct bus *b)
{
	for (unsigned i = 0; i < b->count; i++)
		if (kconfig_value(cfg, b->needs[i].option) != 'y')
			return &b->needs[i];
	return NULL;
}

/*
 * The disk's driver.  With --bus, that bus's.  Without, the buses that give
 * the disk the kind of name root= uses (every bus for PARTUUID=): an error
 * when none of them works, a warning naming the ones that do when the first
 * (QEMU's default for /dev/sd*: IDE) does not.
 */
static void check_disk_driver(const struct predict_input *in, const struct kernel_config *cfg,
			      const struct root_fs *root, struct findings *out)
{
	const struct bus *first = NULL, *b;
	const struct driver_need *lack = NULL;
	char said[200], why[300], works[160] = "";
	enum finding_severity severity;
	size_t used = 0;

	for (size_t i = 0; i < sizeof(other_disks) / sizeof(other_disks[0]); i++) {
		if (other_disks[i].disk != root->disk || kconfig_value(cfg, other_disks[i].need.option) == 'y')
			continue;
		describe_option(cfg, other_disks[i].need.option, said, sizeof(said));
		report_driver(out, in, cfg, FINDING_ERROR, other_disks[i].need.what, said, "the root= name says so");
		return;
	}
	for (b = bus_next(NULL); b; b = bus_next(b)) {
		if (in->bus != BUS_UNKNOWN ? b->bus != in->bus
					   : root->disk != ROOT_DISK_UNKNOWN && b->disk != root->disk)
			continue;
		if (!first) {
			first = b;
			lack = missing_on(cfg, b);
		} else if (!missing_on(cfg, b) && used < sizeof(works)) {
			used += (size_t)snprintf(works + used, sizeof(works) - used, "%s%s", used ? ", " : "", b->name);
		}
	}
	if (!first || !lack)
		return;
	if (in->bus != BUS_UNKNOWN) {
		snprintf(why, sizeof(why), "the disk is %s (--bus %s)", first->machine, first->name);
		severity = FINDING_ERROR;
	} else if (!works[0]) {
		snprintf(why, sizeof(why), "the disk is %s%s, and no other bus that names it so has its driver "
			 "built in either", first->machine, root->disk == ROOT_DISK_UNKNOWN ? " (or any other)" : "");
		severity = FINDING_ERROR;
	} else {
		snprintf(why, sizeof(why), "this applies if the disk is %s; it boots where the disk is on: %s "
			 "(bootinst check --bus BUS tells which)", first->machine, works);
		severity = FINDING_WARNING;
	}
	/* every driver that bus lacks: each must be built in */
	for (unsigned i = 0; i < first->count; i++) {
		if (kconfig_value(cfg, first->needs[i].option) == 'y')
			continue;
		describe_option(cfg, first->needs[i].option, said, sizeof(said));
		report_driver(out, in, cfg, severity, first->needs[i].what, said, why);
	}
}

void predict_kernel_drivers(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out)
{
	if (cfg->found != KCONFIG_FILE) {
		struct diag d;
		struct finding *item;

		diag_set(&d, DIAG_CANNOT_TELL);
		d.name = "whether the kernel has the disk's and the filesystem's drivers built in";
		d.path = cfg->source;
		item = findings_add(out, FINDING_WARNING, &d, "%s", in->kernel);
		finding_hint(item, "with no initramfs they must be: distribution kernels build disk drivers as "
			     "modules; give an initramfs (--initrd), or put the kernel's config beside it as "
			     "config-VERSION so bootinst can tell");
		finding_kernel_says(item, "%s", KERNEL_SAYS_NO_ROOT);
		return;
	}
	check_fs_driver(in, cfg, root, out);
	check_disk_driver(in, cfg, root, out);
}
