/*
 * predict_kconfig.c - the kernel's build configuration, and whether the
 * drivers the root needs are built in.
 *
 * Without an initramfs nothing can load a module before the root is
 * mounted, so the root's disk driver and filesystem driver must be =y.
 * The config says which: Debian installs it next to the kernel as
 * /boot/config-VERSION.  The kernel can also carry it (CONFIG_IKCONFIG,
 * between the markers IKCFG_ST and IKCFG_ED, kernel/configs.c), but gzipped
 * inside the compressed vmlinux: only an uncompressed kernel shows the
 * marker, and even then the config is gzip data bootinst does not inflate.
 */
#define _GNU_SOURCE            /* memmem */
#include "predict_internal.h"

#include <stdlib.h>
#include <string.h>
#include "bootfs.h"
#include "linux_boot.h"

#define KCONFIG_MAX_BYTES  (4u << 20)   /* Debian's is ~250 KiB */
#define KERNEL_SCAN_CHUNK  (1u << 20)
#define VERSION_MAX        128
#define IKCONFIG_MARKER    "IKCFG_ST"
#define KERNEL_NAME_PREFIX "vmlinuz-"   /* Debian, Fedora, Arch: /boot/vmlinuz-VERSION */

/* --- finding the config ---------------------------------------------------- */

/* Read the config at path on fs into cfg; 0 when there is none to read. */
static int read_config(ext2_filsys fs, const char *path, struct kernel_config *cfg)
{
	struct bootfs_file file;
	unsigned got;

	if (!fs || bootfs_lookup(fs, path, &file) || !file.is_regular || file.size > KCONFIG_MAX_BYTES)
		return 0;
	cfg->text = malloc(file.size + 1);
	if (!cfg->text || bootfs_read_head(fs, &file, cfg->text, (unsigned)file.size, &got)) {
		free(cfg->text);
		cfg->text = NULL;
		return 0;
	}
	cfg->text[got] = '\0';
	cfg->found = KCONFIG_FILE;
	snprintf(cfg->source, sizeof(cfg->source), "%s", path);
	return 1;
}

/* Look for config-version beside the kernel, in the boot filesystem's
 * /boot, and in the root filesystem's /boot. */
static int find_config(const struct predict_input *in, ext2_filsys root_fs,
		       const char *version, struct kernel_config *cfg)
{
	char dir[256], path[300];
	const char *slash = strrchr(in->kernel, '/');
	size_t dir_len = slash ? (size_t)(slash - in->kernel) : 0;

	snprintf(dir, sizeof(dir), "%.*s", (int)dir_len, in->kernel);
	snprintf(path, sizeof(path), "%s/config-%s", dir, version);
	if (read_config(in->boot_fs, path, cfg))
		return 1;
	snprintf(path, sizeof(path), "/boot/config-%s", version);
	return read_config(in->boot_fs, path, cfg) ||
	       (root_fs != in->boot_fs && read_config(root_fs, path, cfg));
}

/* The version in the kernel's file name or in a symlink's target on the
 * way to it: /boot/vmlinuz -> vmlinuz-6.1.0-56-cloud-amd64. */
static int find_config_by_name(const struct predict_input *in, ext2_filsys root_fs,
			       struct kernel_config *cfg)
{
	char path[256], target[256], next[256];
	int hops = 0;

	snprintf(path, sizeof(path), "%s", in->kernel);
	for (;;) {
		const char *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;

		if (strncmp(base, KERNEL_NAME_PREFIX, strlen(KERNEL_NAME_PREFIX)) == 0 &&
		    find_config(in, root_fs, base + strlen(KERNEL_NAME_PREFIX), cfg))
			return 1;
		if (++hops > BOOTFS_SYMLINK_LIMIT || predict_read_symlink(in->boot_fs, path, target, sizeof(target)))
			return 0;
		/* A relative target is relative to the link's directory. */
		if (target[0] == '/' || !slash)
			snprintf(next, sizeof(next), "%s", target);
		else
			snprintf(next, sizeof(next), "%.*s/%.200s", (int)(slash - path), path, target);
		memcpy(path, next, sizeof(path));
	}
}

/*
 * The kernel's version string: the setup header's kernel_version field
 * (protocol 2.00+) points to a NUL-terminated string 0x200 bytes before its
 * file offset, "6.1.0-56-cloud-amd64 (debian-kernel@...) #1 SMP ..."
 * (Documentation/arch/x86/boot.rst, "kernel_version").  The release is the
 * first word.
 */
