/*
 * install.c - `bootinst install` (see install.h).
 *
 * The checks are the check engine's (checks/), the same ones `bootinst
 * check` runs, in the order the machine meets things at boot; install
 * prints every finding and refuses on any error, leaving the image
 * untouched, unless --force.  Even --force cannot make room that is not
 * there: without a partition to record or room for the stage before the
 * first partition, nothing is written.
 */
#include "install.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mbr.h"
#include "report.h"
#include "verbose.h"
#include "stage_header.h"
#include "commit/backup_file.h"
#include "disk/image.h"
#include "payload/blobs.h"
#include "payload/stage_image.h"

struct install {
	const struct install_options *o;
	struct install_result *r;
	struct commit_lock lock;        /* held from before the first read to the end */
	struct disk_image img;
	struct check_result checked;    /* what the checks learned, the plan included */
	struct record_backup backup;     /* the uninstall backup the new stage carries */
	struct backup_file file;        /* --backup FILE: the foreign sectors overwritten */
	uint8_t *stage;                 /* the stage as it will be written */
	size_t stage_bytes;             /* the new stage image, whole sectors */
	uint8_t sector0[MBR_SECTOR_SIZE];  /* LBA 0 as it will be */
	int mbr_was_ours;               /* LBA 0 already held bootinst's patch area */
	int unchanged;                  /* the disk holds this very install: write nothing */
};

/* What messages call the image. */
static const char *name_of(const struct install_options *o)
{
	return o->name ? o->name : o->image;
}

static int refuse_problem(struct install *in, enum install_stop stop, const char *object,
			  const char *message, const char *fix)
{
	in->r->status = INSTALL_REFUSED;
	in->r->stopped_by = stop;
	report_problem(in->o->err, name_of(in->o), object, message, fix);
	return -1;
}

/* --- options and the embedded blobs --------------------------------------- */

static struct check_request check_request_of(const struct install_options *o)
{
	struct check_request req = {
		.mode = CHECKS_BEFORE_INSTALL,
		.partition = o->partition,
		.kernel = o->kernel,
		.initrd = o->initrd,
		.cmdline = o->cmdline,
		.force = o->force,
		.backup_file = o->backup != NULL,
		.bus = o->bus,
	};
	return req;
}

const char *install_options_problem(const struct install_options *o)
{
	struct check_request req = check_request_of(o);

	return check_request_problem(&req);
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
	if (stage_size < sizeof(*h))
		return "the embedded stage is too short to hold a stage header";
	if (memcmp(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN) ||
	    h->version != BOOTINST_STAGE_VERSION || h->header_size != sizeof(*h) ||
	    h->image_size < sizeof(*h) || h->image_size > stage_size)
		return "the embedded stage's header does not match this installer";
	return NULL;
}

/* --- the checks ------------------------------------------------------------ */

/* Why not even --force can install, or NULL. */
static const char *cannot_install(const struct install *in)
{
	const struct check_result *c = &in->checked;

	if (!c->partition)
		return "there is no partition to record in the stage";
	if (strlen(in->o->cmdline) >= BOOTINST_CMDLINE_MAX)
		return "the command line does not fit the install record";
	if (c->gap_sectors < c->stage_sectors)
		return "the stage does not fit before the first partition";
	if (c->plan.foreign && !in->o->backup)
		return "the sectors where the stage goes hold another program's data, which only "
		       "--backup FILE can keep for bootinst uninstall";
	if (c->plan.foreign && (c->backup.head.flags & BOOTINST_BACKUP_FILE))
		return "the sectors where the stage goes hold foreign data again, and the first "
		       "install's --backup file is the only backup a disk can carry: run bootinst "
		       "uninstall --backup FILE first";
	return NULL;
}

