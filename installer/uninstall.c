/* uninstall.c - `bootinst uninstall` (see uninstall.h). */
#include "uninstall.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mbr.h"
#include "record.h"
#include "report.h"
#include "commit/backup_file.h"
#include "disk/gap.h"
#include "disk/image.h"

struct uninstall {
	const struct uninstall_options *o;
	struct commit_lock lock;
	struct disk_image img;
	struct gap_map gap;
	struct record_backup backup;
	struct backup_file file;
	uint8_t sector0[MBR_SECTOR_SIZE];
	struct write_range range[GAP_MAX_STAGES + BACKUP_FILE_MAX_RUNS + 1];
	size_t ranges;
	uint8_t *zeros;
	int installed;                   /* the MBR is ours (else: finishing an
					  * uninstall that was killed) */
};

static int refuse(struct uninstall *u, const char *problem, const char *fix)
{
	report_problem(u->o->err, u->o->image, "uninstall", problem, fix);
	return -1;
}

/* What is installed, and the backup it carries.  An uninstall that was
 * killed after putting the MBR's code back leaves stages of ours in the
 * gap: they still carry the backup, and running uninstall again finishes
 * the job. */
static int read_backup(struct uninstall *u)
{
	const struct mbr_sector *mbr = (const void *)u->img.sector0;
	struct image_failure why;
	int rc;

	if (image_open(&u->img, u->o->image, &why)) {
		report_image_failure(u->o->err, u->o->image, why.doing, why.reason, why.fix);
		return -1;
	}
	rc = gap_read(&u->img, &u->gap);
	if (rc) {
		report_call_failed(u->o->err, u->o->image, "reading the sectors after the MBR", strerror(rc));
		return -1;
	}
	u->installed = mbr->patch.magic == MBR_PATCH_MAGIC;
	if (!u->installed && !u->gap.stages)
		return refuse(u, "bootinst is not installed: the MBR has no bootinst patch area at 0x1AE, "
			      "and no bootinst stage is left after it",
			      "nothing to do; bootinst check IMAGE says what is installed");
	rc = gap_find_backup(&u->img, &u->gap, &u->backup);
	if (rc < 0) {
		report_call_failed(u->o->err, u->o->image, "reading the stages after the MBR", strerror(-rc));
		return -1;
	}
	if (rc == 0)
		return refuse(u, "no stage after the MBR carries a backup (it was installed by a bootinst "
			      "that kept none, or its stages are damaged)",
			      "there is nothing to restore from: to boot with another loader, install it over bootinst");
	if (u->backup.head.flags & BOOTINST_BACKUP_UNKNOWN)
		return refuse(u, "bootinst was installed here over an older bootinst that kept no backup, "
			      "so what was there before bootinst is unknown",
			      "there is nothing to restore from: to boot with another loader, install it over bootinst");
	if (!(u->backup.head.flags & BOOTINST_BACKUP_FILE))
		return 0;
	if (!u->o->backup)
		return refuse(u, "the install overwrote another program's sectors and kept them in the "
			      "file it was given with --backup", "give that file: bootinst uninstall IMAGE --backup FILE");
	if (backup_file_read(u->o->backup, u->backup.head.file_bytes, u->backup.head.file_crc,
			     &u->file, u->o->err))
		return -1;
	if (u->file.disk_signature != mbr->disk_signature)
		return refuse(u, "the backup file was made for a disk with another signature",
			      "give the backup file of this disk");
	return 0;
}

static void add(struct uninstall *u, const char *what, uint64_t lba, uint32_t sectors, const uint8_t *bytes)
{
	u->range[u->ranges++] = (struct write_range){ what, lba * IMAGE_SECTOR_SIZE,
						      (size_t)sectors * IMAGE_SECTOR_SIZE, bytes };
}