static int kernel_version_string(ext2_filsys fs, const struct bootfs_file *kernel, char *version)
{
	uint8_t head[LINUX_HDR_OFF(kernel_version) + 2];
	char text[VERSION_MAX];
	unsigned got, pointer;

	if (predict_read_at(fs, kernel->ino, 0, head, sizeof(head), &got) || got < sizeof(head) ||
	    memcmp(head + LINUX_HDR_OFF(header), "HdrS", 4) != 0)
		return 0;
	pointer = head[LINUX_HDR_OFF(kernel_version)] | head[LINUX_HDR_OFF(kernel_version) + 1] << 8;
	if (!pointer ||
	    predict_read_at(fs, kernel->ino, pointer + 0x200u, text, sizeof(text) - 1, &got) || !got)
		return 0;
	text[got] = '\0';
	text[strcspn(text, " ")] = '\0';
	snprintf(version, VERSION_MAX, "%s", text);
	return version[0] != '\0';
}

/* Whether the kernel file holds the IKCONFIG marker uncompressed. */
static int kernel_has_ikconfig_marker(ext2_filsys fs, const struct bootfs_file *kernel)
{
	const size_t overlap = strlen(IKCONFIG_MARKER) - 1;
	char *buf = malloc(KERNEL_SCAN_CHUNK + overlap);
	uint64_t offset = 0;
	unsigned got;
	size_t kept = 0;
	int found = 0;

	while (buf && !found && offset < kernel->size &&
	       !predict_read_at(fs, kernel->ino, offset, buf + kept, KERNEL_SCAN_CHUNK, &got) && got) {
		size_t have = kept + got;

		found = memmem(buf, have, IKCONFIG_MARKER, strlen(IKCONFIG_MARKER)) != NULL;
		offset += got;
		/* Keep the tail: the marker may straddle two chunks. */
		kept = have < overlap ? have : overlap;
		memmove(buf, buf + have - kept, kept);
	}
	free(buf);
	return found;
}

void kconfig_load(const struct predict_input *in, ext2_filsys root_fs, struct kernel_config *cfg)
{
	struct bootfs_file kernel;
	char version[VERSION_MAX];

	memset(cfg, 0, sizeof(*cfg));
	if (find_config_by_name(in, root_fs, cfg))
		return;
	if (!in->boot_fs || bootfs_lookup(in->boot_fs, in->kernel, &kernel)) {
		snprintf(cfg->source, sizeof(cfg->source), "%s is not there to read", in->kernel);
		return;
	}
	if (kernel_version_string(in->boot_fs, &kernel, version)) {
		if (find_config(in, root_fs, version, cfg))
			return;
		snprintf(cfg->source, sizeof(cfg->source),
			 "there is no config-%s beside the kernel or in /boot", version);
	} else {
		snprintf(cfg->source, sizeof(cfg->source),
			 "the kernel's name and header give no version to find its config-VERSION by");
	}
	if (kernel_has_ikconfig_marker(in->boot_fs, &kernel)) {
		cfg->found = KCONFIG_EMBEDDED_ONLY;
		snprintf(cfg->source + strlen(cfg->source), sizeof(cfg->source) - strlen(cfg->source),
			 ", and the config inside the kernel (IKCONFIG) is gzipped (scripts/extract-ikconfig reads it)");
	}
}

void kconfig_free(struct kernel_config *cfg)
{
	free(cfg->text);
	cfg->text = NULL;
}

char kconfig_value(const struct kernel_config *cfg, const char *option)
{
	size_t len = strlen(option);
	const char *line;

	if (cfg->found != KCONFIG_FILE)
		return 'n';
	/* Lines read "CONFIG_FOO=y", "CONFIG_FOO=m" or "# CONFIG_FOO is not set". */
	for (line = cfg->text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, "CONFIG_", 7) == 0 && strncmp(line + 7, option, len) == 0 &&
		    line[7 + len] == '=')
			return line[8 + len] == 'y' || line[8 + len] == 'm' ? line[8 + len] : 'n';
	}
	return 'n';
}

/* --- the drivers the root needs -------------------------------------------- */

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
			    enum root_fs_kind kind, struct findings *out)
{
	int ext4 = kconfig_value(cfg, "EXT4_FS") == 'y';
	int ext3 = kconfig_value(cfg, "EXT3_FS") == 'y';
	int ext2 = kconfig_value(cfg, "EXT2_FS") == 'y';
	char said[200];

	switch (kind) {
	case ROOT_FS_EXT2:
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
	case ROOT_FS_EXT3:
		if (ext4 || ext3 || ext2)
			return;
		describe_option(cfg, "EXT4_FS", said, sizeof(said));
		report_driver(out, in, cfg, "ext3 filesystem driver (CONFIG_EXT4_FS or CONFIG_EXT3_FS)",
			      said, "the root filesystem is ext3");
		return;
	case ROOT_FS_EXT4:
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
