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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <et/com_err.h>
#include "payload/stage_image.h"
#include "predict/predict.h"

/* --- the request ------------------------------------------------------------- */

/* Usage errors name the option and its value; a value is shown up to
 * this many bytes (a 5,000-byte path need not be echoed whole). */
#define VALUE_SHOWN 64
static char problem[512];

/* The first byte of text that is a control character (C0 or DEL), or NULL. */
static const char *control_char(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return (const char *)p;
	return NULL;
}

/* The first byte of text that does not start a valid UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF),
 * or NULL if it is all valid. */
static const char *not_utf8(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	int n;

	for (; *p; p += n)
		if (!(n = report_utf8_length(p)))
			return (const char *)p;
	return NULL;
}

/* The name a control character goes by, for the message. */
static const char *control_name(unsigned char c)
{
	switch (c) {
	case '\n': return "a newline";
	case '\r': return "a carriage return";
	case '\t': return "a tab";
	case 0x1b: return "an escape";
	default:   return "a control character";
	}
}

static const char *path_problem(const char *path, const char *option)
{
	const char *bad;
	size_t len;

	if (!path)
		return NULL;
	len = strlen(path);
	if (!len)
		snprintf(problem, sizeof(problem),
			 "%s is empty: it takes an absolute path inside the filesystem, such as %s",
			 option, BOOTINST_DEFAULT_KERNEL);
	else if (len >= BOOTINST_PATH_MAX)
		snprintf(problem, sizeof(problem),
			 "%s is %zu bytes long; the install record holds a path of at most %u bytes: "
			 "give a shorter one (move the file, such as to %s)",
			 option, len, BOOTINST_PATH_MAX - 1, BOOTINST_DEFAULT_KERNEL);
	else if ((bad = control_char(path)))
		snprintf(problem, sizeof(problem),
			 "%s has %s (byte 0x%02x) at offset %zu: bootinst takes no control "
			 "characters in a path; rename the file", option,
			 control_name((unsigned char)*bad), (unsigned char)*bad, (size_t)(bad - path));
	else if (path[0] != '/')
		snprintf(problem, sizeof(problem),
			 "%s takes an absolute path inside the filesystem, such as %s, not '%.*s%s'",
			 option, BOOTINST_DEFAULT_KERNEL, VALUE_SHOWN, path,
			 len > VALUE_SHOWN ? "..." : "");
	else
		return NULL;
	return problem;
}

/*
 * The command line the stage hands the kernel, as text.  Its length is
 * not a usage error but E40, the kernel's own limit, found by the checks.
 *
 * A control character is refused, not passed on: the kernel's parser
 * (lib/cmdline.c, lib/ctype.c) counts a newline or a tab as a space and
 * splits arguments there, /boot/bootinst.cfg holds the command line on
 * one line ('cmdline TEXT'), so a newline cannot be written there at all,
 * and an escape or a backspace would rewrite the terminal every time
 * bootinst prints the command line.  None is ever meant: they come from a
 * paste or a here-document.
 *
 * Bytes that are not UTF-8 are refused too: the kernel passes the bytes
 * on untouched, but `bootinst check --json` prints the command line in
 * JSON, which is UTF-8 (RFC 8259, section 8.1), and such bytes almost
 * always come from a Latin-1 terminal or a binary paste.  (Plain ASCII is
 * safest: lib/ctype.c even counts byte 0xA0 as a space.)
 */
static const char *cmdline_problem(const char *cmdline)
{
	const char *bad, *why, *fix;

	if (!cmdline)
		return NULL;
	if ((bad = control_char(cmdline))) {
		switch (*bad) {
		case '\n':
		case '\r':
			why = "the kernel splits the arguments there, and " BOOTINST_CONFIG_PATH
			      " holds the command line on one line";
			fix = "separate the arguments with spaces";
			break;
		case '\t':
		case '\v':
		case '\f':
			why = "the kernel splits the arguments there, as at a space";
			fix = "separate the arguments with spaces";
			break;
		default:
			why = "neither the kernel nor init takes it as text, and it would act on "
			      "the terminal wherever the command line is printed";
			fix = "remove it";
		}
		snprintf(problem, sizeof(problem), "--cmdline has %s (byte 0x%02x) at offset %zu: %s; %s",
			 control_name((unsigned char)*bad), (unsigned char)*bad,
			 (size_t)(bad - cmdline), why, fix);
	} else if ((bad = not_utf8(cmdline))) {
		snprintf(problem, sizeof(problem),
			 "--cmdline is not UTF-8 text (byte 0x%02x at offset %zu): write it in UTF-8, "
			 "or plain ASCII", (unsigned char)*bad, (size_t)(bad - cmdline));
	} else {
		return NULL;
	}
	return problem;
}

const char *check_request_problem(const struct check_request *req)
{
	const char *p;

	if (req->partition > MBR_PART_ENTRIES)
		return "--partition takes a primary partition number, 1 to 4";
	if ((p = path_problem(req->kernel, "--kernel")) || (p = path_problem(req->initrd, "--initrd")) ||
	    (p = cmdline_problem(req->cmdline)))
		return p;
	return NULL;
}

/* --- what to boot ------------------------------------------------------------ */

/*
 * The uninstall backup the new stage carries: the one the stages of ours
 * already carry (what the first install replaced), else, on a disk
 * bootinst is not installed on, its MBR's boot code; a disk an older
 * bootinst installed without a backup cannot say what was there before.
 */
