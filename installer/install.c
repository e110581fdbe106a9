/*
 * install.c - `bootinst install` (see install.h).
 *
 * The order of the checks follows the order the machine meets the same
 * things at boot: partition table, partition, filesystem, kernel, command
 * line, initrd; then the room after the MBR, which only the installer cares
 * about.  The first failure stops the install, prints its catalog entry and
 * leaves the image untouched.
 */
#define _GNU_SOURCE
#include "install.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <et/com_err.h>
#include <libfdisk/libfdisk.h>

#include "blobs.h"
#include "bootfs.h"
#include "bzimage.h"
#include "crc32.h"
#include "image.h"
#include "mbr.h"
#include "report.h"
#include "stage_header.h"

#define MBR_TYPE_LINUX 0x83

struct install {
	const struct install_options *o;
	struct install_result *r;
	struct disk_image img;
	ext2_filsys fs;
	unsigned boot;                  /* the boot partition's slot, 0..3 */
	struct bzimage_info kernel;
	uint8_t *stage;                 /* the stage as it will be written */
	size_t stage_bytes;             /* whole sectors */
	uint8_t sector0[MBR_SECTOR_SIZE];  /* LBA 0 as it will be */
	int gap_was_foreign;            /* --force overwrote data that was not ours */
	int mbr_was_ours;               /* LBA 0 already held bootinst's patch area */
	char object[BOOTINST_PATH_MAX + 32];  /* what a message is about */
};

/* --- how a check stops the install ---------------------------------------- */

static int refuse_diag(struct install *in, enum install_check check, const char *hint)
{
	in->r->status = INSTALL_REFUSED;
	in->r->failed = check;
	report_diag(in->o->err, in->o->image, in->object, &in->r->diag, hint);
	return -1;
}

static int refuse_problem(struct install *in, enum install_check check,
			  const char *message, const char *fix)
{
	in->r->status = INSTALL_REFUSED;
	in->r->failed = check;
	report_problem(in->o->err, in->o->image, in->object, message, fix);
	return -1;
}

static int call_failed(struct install *in, enum install_check check,
		       const char *doing, const char *reason)
{
	char what[BOOTINST_PATH_MAX + 160];

	in->r->status = INSTALL_CALL_FAILED;
	in->r->failed = check;
	snprintf(what, sizeof(what), "while %s %s", doing, in->o->image);
	report_call_failed(in->o->err, what, reason);
	return -1;
}

__attribute__((format(printf, 2, 3)))
static void set_object(struct install *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->object, sizeof(in->object), fmt, ap);
	va_end(ap);
}

/* --- options and the embedded blobs --------------------------------------- */

