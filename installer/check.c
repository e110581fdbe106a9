/*
 * check.c - the check engine (see check.h).
 *
 * Every check appends findings and returns; only a check whose input is
 * missing is skipped (no DOS table: no partition; no filesystem: no files).
 * The numbers in a finding are the ones the stage would print at boot,
 * because the same code computes them: stage1/ext2.c reads the partition
 * here through a struct blockdev over the image file, exactly as it reads
 * it through INT 13h at boot.
 */
#define _GNU_SOURCE
#include "check.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <et/com_err.h>
#include <libfdisk/libfdisk.h>

#include "bootfs.h"
#include "bzimage.h"
#include "linux_boot.h"
#include "linux_plan.h"
#include "mbr.h"
#include "predict.h"
#include "record.h"
#include "report.h"
#include "stage_header.h"
#include "stage_view.h"

#define MBR_TYPE_LINUX 0x83
#define KIB UINT64_C(1024)
#define MIB (KIB * KIB)

/*
 * `qemu-system-x86_64` without -m gives the guest 128 MiB, of which the BIOS
 * reports 0x100000..0x7FDFFFF as usable (E820; the top 128 KiB is
 * reserved).  Every tutorial boots its image that way, so a loader that
 * needs more than this is worth a warning: it fails there with E28.
 */
#define QEMU_DEFAULT_RAM_TOP 0x7FE0000ull
#define QEMU_DEFAULT_RAM_MIB 128u

struct check {
	const struct check_request *req;
	const struct disk_image *img;
	struct check_result *res;
	struct findings *out;
	FILE *err;

	int table_ok;                       /* a DOS table of 512-byte sectors */
	struct bootinst_stage_header stage; /* the installed stage's header */
	int record_ok;                      /* stage.rec holds a checksummed record */
	struct boot_config recorded;        /* its kernel, initrd and command line */
	int record_matches;                 /* ... and it names the live partition */
	uint32_t installed_stage_sectors;   /* patch area's count, if installed */

	ext2_filsys lib_fs;                 /* libext2fs's view, NULL if it cannot open */
	errcode_t lib_err;                  /* why it cannot */
	struct stage_view *sv;              /* the stage's view of the partition */
	int stage_mounted;
	struct bzimage_info kernel;
	int cmdline_reported;               /* E40 found for the command line asked for */
};

/* --- opening ------------------------------------------------------------ */

int check_open_image(struct disk_image *img, const char *path, FILE *err)
{
	char doing[BOOTINST_PATH_MAX + 64];
	int rc = image_open(img, path);

	if (rc) {
		snprintf(doing, sizeof(doing), "while opening %s", path);
		report_call_failed(err, doing,
				   rc == ENODATA ? "it is shorter than one 512-byte sector"
				   : rc == EINVAL ? "it is neither a regular file nor a block device"
				   : strerror(rc));
		return -1;
	}
	rc = image_read_partition_table(img);
	if (rc) {
		snprintf(doing, sizeof(doing), "while reading the partition table of %s", path);
		report_call_failed(err, doing, strerror(-rc));
		image_close(img);
		return -1;
	}
	return 0;
}

static int call_failed(struct check *c, const char *doing, const char *reason)
{
	char what[BOOTINST_PATH_MAX + 160];

	snprintf(what, sizeof(what), "while %s %s", doing, c->req->image);
	report_call_failed(c->err, what, reason);
	return -1;
}

/* --- the request -------------------------------------------------------- */

static const char *path_problem(const char *path, const char *option)
{
	static char problem[128];

	if (!path)
		return NULL;
	if (path[0] != '/')
		snprintf(problem, sizeof(problem),
			 "%s takes an absolute path inside the filesystem, e.g. /boot/vmlinuz", option);
	else if (strlen(path) >= BOOTINST_PATH_MAX)
		snprintf(problem, sizeof(problem), "%s: the path is longer than %u bytes",
			 option, BOOTINST_PATH_MAX - 1);
	else
		return NULL;
	return problem;
}

const char *check_request_problem(const struct check_request *req)
{
	const char *p;

	if (req->partition > MBR_PART_ENTRIES)
		return "--partition takes a primary partition number, 1 to 4";
	if ((p = path_problem(req->kernel, "--kernel")) || (p = path_problem(req->initrd, "--initrd")))
		return p;
	return NULL;
}

/* --- partition table (E05) ---------------------------------------------- */

