/*
 * findings.h - what `bootinst check` (and the checks `bootinst install`
 * runs first) found: a list of catalog diagnostics with a severity, the
 * object they are about, and this image's specifics.
 *
 * Every finding is a catalog entry (include/diag.h), so the stage at boot,
 * `bootinst check`, `bootinst explain` and the README say the same thing
 * with the same code.
 */
#ifndef BOOTINST_INSTALLER_FINDINGS_H
#define BOOTINST_INSTALLER_FINDINGS_H

#include <stddef.h>
#include <stdio.h>
#include "diag.h"

enum finding_severity {
	FINDING_ERROR,     /* the image will not boot (or not to a shell) */
	FINDING_WARNING,   /* it may boot, but something is likely wrong */
	FINDING_NOTE,      /* cannot tell, or worth knowing; never a failure */
};

struct finding {
	enum finding_severity severity;
	char object[96];        /* "partition 1", "/boot/vmlinuz", "root=" ... */
	struct diag diag;       /* diag.path and diag.name point into path/name */
	char path[256];
	char name[128];
	char hint[256];         /* this image's own fix details, "" if none */
	char kernel_says[160];  /* after the loader: what the kernel prints in
				 * this case (a line of it, as on the serial
				 * console), "" if nothing fixed */
};

struct findings {
	struct finding *list;
	size_t count;
	size_t capacity;
};

void findings_init(struct findings *f);
void findings_free(struct findings *f);

/*
 * Add a finding about object (printf-style) for catalog failure d; d's
 * path and name strings are copied.  Returns the new finding, to which a
 * hint may be added with finding_hint().  Exits the program on ENOMEM.
 */
struct finding *findings_add(struct findings *f, enum finding_severity severity,
			     const struct diag *d, const char *object_fmt, ...)
	__attribute__((format(printf, 4, 5)));

void finding_hint(struct finding *item, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* What the kernel prints when this finding's failure happens at boot. */
void finding_kernel_says(struct finding *item, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

size_t findings_count(const struct findings *f, enum finding_severity severity);

#endif
