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
	if (number >= 0)
		fprintf(err, "bootinst: explain: no failure bootinst can meet is GRUB Legacy's error %ld\n",
			number);
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