static void table_invalid(struct check *c, const char *reason, const char *hint)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, DIAG_PART_TABLE_INVALID);
	d.name = reason;
	item = findings_add(c->out, FINDING_ERROR, &d, "partition table");
	if (hint)
		finding_hint(item, "%s", hint);
}

static void check_partition_table(struct check *c)
{
	const struct disk_image *img = c->img;
	uint64_t image_end = image_sectors(img);
	char reason[192];

	if (img->label != IMAGE_LABEL_DOS) {
		if (img->label == IMAGE_LABEL_NONE)
			snprintf(reason, sizeof(reason),
				 "there is none (bootinst boots from a DOS/MBR partition table)");
		else
			snprintf(reason, sizeof(reason),
				 "it is a %s partition table, not a DOS/MBR one", img->label_name);
		table_invalid(c, reason,
			      "make a DOS table, e.g. printf 'start=2048, type=83, bootable\\n' | "
			      "sfdisk --label dos IMAGE, then make the filesystem");
		return;
	}
	if (img->sector_size != IMAGE_SECTOR_SIZE) {
		snprintf(reason, sizeof(reason),
			 "the disk has %lu-byte sectors; the MBR code and stage read 512-byte ones",
			 img->sector_size);
		table_invalid(c, reason, "install on a disk with 512-byte logical sectors");
		return;
	}
	c->table_ok = 1;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct image_partition *p = &img->part[i];
		if (!p->used)
			continue;
		if (p->start == 0) {
			snprintf(reason, sizeof(reason), "partition %u starts at sector 0, over the MBR", i + 1);
			table_invalid(c, reason, NULL);
		} else if (p->start + p->sectors > image_end) {
			snprintf(reason, sizeof(reason),
				 "partition %u (sectors %" PRIu64 "..%" PRIu64 ") ends past the end of "
				 "the disk (%" PRIu64 " sectors)", i + 1, p->start,
				 p->start + p->sectors - 1, image_end);
			table_invalid(c, reason, NULL);
		}
		for (unsigned j = i + 1; j < MBR_PART_ENTRIES; j++) {
			const struct image_partition *q = &img->part[j];
			if (!q->used || q->start >= p->start + p->sectors ||
			    p->start >= q->start + q->sectors)
				continue;
			snprintf(reason, sizeof(reason),
				 "partitions %u and %u overlap (sectors %" PRIu64 "..%" PRIu64
				 " and %" PRIu64 "..%" PRIu64 ")", i + 1, j + 1,
				 p->start, p->start + p->sectors - 1,
				 q->start, q->start + q->sectors - 1);
			table_invalid(c, reason, NULL);
		}
	}
}

/* --- what is installed: MBR code, stage, record (I03, M06, E06, E22) ---- */

static void not_installed(struct check *c)
{
	const uint8_t *boot_code = c->img->sector0;   /* bytes 0..0x1B7, patch area included */
	size_t i;
	struct diag d;

	for (i = 0; i < MBR_BOOT_CODE_MAX && !boot_code[i]; i++)
		;
	diag_set(&d, DIAG_NOT_INSTALLED);
	d.name = i == MBR_BOOT_CODE_MAX ? "the MBR's boot code area is empty"
		 : "the MBR holds other boot code (no bootinst patch area at 0x1AE)";
	findings_add(c->out, FINDING_ERROR, &d, "MBR");
}

/* The MBR code loads patch.stage_sectors from patch.stage_lba and checks the
 * magic and the version (asm/mbr.asm check_stage): M25 or M06 at boot. */
static int read_installed_stage(struct check *c, uint8_t **stage_bytes)
{
	const struct mbr_patch_area *patch = &((const struct mbr_sector *)c->img->sector0)->patch;
	uint64_t end = (uint64_t)patch->stage_lba + patch->stage_sectors;
	size_t len = (size_t)patch->stage_sectors * IMAGE_SECTOR_SIZE;
	struct finding *item;
	struct diag d;
	int rc;

	*stage_bytes = NULL;
	if (patch->stage_sectors == 0 || patch->stage_lba == 0 || end > image_sectors(c->img)) {
		diag_set(&d, patch->stage_sectors && patch->stage_lba ? DIAG_MBR_READ : DIAG_MBR_NO_STAGE);
		d.value = BIOS_STATUS_PAST_DISK_END;
		item = findings_add(c->out, FINDING_ERROR, &d, "MBR");
		finding_hint(item, "the MBR's patch area says the stage is %u sectors at LBA %u; the disk has %"
			     PRIu64 " sectors", patch->stage_sectors, patch->stage_lba, image_sectors(c->img));
		return 0;
	}
	*stage_bytes = malloc(len);
	if (!*stage_bytes)
		return call_failed(c, "reading the stage of", strerror(ENOMEM));
	rc = image_read(c->img, *stage_bytes, len, (uint64_t)patch->stage_lba * IMAGE_SECTOR_SIZE);
	if (rc)
		return call_failed(c, "reading the stage of", strerror(rc));
	return 0;
}

