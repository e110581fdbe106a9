/*
 * uninstall.h - `bootinst uninstall`: put back, byte for byte, what the
 * first install replaced: the MBR's boot code (LBA 0 bytes 0..439, from the
 * backup the stage carries) and the sectors after the MBR (zeros where the
 * stages of bootinst were; another loader's sectors from the --backup file
 * an install with --force wrote).  Refused, with nothing written, when the
 * backup is missing, unknown, or the file does not match the stage's
 * record of it.  The disk signature and the partition table are never
 * written.  Holds the same lock as install.
 */
#ifndef BOOTINST_UNINSTALL_H
#define BOOTINST_UNINSTALL_H

#include <stdio.h>
#include "commit/commit.h"

struct uninstall_options {
	const char *image;
	const char *backup;      /* --backup FILE the install wrote, or NULL */
	int         dry_run;     /* say what would be written, write nothing */
	int         no_wait;     /* another bootinst holds the image: fail, not wait */
	FILE       *out;         /* the summary */
	FILE       *err;         /* failures */
	write_at_fn write_at;    /* NULL: pwrite(2); tests inject failures here */
};

/* Run it.  Returns the exit status: 0 uninstalled (or would be), 1 not. */
int uninstall_run(const struct uninstall_options *o);

#endif