/* Run the check engine, print what it found, and decide. */
static int run_checks(struct install *in)
{
	const struct check_request req = check_request_of(in->o);
	struct install_result *r = in->r;
	size_t errors;
	const char *cannot;

	if (checks_run(&req, &in->img, &in->checked, &r->findings, in->o->err)) {
		r->status = INSTALL_CALL_FAILED;
		r->stopped_by = INSTALL_STOP_IMAGE;
		return -1;
	}
	verbose_read_and_decided(in->o->out, name_of(in->o), &in->img, &in->checked);
	for (size_t i = 0; i < r->findings.count; i++)
		report_finding(in->o->err, name_of(in->o), &r->findings.list[i]);
	errors = findings_count(&r->findings, FINDING_ERROR);
	if (!errors)
		return 0;
	for (size_t i = 0; i < r->findings.count; i++)
		if (r->findings.list[i].severity == FINDING_ERROR) {
			r->diag = r->findings.list[i].diag;
			break;
		}
	if (!in->o->force) {
		r->status = INSTALL_REFUSED;
		r->stopped_by = INSTALL_STOP_FINDINGS;
		fprintf(in->o->err, "bootinst: %s: not installed: %zu error%s (--force installs anyway, "
			"and the disk then stops at boot with the first of them)\n",
			name_of(in->o), errors, errors == 1 ? "" : "s");
		return -1;
	}
	if ((cannot = cannot_install(in))) {
		r->status = INSTALL_REFUSED;
		r->stopped_by = INSTALL_STOP_CANNOT;
		fprintf(in->o->err, "bootinst: %s: not installed, even with --force: %s\n",
			name_of(in->o), cannot);
		return -1;
	}
	fprintf(in->o->err, "bootinst: %s: installing despite %zu error%s (--force): the disk will "
		"stop at boot with the first of them\n", name_of(in->o), errors, errors == 1 ? "" : "s");
	return 0;
}

/* --- the bytes to write ---------------------------------------------------- */

/*
 * --backup FILE keeps every foreign sector of the part of the gap install
 * may use (gap.h's scan), not only those the stage covers now: they are all
 * cleared, so that later installs find only zeros and stages of ours, and
 * uninstall puts them all back.
 */
static int collect_foreign(struct install *in)
{
	const struct gap_map *g = &in->checked.gap;
	struct backup_file *f = &in->file;
	const struct mbr_sector *mbr = (const void *)in->img.sector0;

	f->disk_signature = mbr->disk_signature;
	memcpy(f->mbr_code, in->img.sector0, BOOTINST_BACKUP_MBR_BYTES);
	for (uint32_t s = 0; s < g->scanned; s++) {
		uint32_t n = 0;
		int rc;

		while (s + n < g->scanned && g->state[s + n] == GAP_FOREIGN)
			n++;
		if (!n)
			continue;
		if (f->runs == BACKUP_FILE_MAX_RUNS)
			return report_call_failed(in->o->err, name_of(in->o), "saving the sectors after the MBR",
						  "they hold too many separate runs of foreign data"), -1;
		f->run[f->runs].lba = BOOTINST_STAGE_LBA + s;
		f->run[f->runs].sectors = n;
		f->run[f->runs].bytes = malloc((size_t)n * IMAGE_SECTOR_SIZE);
		if (!f->run[f->runs].bytes)
			return report_call_failed(in->o->err, name_of(in->o), "saving the sectors after the MBR",
						  strerror(ENOMEM)), -1;
		rc = image_read(&in->img, f->run[f->runs].bytes, (size_t)n * IMAGE_SECTOR_SIZE,
				f->run[f->runs].lba * IMAGE_SECTOR_SIZE);
		f->runs++;
		if (rc)
			return report_call_failed(in->o->err, name_of(in->o), "saving the sectors after the MBR",
						  strerror(rc)), -1;
		s += n;
	}
	return 0;
}

/* The backup the new stage carries: the engine's (what the first install
 * replaced), and the --backup file's size and CRC when it keeps foreign
 * sectors. */
