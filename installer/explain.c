/* explain.c - see explain.h. */
#include "explain.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"

static const struct {
	const char *placeholder;
	const char *word;
} template_words[] = {
	{ "{path}", "PATH" }, { "{name}", "WHAT" }, { "{value}", "N" },
	{ "{limit}", "LIMIT" }, { "{block}", "BLOCK" }, { "{hex}", "HEX" },
	{ "{status}", ": BIOS status 0xHEX" },
};

/* Write template with its placeholders in words; '|' becomes "\|" when
 * escape_pipes (a Markdown table cell). */
static void put_text(FILE *out, const char *text, int escape_pipes)
{
	while (*text) {
		size_t i;
		for (i = 0; i < sizeof(template_words) / sizeof(template_words[0]); i++) {
			size_t len = strlen(template_words[i].placeholder);
			if (!strncmp(text, template_words[i].placeholder, len)) {
				fputs(template_words[i].word, out);
				text += len;
				break;
			}
		}
		if (i < sizeof(template_words) / sizeof(template_words[0]))
			continue;
		if (*text == '|' && escape_pipes)
			fputc('\\', out);
		fputc(*text++, out);
	}
}

static const char *who_reports(enum diag_where where)
{
	switch (where) {
	case DIAG_AT_STAGE: return "the stage at boot; bootinst check and install find it before";
	case DIAG_AT_BOOT:  return "the stage at boot only: it depends on the machine, which bootinst check cannot see";
	case DIAG_AT_MBR:   return "the MBR code at boot, as the code alone; bootinst check finds it before";
	case DIAG_AT_HOST:  return "bootinst check and bootinst install, before boot";
	}
	return "?";
}

static void explain_entry(FILE *out, enum diag_id id)
{
	const struct diag_entry *e = &diag_catalog[id];

	fprintf(out, "%s: ", e->code);
	put_text(out, e->message, 0);
	fprintf(out, "\n  GRUB Legacy error: %s\n", e->grub[0] ? e->grub : "none");
	fprintf(out, "  reported by: %s\n", who_reports(e->where));
	fprintf(out, "  fix: %s\n", e->fix);
}

/* Does the entry's GRUB field (numbers separated by anything else) hold n? */
static int grub_number_is(const char *grub, unsigned long n)
{
	while (*grub) {
		if (isdigit((unsigned char)*grub)) {
			char *end;
			if (strtoul(grub, &end, 10) == n)
				return 1;
			grub = end;
		} else {
			grub++;
		}
	}
	return 0;
}

/*
 * GRUB Legacy's errors (stage2/char_io.c err_list, 1 to 34) that no
 * catalog entry is, and why bootinst cannot meet them.
 */
#define GRUB_ERROR_MAX 34
static const struct {
	unsigned number;
	const char *grub;
	const char *why;
} grub_not_met[] = {
	{ 3, "Bad or corrupt data while decompressing file",
	  "bootinst decompresses nothing: the bzImage unpacks itself, and a damaged one is E13 or E14" },
	{ 4, "Bad or incompatible header in compressed file",
	  "bootinst decompresses nothing: the bzImage unpacks itself, and a damaged one is E13 or E14" },
	{ 8, "Kernel must be loaded before booting",
	  "there are no commands to give out of order: the stage always loads the kernel install recorded (or bootinst.cfg names) before it boots" },
	{ 9, "Unknown boot failure",
	  "every failure bootinst meets has a code of its own; bootinst explain --all lists them" },
	{ 10, "Unsupported Multiboot features requested",
	  "bootinst boots Linux bzImages only, not Multiboot kernels; anything else is E13" },
	{ 11, "Unrecognized device string",
	  "there are no device strings: the stage reads the partition install recorded, on the disk the BIOS booted (a changed table is E22)" },
	{ 12, "Invalid device requested",
	  "there are no device strings: the stage reads the partition install recorded, on the disk the BIOS booted (a changed table is E22)" },
	{ 19, "Linux kernel must be loaded before initrd",
	  "there are no commands to give out of order: the stage loads the kernel, then the initrd" },
	{ 20, "Multiboot kernel must be loaded before modules",
	  "bootinst boots Linux bzImages only, not Multiboot kernels or modules" },
	{ 21, "Selected disk does not exist",
	  "the stage reads only the disk the BIOS booted it from, so it never selects another; a kernel root= that names a disk the machine lacks is L02 (or N01 when it may be there)" },
	{ 23, "Error while parsing number",
	  "nothing is typed at boot and bootinst.cfg holds no numbers; install takes its numbers as options, a bad one is a usage error" },
	{ 29, "Disk write error",
	  "the stage never writes; install's writes are journalled, and one that fails is undone and reported with the system's reason" },
	{ 30, "Invalid argument",
	  "install and check refuse a bad option as a usage error (exit 2) before reading anything; a bad bootinst.cfg line is E41" },
	{ 31, "File is not sector aligned",
	  "there are no block lists: files are read through the ext2/3/4 filesystem" },
	{ 32, "Must be authenticated",
	  "bootinst has no passwords" },
	{ 33, "Serial device not configured",
	  "the stage writes every message to the screen and to COM1 without any setting" },
};

