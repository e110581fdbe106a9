/*
 * config.c - parse /boot/bootinst.cfg (format in config.h).
 *
 * Line by line:
 *   - a line ends at LF; a CR before it and trailing blanks are trimmed, so
 *     files written on DOS/Windows read the same; the last line needs no LF;
 *   - leading blanks (space, tab) are skipped, so entries may be indented
 *     or not; an empty line or one whose first non-blank is '#' is ignored
 *     ('#' later in a line is text: a command line may contain it);
 *   - otherwise the line is KEYWORD, a run of blanks, then the argument: the
 *     rest of the line, verbatim (paths may contain spaces, as ext2 allows);
 *   - kernel, initrd and cmdline belong to the entry the last `entry` line
 *     began, or before any, to the recorded entry; each may appear once per
 *     entry, and timeout, default, fallback and disk once in the file;
 *   - a NUL byte anywhere is an error (the file is binary or damaged, and
 *     C strings could not carry it).
 *
 * Portable: built for the stage and the host, using only stage1/libc's
 * string routines.
 */
#include <string.h>
#include "config.h"

/* The reasons below name the limits; keep them in step with the header. */
_Static_assert(BOOTINST_PATH_MAX == 256, "fix the 'path is longer' reason");
_Static_assert(BOOTINST_CMDLINE_MAX == 2048, "fix the 'command line is longer' reason");
_Static_assert(BOOTINST_MENU_ENTRIES == 8, "fix the 'more than 8 entries' reason");
_Static_assert(BOOTINST_ENTRY_NAME_MAX == 32, "fix the 'name is longer' reason");
_Static_assert(BOOTINST_TIMEOUT_MAX == 3600, "fix the 'timeout' reason");
_Static_assert(BOOTINST_TIMEOUT_MAX <= 0xFFFFu >> BOOTINST_REC_TIMEOUT_SHIFT,
	       "the install record's flags hold the timeout");

enum config_keyword {
	KW_KERNEL, KW_INITRD, KW_CMDLINE,        /* an entry's */
	KW_ENTRY, KW_TIMEOUT, KW_DEFAULT, KW_FALLBACK, KW_DISK,
	KW_COUNT
};
#define ENTRY_FIELDS (1u << KW_KERNEL | 1u << KW_INITRD | 1u << KW_CMDLINE)

