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
#include "stage_header.h"
#include "disk/image.h"
#include "payload/blobs.h"
#include "payload/stage_image.h"

struct install {
	const struct install_options *o;
	struct install_result *r;
	struct disk_image img;
	struct check_result checked;    /* what the checks learned */
	uint8_t *stage;                 /* the stage as it will be written */
	size_t stage_bytes;             /* the new stage image, whole sectors */
	size_t write_bytes;             /* what is written from LBA 1: the image,
					 * zero-padded over a longer old stage */
	uint8_t sector0[MBR_SECTOR_SIZE];  /* LBA 0 as it will be */
	int mbr_was_ours;               /* LBA 0 already held bootinst's patch area */
};

static int refuse_problem(struct install *in, enum install_stop stop, const char *object,
			  const char *message, const char *fix)
{
	in->r->status = INSTALL_REFUSED;
	in->r->stopped_by = stop;
	report_problem(in->o->err, in->o->image, object, message, fix);
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
	if (stage_size < sizeof(*h) || stage_size % IMAGE_SECTOR_SIZE)
		return "the embedded stage is not whole sectors holding a stage header";
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
	if (!in->checked.partition)
		return "there is no partition to record in the stage";
	if (strlen(in->o->cmdline) >= BOOTINST_CMDLINE_MAX)
		return "the command line does not fit the install record";
	if (in->checked.gap_sectors < in->checked.stage_sectors)
		return "the stage does not fit before the first partition";
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
	for (size_t i = 0; i < r->findings.count; i++)
		report_finding(in->o->err, in->o->image, &r->findings.list[i]);
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
			in->o->image, errors, errors == 1 ? "" : "s");
		return -1;
	}
	if ((cannot = cannot_install(in))) {
		r->status = INSTALL_REFUSED;
		r->stopped_by = INSTALL_STOP_CANNOT;
		fprintf(in->o->err, "bootinst: %s: not installed, even with --force: %s\n",
			in->o->image, cannot);
		return -1;
	}
	fprintf(in->o->err, "bootinst: %s: installing despite %zu error%s (--force): the disk will "
		"stop at boot with the first of them\n", in->o->image, errors, errors == 1 ? "" : "s");
	return 0;
}

/* --- the bytes to write ---------------------------------------------------- */

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
	/* lengths checked by install_options_problem and the checks */
	stage_image_build(in->stage, &rec, in->o->kernel, in->o->initrd, in->o->cmdline);
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
	FILE *out = in->o->out;
	const char *mbr_note = r->replaced_foreign_code ? "replaced foreign boot code"
			       : in->mbr_was_ours ? "replaced an earlier bootinst MBR" : "the boot code area was empty";
	const char *gap_note = in->checked.gap_foreign ? "overwrote foreign data (--force)"
			       : r->replaced_stage ? "replaced an earlier bootinst stage"
			       : "the sectors were empty";

	if (in->o->dry_run)
		fprintf(out, "bootinst: %s: dry run, nothing written; install would write:\n",
			in->o->image);
	else
		fprintf(out, "bootinst: %s: installed\n", in->o->image);
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
	fprintf(out, "  MBR        %u bytes of boot code at LBA 0 (%s)\n", MBR_BOOT_CODE_MAX, mbr_note);
	fprintf(out, "  stage      %u sectors at LBA %u..%u of a %" PRIu64 "-sector gap (%s)\n",
		r->stage_sectors, BOOTINST_STAGE_LBA, BOOTINST_STAGE_LBA + r->stage_sectors - 1,
		r->gap_sectors, gap_note);
}

/* --- the install ----------------------------------------------------------- */

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

	if (image_open(&in->img, in->o->image, &why)) {
		report_image_failure(in->o->err, in->o->image, why.doing, why.reason);
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
	r->stage_sectors = checked->stage_sectors;
	in->stage_bytes = (size_t)checked->stage_sectors * IMAGE_SECTOR_SIZE;
	r->replaced_stage = checked->gap_holds_stage;

	/* A re-install over a longer earlier stage clears its tail too, so
	 * that one consistent install remains after the MBR. */
	in->write_bytes = in->stage_bytes;
	if (checked->gap_holds_stage) {
		struct bootinst_stage_header old;
		if (image_read(&in->img, &old, sizeof(old), BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE) == 0) {
			size_t old_bytes = ((size_t)old.image_size + IMAGE_SECTOR_SIZE - 1) /
					   IMAGE_SECTOR_SIZE * IMAGE_SECTOR_SIZE;
			if (old_bytes > in->write_bytes &&
			    old_bytes <= (size_t)checked->gap_sectors * IMAGE_SECTOR_SIZE)
				in->write_bytes = old_bytes;
		}
	}
	in->stage = calloc(1, in->write_bytes);
	if (!in->stage) {
		r->status = INSTALL_CALL_FAILED;
		report_call_failed(in->o->err, "while building the stage", strerror(ENOMEM));
		return -1;
	}
	build_stage(in);
	build_mbr(in);
	return 0;
}

static void commit(struct install *in)
{
	/* Stage first, MBR code last: until the MBR is written the old boot
	 * code runs, and it never points at a stage that did not land. */
	const struct write_range ranges[] = {
		{ "the stage", BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE, in->write_bytes, in->stage },
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

	memset(r, 0, sizeof(*r));
	findings_init(&r->findings);
	diag_set(&r->diag, DIAG_OK);
	if (check_and_build(&in) == 0) {
		/* our read-only descriptor lets go before writing */
		image_close(&in.img);
		if (o->dry_run)
			r->status = INSTALL_DONE;
		else
			commit(&in);
		if (r->status == INSTALL_DONE)
			print_summary(&in);
	}
	image_close(&in.img);
	free(in.stage);
	return r->status == INSTALL_DONE ? 0 : 1;
}

void install_result_free(struct install_result *r)
{
	findings_free(&r->findings);
	diag_set(&r->diag, DIAG_OK);
}