static const char *path_problem(const char *path, const char *option)
{
	static char problem[128];

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

const char *install_options_problem(const struct install_options *o)
{
	const char *p;

	if (o->partition > MBR_PART_ENTRIES)
		return "--partition takes a primary partition number, 1 to 4";
	if ((p = path_problem(o->kernel, "--kernel")))
		return p;
	if (o->initrd && (p = path_problem(o->initrd, "--initrd")))
		return p;
	return NULL;
}

/* The MBR code and stage are build products; a malformed one is a build
 * bug, but installing it would make a disk that cannot boot. */
static const char *embedded_blobs_problem(void)
{
	const struct bootinst_stage_header *h = (const void *)bootinst_stage_image;
	size_t stage_size = bootinst_stage_image_size();
	struct mbr_patch_area patch;

	if (bootinst_mbr_code_size() != MBR_BOOT_CODE_MAX)
		return "the embedded MBR code is not 440 bytes";
	memcpy(&patch, bootinst_mbr_code + MBR_PATCH_OFF, sizeof(patch));
	if (patch.magic != MBR_PATCH_MAGIC)
		return "the embedded MBR code has no patch area at 0x1AE";
	if (stage_size < sizeof(*h) || stage_size % IMAGE_SECTOR_SIZE)
		return "the embedded stage is not whole sectors holding a stage header";
	if (memcmp(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN) ||
	    h->version != BOOTINST_STAGE_VERSION || h->header_size != sizeof(*h) ||
	    h->image_size < sizeof(*h) || h->image_size > stage_size)
		return "the embedded stage's header does not match this installer";
	return NULL;
}

/* --- partition table and partition ---------------------------------------- */

static int check_partition_table(struct install *in)
{
	const struct disk_image *img = &in->img;
	struct diag *d = &in->r->diag;
	uint64_t image_end = image_sectors(img);

	set_object(in, "partition table");
	if (img->label != IMAGE_LABEL_DOS) {
		diag_set(d, DIAG_PART_TABLE_INVALID);
		if (img->label == IMAGE_LABEL_NONE)
			snprintf(in->r->detail, sizeof(in->r->detail),
				 "there is none (bootinst boots from a DOS/MBR partition table)");
		else
			snprintf(in->r->detail, sizeof(in->r->detail),
				 "it is a %s partition table, not a DOS/MBR one", img->label_name);
		d->name = in->r->detail;
		return refuse_diag(in, CHECK_PARTITION_TABLE,
				   "make a DOS table, e.g. printf 'start=2048, type=83, bootable\\n' | "
				   "sfdisk --label dos IMAGE, then make the filesystem");
	}
	if (img->sector_size != IMAGE_SECTOR_SIZE) {
		snprintf(in->r->detail, sizeof(in->r->detail),
			 "the disk has %lu-byte sectors; the MBR code and stage read 512-byte ones",
			 img->sector_size);
		return refuse_problem(in, CHECK_PARTITION_TABLE, in->r->detail,
				      "install on a disk with 512-byte logical sectors");
	}

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct image_partition *p = &img->part[i];
		if (!p->used)
			continue;
		diag_set(d, DIAG_PART_TABLE_INVALID);
		d->name = in->r->detail;
		if (p->start == 0) {
			snprintf(in->r->detail, sizeof(in->r->detail),
				 "partition %u starts at sector 0, over the MBR", i + 1);
			return refuse_diag(in, CHECK_PARTITION_TABLE, NULL);
		}
		if (p->start + p->sectors > image_end) {
			snprintf(in->r->detail, sizeof(in->r->detail),
				 "partition %u (sectors %" PRIu64 "..%" PRIu64 ") ends past the end of "
				 "the disk (%" PRIu64 " sectors)", i + 1, p->start,
				 p->start + p->sectors - 1, image_end);
			return refuse_diag(in, CHECK_PARTITION_TABLE, NULL);
		}
		for (unsigned j = i + 1; j < MBR_PART_ENTRIES; j++) {
			const struct image_partition *q = &img->part[j];
			if (!q->used || q->start >= p->start + p->sectors ||
			    p->start >= q->start + q->sectors)
				continue;
			snprintf(in->r->detail, sizeof(in->r->detail),
				 "partitions %u and %u overlap (sectors %" PRIu64 "..%" PRIu64
				 " and %" PRIu64 "..%" PRIu64 ")", i + 1, j + 1,
				 p->start, p->start + p->sectors - 1,
				 q->start, q->start + q->sectors - 1);
			return refuse_diag(in, CHECK_PARTITION_TABLE, NULL);
		}
	}
	diag_set(d, DIAG_OK);
	return 0;
}

/* --partition N, else the active partition, else the first Linux one: the
 * partition a tutorial's `fdisk` session makes is both. */