static const struct {
	const char *word;
	const char *repeated;   /* d->name when the keyword appears twice */
} keywords[KW_COUNT] = {
	[KW_KERNEL]   = { "kernel",   "'kernel' appears twice" },
	[KW_INITRD]   = { "initrd",   "'initrd' appears twice" },
	[KW_CMDLINE]  = { "cmdline",  "'cmdline' appears twice" },
	[KW_ENTRY]    = { "entry",    0 },
	[KW_TIMEOUT]  = { "timeout",  "'timeout' appears twice" },
	[KW_DEFAULT]  = { "default",  "'default' appears twice" },
	[KW_FALLBACK] = { "fallback", "'fallback' appears twice" },
	[KW_DISK]     = { "disk",     "'disk' appears twice" },
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

/* Check an entry field's argument; NULL if it is acceptable, else the reason. */
static const char *check_field(enum config_keyword kw, const char *arg, uint32_t len)
{
	if (kw == KW_CMDLINE)
		return len >= BOOTINST_CMDLINE_MAX ? "the command line is longer than 2047 bytes" : 0;
	/* "initrd" alone or "initrd none": boot without one */
	if (kw == KW_INITRD && (len == 0 || (len == 4 && memcmp(arg, "none", 4) == 0)))
		return 0;
	if (len == 0)
		return "'kernel' needs a path";
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

static void apply_field(struct boot_config *cfg, enum config_keyword kw, const char *arg, uint32_t len)
{
	if (kw == KW_KERNEL)
		set_field(cfg->kernel, arg, len);
	else if (kw == KW_INITRD)
		set_field(cfg->initrd, arg, len == 4 && memcmp(arg, "none", 4) == 0 ? 0 : len);
	else
		set_field(cfg->cmdline, arg, len);
}

/* A decimal number of at most 9 digits, or -1. */
static int32_t parse_number(const char *arg, uint32_t len)
{
	int32_t n = 0;

	if (len == 0 || len > 9)
		return -1;
	for (uint32_t i = 0; i < len; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -1;
		n = n * 10 + (arg[i] - '0');
	}
	return n;
}

/* What one pass knows about the file so far. */
struct pass {
	const char *text;
	uint32_t entries;                              /* entry lines so far */
	uint32_t name_at[BOOTINST_MENU_ENTRIES];       /* each entry's name, in text */
	uint32_t name_len[BOOTINST_MENU_ENTRIES];
	uint32_t entry_line;                           /* the current entry's line */
	unsigned fields;                               /* bit k: field k given in it */
	unsigned once;                                 /* bit k: timeout... given */
	uint32_t recorded_line;                        /* a field of the recorded entry's, 0: none */
	uint32_t pick_at[2], pick_len[2], pick_line[2];   /* default, fallback */
};

/* The entry a default or fallback line names, or -1. */
static int32_t resolve_pick(const struct pass *p, uint32_t which)
{
	const char *arg = p->text + p->pick_at[which];
	uint32_t len = p->pick_len[which];
	uint32_t count = p->entries ? p->entries : 1;
	int32_t n = parse_number(arg, len);

	if (n >= 1 && (uint32_t)n <= count)
		return n - 1;
	for (uint32_t i = 0; i < p->entries; i++)
		if (p->name_len[i] == len && memcmp(p->text + p->name_at[i], arg, len) == 0)
			return (int32_t)i;
	if (!p->entries && len == sizeof BOOTINST_RECORDED_ENTRY - 1 &&
	    memcmp(arg, BOOTINST_RECORDED_ENTRY, len) == 0)
		return 0;
	return -1;
}

/* The entry that ends here (at the next entry line or the file's end) is
 * complete: NULL, or why not. */
static const char *entry_incomplete(const struct pass *p)
{
	return p->entries && !(p->fields & 1u << KW_KERNEL) ? "this entry has no 'kernel' line" : 0;
}

/* One line's keyword and argument: check it, and with menu set, apply it. */
static enum diag_id take_line(struct pass *p, int kw, const char *arg, uint32_t len,
			      uint32_t line_no, const char *path, struct boot_menu *menu, struct diag *d)
{
	const char *reason;

	if (kw == KW_ENTRY) {
		if ((reason = entry_incomplete(p)))
			return syntax_error(d, path, p->entry_line, reason);
		if (p->recorded_line)
			return syntax_error(d, path, line_no, "an 'entry' line after kernel, initrd or "
					    "cmdline lines outside any entry: put those inside an entry");
		if (p->entries == BOOTINST_MENU_ENTRIES)
			return syntax_error(d, path, line_no, "more than 8 entries");
		if (len == 0 || len >= BOOTINST_ENTRY_NAME_MAX)
			return syntax_error(d, path, line_no, "an entry needs a name of 1 to 31 bytes");
		for (uint32_t i = 0; i < p->entries; i++)
			if (p->name_len[i] == len && memcmp(p->text + p->name_at[i], arg, len) == 0)
				return syntax_error(d, path, line_no, "two entries have this name");
		p->name_at[p->entries] = (uint32_t)(arg - p->text);
		p->name_len[p->entries] = len;
		p->entry_line = line_no;
		p->fields = 0;
		if (menu) {
			struct boot_entry *e = &menu->entry[p->entries];

			memset(e, 0, sizeof *e);
			set_field(e->name, arg, len);
		}
		p->entries++;
		return DIAG_OK;
	}
	if (1u << kw & ENTRY_FIELDS) {
		if (p->fields & 1u << kw)
			return syntax_error(d, path, line_no, keywords[kw].repeated);
		p->fields |= 1u << kw;
		if ((reason = check_field(kw, arg, len)))
			return syntax_error(d, path, line_no, reason);
		if (!p->entries)
			p->recorded_line = line_no;
		if (menu)
			apply_field(&menu->entry[p->entries ? p->entries - 1 : 0].cfg, kw, arg, len);
		return DIAG_OK;
	}
	if (p->once & 1u << kw)
		return syntax_error(d, path, line_no, keywords[kw].repeated);
	p->once |= 1u << kw;
	if (kw == KW_TIMEOUT) {
		int32_t seconds = parse_number(arg, len);

		if (seconds < 0 || seconds > BOOTINST_TIMEOUT_MAX)
			return syntax_error(d, path, line_no, "'timeout' takes seconds, 0 to 3600");
		if (menu)
			menu->timeout = (uint32_t)seconds;
		return DIAG_OK;
	}
	if (kw == KW_DISK) {
		int bios = len == 4 && memcmp(arg, "bios", 4) == 0;

		if (!bios && !(len == 4 && memcmp(arg, "auto", 4) == 0))
			return syntax_error(d, path, line_no, "'disk' takes 'bios' or 'auto'");
		if (menu)
			menu->bios_disk = (uint32_t)bios;
		return DIAG_OK;
	}
	/* default, fallback: resolved once every entry is known */
	p->pick_at[kw - KW_DEFAULT] = (uint32_t)(arg - p->text);
	p->pick_len[kw - KW_DEFAULT] = len;
	p->pick_line[kw - KW_DEFAULT] = line_no;
	return DIAG_OK;
}

/*
 * One pass over the text.  With menu NULL it only checks; with menu set it
 * also stores what the lines say.  Returns DIAG_OK or the first error.
 */
static enum diag_id config_pass(const char *text, uint32_t len, const char *path,
				struct boot_menu *menu, struct diag *d)
{
	struct pass p;
	uint32_t line_no = 0;
	uint32_t next = 0;
	const char *reason;

	memset(&p, 0, sizeof p);
	p.text = text;
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
		if (take_line(&p, kw, text + arg, end - arg, line_no, path, menu, d))
			return d->id;
	}
	if ((reason = entry_incomplete(&p)))
		return syntax_error(d, path, p.entry_line, reason);
	for (uint32_t which = 0; which < 2; which++) {
		int32_t n;

		if (!p.pick_line[which])
			continue;
		n = resolve_pick(&p, which);
		if (n < 0)
			return syntax_error(d, path, p.pick_line[which], which == 0
					    ? "'default' names no entry (a name, or a number from 1)"
					    : "'fallback' names no entry (a name, or a number from 1)");
		if (menu && which == 0)
			menu->default_entry = (uint32_t)n;
		if (menu && which == 1)
			menu->fallback = (uint32_t)n;
	}
	if (menu && p.entries)
		menu->count = p.entries;
	return diag_set(d, DIAG_OK);
}

void config_menu_of_record(const struct boot_config *recorded, uint32_t timeout,
			   struct boot_menu *menu)
{
	menu->count = 1;
	menu->default_entry = 0;
	menu->fallback = BOOT_MENU_NO_FALLBACK;
	menu->timeout = timeout;
	menu->bios_disk = 0;
	memcpy(menu->entry[0].name, BOOTINST_RECORDED_ENTRY, sizeof BOOTINST_RECORDED_ENTRY);
	memcpy(&menu->entry[0].cfg, recorded, sizeof *recorded);
}

enum diag_id config_parse(const char *text, uint32_t len, const char *path,
			  struct boot_menu *menu, struct diag *d)
{
	/* Check everything first, then apply: a bad line leaves *menu as it
	 * was (the install record's entry), which the stage then boots. */
	if (config_pass(text, len, path, 0, d) != DIAG_OK)
		return d->id;
	return config_pass(text, len, path, menu, d);
}