static void check_stage(struct check *c, uint8_t *stage)
{
	const struct mbr_patch_area *patch = &((const struct mbr_sector *)c->img->sector0)->patch;
	const struct bootinst_stage_header *h = (const void *)stage;
	size_t loaded = (size_t)patch->stage_sectors * IMAGE_SECTOR_SIZE;
	struct finding *item;
	struct diag d;

	if (loaded < sizeof(*h) || memcmp(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN)) {
		diag_set(&d, DIAG_MBR_NO_STAGE);
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "LBA %u, where the MBR code loads the stage from, does not start "
			     "with the stage's magic \"%s\"", patch->stage_lba, BOOTINST_STAGE_MAGIC);
		return;
	}
	if (h->version != patch->stage_version) {
		diag_set(&d, DIAG_MBR_NO_STAGE);
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "the stage at LBA %u is version %u; the MBR code loads version %u",
			     patch->stage_lba, h->version, patch->stage_version);
		return;
	}
	if (h->header_size != sizeof(*h) || h->image_size < sizeof(*h) || h->image_size > loaded) {
		diag_set(&d, DIAG_STAGE_MISMATCH);
		d.name = "its header's sizes do not fit the sectors the MBR code loads";
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "header %u bytes, image %u bytes, %u sectors loaded",
			     h->header_size, h->image_size, patch->stage_sectors);
		return;
	}
	if (stage_image_crc(h) != h->checksum) {   /* the stage's own test */
		diag_set(&d, DIAG_STAGE_MISMATCH);
		d.name = "stage checksum does not match";   /* the stage's words */
		findings_add(c->out, FINDING_ERROR, &d, "stage");
		return;
	}
	if (record_settings(h, &c->recorded, &d)) {
		findings_add(c->out, FINDING_ERROR, &d, "stage");   /* the stage's own check */
		return;
	}
	memcpy(&c->stage, h, sizeof(c->stage));
	c->record_ok = 1;
}

/* The stage's check_install_record (stage1/main.c): the recorded slot, start,
 * size and disk signature against LBA 0 as it is now. */
static void check_record(struct check *c)
{
	const struct bootinst_install_record *rec = &c->stage.rec;
	const struct mbr_sector *mbr = (const void *)c->img->sector0;
	const struct mbr_partition_entry *p =
		rec->partition >= 1 && rec->partition <= MBR_PART_ENTRIES ? &mbr->part[rec->partition - 1] : NULL;
	struct finding *item;
	struct diag d;

	if (p && p->lba_first == rec->part_start_lba && p->sectors == rec->part_sectors &&
	    mbr->disk_signature == rec->disk_signature) {
		c->record_matches = 1;
		return;
	}
	diag_set(&d, DIAG_NO_PARTITION);
	d.value = rec->partition;
	d.block = rec->part_start_lba;
	d.limit = rec->part_sectors;
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", rec->partition);
	if (!p || (!p->lba_first && !p->sectors))
		finding_hint(item, "the table has no partition %u now", rec->partition);
	else if (p->lba_first != rec->part_start_lba || p->sectors != rec->part_sectors)
		finding_hint(item, "the table now says start %u, %u sectors", p->lba_first, p->sectors);
	else
		finding_hint(item, "the disk signature at 0x1B8 is now 0x%08x; it was 0x%08x at install",
			     mbr->disk_signature, rec->disk_signature);
}

static int check_installed(struct check *c)
{
	const struct mbr_sector *mbr = (const void *)c->img->sector0;
	uint8_t *stage;

	if (mbr->patch.magic != MBR_PATCH_MAGIC) {
		not_installed(c);
		return 0;
	}
	c->res->installed = 1;
	c->installed_stage_sectors = mbr->patch.stage_sectors;
	if (read_installed_stage(c, &stage))
		return -1;
	if (stage)
		check_stage(c, stage);
	free(stage);
	if (c->record_ok)
		check_record(c);
	return 0;
}