static void choose_backup(struct install *in)
{
	in->backup = in->checked.backup;
	/* what was there before bootinst is unknown (its stage is damaged or
	 * kept none), but the file keeps all this install replaces: the MBR
	 * code as it is now, with the sectors */
	if (in->file.runs && (in->backup.head.flags & BOOTINST_BACKUP_UNKNOWN))
		stage_backup_of_mbr(&in->backup, in->img.sector0);
	if (in->file.runs) {
		uint32_t bytes, crc;

		backup_file_measure(&in->file, &bytes, &crc);
		in->backup.head.flags |= BOOTINST_BACKUP_FILE;
		in->backup.head.file_bytes = bytes;
		in->backup.head.file_crc = crc;
	}
}

static void build_stage(struct install *in)
{
	const struct mbr_sector *mbr = (const void *)in->img.sector0;
	struct bootinst_install_record rec = { 0 };

	rec.disk_signature = mbr->disk_signature;
	rec.partition = (uint8_t)in->checked.partition;
	rec.partition_type = in->checked.partition_type;
	/* DOS table fields are 32-bit, so these cannot be truncated */
	rec.part_start_lba = (uint32_t)in->checked.part_start;
	rec.part_sectors = (uint32_t)in->checked.part_sectors;
	if (in->o->initrd)
		rec.flags |= BOOTINST_REC_HAVE_INITRD;
	if (in->o->force_chs)
		rec.flags |= BOOTINST_REC_FORCE_CHS;
	if (in->o->bios_disk)
		rec.flags |= BOOTINST_REC_BIOS_DISK;
	rec.flags |= (uint16_t)(in->o->timeout << BOOTINST_REC_TIMEOUT_SHIFT);
	/* lengths checked by install_options_problem and the checks */
	stage_image_build(in->stage, &rec, in->o->kernel, in->o->initrd, in->o->cmdline, &in->backup);
}

/* Sector 0 with bytes 0..0x1AD from the blob and the patch area pointing
 * at the new stage; 0x1B8..0x1FF (signature, table, 55 AA) stay as read. */
static void build_mbr(struct install *in)
{
	struct mbr_sector *mbr = (void *)in->sector0;
	const struct bootinst_stage_header *h = (const void *)in->stage;

	memcpy(in->sector0, in->img.sector0, sizeof(in->sector0));
	in->mbr_was_ours = mbr->patch.magic == MBR_PATCH_MAGIC;
	in->r->replaced_foreign_code = !in->mbr_was_ours &&
				       !(in->backup.head.flags & BOOTINST_BACKUP_MBR_ZERO);
	memcpy(mbr->boot_code, bootinst_mbr_code, sizeof(mbr->boot_code));
	mbr->patch.magic = MBR_PATCH_MAGIC;
	mbr->patch.stage_lba = (uint32_t)in->checked.plan.lba;
	mbr->patch.stage_sectors = (uint16_t)(in->stage_bytes / IMAGE_SECTOR_SIZE);
	mbr->patch.stage_version = h->version;
}

/* --- summary ---------------------------------------------------------------- */

/* What the stage boots is the record unless /boot/bootinst.cfg overrides
 * it; say where a value differs from what was asked for. */
static const char *source_of(const struct install *in, const char *asked, const char *boots)
{
	return strcmp(asked ? asked : "", boots) ? " (from " BOOTINST_CONFIG_PATH ")" : "";
}

