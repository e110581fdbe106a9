/* report.c - see report.h. */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MESSAGE_MAX 512

static struct report_style style;

void report_set_style(const struct report_style *s)
{
	style = *s;
}

const struct report_style *report_get_style(void)
{
	return &style;
}

/* Colour only on a terminal, and never with NO_COLOR set (no-color.org). */
static int colour_on(FILE *out)
{
	const char *no_color = getenv("NO_COLOR");

	return isatty(fileno(out)) && !(no_color && no_color[0]);
}

/* SGR colours for each severity: red, yellow, cyan. */
static const char *colour_of(enum finding_severity severity)
{
	switch (severity) {
	case FINDING_ERROR:   return "\033[1;31m";
	case FINDING_WARNING: return "\033[1;33m";
	case FINDING_NOTE:    return "\033[1;36m";
	}
	return "";
}

const char *report_severity_name(enum finding_severity severity)
{
	switch (severity) {
	case FINDING_ERROR:   return "error";
	case FINDING_WARNING: return "warning";
	case FINDING_NOTE:    return "note";
	}
	return "?";
}

/* A finding's fix, its own details, and what the kernel then prints. */
static void print_fix(FILE *out, const struct finding *item)
{
	fprintf(out, "  fix: %s\n", diag_catalog[item->diag.id].fix);
	if (item->hint[0])
		fprintf(out, "       %s\n", item->hint);
	if (item->kernel_says[0])
		fprintf(out, "  at boot: %sthe kernel prints '%s'\n",
			item->severity == FINDING_ERROR ? "" : "if so, ", item->kernel_says);
}

void report_finding(FILE *err, const char *image, const struct finding *item)
{
	char message[MESSAGE_MAX];
	const struct diag_entry *entry = &diag_catalog[item->diag.id];
	int colour = colour_on(err);

	if (style.quiet && item->severity != FINDING_ERROR)
		return;
	diag_format_message(&item->diag, message, sizeof(message));
	fprintf(err, "bootinst: %s: %s: %s", image, item->object, colour ? colour_of(item->severity) : "");
	if (item->severity != FINDING_ERROR)
		fprintf(err, "%s: ", report_severity_name(item->severity));
	fprintf(err, "%s:%s %s\n", entry->code, colour ? "\033[0m" : "", message);
	print_fix(err, item);
}

void report_problem(FILE *err, const char *image, const char *object,
		    const char *message, const char *fix)
{
	fprintf(err, "bootinst: %s: %s: %s\n", image, object, message);
	fprintf(err, "  fix: %s\n", fix);
}

void report_call_failed(FILE *err, const char *file, const char *doing, const char *reason)
{
	fprintf(err, "bootinst: %s: while %s: %s\n", file, doing, reason);
}

void report_image_failure(FILE *err, const char *path, const char *doing, const char *reason,
			  const char *fix)
{
	size_t len = strlen(doing);

	/* "reading the partition table of" PATH: the path leads, "of" goes */
	if (len > 3 && !strcmp(doing + len - 3, " of"))
		len -= 3;
	fprintf(err, "bootinst: %s: while %.*s: %s\n", path, (int)len, doing, reason);
	if (fix)
		fprintf(err, "  fix: %s\n", fix);
}

/* --- bootinst check ------------------------------------------------------- */

static void print_count(FILE *out, size_t n, const char *one, const char *many)
{
	fprintf(out, "%zu %s", n, n == 1 ? one : many);
}

void report_check_text(FILE *out, const char *image, const struct findings *f, const char *release)
{
	size_t errors = findings_count(f, FINDING_ERROR);

	for (size_t i = 0; i < f->count; i++)
		report_finding(out, image, &f->list[i]);
	if (style.quiet)
		return;
	fprintf(out, "bootinst: %s: ", image);
	if (release && release[0])
		fprintf(out, "bootinst %s installed; ", release);
	else if (release)
		fputs("bootinst installed (release unknown); ", out);
	print_count(out, errors, "error", "errors");
	fputs(", ", out);
	print_count(out, findings_count(f, FINDING_WARNING), "warning", "warnings");
	fputs(", ", out);
	print_count(out, findings_count(f, FINDING_NOTE), "note", "notes");
	fprintf(out, ": %s\n", errors ? "it will not boot" : "it will boot");
}