/*
 * The MBR's code first (from then on the disk boots what it booted before
 * bootinst), then zeros over every stage of ours, then the sectors the
 * --backup file keeps; each synced and read back before the next, and on
 * an error all of them put back from the journal.  Killed half-way, the
 * stages left still carry the backup: uninstall again finishes.
 */
static int plan_writes(struct uninstall *u)
{
	uint32_t longest = 0;

	memcpy(u->sector0, u->img.sector0, sizeof(u->sector0));
	if (u->backup.head.flags & BOOTINST_BACKUP_MBR_ZERO)
		memset(u->sector0, 0, MBR_BOOT_CODE_MAX);
	else
		memcpy(u->sector0, u->backup.mbr_code, MBR_BOOT_CODE_MAX);
	/* an interrupted uninstall put it back already: a disk whose MBR is
	 * neither ours nor what the backup holds got another loader since,
	 * which stays */
	if (u->installed || !memcmp(u->sector0, u->img.sector0, MBR_BOOT_CODE_MAX))
		u->range[u->ranges++] = (struct write_range){ "the MBR boot code", 0, MBR_BOOT_CODE_MAX,
							      u->sector0 };
	for (unsigned i = 0; i < u->gap.stages; i++)
		if (u->gap.stage[i].sectors > longest)
			longest = u->gap.stage[i].sectors;
	u->zeros = calloc(1, (size_t)(longest ? longest : 1) * IMAGE_SECTOR_SIZE);
	if (!u->zeros) {
		report_call_failed(u->o->err, u->o->image, "preparing the writes", strerror(ENOMEM));
		return -1;
	}
	for (unsigned i = 0; i < u->gap.stages; i++)
		add(u, "a bootinst stage", u->gap.stage[i].lba, u->gap.stage[i].sectors, u->zeros);
	for (unsigned i = 0; i < u->file.runs; i++)
		add(u, "sectors from the backup file", u->file.run[i].lba, u->file.run[i].sectors,
		    u->file.run[i].bytes);
	return 0;
}

static void print_summary(const struct uninstall *u)
{
	FILE *out = u->o->out;

	fprintf(out, u->o->dry_run ? "bootinst: %s: dry run, nothing written; uninstall would write:\n"
				   : "bootinst: %s: uninstalled\n", u->o->image);
	if (!u->installed)
		fprintf(out, "  MBR        as before bootinst already (an earlier uninstall was cut short)\n");
	else
		fprintf(out, "  MBR        %u bytes of boot code at LBA 0, as before bootinst (%s)\n",
			MBR_BOOT_CODE_MAX, u->backup.head.flags & BOOTINST_BACKUP_MBR_ZERO ? "zeros"
				: "the saved code");
	for (unsigned i = 0; i < u->gap.stages; i++)
		fprintf(out, "  cleared    LBA %" PRIu64 "..%" PRIu64 " (a bootinst stage)\n",
			u->gap.stage[i].lba, u->gap.stage[i].lba + u->gap.stage[i].sectors - 1);
	for (unsigned i = 0; i < u->file.runs; i++)
		fprintf(out, "  restored   LBA %" PRIu64 "..%" PRIu64 " from %s\n", u->file.run[i].lba,
			u->file.run[i].lba + u->file.run[i].sectors - 1, u->o->backup);
}

int uninstall_run(const struct uninstall_options *o)
{
	struct uninstall u = { .o = o, .lock = { .fd = -1 }, .img = { .fd = -1 } };
	int status = 1;

	if (commit_lock(&u.lock, o->image, o->dry_run, o->no_wait, o->err) ||
	    read_backup(&u) || plan_writes(&u))
		goto out;
	image_close(&u.img);
	if (!o->dry_run && commit_writes(o->image, u.img.is_block_device, u.range, u.ranges, o->write_at,
					 o->err) != COMMIT_DONE)
		goto out;
	print_summary(&u);
	status = 0;
out:
	image_close(&u.img);
	commit_unlock(&u.lock);
	backup_file_free(&u.file);
	free(u.zeros);
	return status;
}