static void print_summary(const struct install *in)
{
	const struct install_result *r = in->r;
	const struct boot_config *boots = &in->checked.boots;
	const struct stage_plan *plan = &in->checked.plan;
	FILE *out = in->o->out;
	const char *mbr_note = r->replaced_foreign_code ? "replaced foreign boot code"
			       : in->mbr_was_ours ? "replaced an earlier bootinst MBR" : "the boot code area was empty";
	const char *gap_note = in->file.runs ? "overwrote foreign data, kept in the --backup file"
			       : r->replaced_stage && r->crash_safe ? "beside the earlier bootinst stage"
			       : r->replaced_stage ? "over the earlier bootinst stage"
			       : "the sectors were empty";

	if (in->unchanged)
		fprintf(out, "bootinst: %s: already installed as asked: nothing written\n", name_of(in->o));
	else if (in->o->dry_run)
		fprintf(out, "bootinst: %s: dry run, nothing written; install would write:\n",
			name_of(in->o));
	else
		fprintf(out, "bootinst: %s: installed\n", name_of(in->o));
	fprintf(out, "  partition  %u, type 0x%02x, start %" PRIu64 ", %" PRIu64 " sectors\n",
		r->partition, r->partition_type, r->part_start, r->part_sectors);
	fprintf(out, "  kernel     %s%s, %" PRIu64 " bytes, boot protocol %u.%02u\n",
		boots->kernel, source_of(in, in->o->kernel, boots->kernel), r->kernel_bytes,
		r->kernel_protocol >> 8, r->kernel_protocol & 0xff);
	if (boots->initrd[0])
		fprintf(out, "  initrd     %s%s, %" PRIu64 " bytes\n", boots->initrd,
			source_of(in, in->o->initrd, boots->initrd), r->initrd_bytes);
	else
		fprintf(out, "  initrd     none%s\n", source_of(in, in->o->initrd, boots->initrd));
	fprintf(out, "  cmdline    \"%s\"%s\n", boots->cmdline, source_of(in, in->o->cmdline, boots->cmdline));
	if (in->o->timeout)
		fprintf(out, "  menu       for %u s before the entry boots (--timeout)\n", in->o->timeout);
	fprintf(out, "  MBR        %u bytes of boot code at LBA 0 (%s)\n", MBR_BOOT_CODE_MAX, mbr_note);
	fprintf(out, "  stage      %u sectors at LBA %" PRIu64 "..%" PRIu64 " of a %" PRIu64
		"-sector gap (%s)\n", r->stage_sectors, r->stage_lba, r->stage_lba + r->stage_sectors - 1,
		r->gap_sectors, gap_note);
	for (unsigned i = 0; i < plan->clears; i++)
		fprintf(out, "  cleared    LBA %" PRIu64 "..%" PRIu64 " (an earlier stage)\n",
			plan->clear[i].lba, plan->clear[i].lba + plan->clear[i].sectors - 1);
	for (unsigned i = 0; i < in->file.runs; i++)
		fprintf(out, "  cleared    LBA %" PRIu64 "..%" PRIu64 " (foreign data, saved in %s)\n",
			in->file.run[i].lba, in->file.run[i].lba + in->file.run[i].sectors - 1,
			in->o->backup);
	if (!r->crash_safe)
		fprintf(out, "  note       the gap has no room for the new stage beside the old one: "
			"it was written over it, and an install killed while writing it would have "
			"left a disk that stops with E06\n");
}

/* --- the install ----------------------------------------------------------- */

/*
 * Is the new stage, byte for byte, the one the MBR boots now?  Then it
 * stays where it is, and if the MBR's code is the same too, install writes
 * nothing at all: installing twice with the same options leaves the disk
 * as the first install left it.
 */
static int already_installed(struct install *in)
{
	const struct gap_map *g = &in->checked.gap;
	const struct gap_stage *a = g->active >= 0 ? &g->stage[g->active] : NULL;
	uint8_t *now;
	int rc;

	if (!a || (size_t)a->sectors * IMAGE_SECTOR_SIZE != in->stage_bytes || in->file.runs)
		return 0;
	now = malloc(in->stage_bytes);
	if (!now) {
		report_call_failed(in->o->err, name_of(in->o), "reading the installed stage", strerror(ENOMEM));
		return -1;
	}
	rc = image_read(&in->img, now, in->stage_bytes, a->lba * IMAGE_SECTOR_SIZE);
	if (!rc && !memcmp(now, in->stage, in->stage_bytes)) {
		in->unchanged = 1;
		in->checked.plan.lba = a->lba;
		in->checked.plan.crash_safe = 1;
		in->checked.plan.mbr_first = 0;
		in->checked.plan.clears = 0;
		in->r->stage_lba = a->lba;
		in->r->crash_safe = 1;
	}
	free(now);
	if (rc)
		report_call_failed(in->o->err, name_of(in->o), "reading the installed stage", strerror(rc));
	return rc ? -1 : 0;
}

