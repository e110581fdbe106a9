/*
 * drivers.c - whether the kernel has the drivers the root needs built in
 * (L10).  Without an initramfs nothing can load a module before the root
 * is mounted, so the root's disk driver and filesystem driver must be =y;
 * the kernel's config (kconfig.c) says which are.
 */
#include "parts.h"

#include <stdio.h>

struct driver_need {
	const char *what;      /* the finding's name: "... (CONFIG_X)" */
	const char *option;    /* without CONFIG_ */
	const char *why;       /* why this image needs it */
};

/* One table per disk name the kernel gives (predict_root.c). */
static const struct driver_need sd_needs[] = {
	{ "IDE disk driver for QEMU's default PIIX controller (CONFIG_ATA_PIIX)", "ATA_PIIX",
	  "QEMU's default machine (-M pc) puts a -drive disk on its PIIX IDE controller, driven by ata_piix (-M q35 uses AHCI: CONFIG_SATA_AHCI)" },
	{ "SCSI disk driver (CONFIG_BLK_DEV_SD)", "BLK_DEV_SD",
	  "libata's IDE and SATA disks, and SCSI ones, become /dev/sd* through the SCSI disk driver" },
};
static const struct driver_need vd_needs[] = {
	{ "virtio disk driver (CONFIG_VIRTIO_BLK)", "VIRTIO_BLK",
	  "/dev/vd* disks are virtio-blk devices (QEMU -drive ...,if=virtio)" },
	{ "virtio PCI transport (CONFIG_VIRTIO_PCI)", "VIRTIO_PCI",
	  "QEMU's x86 machines put virtio devices on PCI" },
};
static const struct driver_need nvme_needs[] = {
	{ "NVMe disk driver (CONFIG_BLK_DEV_NVME)", "BLK_DEV_NVME", "/dev/nvme* disks are NVMe devices" },
};
static const struct driver_need xvd_needs[] = {
	{ "Xen block front end (CONFIG_XEN_BLKDEV_FRONTEND)", "XEN_BLKDEV_FRONTEND",
	  "/dev/xvd* disks are Xen's paravirtual disks" },
};
static const struct driver_need mmc_needs[] = {
	{ "MMC/SD card driver (CONFIG_MMC_BLOCK)", "MMC_BLOCK",
	  "/dev/mmcblk* disks are MMC/SD cards (their host controller needs a driver too, which bootinst cannot tell)" },
};

static void report_driver(struct findings *out, const struct predict_input *in,
			  const struct kernel_config *cfg, const char *what,
			  const char *said, const char *why)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, DIAG_KERNEL_LACKS_DRIVER);
	d.name = what;
	d.path = cfg->source;
	item = findings_add(out, FINDING_ERROR, &d, "%s", in->kernel);
	finding_hint(item, "%s; %s", said, why);
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
			    enum ext_kind kind, struct findings *out)
{
	int ext4 = kconfig_value(cfg, "EXT4_FS") == 'y';
	int ext3 = kconfig_value(cfg, "EXT3_FS") == 'y';
	int ext2 = kconfig_value(cfg, "EXT2_FS") == 'y';
	char said[200];

	switch (kind) {
	case EXT_KIND_EXT2:
		if (ext2 || (ext4 && kconfig_value(cfg, "EXT4_USE_FOR_EXT2") == 'y'))
			return;
		if (ext4)
			snprintf(said, sizeof(said), "CONFIG_EXT2_FS is not =y and CONFIG_EXT4_USE_FOR_EXT2 is not set, so the ext4 driver will not mount ext2");
		else
			describe_option(cfg, "EXT2_FS", said, sizeof(said));
		report_driver(out, in, cfg,
			      "ext2 filesystem driver (CONFIG_EXT2_FS, or CONFIG_EXT4_FS with CONFIG_EXT4_USE_FOR_EXT2)",
			      said, "the root filesystem is ext2");
		return;
	case EXT_KIND_EXT3:
		if (ext4 || ext3 || ext2)
			return;
		describe_option(cfg, "EXT4_FS", said, sizeof(said));
		report_driver(out, in, cfg, "ext3 filesystem driver (CONFIG_EXT4_FS or CONFIG_EXT3_FS)",
			      said, "the root filesystem is ext3");
		return;
	case EXT_KIND_EXT4:
		if (ext4)
			return;
		describe_option(cfg, "EXT4_FS", said, sizeof(said));
		report_driver(out, in, cfg, "ext4 filesystem driver (CONFIG_EXT4_FS)", said,
			      "the root filesystem is ext4");
		return;
	}
}

void predict_kernel_drivers(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out)
{
	const struct driver_need *needs = NULL;
	size_t count = 0;
	char said[200];

	if (cfg->found != KCONFIG_FILE) {
		struct diag d;
		struct finding *item;

		diag_set(&d, DIAG_CANNOT_TELL);
		d.name = "whether the kernel has the drivers the root needs built in";
		d.path = cfg->source;
		item = findings_add(out, FINDING_NOTE, &d, "%s", in->kernel);
		finding_hint(item, "put the kernel's config beside it as config-VERSION (Debian installs /boot/config-VERSION with the kernel)");
		return;
	}
	if (root->fs)
		check_fs_driver(in, cfg, root->kind, out);
	switch (root->disk) {
	case ROOT_DISK_SD:   needs = sd_needs;   count = sizeof(sd_needs) / sizeof(sd_needs[0]);     break;
	case ROOT_DISK_VD:   needs = vd_needs;   count = sizeof(vd_needs) / sizeof(vd_needs[0]);     break;
	case ROOT_DISK_NVME: needs = nvme_needs; count = sizeof(nvme_needs) / sizeof(nvme_needs[0]); break;
	case ROOT_DISK_XVD:  needs = xvd_needs;  count = sizeof(xvd_needs) / sizeof(xvd_needs[0]);   break;
	case ROOT_DISK_MMC:  needs = mmc_needs;  count = sizeof(mmc_needs) / sizeof(mmc_needs[0]);   break;
	case ROOT_DISK_UNKNOWN:
		/* Named by PARTUUID=: the disk's bus, and so its driver, is
		 * whatever the machine attaches the image to. */
		break;
	}
	for (size_t i = 0; i < count; i++) {
		if (kconfig_value(cfg, needs[i].option) == 'y')
			continue;
		describe_option(cfg, needs[i].option, said, sizeof(said));
		report_driver(out, in, cfg, needs[i].what, said, needs[i].why);
	}
}