/* --- what to boot ------------------------------------------------------- */

/* The request's settings where given, else the installed record's, else
 * install's defaults: what boots now, or would after that install. */
static void settings_to_check(struct check *c)
{
	const struct check_request *req = c->req;
	const struct boot_config *rec = c->record_ok ? &c->recorded : NULL;
	struct boot_config *b = &c->res->boots;
	const char *initrd = req->initrd ? req->initrd : rec ? rec->initrd : "";

	snprintf(b->kernel, sizeof(b->kernel), "%s",
		 req->kernel ? req->kernel : rec ? rec->kernel : BOOTINST_DEFAULT_KERNEL);
	snprintf(b->initrd, sizeof(b->initrd), "%s", initrd);
	snprintf(b->cmdline, sizeof(b->cmdline), "%s",
		 req->cmdline ? req->cmdline : rec ? rec->cmdline : "");
}

/* --partition N, else the installed one, else the active one, else the
 * first Linux one: the partition a tutorial's fdisk session makes is both. */
static void choose_partition(struct check *c)
{
	const struct image_partition *part = c->img->part;
	unsigned n = c->req->partition;
	unsigned chosen = 0;
	struct finding *item;
	struct diag d;

	if (!n && c->record_ok)
		n = c->stage.rec.partition;
	if (n) {
		if (part[n - 1].used) {
			chosen = n;
		} else if (c->req->partition) {
			/* (a recorded partition that is gone is E22 already) */
			diag_set(&d, DIAG_NO_PARTITION);
			d.value = n;
			item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", n);
			finding_hint(item, "the table has no partition with that number: "
				     "give --partition one that sfdisk --list IMAGE shows");
		}
	} else {
		for (unsigned i = 0; i < MBR_PART_ENTRIES && !chosen; i++)
			if (part[i].used && part[i].bootable)
				chosen = i + 1;
		for (unsigned i = 0; i < MBR_PART_ENTRIES && !chosen; i++)
			if (part[i].used && part[i].type == MBR_TYPE_LINUX)
				chosen = i + 1;
		if (!chosen) {
			diag_set(&d, DIAG_NO_BOOT_PARTITION);
			findings_add(c->out, FINDING_ERROR, &d, "partition table");
		}
	}
	if (!chosen)
		return;
	c->res->partition = chosen;
	c->res->partition_type = part[chosen - 1].type;
	c->res->part_start = part[chosen - 1].start;
	c->res->part_sectors = part[chosen - 1].sectors;
}

/* A mounted filesystem may be rewritten under us, or cache the old bytes:
 * refuse unless forced, like mke2fs and e2fsck do. */
static int check_not_mounted(struct check *c)
{
	char *part_dev = fdisk_partname(c->req->image, c->res->partition);
	const char *devices[] = { c->req->image, part_dev };
	int forced = c->req->mode == CHECK_MODE_BEFORE_INSTALL && c->req->force;

	for (unsigned i = 0; i < 2; i++) {
		struct finding *item;
		struct diag d;
		int flags = 0;
		errcode_t err;

		if (!devices[i])
			continue;
		err = ext2fs_check_if_mounted(devices[i], &flags);
		if (err) {
			free(part_dev);
			return call_failed(c, "checking whether a filesystem is mounted from",
					   error_message(err));
		}
		if (!(flags & EXT2_MF_MOUNTED))
			continue;
		diag_set(&d, DIAG_DEVICE_MOUNTED);
		d.path = devices[i];
		item = findings_add(c->out, forced ? FINDING_WARNING : FINDING_ERROR, &d, "%s", devices[i]);
		if (forced)
			finding_hint(item, "writing anyway (--force)");
	}
	free(part_dev);
	return 0;
}

/* --- the filesystem: libext2fs's view and the stage's (E17, E17F, E24) -- */

/* The mke2fs command that makes a filesystem the size of the partition. */
static void fits_hint(const struct check *c, char *hint, size_t size)
{
	uint64_t part_bytes = c->res->part_sectors * IMAGE_SECTOR_SIZE;

	snprintf(hint, size,
		 "the partition holds %" PRIu64 " KiB: mke2fs -E offset=%" PRIu64 " %s %" PRIu64
		 "k makes one that fits (and erases this one)",
		 part_bytes / KIB, c->res->part_start * IMAGE_SECTOR_SIZE, c->req->image,
		 part_bytes / KIB);
}