/* "24" or "grub24" (any case): the number, else -1. */
static long grub_number(const char *what)
{
	char *end;
	unsigned long n;

	if (!strncasecmp(what, "grub", 4))
		what += 4;
	if (!isdigit((unsigned char)*what))
		return -1;
	n = strtoul(what, &end, 10);
	return *end || n > 99 ? -1 : (long)n;
}

int explain_lookup(FILE *out, FILE *err, const char *what)
{
	long number = grub_number(what);
	int found = 0;

	/* DIAG_OK is the catalog's "no failure", not an entry to explain. */
	for (int id = DIAG_OK + 1; id < DIAG_COUNT; id++) {
		const struct diag_entry *e = &diag_catalog[id];
		int match = number >= 0 ? grub_number_is(e->grub, (unsigned long)number)
					: !strcasecmp(e->code, what);
		if (!match)
			continue;
		if (found++)
			fputc('\n', out);
		explain_entry(out, (enum diag_id)id);
	}
	if (found)
		return 0;
	for (size_t i = 0; number >= 0 && i < sizeof(grub_not_met) / sizeof(grub_not_met[0]); i++) {
		if (grub_not_met[i].number != (unsigned long)number)
			continue;
		fprintf(out, "GRUB Legacy error %ld, \"%s\": bootinst cannot meet it: %s.\n", number,
			grub_not_met[i].grub, grub_not_met[i].why);
		return 0;
	}
	if (number == 0 || number > GRUB_ERROR_MAX)
		fprintf(err, "bootinst: explain: %ld is not a GRUB Legacy error number: GRUB Legacy's errors "
			"are 1 to %d (%s)\n", number, GRUB_ERROR_MAX,
			number == 0 ? "0 is its ERR_NONE, no error" : number == GRUB_ERROR_MAX + 1
			? "35 is its MAX_ERR_NUM, the count of them" : "none is higher");
	else if (number >= 0)
		fprintf(err, "bootinst: explain: GRUB Legacy's error %ld is in neither the catalog nor the "
			"list of errors bootinst cannot meet: a bug, please report it\n", number);
	else
		fprintf(err, "bootinst: explain: '%s' is not a catalog code\n", what);
	fputs("The codes are:", err);
	for (int id = DIAG_OK + 1; id < DIAG_COUNT; id++)
		fprintf(err, " %s", diag_catalog[id].code);
	fputs("\nor give a GRUB Legacy error number (24, grub24); bootinst explain --all lists them all.\n",
	      err);
	return 1;
}

void explain_all(FILE *out)
{
	for (int id = DIAG_OK + 1; id < DIAG_COUNT; id++) {
		if (id > DIAG_OK + 1)
			fputc('\n', out);
		explain_entry(out, (enum diag_id)id);
	}
}

void explain_markdown(FILE *out)
{
	fputs("| code | GRUB Legacy error | what it means | fix |\n", out);
	fputs("|---|---|---|---|\n", out);
	for (int id = DIAG_OK + 1; id < DIAG_COUNT; id++) {
		const struct diag_entry *e = &diag_catalog[id];

		fprintf(out, "| `%s` | %s%s | ", e->code, e->grub[0] ? "Error " : "", e->grub);
		put_text(out, e->message, 1);
		fputs(" | ", out);
		put_text(out, e->fix, 1);
		fputs(" |\n", out);
	}
}
