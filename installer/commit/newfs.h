/*
 * newfs.h - finishing a new image's filesystem with libext2fs, after
 * mke2fs has made and populated it (newimage.h): every inode owned by
 * root whoever ran mkimage (as mke2fs -E root_owner does for the root
 * directory alone), the boot files copied in from the host (kernel,
 * initrd, the kernel's config), and the device table's nodes, directories,
 * modes and owners, which need no root this way.
 */
#ifndef BOOTINST_COMMIT_NEWFS_H
#define BOOTINST_COMMIT_NEWFS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mkimage/devtable.h"

struct newfs_file {
	const char *host;        /* the file on the host */
	const char *path;        /* where it goes, absolute; its folders are made */
};

/*
 * Open the filesystem at byte offset of image (a path), give every inode
 * to root, copy files in, apply table (may be NULL), and close it.
 * Returns 0, or -1 reported on err naming what failed.
 */
int newfs_finish(const char *image, const char *shown_as, uint64_t offset,
		 const struct newfs_file *files, size_t nfiles, const struct devtable *table,
		 FILE *err);

#endif
