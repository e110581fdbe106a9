/*
 * checks.c - the check engine's order (see checks.h): the request, what to
 * boot, and each check in the order the machine meets things at boot.
 *
 * Every check appends findings and returns; only a check whose input is
 * missing is skipped (no DOS table: no partition; no filesystem: no files).
 * The numbers in a finding are the ones the stage would print at boot,
 * because the same code computes them: stage1/ext2.c reads the partition
 * here through a struct blockdev over the image file, exactly as it reads
 * it through INT 13h at boot.
 */
#include "internal.h"

#include <string.h>
#include <et/com_err.h>
#include "payload/stage_image.h"
#include "predict/predict.h"

/* --- the request ------------------------------------------------------------- */

static const char *path_problem(const char *path, const char *option)
{
	static char problem[128];

	if (!path)
		return NULL;
	if (path[0] != '/')
		snprintf(problem, sizeof(problem),
			 "%s takes an absolute path inside the filesystem, e.g. %s", option,
			 BOOTINST_DEFAULT_KERNEL);
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

/* --- what to boot ------------------------------------------------------------ */

/* The request's settings where given, else the installed record's, else
 * install's defaults: what boots now, or would after that install; and
 * the stage that records them. */
static void settings_to_check(struct check *c)
{
	const struct check_request *req = c->req;
	const struct boot_config *rec = c->record_ok ? &c->recorded : NULL;
	struct boot_config *b = &c->res->boots;

	snprintf(b->kernel, sizeof(b->kernel), "%s",
		 req->kernel ? req->kernel : rec ? rec->kernel : BOOTINST_DEFAULT_KERNEL);
	snprintf(b->initrd, sizeof(b->initrd), "%s",
		 req->initrd ? req->initrd : rec ? rec->initrd : "");
	snprintf(b->cmdline, sizeof(b->cmdline), "%s",
		 req->cmdline ? req->cmdline : rec ? rec->cmdline : "");
	c->res->stage_sectors = (uint32_t)(stage_image_bytes(b->kernel, b->initrd, b->cmdline) /
					   IMAGE_SECTOR_SIZE);
}

/* --- after the loader ---------------------------------------------------------- */

/* Only where the loader gets as far as starting the kernel, and libext2fs
 * can read the partition (predict.h).  A damaged install has no command
 * line to predict from unless one was given. */
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

	if (c->req->mode == CHECKS_AS_INSTALLED && c->lib_fs && c->res->kernel_ok && cmdline_known)
		predict_after_loader(&in, c->out);
}

/* --- all of it ------------------------------------------------------------------- */

int checks_run(const struct check_request *req, const struct disk_image *img,
	       struct check_result *res, struct findings *out, FILE *err)
{
	struct check c = { .req = req, .img = img, .res = res, .out = out, .err = err };
	int rc = -1;

	/* error_message() knows libext2fs's codes only once its table is
	 * registered; registering again is a no-op. */
	initialize_ext2_error_table();
	memset(res, 0, sizeof(*res));
	check_partition_table(&c);
	if (req->mode == CHECKS_AS_INSTALLED && check_installed(&c))
		goto out;
	settings_to_check(&c);
	if (c.table_ok) {
		check_choose_partition(&c);
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
