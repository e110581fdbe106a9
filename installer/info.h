/*
 * info.h - `bootinst info`: the study view of a disk image.  Reads the
 * image once into a model (info/model.h), then shows it one way
 * (info/views.h): in words (the default), LBA 0 field by field (--mbr),
 * its boot code disassembled (--disasm), drawn to scale (--svg FILE, --map)
 * or as JSON (--json, docs/info-json.md).  Reads only: the one file it may
 * write is the picture --svg names (commit/out_file.h).
 */
#ifndef BOOTINST_INFO_H
#define BOOTINST_INFO_H

#include <stdio.h>

enum info_view {
	INFO_VIEW_TEXT,
	INFO_VIEW_MBR,
	INFO_VIEW_DISASM,
	INFO_VIEW_SVG,
	INFO_VIEW_MAP,
	INFO_VIEW_JSON,
};

struct info_options {
	const char *image;            /* image file or block device */
	enum info_view view;
	const char *svg;              /* INFO_VIEW_SVG: the file, "-" for out */
	FILE *out;                    /* the view */
	FILE *err;                    /* failures to run at all */
};

/* Show the image.  Returns the exit status: 0 when it was shown (whatever
 * the disk holds), 1 when the image cannot be read or the view written. */
int info_run(const struct info_options *o);

#endif
