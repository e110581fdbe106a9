/*
 * verbose.h - what `-v` adds to check and install: what was read (the
 * partition table, the gap after the MBR) and what was decided (the boot
 * partition, the kernel, initrd and command line, where the stage goes),
 * each line in the message grammar of report.h ("bootinst: IMAGE: read:
 * ...", "bootinst: IMAGE: decided: ...").
 */
#ifndef BOOTINST_VERBOSE_H
#define BOOTINST_VERBOSE_H

#include <stdio.h>
#include "checks/checks.h"
#include "disk/image.h"

/* Prints nothing unless report_get_style()->verbose. */
void verbose_read_and_decided(FILE *out, const char *name, const struct disk_image *img,
			      const struct check_result *res);

#endif