/* The tutorials' mistake: mke2fs on the whole image or with the wrong size.
 * GRUB meets it at boot as Error 24, Linux as "attempt to access beyond end
 * of device" (or "bad geometry" at mount); here it is found before. */
static void check_filesystem_size(struct check *c)
{
	uint64_t blocks, fs_sectors;
	uint32_t block_size;
	char path[128], hint[256];
	struct finding *item;
	struct diag d;

	stage_view_fs_size(c->sv, &blocks, &block_size);
	fs_sectors = blocks * block_size / IMAGE_SECTOR_SIZE;
	if (fs_sectors <= c->res->part_sectors)
		return;
	diag_set(&d, DIAG_BLOCK_OUTSIDE_PARTITION);
	d.block = blocks - 1;
	d.value = fs_sectors - 1;
	d.limit = c->res->part_sectors - 1;
	snprintf(path, sizeof(path), "the filesystem (%" PRIu64 " blocks of %u"
		 " bytes = %" PRIu64 " sectors)", blocks, block_size, fs_sectors);
	d.path = path;
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", c->res->partition);
	fits_hint(c, hint, sizeof(hint));
	finding_hint(item, "%s", hint);
}

static void mount_filesystem(struct check *c)
{
	struct finding *item;
	struct diag d;

	c->lib_err = bootfs_open(c->req->image, c->res->part_start * IMAGE_SECTOR_SIZE, &c->lib_fs);
	if (c->lib_err)
		c->lib_fs = NULL;

	if (stage_view_mount(c->sv, &d) == DIAG_OK) {
		c->stage_mounted = 1;
		if (c->lib_err) {
			/* The stage boots it; only the predictions need libext2fs. */
			diag_set(&d, DIAG_NOT_EXT2);
			d.name = error_message(c->lib_err);
			item = findings_add(c->out, FINDING_WARNING, &d, "partition %u", c->res->partition);
			finding_hint(item, "only libext2fs (e2fsprogs) fails: the stage's own reader mounts it, "
				     "so it boots, but bootinst check cannot look past the loader");
		}
		check_filesystem_size(c);
		return;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", c->res->partition);
	if (c->lib_fs)
		finding_hint(item, "libext2fs (e2fsprogs) opens it, but the stage's reader, which is "
			     "what boots, cannot");
	else
		finding_hint(item, "libext2fs says: %s", error_message(c->lib_err));
}

/* --- files, read as the stage reads them -------------------------------- */

/* How to see what a directory holds: libext2fs tools take the partition's
 * offset after a '?' in the device name (e2fsprogs lib/ext2fs/openfs.c). */
static void listing_hint(const struct check *c, struct finding *item, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dir_len = !slash || slash == path ? 1 : (int)(slash - path);

	finding_hint(item, "its directory holds: debugfs -R 'ls -l %.*s' '%s?offset=%" PRIu64 "'",
		     dir_len, path, c->req->image, c->res->part_start * IMAGE_SECTOR_SIZE);
}

/*
 * A file the stage cannot read: the stage's finding, and a hint from
 * libext2fs's view of the same path where that helps (the two agree on a
 * missing file; where they disagree, the stage is what boots).
 */
static void file_failed(struct check *c, const struct diag *d, const char *path)
{
	struct finding *item = findings_add(c->out, FINDING_ERROR, d, "%s", path);
	struct bootfs_file lib_file;
	errcode_t err;
	char hint[256];

	if (d->id == DIAG_BLOCK_OUTSIDE_PARTITION) {
		fits_hint(c, hint, sizeof(hint));
		finding_hint(item, "%s", hint);
		return;
	}
	if (d->id == DIAG_DISK_READ) {
		/* offline no BIOS answered: say what the status stands for */
		finding_hint(item, "the image ends at sector %" PRIu64 ", before the partition table says "
			     "the disk does; a BIOS answers such a read with status 01 (SeaBIOS does)",
			     image_sectors(c->img));
		return;
	}
	if (!c->lib_fs || d->id == DIAG_TOO_MANY_SYMLINKS || d->id == DIAG_BAD_FILE_TYPE)
		return;
	err = bootfs_lookup(c->lib_fs, path, &lib_file);
	if (d->id == DIAG_FILE_NOT_FOUND && err == EXT2_ET_FILE_NOT_FOUND)
		listing_hint(c, item, path);
	else if (err)
		finding_hint(item, "libext2fs (e2fsprogs) says: %s", error_message(err));
	else if (d->id == DIAG_FILE_NOT_FOUND || d->id == DIAG_FS_INCONSISTENT)
		finding_hint(item, "libext2fs (e2fsprogs) finds it (%" PRIu64 " bytes), but the stage's "
			     "reader, which is what boots, does not", lib_file.size);
}

/* /boot/bootinst.cfg as stage1/main.c read_config_file() takes it: a broken
 * file is printed at boot and ignored, so it is a warning here. */
static void check_config(struct check *c)
{
	struct boot_config cfg = c->res->boots;
	struct finding *item;
	struct diag d;
	enum diag_id rc = stage_view_read_config(c->sv, &cfg, &d);

	if (rc == DIAG_FILE_NOT_FOUND)
		return;
	if (!rc) {
		c->res->boots = cfg;
		c->res->config_used = 1;
		return;
	}
	item = findings_add(c->out, FINDING_WARNING, &d, "%s", BOOTINST_CONFIG_PATH);
	finding_hint(item, "the stage prints this at boot, ignores the file and boots what install "
		     "recorded%s", c->record_ok || c->req->mode == CHECK_MODE_BEFORE_INSTALL ? "" :
		     " (bootinst is not installed: nothing is recorded yet)");
}

/*
 * The file in hand from offset on, as the stage will load it: `bootinst
 * check` reads every byte (a read error, E25, shows only then); install
 * maps and checks every block but reads only metadata, so it reads a few
 * KiB whatever the size of the kernel.
 */
static int file_body_fails(struct check *c, uint64_t offset, uint64_t len, struct diag *d)
{
	if (c->req->mode == CHECK_MODE_BEFORE_INSTALL)
		return stage_view_check(c->sv, offset, len, d) != DIAG_OK;
	return stage_view_read(c->sv, offset, len, d) != DIAG_OK;
}

/* The kernel, as stage1/linux_load.c loads it: open, header, command line,
 * setup code, then the protected-mode part in pieces. */
static void check_kernel(struct check *c)
{
	const char *path = c->res->boots.kernel;
	const char *cmdline = c->res->boots.cmdline;
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct diag d;
	uint32_t head_len;
	uint64_t size;

	if (stage_view_open(c->sv, path, &size, &d)) {
		file_failed(c, &d, path);
		return;
	}
	head_len = size < BZIMAGE_HEAD_BYTES ? (uint32_t)size : BZIMAGE_HEAD_BYTES;
	if (stage_view_read_head(c->sv, head, head_len, &d) ||
	    bzimage_parse(head, head_len, size, path, &c->kernel, &d)) {
		file_failed(c, &d, path);
		return;
	}
	c->res->kernel_bytes = size;
	c->res->kernel_protocol = c->kernel.protocol;

	/* the stage's own rule (linux_plan.c) */
	if (linux_plan_cmdline(&c->kernel, cmdline, &d)) {
		findings_add(c->out, FINDING_ERROR, &d, "command line");
		c->cmdline_reported = c->req->cmdline && !strcmp(cmdline, c->req->cmdline);
	}

	if (file_body_fails(c, 0, c->kernel.setup_bytes, &d) ||
	    file_body_fails(c, c->kernel.setup_bytes, c->kernel.kernel_bytes, &d)) {
		file_failed(c, &d, path);
		return;
	}
	c->res->kernel_ok = 1;
}

/* The initrd: found and read whole (linux_load.c); 0 if it cannot be. */
static int check_initrd(struct check *c)
{
	const char *path = c->res->boots.initrd;
	struct diag d;
	uint64_t size;

	if (stage_view_open(c->sv, path, &size, &d)) {
		file_failed(c, &d, path);
		return 0;
	}
	/* past 4 GiB the stage stops at its memory plan, before reading:
	 * check_memory reports it */
	if (size <= 0xFFFFFFFFu && file_body_fails(c, 0, size, &d)) {
		file_failed(c, &d, path);
		return 0;
	}
	c->res->initrd_bytes = size;
	return 1;
}

/*
 * Memory (E28), decided by the stage's own rule (linux_plan.c) over two
 * machines, since the real one's RAM is unknown here:
 *   - error: it fits no machine: all of the address space from 1 MiB up as
 *     RAM, and still the initrd cannot lie above the kernel and below
 *     initrd_addr_max;
 *   - warning: it does not fit a QEMU machine started without -m
 *     (QEMU_DEFAULT_RAM_TOP): such a boot stops with E28.
 */
static void check_memory(struct check *c, int have_initrd)
{
	const struct bzimage_info *k = &c->kernel;
	struct boot_config cfg = c->res->boots;
	uint64_t initrd_bytes = have_initrd ? c->res->initrd_bytes : 0;
	struct memmap any_machine = { 0 }, qemu_default = { 0 };
	struct linux_plan plan;
	struct finding *item;
	struct diag d;

	if (!have_initrd)
		cfg.initrd[0] = 0;
	memmap_add(&any_machine, LINUX_PM_LOAD_ADDR, 0x100000000ull);
	if (linux_plan_memory(k, &cfg, initrd_bytes, &any_machine, &plan, &d)) {
		item = findings_add(c->out, FINDING_ERROR, &d, "%s", d.path);
		finding_hint(item, "the kernel ends at 0x%" PRIx64 " and takes an initrd only below 0x%"
			     PRIx64 " (its initrd_addr_max): use a smaller initrd",
			     LINUX_PM_LOAD_ADDR + (uint64_t)k->init_size, (uint64_t)k->initrd_addr_max + 1);
		return;
	}
	memmap_add(&qemu_default, 0, 0x9FC00);
	memmap_add(&qemu_default, LINUX_PM_LOAD_ADDR, QEMU_DEFAULT_RAM_TOP);
	if (linux_plan_memory(k, &cfg, initrd_bytes, &qemu_default, &plan, &d)) {
		uint64_t need = ((LINUX_PM_LOAD_ADDR + (uint64_t)k->init_size + 0xFFF) & ~0xFFFull) +
				initrd_bytes;
		unsigned mib = (unsigned)((need + MIB - 1) / MIB);
		item = findings_add(c->out, FINDING_WARNING, &d, "%s", d.path);
		finding_hint(item, "that is in a QEMU machine started without -m (%u MiB): start it "
			     "with -m %u or more (the kernel then needs RAM of its own to run)",
			     QEMU_DEFAULT_RAM_MIB, (mib + 63) / 64 * 64);
	}
}

/* --- the room after the MBR (I01, I02) ----------------------------------- */

static uint64_t first_partition_start(const struct disk_image *img)
{
	uint64_t first = UINT64_MAX;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (img->part[i].used && img->part[i].start < first)
			first = img->part[i].start;
	return first;
}

static void gap_too_small(struct check *c, uint64_t first, uint32_t need)
{
	struct finding *item;
	struct diag d;

	diag_set(&d, DIAG_GAP_TOO_SMALL);
	d.value = c->res->gap_sectors;
	d.limit = need;
	d.block = first;
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "the stage is %u sectors: a first partition at sector %u or later leaves room",
		     need, need + 1);
}