static int check_and_build(struct install *in)
{
	const struct check_result *checked = &in->checked;
	struct install_result *r = in->r;
	struct image_failure why;
	const char *problem;

	if ((problem = install_options_problem(in->o)))
		return refuse_problem(in, INSTALL_STOP_OPTIONS, "options", problem, "see bootinst --help");
	if ((problem = embedded_blobs_problem()))
		return refuse_problem(in, INSTALL_STOP_EMBEDDED_BLOBS, "bootinst itself", problem,
				      "rebuild bootinst (make); this is a build bug");

	/* one installer at a time: locked before the first read, to the end */
	if (commit_lock(&in->lock, in->o->image, in->o->dry_run, in->o->no_wait, in->o->err)) {
		r->status = INSTALL_CALL_FAILED;
		r->stopped_by = INSTALL_STOP_IMAGE;
		return -1;
	}
	if (image_open(&in->img, in->o->image, &why)) {
		report_image_failure(in->o->err, name_of(in->o), why.doing, why.reason, why.fix);
		r->status = INSTALL_CALL_FAILED;
		r->stopped_by = INSTALL_STOP_IMAGE;
		return -1;
	}
	if (run_checks(in))
		return -1;
	r->partition = checked->partition;
	r->partition_type = checked->partition_type;
	r->part_start = checked->part_start;
	r->part_sectors = checked->part_sectors;
	r->kernel_bytes = checked->kernel_bytes;
	r->kernel_protocol = checked->kernel_protocol;
	r->initrd_bytes = checked->initrd_bytes;
	r->gap_sectors = checked->gap_sectors;
	r->replaced_stage = checked->gap.active >= 0;
	r->crash_safe = checked->plan.crash_safe;
	r->stage_lba = checked->plan.lba;

	if (checked->plan.foreign && collect_foreign(in)) {
		r->status = INSTALL_CALL_FAILED;
		return -1;
	}
	choose_backup(in);
	in->stage_bytes = stage_image_bytes(in->o->kernel, in->o->initrd, in->o->cmdline, &in->backup);
	r->stage_sectors = (uint32_t)(in->stage_bytes / IMAGE_SECTOR_SIZE);
	in->stage = calloc(1, in->stage_bytes);
	if (!in->stage) {
		r->status = INSTALL_CALL_FAILED;
		report_call_failed(in->o->err, name_of(in->o), "building the stage", strerror(ENOMEM));
		return -1;
	}
	build_stage(in);
	if (already_installed(in) < 0)
		return -1;
	build_mbr(in);
	if (in->unchanged && memcmp(in->sector0, in->img.sector0, MBR_BOOT_CODE_MAX))
		in->unchanged = 0;              /* same stage, another MBR code: rewrite it */
	return 0;
}

static enum install_status status_of(enum commit_status s)
{
	switch (s) {
	case COMMIT_DONE:        return INSTALL_DONE;
	case COMMIT_NOT_STARTED: return INSTALL_CALL_FAILED;
	case COMMIT_UNDONE:      return INSTALL_WRITE_UNDONE;
	case COMMIT_UNDO_FAILED: return INSTALL_WRITE_DAMAGED;
	}
	return INSTALL_CALL_FAILED;
}

/* Zero what the plan clears (old stages, proven ours) and what the
 * --backup file now keeps: the install is complete already, so a failure
 * here leaves only sectors that nothing boots from. */