static int choose_partition(struct install *in)
{
	const struct image_partition *part = in->img.part;
	unsigned n = in->o->partition;

	if (n) {
		set_object(in, "partition %u", n);
		if (!part[n - 1].used) {
			diag_set(&in->r->diag, DIAG_NO_PARTITION);
			in->r->diag.value = n;
			return refuse_diag(in, CHECK_PARTITION,
					   "the table has no partition with that number: "
					   "give --partition one that sfdisk --list IMAGE shows");
		}
		in->boot = n - 1;
		return 0;
	}
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (part[i].used && part[i].bootable) {
			in->boot = i;
			return 0;
		}
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (part[i].used && part[i].type == MBR_TYPE_LINUX) {
			in->boot = i;
			return 0;
		}
	set_object(in, "partition table");
	return refuse_problem(in, CHECK_PARTITION,
			      "no partition is active and none has type 0x83 (Linux): "
			      "which one holds the kernel?",
			      "give --partition N, or mark the boot partition active "
			      "(sfdisk --activate IMAGE N)");
}

/* A mounted filesystem may be rewritten under us, or cache the old bytes:
 * refuse unless forced, like mke2fs and e2fsck do. */
static int check_not_mounted(struct install *in)
{
	char *part_dev = fdisk_partname(in->o->image, in->boot + 1);
	const char *devices[] = { in->o->image, part_dev };
	char message[BOOTINST_PATH_MAX + 128];

	for (unsigned i = 0; i < 2; i++) {
		int flags = 0;
		errcode_t err;

		if (!devices[i])
			continue;
		err = ext2fs_check_if_mounted(devices[i], &flags);
		if (err) {
			free(part_dev);
			return call_failed(in, CHECK_MOUNTED, "checking whether a filesystem is mounted from",
					   error_message(err));
		}
		if (!(flags & EXT2_MF_MOUNTED))
			continue;
		snprintf(message, sizeof(message), "%s is mounted", devices[i]);
		if (in->o->force) {
			fprintf(in->o->err, "bootinst: %s: %s; writing anyway (--force)\n",
				in->o->image, message);
			continue;
		}
		set_object(in, "%s", devices[i]);
		free(part_dev);
		return refuse_problem(in, CHECK_MOUNTED, message,
				      "unmount it first (--force writes anyway, and the mounted "
				      "system may then overwrite or miss the change)");
	}
	free(part_dev);
	return 0;
}

/* --- filesystem and files -------------------------------------------------- */

static int open_filesystem(struct install *in)
{
	const struct image_partition *p = &in->img.part[in->boot];
	struct diag *d = &in->r->diag;
	uint64_t fs_bytes, part_bytes = p->sectors * IMAGE_SECTOR_SIZE;
	char hint[BOOTINST_PATH_MAX + 160];
	errcode_t err;

	set_object(in, "partition %u", in->boot + 1);
	err = bootfs_open(in->o->image, p->start * IMAGE_SECTOR_SIZE, &in->fs);
	if (err) {
		in->fs = NULL;
		diag_set(d, DIAG_NOT_EXT2);
		snprintf(in->r->detail, sizeof(in->r->detail), "%s", error_message(err));
		d->name = in->r->detail;
		return refuse_diag(in, CHECK_FILESYSTEM, NULL);
	}

	/* The tutorials' mistake: mke2fs on the whole image or with the wrong
	 * size.  GRUB finds it at boot as Error 24, Linux as "attempt to access
	 * beyond end of device"; here it is found before anything is written. */
	fs_bytes = bootfs_bytes(in->fs);
	if (fs_bytes > part_bytes) {
		unsigned block_size = EXT2_BLOCK_SIZE(in->fs->super);
		uint64_t blocks = ext2fs_blocks_count(in->fs->super);

		diag_set(d, DIAG_BLOCK_OUTSIDE_PARTITION);
		d->block = blocks - 1;
		d->value = (blocks * block_size) / IMAGE_SECTOR_SIZE - 1;
		d->limit = p->sectors - 1;
		snprintf(in->r->detail, sizeof(in->r->detail),
			 "the filesystem (%" PRIu64 " blocks of %u bytes = %" PRIu64 " sectors)",
			 blocks, block_size, fs_bytes / IMAGE_SECTOR_SIZE);
		d->path = in->r->detail;
		snprintf(hint, sizeof(hint),
			 "the partition holds %" PRIu64 " KiB: mke2fs -E offset=%" PRIu64 " %s %"
			 PRIu64 "k makes one that fits (and erases this one)",
			 part_bytes / 1024, p->start * IMAGE_SECTOR_SIZE, in->o->image,
			 part_bytes / 1024);
		return refuse_diag(in, CHECK_FILESYSTEM_SIZE, hint);
	}
	return 0;
}

