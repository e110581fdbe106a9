/*
 * config.c - parse /boot/bootinst.cfg (format in config.h).
 *
 * Line by line:
 *   - a line ends at LF; a CR before it and trailing blanks are trimmed, so
 *     files written on DOS/Windows read the same; the last line needs no LF;
 *   - leading blanks (space, tab) are skipped; an empty line or one whose
 *     first non-blank is '#' is ignored ('#' later in a line is text: a
 *     command line may contain it);
 *   - otherwise the line is KEYWORD, a run of blanks, then the argument: the
 *     rest of the line, verbatim (paths may contain spaces, as ext2 allows);
 *   - each keyword may appear once; a NUL byte anywhere is an error (the
 *     file is binary or damaged, and C strings could not carry it).
 *
 * Portable: built for the stage and the host, using only stage1/libc's
 * string routines.
 */
#include <string.h>
#include "config.h"

/* The reasons below name the limits; keep them in step with the header. */
_Static_assert(BOOTINST_PATH_MAX == 256, "fix the 'path is longer' reason");
_Static_assert(BOOTINST_CMDLINE_MAX == 2048, "fix the 'command line is longer' reason");

enum config_keyword { KW_KERNEL, KW_INITRD, KW_CMDLINE, KW_COUNT };

static const struct {
	const char *word;
	const char *repeated;   /* d->name when the keyword appears twice */
} keywords[KW_COUNT] = {
	[KW_KERNEL]  = { "kernel",  "'kernel' appears twice" },
	[KW_INITRD]  = { "initrd",  "'initrd' appears twice" },
	[KW_CMDLINE] = { "cmdline", "'cmdline' appears twice" },
};

/*
 * d->name must outlive config_parse and the text it got need not be
 * NUL-terminated, so the "unknown keyword" reason is built here.  The stage
 * and the host tools are single-threaded; the next call overwrites it.
 */
#define UNKNOWN_WORD_SHOWN 32
static char unknown_keyword_reason[sizeof "unknown keyword ''" + UNKNOWN_WORD_SHOWN + sizeof "..."];

static const char *name_unknown_keyword(const char *word, uint32_t len)
{
	static const char prefix[] = "unknown keyword '";
	char *p = unknown_keyword_reason;

	memcpy(p, prefix, sizeof prefix - 1);
	p += sizeof prefix - 1;
	if (len > UNKNOWN_WORD_SHOWN) {
		memcpy(p, word, UNKNOWN_WORD_SHOWN);
		p += UNKNOWN_WORD_SHOWN;
		memcpy(p, "...", 3);
		p += 3;
	} else {
		memcpy(p, word, len);
		p += len;
	}
	*p++ = '\'';
	*p = 0;
	return unknown_keyword_reason;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static enum diag_id syntax_error(struct diag *d, const char *path, uint32_t line_no,
				 const char *reason)
{
	diag_set(d, DIAG_CONFIG_SYNTAX);
	d->path = path;
	d->value = line_no;
	d->name = reason;
	return DIAG_CONFIG_SYNTAX;
}

static int find_keyword(const char *word, uint32_t len)
{
	for (int k = 0; k < KW_COUNT; k++)
		if (strlen(keywords[k].word) == len && memcmp(keywords[k].word, word, len) == 0)
			return k;
	return -1;
}

/* Check one keyword's argument; NULL if it is acceptable, else the reason. */
static const char *check_argument(enum config_keyword kw, const char *arg, uint32_t len)
{
	switch (kw) {
	case KW_CMDLINE:
		return len >= BOOTINST_CMDLINE_MAX ? "the command line is longer than 2047 bytes" : 0;
	case KW_INITRD:
		/* "initrd" alone or "initrd none": boot without one */
		if (len == 0 || (len == 4 && memcmp(arg, "none", 4) == 0))
			return 0;
		break;
	case KW_KERNEL:
		if (len == 0)
			return "'kernel' needs a path";
		break;
	case KW_COUNT:
		break;
	}
	if (arg[0] != '/')
		return "the path is not absolute (it must start with /)";
	if (len >= BOOTINST_PATH_MAX)
		return "the path is longer than 255 bytes";
	return 0;
}

static void set_field(char *field, const char *arg, uint32_t len)
{
	memcpy(field, arg, len);
	field[len] = 0;
}

static void apply_argument(struct boot_config *cfg, enum config_keyword kw,
			   const char *arg, uint32_t len)
{
	switch (kw) {
	case KW_KERNEL:
		set_field(cfg->kernel, arg, len);
		break;
	case KW_INITRD:
		if (len == 4 && memcmp(arg, "none", 4) == 0)
			len = 0;
		set_field(cfg->initrd, arg, len);
		break;
	case KW_CMDLINE:
		set_field(cfg->cmdline, arg, len);
		break;
	case KW_COUNT:
		break;
	}
}

/*
 * One pass over the text.  With cfg NULL it only checks; with cfg set it
 * also stores each argument.  Returns DIAG_OK or the first line's error.
 */
static enum diag_id config_pass(const char *text, uint32_t len, const char *path,
				struct boot_config *cfg, struct diag *d)
{
	unsigned seen = 0;              /* bit k: keyword k already given */
	uint32_t line_no = 0;
	uint32_t next = 0;

	while (next < len) {
		uint32_t start = next, end = next;

		line_no++;
		while (end < len && text[end] != '\n') {
			if (text[end] == 0)
				return syntax_error(d, path, line_no,
						    "a NUL byte: the file is binary or damaged");
			end++;
		}
		next = end < len ? end + 1 : len;

		while (end > start && (is_blank(text[end - 1]) || text[end - 1] == '\r'))
			end--;
		while (start < end && is_blank(text[start]))
			start++;
		if (start == end || text[start] == '#')
			continue;

		uint32_t word_end = start;
		while (word_end < end && !is_blank(text[word_end]))
			word_end++;
		uint32_t arg = word_end;
		while (arg < end && is_blank(text[arg]))
			arg++;

		int kw = find_keyword(text + start, word_end - start);
		if (kw < 0)
			return syntax_error(d, path, line_no,
					    name_unknown_keyword(text + start, word_end - start));
		if (seen & 1u << kw)
			return syntax_error(d, path, line_no, keywords[kw].repeated);
		seen |= 1u << kw;

		const char *reason = check_argument(kw, text + arg, end - arg);
		if (reason)
			return syntax_error(d, path, line_no, reason);
		if (cfg)
			apply_argument(cfg, kw, text + arg, end - arg);
	}
	return diag_set(d, DIAG_OK);
}

enum diag_id config_parse(const char *text, uint32_t len, const char *path,
			  struct boot_config *cfg, struct diag *d)
{
	/* Check everything first, then apply: a bad line leaves *cfg as it
	 * was, without a second 2.5 KiB struct boot_config on the stage's
	 * small stack. */
	if (config_pass(text, len, path, 0, d) != DIAG_OK)
		return d->id;
	return config_pass(text, len, path, cfg, d);
}