/*
 * The stage goes in LBA 1..need, which no partition may reach.  Those
 * sectors must be empty or hold a bootinst stage (a re-install): anything
 * else is likely another loader's code (GRUB 2 puts core.img at LBA 1)
 * that the user would lose.  Installed, the stage must still end before
 * the first partition, or writing that partition overwrites it.
 */
static int check_gap(struct check *c)
{
	uint64_t first = first_partition_start(c->img);
	int installed = c->req->mode == CHECK_MODE_IMAGE && c->res->installed;
	uint32_t need = installed ? c->installed_stage_sectors : c->req->stage_sectors;
	size_t bytes = (size_t)need * IMAGE_SECTOR_SIZE, nonzero;
	struct finding *item;
	struct diag d;
	uint8_t *gap;
	int rc;

	if (first == UINT64_MAX)
		first = image_sectors(c->img);
	c->res->gap_sectors = first > BOOTINST_STAGE_LBA ? first - BOOTINST_STAGE_LBA : 0;
	/* A damaged install's sector count means nothing: M06/E06 said so. */
	if (installed && !c->record_ok)
		return 0;
	if (c->res->gap_sectors < need) {
		gap_too_small(c, first, need);
		return 0;
	}
	if (installed || !need)
		return 0;

	gap = malloc(bytes);
	if (!gap)
		return call_failed(c, "reading the sectors after the MBR of", strerror(ENOMEM));
	rc = image_read(c->img, gap, bytes, BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE);
	if (rc) {
		free(gap);
		return call_failed(c, "reading the sectors after the MBR of", strerror(rc));
	}
	for (nonzero = 0; nonzero < bytes && !gap[nonzero]; nonzero++)
		;
	c->res->gap_holds_stage = !memcmp(gap, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	free(gap);
	if (nonzero == bytes || c->res->gap_holds_stage)
		return 0;

	c->res->gap_foreign = 1;
	diag_set(&d, DIAG_GAP_FOREIGN);
	d.name = "non-zero bytes";
	d.block = BOOTINST_STAGE_LBA + nonzero / IMAGE_SECTOR_SIZE;
	if (c->req->mode == CHECK_MODE_BEFORE_INSTALL && c->req->force) {
		item = findings_add(c->out, FINDING_WARNING, &d, "stage");
		finding_hint(item, "overwriting them (--force): a boot loader that kept its code there "
			     "no longer boots");
		return 0;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "sectors %u..%u, where the stage goes, hold them from byte %zu of sector %"
		     PRIu64 " on: likely another boot loader's code, such as GRUB's core.img",
		     BOOTINST_STAGE_LBA, BOOTINST_STAGE_LBA + need - 1,
		     nonzero % IMAGE_SECTOR_SIZE, (uint64_t)d.block);
	return 0;
}

/* The command line asked for must fit the install record, whatever the
 * kernel (unchecked, or overridden by /boot/bootinst.cfg) takes. */
static void check_cmdline_fits_record(struct check *c)
{
	struct diag d;

	if (!c->req->cmdline || strlen(c->req->cmdline) < BOOTINST_CMDLINE_MAX || c->cmdline_reported)
		return;
	diag_set(&d, DIAG_CMDLINE_TOO_LONG);
	d.value = strlen(c->req->cmdline);
	d.limit = BOOTINST_CMDLINE_MAX - 1;
	findings_add(c->out, FINDING_ERROR, &d, "command line");
}

/* --- the whole check ----------------------------------------------------- */

static int check_boot_partition(struct check *c)
{
	int have_initrd;

	if (c->img->is_block_device && check_not_mounted(c))
		return -1;
	c->sv = stage_view_new(c->img, c->res->part_start, c->res->part_sectors);
	if (!c->sv)
		return call_failed(c, "checking", strerror(ENOMEM));
	mount_filesystem(c);
	if (!c->stage_mounted)
		return 0;
	check_config(c);
	check_kernel(c);
	have_initrd = c->res->boots.initrd[0] && check_initrd(c);
	if (c->res->kernel_ok && (have_initrd || !c->res->boots.initrd[0]))
		check_memory(c, have_initrd);
	return 0;
}

/* After the loader: only where the loader gets as far as starting the
 * kernel, and libext2fs can read the partition (predict.h).  A damaged
 * install has no command line to predict from unless one was given. */
static void predict(struct check *c)
{
	int cmdline_known = c->req->cmdline || c->record_ok || !c->res->installed;

	struct predict_input in = {
		.img = c->img,
		.boot_partition = c->res->partition,
		.boot_fs = c->lib_fs,
		.kernel = c->res->boots.kernel,
		.initrd = c->res->boots.initrd[0] ? c->res->boots.initrd : NULL,
		.cmdline = c->res->boots.cmdline,
	};

	if (c->req->mode == CHECK_MODE_IMAGE && c->lib_fs && c->res->kernel_ok && cmdline_known)
		predict_after_loader(&in, c->out);
}

int check_image(const struct check_request *req, const struct disk_image *img,
		struct check_result *res, struct findings *out, FILE *err)
{
	struct check c = { .req = req, .img = img, .res = res, .out = out, .err = err };
	int rc = -1;

	/* error_message() knows libext2fs's codes only once its table is
	 * registered; registering again is a no-op. */
	initialize_ext2_error_table();
	memset(res, 0, sizeof(*res));
	check_partition_table(&c);
	if (req->mode == CHECK_MODE_IMAGE && check_installed(&c))
		goto out;
	settings_to_check(&c);
	if (c.table_ok) {
		choose_partition(&c);
		if (res->partition && check_boot_partition(&c))
			goto out;
		check_cmdline_fits_record(&c);
		if (check_gap(&c))
			goto out;
		predict(&c);
	}
	rc = 0;
out:
	if (c.lib_fs)
		ext2fs_close_free(&c.lib_fs);
	stage_view_free(c.sv);
	return rc;
}