/* How to see what the directory holds: libext2fs tools take the partition's
 * offset after a '?' in the device name (e2fsprogs lib/ext2fs/openfs.c). */
static const char *listing_hint(const struct install *in, const char *path,
				char *hint, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash == path ? 1 : (int)(slash - path);

	snprintf(hint, size, "its directory holds: debugfs -R 'ls -l %.*s' '%s?offset=%" PRIu64 "'",
		 dir_len, path, in->o->image, in->img.part[in->boot].start * IMAGE_SECTOR_SIZE);
	return hint;
}

/* Look a file up and require a regular file; E15, E26 or E02 if not. */
static int find_regular_file(struct install *in, enum install_check check,
			     const char *path, struct bootfs_file *file)
{
	struct diag *d = &in->r->diag;
	char doing[BOOTINST_PATH_MAX + 64];
	char hint[2 * BOOTINST_PATH_MAX + 96];
	errcode_t err;

	set_object(in, "%s", path);
	err = bootfs_lookup(in->fs, path, file);
	if (err == EXT2_ET_FILE_NOT_FOUND) {
		diag_set(d, DIAG_FILE_NOT_FOUND);
		d->path = path;
		return refuse_diag(in, check, listing_hint(in, path, hint, sizeof(hint)));
	}
	if (err == EXT2_ET_SYMLINK_LOOP) {
		diag_set(d, DIAG_TOO_MANY_SYMLINKS);
		d->path = path;
		d->limit = BOOTFS_SYMLINK_LIMIT;
		return refuse_diag(in, check, NULL);
	}
	if (err == EXT2_ET_NO_DIRECTORY) {
		diag_set(d, DIAG_BAD_FILE_TYPE);
		d->path = path;
		d->name = "file: one of its parent components is not a directory";
		return refuse_diag(in, check, NULL);
	}
	if (err) {
		snprintf(doing, sizeof(doing), "looking up %s in partition %u of",
			 path, in->boot + 1);
		return call_failed(in, check, doing, error_message(err));
	}
	if (!file->is_regular) {
		diag_set(d, DIAG_BAD_FILE_TYPE);
		d->path = path;
		d->name = "regular file";
		return refuse_diag(in, check, NULL);
	}
	return 0;
}

static int check_kernel(struct install *in)
{
	const char *path = in->o->kernel;
	struct bootfs_file file;
	uint8_t head[BZIMAGE_HEAD_BYTES];
	char doing[BOOTINST_PATH_MAX + 64];
	unsigned got;
	errcode_t err;

	if (find_regular_file(in, CHECK_KERNEL, path, &file))
		return -1;
	err = bootfs_read_head(in->fs, &file, head, sizeof(head), &got);
	if (err) {
		snprintf(doing, sizeof(doing), "reading %s in partition %u of", path, in->boot + 1);
		return call_failed(in, CHECK_KERNEL, doing, error_message(err));
	}
	if (bzimage_parse(head, got, file.size, path, &in->kernel, &in->r->diag) != DIAG_OK)
		return refuse_diag(in, CHECK_KERNEL, NULL);
	in->r->kernel_bytes = file.size;
	in->r->kernel_protocol = in->kernel.protocol;

	/* The kernel copies at most cmdline_size bytes (boot.rst, cmdline_size):
	 * a longer line would be cut silently at boot.  The install record's
	 * room (2047) equals x86 Linux's COMMAND_LINE_SIZE - 1, so the kernel's
	 * limit is the one users meet; the record's bounds the copy below. */
	set_object(in, "command line");
	uint32_t limit = in->kernel.cmdline_max < BOOTINST_CMDLINE_MAX - 1 ?
		in->kernel.cmdline_max : BOOTINST_CMDLINE_MAX - 1;
	if (strlen(in->o->cmdline) > limit) {
		diag_set(&in->r->diag, DIAG_CMDLINE_TOO_LONG);
		in->r->diag.value = strlen(in->o->cmdline);
		in->r->diag.limit = limit;
		return refuse_diag(in, CHECK_CMDLINE, NULL);
	}
	return 0;
}