static void backup_to_carry(struct check *c)
{
	struct record_backup *b = &c->res->backup;

	if (c->backup_found) {
		*b = c->installed_backup;
		return;
	}
	if (!c->res->installed) {
		stage_backup_of_mbr(b, c->img->sector0);
		return;
	}
	memset(b, 0, sizeof(*b));
	memcpy(b->head.magic, BOOTINST_BACKUP_MAGIC, BOOTINST_BACKUP_MAGIC_LEN);
	b->head.flags = BOOTINST_BACKUP_UNKNOWN;
}

/* The request's settings where given, else (`bootinst check`) the
 * installed record's, else install's defaults: what boots now, or would
 * after that install; and the stage that records them. */
static void settings_to_check(struct check *c)
{
	const struct check_request *req = c->req;
	const struct boot_config *rec = c->record_ok && req->mode == CHECKS_AS_INSTALLED ? &c->recorded : NULL;
	struct boot_config *b = &c->res->boots;

	/* installed, but the record cannot be read (the stage is damaged):
	 * which kernel it boots is unknown, "" (bootinst.cfg may still say) */
	int unknown = req->mode == CHECKS_AS_INSTALLED && c->res->installed && !c->record_ok;

	snprintf(b->kernel, sizeof(b->kernel), "%s",
		 req->kernel ? req->kernel : rec ? rec->kernel : unknown ? "" : BOOTINST_DEFAULT_KERNEL);
	snprintf(b->initrd, sizeof(b->initrd), "%s",
		 req->initrd ? req->initrd : rec ? rec->initrd : "");
	snprintf(b->cmdline, sizeof(b->cmdline), "%s",
		 req->cmdline ? req->cmdline : rec ? rec->cmdline : "");
	backup_to_carry(c);
	c->res->stage_sectors = (uint32_t)(stage_image_bytes(b->kernel, b->initrd, b->cmdline,
							     &c->res->backup) / IMAGE_SECTOR_SIZE);
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
		.bus = c->req->bus,
	};

	if (c->lib_fs && c->res->kernel_ok && cmdline_known)
		predict_after_loader(&in, c->out);
}

/* --- the other entries of /boot/bootinst.cfg --------------------------------------- */

/*
 * Each entry besides the default, checked as the default is (its files,
 * then the kernel's first steps with its command line), each finding's
 * object named "entry NAME: ...".  The disk still boots its default, so
 * what would stop one of these is a warning: it fails when chosen at the
 * menu (or as the fallback).  The result then describes the default again:
 * what install records and its summary shows.
 */
static void check_other_entries(struct check *c)
{
	const struct boot_menu *menu = &c->res->menu;
	struct check_result *saved = malloc(sizeof(*saved));
	struct bzimage_info kernel = c->kernel;

	if (!saved) {
		check_call_failed(c, "checking the entries", strerror(ENOMEM));
		return;
	}
	*saved = *c->res;
	for (uint32_t i = 0; i < menu->count; i++) {
		size_t first = c->out->count;

		if (i == menu->default_entry)
			continue;
		c->res->boots = menu->entry[i].cfg;
		check_boot_files(c);
		predict(c);
		for (size_t k = first; k < c->out->count; k++) {
			struct finding *item = &c->out->list[k];
			char object[sizeof(item->object) + BOOTINST_ENTRY_NAME_MAX + 8];

			snprintf(object, sizeof(object), "entry %s: %s", menu->entry[i].name, item->object);
			memcpy(item->object, object, sizeof(item->object) - 1);
			item->object[sizeof(item->object) - 1] = '\0';
			if (item->severity == FINDING_ERROR)
				item->severity = FINDING_WARNING;
		}
	}
	*c->res = *saved;
	c->kernel = kernel;
	free(saved);
}

/* --- all of it ------------------------------------------------------------------- */

/* What is installed, read in both modes; reported only by `bootinst check`
 * (install replaces it: its damage is no finding about the new install). */
static int read_installed(struct check *c)
{
	struct findings dropped;
	int rc;

	if (c->req->mode == CHECKS_AS_INSTALLED)
		return check_installed(c);
	findings_init(&dropped);
	c->out = &dropped;
	rc = check_installed(c);
	c->out = c->kept_out;
	findings_free(&dropped);
	return rc;
}

int checks_run(const struct check_request *req, const struct disk_image *img,
	       struct check_result *res, struct findings *out, FILE *err)
{
	struct check c = { .req = req, .img = img, .res = res, .out = out, .kept_out = out, .err = err };
	int rc = -1, e;

	/* error_message() knows libext2fs's codes only once its table is
	 * registered; registering again is a no-op. */
	initialize_ext2_error_table();
	memset(res, 0, sizeof(*res));
	check_partition_table(&c);
	e = gap_read(img, &res->gap);
	if (e) {
		check_call_failed(&c, "reading the sectors after the MBR", strerror(e));
		goto out;
	}
	if (read_installed(&c))
		goto out;
	settings_to_check(&c);
	if (c.table_ok) {
		if (check_choose_partition(&c))
			goto out;
		if (res->partition && check_boot_partition(&c))
			goto out;
		check_cmdline_fits_record(&c);
		check_gap(&c);
		predict(&c);
		if (res->partition && res->menu.count > 1)
			check_other_entries(&c);
	}
	rc = 0;
out:
	if (c.lib_fs)
		ext2fs_close_free(&c.lib_fs);
	stage_view_free(c.sv);
	return rc;
}
