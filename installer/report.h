/*
 * report.h - how the bootinst command prints a failure on the host.
 *
 * Every failure is one line in the util-linux/e2fsprogs shape, then the fix:
 *
 *   bootinst: IMAGE: OBJECT: CODE message with the numbers
 *     fix: what to do
 *
 * CODE and the message come from the one catalog (include/diag.h), so the
 * installer, `bootinst check` and the stage at boot say the same thing.
 * A library call that fails is reported com_err style, naming what the tool
 * was doing: "bootinst: while reading the partition table of IMAGE: REASON".
 */
#ifndef BOOTINST_INSTALLER_REPORT_H
#define BOOTINST_INSTALLER_REPORT_H

#include <stdio.h>
#include "diag.h"

/* A catalog failure.  hint, if not NULL, follows the catalog's fix with the
 * concrete numbers for this image (e.g. the right mke2fs size). */
void report_diag(FILE *err, const char *image, const char *object,
		 const struct diag *d, const char *hint);

/* A failure the catalog does not cover (checks made only at install time,
 * such as the room after the MBR), in the same shape without a code. */
void report_problem(FILE *err, const char *image, const char *object,
		    const char *message, const char *fix);

/* A failed library or system call: doing is "while ...", reason the
 * library's own words (strerror, com_err's error_message). */
void report_call_failed(FILE *err, const char *doing, const char *reason);

#endif