static int check_initrd(struct install *in)
{
	struct bootfs_file file;

	if (!in->o->initrd)
		return 0;
	if (find_regular_file(in, CHECK_INITRD, in->o->initrd, &file))
		return -1;
	in->r->initrd_bytes = file.size;
	return 0;
}

/* --- the gap after the MBR ------------------------------------------------- */

static uint64_t first_partition_start(const struct disk_image *img)
{
	uint64_t first = UINT64_MAX;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (img->part[i].used && img->part[i].start < first)
			first = img->part[i].start;
	return first;
}

/*
 * The stage goes in LBA 1..stage_sectors, which no partition may reach.
 * Those sectors must be empty or hold a bootinst stage (a re-install):
 * anything else is likely another loader's code (GRUB 2 puts core.img at
 * LBA 1) that the user would lose.
 */
static int check_gap(struct install *in)
{
	uint64_t first = first_partition_start(&in->img);
	uint32_t need = (uint32_t)(in->stage_bytes / IMAGE_SECTOR_SIZE);
	char message[256], fix[256];
	uint8_t *gap;
	size_t nonzero;
	int rc;

	set_object(in, "stage");
	in->r->stage_sectors = need;
	in->r->gap_sectors = first - 1;
	if (first - 1 < need) {
		snprintf(message, sizeof(message),
			 "the gap after the MBR is %" PRIu64 " sectors; the stage needs %u; "
			 "the first partition starts at sector %" PRIu64, first - 1, need, first);
		snprintf(fix, sizeof(fix),
			 "start the first partition at sector %u or later (2048 is what "
			 "sfdisk and fdisk choose today), then make its filesystem again", need + 1);
		return refuse_problem(in, CHECK_GAP_SIZE, message, fix);
	}

	gap = malloc(in->stage_bytes);
	if (!gap)
		return call_failed(in, CHECK_GAP_CONTENT, "reading the sectors after the MBR of",
				   strerror(ENOMEM));
	rc = image_read(&in->img, gap, in->stage_bytes, BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE);
	if (rc) {
		free(gap);
		return call_failed(in, CHECK_GAP_CONTENT, "reading the sectors after the MBR of",
				   strerror(rc));
	}
	for (nonzero = 0; nonzero < in->stage_bytes && !gap[nonzero]; nonzero++)
		;
	in->r->replaced_stage = !memcmp(gap, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	free(gap);
	if (nonzero == in->stage_bytes || in->r->replaced_stage)
		return 0;
	if (in->o->force) {
		in->gap_was_foreign = 1;
		return 0;
	}
	snprintf(message, sizeof(message),
		 "sectors %u..%u, where the stage goes, hold data that is not a bootinst "
		 "stage (first non-zero byte at sector %zu, offset %zu): likely another "
		 "boot loader's code, such as GRUB's core.img",
		 BOOTINST_STAGE_LBA, BOOTINST_STAGE_LBA + need - 1,
		 BOOTINST_STAGE_LBA + nonzero / IMAGE_SECTOR_SIZE, nonzero % IMAGE_SECTOR_SIZE);
	return refuse_problem(in, CHECK_GAP_CONTENT, message,
			      "if no other boot loader on this disk needs them, run again with "
			      "--force to overwrite them (that loader will no longer boot)");
}

/* --- the bytes to write ---------------------------------------------------- */

static void build_stage(struct install *in)
{
	struct bootinst_stage_header *h = (void *)in->stage;
	struct bootinst_install_record *rec = &h->rec;
	const struct image_partition *p = &in->img.part[in->boot];
	const struct mbr_sector *mbr = (const void *)in->img.sector0;

	memcpy(in->stage, bootinst_stage_image, in->stage_bytes);
	memset(rec, 0, sizeof(*rec));
	rec->disk_signature = mbr->disk_signature;
	rec->partition = (uint8_t)(in->boot + 1);
	rec->partition_type = p->type;
	/* DOS table fields are 32-bit, so these cannot be truncated */
	rec->part_start_lba = (uint32_t)p->start;
	rec->part_sectors = (uint32_t)p->sectors;
	strcpy(rec->kernel, in->o->kernel);     /* lengths checked by install_options_problem and check_kernel */
	if (in->o->initrd) {
		strcpy(rec->initrd, in->o->initrd);
		rec->flags |= BOOTINST_REC_HAVE_INITRD;
	}
	strcpy(rec->cmdline, in->o->cmdline);
	h->checksum = 0;
	h->checksum = crc32_ieee(0, in->stage, h->image_size);
}

/* Sector 0 with bytes 0..0x1AD from the blob and the patch area filled;
 * 0x1B8..0x1FF (signature, table, 55 AA) stay as read. */
static void build_mbr(struct install *in)
{
	struct mbr_sector *mbr = (void *)in->sector0;
	const struct bootinst_stage_header *h = (const void *)in->stage;

	memcpy(in->sector0, in->img.sector0, sizeof(in->sector0));
	in->mbr_was_ours = mbr->patch.magic == MBR_PATCH_MAGIC;
	if (!in->mbr_was_ours)
		for (size_t i = 0; i < MBR_BOOT_CODE_MAX; i++)
			if (in->sector0[i])
				in->r->replaced_foreign_code = 1;
	memcpy(mbr->boot_code, bootinst_mbr_code, sizeof(mbr->boot_code));
	mbr->patch.magic = MBR_PATCH_MAGIC;
	mbr->patch.stage_lba = BOOTINST_STAGE_LBA;
	mbr->patch.stage_sectors = (uint16_t)(in->stage_bytes / IMAGE_SECTOR_SIZE);
	mbr->patch.stage_version = h->version;
}

/* --- summary ---------------------------------------------------------------- */

static void print_summary(const struct install *in)
{
	const struct install_result *r = in->r;
	FILE *out = in->o->out;
	const char *mbr_note = r->replaced_foreign_code ? "replaced foreign boot code"
			       : in->mbr_was_ours ? "replaced an earlier bootinst MBR" : "the boot code area was empty";
	const char *gap_note = in->gap_was_foreign ? "overwrote foreign data (--force)"
			       : r->replaced_stage ? "replaced an earlier bootinst stage"
			       : "the sectors were empty";

	if (in->o->dry_run)
		fprintf(out, "bootinst: %s: dry run, nothing written; install would write:\n",
			in->o->image);
	else
		fprintf(out, "bootinst: %s: installed\n", in->o->image);
	fprintf(out, "  partition  %u, type 0x%02x, start %" PRIu64 ", %" PRIu64 " sectors\n",
		r->partition, r->partition_type, r->part_start, r->part_sectors);
	fprintf(out, "  kernel     %s, %" PRIu64 " bytes, boot protocol %u.%02u\n",
		in->o->kernel, r->kernel_bytes, r->kernel_protocol >> 8, r->kernel_protocol & 0xff);
	if (in->o->initrd)
		fprintf(out, "  initrd     %s, %" PRIu64 " bytes\n", in->o->initrd, r->initrd_bytes);
	else
		fprintf(out, "  initrd     none\n");
	fprintf(out, "  cmdline    \"%s\"\n", in->o->cmdline);
	fprintf(out, "  MBR        %u bytes of boot code at LBA 0 (%s)\n", MBR_BOOT_CODE_MAX, mbr_note);
	fprintf(out, "  stage      %u sectors at LBA %u..%u of a %" PRIu64 "-sector gap (%s)\n",
		r->stage_sectors, BOOTINST_STAGE_LBA, BOOTINST_STAGE_LBA + r->stage_sectors - 1,
		r->gap_sectors, gap_note);
}

/* --- the install ----------------------------------------------------------- */

static int check_and_build(struct install *in)
{
	const char *problem;
	int rc;

	set_object(in, "options");
	if ((problem = install_options_problem(in->o)))
		return refuse_problem(in, CHECK_OPTIONS, problem, "see bootinst --help");
	if ((problem = embedded_blobs_problem())) {
		set_object(in, "bootinst itself");
		return refuse_problem(in, CHECK_EMBEDDED_BLOBS, problem,
				      "rebuild bootinst (make); this is a build bug");
	}
	in->stage_bytes = bootinst_stage_image_size();

	rc = image_open(&in->img, in->o->image);
	if (rc)
		return call_failed(in, CHECK_IMAGE, "opening",
				   rc == ENODATA ? "it is shorter than one 512-byte sector"
				   : rc == EINVAL ? "it is neither a regular file nor a block device"
				   : strerror(rc));
	rc = image_read_partition_table(&in->img);
	if (rc)
		return call_failed(in, CHECK_PARTITION_TABLE, "reading the partition table of",
				   strerror(-rc));
	if (check_partition_table(in) || choose_partition(in))
		return -1;
	in->r->partition = in->boot + 1;
	in->r->partition_type = in->img.part[in->boot].type;
	in->r->part_start = in->img.part[in->boot].start;
	in->r->part_sectors = in->img.part[in->boot].sectors;
	if (in->img.is_block_device && check_not_mounted(in))
		return -1;
	if (open_filesystem(in) || check_kernel(in) || check_initrd(in) || check_gap(in))
		return -1;

	in->stage = malloc(in->stage_bytes);
	if (!in->stage)
		return call_failed(in, CHECK_NONE, "building the stage for", strerror(ENOMEM));
	build_stage(in);
	build_mbr(in);
	return 0;
}

static void commit(struct install *in)
{
	/* Stage first, MBR code last: until the MBR is written the old boot
	 * code runs, and it never points at a stage that did not land. */
	const struct write_range ranges[] = {
		{ "the stage", BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE, in->stage_bytes, in->stage },
		{ "the MBR boot code", 0, MBR_BOOT_CODE_MAX, in->sector0 },
	};
	int exclusive = in->img.is_block_device && !in->o->force;

	switch (commit_writes(in->o->image, exclusive, ranges, 2, in->o->write_at, in->o->err)) {
	case COMMIT_DONE:
		in->r->status = INSTALL_DONE;
		break;
	case COMMIT_NOT_STARTED:
		in->r->status = INSTALL_CALL_FAILED;
		break;
	case COMMIT_UNDONE:
		in->r->status = INSTALL_WRITE_UNDONE;
		break;
	case COMMIT_UNDO_FAILED:
		in->r->status = INSTALL_WRITE_DAMAGED;
		break;
	}
}

int install_run(const struct install_options *o, struct install_result *r)
{
	struct install in = { .o = o, .r = r, .img = { .fd = -1 } };

	/* error_message() knows libext2fs's codes only once its table is
	 * registered; registering again is a no-op (com_err's generated code
	 * checks the list first). */
	initialize_ext2_error_table();
	memset(r, 0, sizeof(*r));
	diag_set(&r->diag, DIAG_OK);
	if (check_and_build(&in) == 0) {
		/* libext2fs and our read-only descriptor let go before writing */
		ext2fs_close_free(&in.fs);
		image_close(&in.img);
		if (o->dry_run)
			r->status = INSTALL_DONE;
		else
			commit(&in);
		if (r->status == INSTALL_DONE)
			print_summary(&in);
	}
	if (in.fs)
		ext2fs_close_free(&in.fs);
	image_close(&in.img);
	free(in.stage);
	return r->status == INSTALL_DONE ? 0 : 1;
}