int report_utf8_length(const unsigned char *p)
{
	unsigned need, min;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1, min = 0x80, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2, min = 0x800, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3, min = 0x10000, cp = p[0] & 0x07;
	else
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)        /* a NUL stops here too */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return (int)need + 1;
}

void report_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	while (*s) {
		unsigned char ch = (unsigned char)*s;
		int n = report_utf8_length((const unsigned char *)s);

		if (n == 0) {
			fprintf(out, "\\\\x%02x", ch);   /* read back as \xNN */
			s++;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, (size_t)n, out);
			s += n;
			continue;
		}
		s++;
		switch (ch) {
		case '"':  fputs("\\\"", out); break;
		case '\\': fputs("\\\\\\\\", out); break;   /* read back as \\ */
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (ch < 0x20)
				fprintf(out, "\\u%04x", ch);
			else
				fputc(ch, out);
		}
	}
	fputc('"', out);
}

static void json_member(FILE *out, const char *key, const char *value, int last)
{
	report_json_string(out, key);
	fputs(": ", out);
	report_json_string(out, value);
	fputs(last ? "" : ", ", out);
}

/* The fields the entry's message template shows, as "numbers" (value,
 * limit, block: numbers only) and "words" (path, name: the text they hold),
 * so that a program can read this finding's numbers without parsing the
 * message. */
static void json_numbers(FILE *out, const struct diag *d)
{
	const char *template = diag_catalog[d->id].message;
	const char *sep = "";

	fputs("{", out);
	if (strstr(template, "{value}") || strstr(template, "{hex}") || strstr(template, "{status}")) {
		fprintf(out, "%s\"value\": %" PRIu64, sep, d->value);
		sep = ", ";
	}
	if (strstr(template, "{limit}")) {
		fprintf(out, "%s\"limit\": %" PRIu64, sep, d->limit);
		sep = ", ";
	}
	if (strstr(template, "{block}"))
		fprintf(out, "%s\"block\": %" PRIu64, sep, d->block);
	fputs("}", out);
}

static void json_words(FILE *out, const struct diag *d)
{
	const char *template = diag_catalog[d->id].message;
	const char *sep = "";

	fputs("{", out);
	if (strstr(template, "{path}")) {
		fprintf(out, "%s\"path\": ", sep);
		report_json_string(out, d->path ? d->path : "");
		sep = ", ";
	}
	if (strstr(template, "{name}")) {
		fprintf(out, "%s\"name\": ", sep);
		report_json_string(out, d->name ? d->name : "");
	}
	fputs("}", out);
}

void report_check_json(FILE *out, const char *image, const struct findings *f, const char *release)
{
	char message[MESSAGE_MAX];

	fputs("{", out);
	json_member(out, "image", image, 0);
	fputs("\"installed_release\": ", out);
	if (release && release[0])
		report_json_string(out, release);
	else
		fputs("null", out);
	fputs(", ", out);
	fprintf(out, "\"boots\": %s, \"findings\": [",
		findings_count(f, FINDING_ERROR) ? "false" : "true");
	for (size_t i = 0; i < f->count; i++) {
		const struct finding *item = &f->list[i];
		const struct diag_entry *entry = &diag_catalog[item->diag.id];

		diag_format_message(&item->diag, message, sizeof(message));
		fputs(i ? ",\n  {" : "\n  {", out);
		json_member(out, "code", entry->code, 0);
		json_member(out, "grub", entry->grub, 0);
		json_member(out, "severity", report_severity_name(item->severity), 0);
		json_member(out, "object", item->object, 0);
		json_member(out, "message", message, 0);
		json_member(out, "fix", entry->fix, 0);
		json_member(out, "hint", item->hint, 0);
		if (item->kernel_says[0])
			json_member(out, "kernel_says", item->kernel_says, 0);
		fputs("\"numbers\": ", out);
		json_numbers(out, &item->diag);
		fputs(", \"words\": ", out);
		json_words(out, &item->diag);
		fputs("}", out);
	}
	fputs(f->count ? "\n]}\n" : "]}\n", out);
}
