/* report.c - see report.h. */
#include "report.h"

void report_diag(FILE *err, const char *image, const char *object,
		 const struct diag *d, const char *hint)
{
	char message[512];
	const struct diag_entry *entry = &diag_catalog[d->id];

	diag_format_message(d, message, sizeof(message));
	fprintf(err, "bootinst: %s: %s: %s %s\n", image, object, entry->code, message);
	fprintf(err, "  fix: %s\n", entry->fix);
	if (hint)
		fprintf(err, "       %s\n", hint);
}

void report_problem(FILE *err, const char *image, const char *object,
		    const char *message, const char *fix)
{
	fprintf(err, "bootinst: %s: %s: %s\n", image, object, message);
	fprintf(err, "  fix: %s\n", fix);
}

void report_call_failed(FILE *err, const char *doing, const char *reason)
{
	fprintf(err, "bootinst: %s: %s\n", doing, reason);
}
