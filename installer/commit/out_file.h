/*
 * out_file.h - a file the user names for a view of the image (`bootinst
 * info --svg FILE`): made or replaced whole, never the image itself.
 *
 * The picture is written to a new file beside FILE and renamed over it
 * once complete and synced, so FILE is either its old self or the whole
 * new picture, and a FILE that is the image (the same inode, under any
 * name or link) is refused before anything is written.
 */
#ifndef BOOTINST_COMMIT_OUT_FILE_H
#define BOOTINST_COMMIT_OUT_FILE_H

#include <stdio.h>

struct out_file {
	const char *path;          /* FILE as the user gave it */
	char tmp[4096];            /* the new file beside it, until out_file_finish */
	FILE *stream;              /* where the view prints */
};

/* Open a new file beside path for writing, unless path is the file open as
 * image_fd.  0, or -1 reported on err (naming path and the fix). */
int out_file_start(struct out_file *o, const char *path, int image_fd, FILE *err);

/* Flush, sync and rename it over path.  0, or -1 reported on err with the
 * new file removed and path as it was. */
int out_file_finish(struct out_file *o, FILE *err);

#endif