static void clear_old(struct install *in)
{
	const struct stage_plan *plan = &in->checked.plan;
	struct write_range ranges[GAP_MAX_STAGES + 1 + BACKUP_FILE_MAX_RUNS];
	size_t n = 0, longest = 0;
	uint8_t *zeros;

	for (unsigned i = 0; i < plan->clears; i++)
		ranges[n++] = (struct write_range){ "an earlier stage", plan->clear[i].lba * IMAGE_SECTOR_SIZE,
						    (size_t)plan->clear[i].sectors * IMAGE_SECTOR_SIZE, NULL };
	for (unsigned i = 0; i < in->file.runs; i++) {
		uint64_t s = in->file.run[i].lba, e = s + in->file.run[i].sectors;
		uint64_t ns = plan->lba, ne = plan->lba + plan->sectors;

		/* the stage itself covers part of them */
		if (s < ns)
			ranges[n++] = (struct write_range){ "foreign data kept in the backup file",
							    s * IMAGE_SECTOR_SIZE,
							    (size_t)((e < ns ? e : ns) - s) * IMAGE_SECTOR_SIZE, NULL };
		if (e > ne)
			ranges[n++] = (struct write_range){ "foreign data kept in the backup file",
							    (s > ne ? s : ne) * IMAGE_SECTOR_SIZE,
							    (size_t)(e - (s > ne ? s : ne)) * IMAGE_SECTOR_SIZE, NULL };
	}
	for (size_t i = 0; i < n; i++) {
		if (ranges[i].len > longest)
			longest = ranges[i].len;
		in->r->cleared_sectors += ranges[i].len / IMAGE_SECTOR_SIZE;
	}
	if (!n)
		return;
	zeros = calloc(1, longest);
	for (size_t i = 0; i < n; i++)
		ranges[i].bytes = zeros;
	if (!zeros || commit_writes(in->o->image, 0, ranges, n, in->o->write_at, in->o->err) != COMMIT_DONE)
		fprintf(in->o->err, "bootinst: %s: installed, but the sectors of what it replaced were "
			"not all cleared: nothing boots from them, and the next install clears them\n",
			name_of(in->o));
	free(zeros);
}

/*
 * The writes, each synced and read back before the next: the new stage,
 * then the MBR's switch to it, so that a process killed between any two
 * leaves the MBR pointing at a whole stage.  In place and longer, the
 * MBR's new count goes first: the old stage, checked by its own CRC over
 * its own size, boots with it.
 */
static void commit(struct install *in)
{
	const struct stage_plan *plan = &in->checked.plan;
	const struct write_range stage = { "the stage", plan->lba * IMAGE_SECTOR_SIZE, in->stage_bytes, in->stage };
	const struct write_range mbr = { "the MBR boot code", 0, MBR_BOOT_CODE_MAX, in->sector0 };
	const struct write_range ranges[2] = { plan->mbr_first ? mbr : stage, plan->mbr_first ? stage : mbr };
	int exclusive = in->img.is_block_device && !in->o->force;

	if (in->o->backup && backup_file_write(in->o->backup, &in->file, in->o->err)) {
		in->r->status = INSTALL_CALL_FAILED;
		in->r->stopped_by = INSTALL_STOP_BACKUP;
		return;
	}
	in->r->status = status_of(commit_writes(in->o->image, exclusive, ranges, 2, in->o->write_at,
						in->o->err));
	if (in->r->status == INSTALL_DONE)
		clear_old(in);
}

int install_run(const struct install_options *o, struct install_result *r)
{
	struct install in = { .o = o, .r = r, .img = { .fd = -1 }, .lock = { .fd = -1 } };

	memset(r, 0, sizeof(*r));
	findings_init(&r->findings);
	diag_set(&r->diag, DIAG_OK);
	if (check_and_build(&in) == 0) {
		/* our read-only descriptor lets go before writing */
		image_close(&in.img);
		if (o->dry_run || in.unchanged)
			r->status = INSTALL_DONE;
		else
			commit(&in);
		if (r->status == INSTALL_DONE && !report_get_style()->quiet)
			print_summary(&in);
	}
	image_close(&in.img);
	commit_unlock(&in.lock);
	backup_file_free(&in.file);
	free(in.stage);
	return r->status == INSTALL_DONE ? 0 : 1;
}

void install_result_free(struct install_result *r)
{
	findings_free(&r->findings);
	diag_set(&r->diag, DIAG_OK);
}
