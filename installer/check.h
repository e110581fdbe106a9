/*
 * check.h - `bootinst check`: find offline what would stop an image from
 * booting.  The check engine (checks/checks.h) in CHECKS_AS_INSTALLED mode
 * over the image, then every finding printed (report.h), as text or JSON.
 * Reads only.
 */
#ifndef BOOTINST_CHECK_H
#define BOOTINST_CHECK_H

#include <stdio.h>
#include "checks/checks.h"

struct check_options {
	const char *image;            /* image file or block device */
	unsigned    partition;        /* as struct check_request: 0 and NULL */
	const char *kernel;           /* mean the installed one, else the */
	const char *initrd;           /* defaults install would use */
	const char *cmdline;
	int         json;             /* one JSON object instead of text */
	enum disk_bus bus;            /* --bus: where the machine attaches the disk */
	FILE       *out;              /* the findings */
	FILE       *err;              /* failures to run at all */
};

/* NULL if the options can be checked, else what is wrong (a usage error). */
const char *check_options_problem(const struct check_options *o);

/* Run the check and print its findings.  Returns the exit status: 0 when
 * no finding is an error (it boots), 1 otherwise or when the image cannot
 * be read. */
int check_run(const struct check_options *o);

#endif
