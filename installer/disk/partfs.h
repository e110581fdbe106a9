/*
 * partfs.h - an ext2/3/4 filesystem on a partition of the image, read with
 * libext2fs through the image's own read-only descriptor (image.h) at the
 * partition's byte offset: no mount, no loop device, no root, no second open.
 *
 * This is e2fsprogs' view, which `bootinst check` sets beside the stage's
 * own reader (stage_view.h) and uses for what the stage never reads (the
 * root filesystem, init, the kernel's config).  All functions return 0 or
 * a libext2fs/com_err error code (errno values included).
 */
#ifndef BOOTINST_DISK_PARTFS_H
#define BOOTINST_DISK_PARTFS_H

#include <stdint.h>
#include <stddef.h>
#include <ext2fs/ext2fs.h>
#include "image.h"

/*
 * libext2fs gives up after this many nested symlinks with
 * EXT2_ET_SYMLINK_LOOP (EXT2FS_MAX_NESTED_LINKS in e2fsprogs'
 * lib/ext2fs/ext2fsP.h, a private header).
 */
#define PARTFS_SYMLINK_LIMIT 8

/*
 * Block reads one opened filesystem may make, cache hits included: far
 * more than a check of any real filesystem makes (it reads each block a
 * few times at most), and a crafted directory's endless block map ends in
 * EXT2_ET_DIR_CORRUPTED within about a second.
 */
#define PARTFS_READ_BUDGET (1u << 24)

/* Open the filesystem that starts at sector start_lba, read-only; its
 * block reads are bounded by PARTFS_READ_BUDGET. */
errcode_t partfs_open(const struct disk_image *img, uint64_t start_lba, ext2_filsys *fs);

struct partfs_file {
	ext2_ino_t ino;
	int        is_regular;
	uint64_t   size;          /* bytes */
};

/* Look an absolute path up from the root, following symlinks in every
 * component, the last one included (the stage does the same at boot). */
errcode_t partfs_lookup(ext2_filsys fs, const char *path, struct partfs_file *file);

/* Read up to len bytes at offset of inode ino; *got is what there was
 * (less at the end of the file). */
errcode_t partfs_read_at(ext2_filsys fs, ext2_ino_t ino, uint64_t offset,
			 void *buf, unsigned len, unsigned *got);

/* The target of the symlink at path (not followed), NUL-terminated. */
errcode_t partfs_read_symlink(ext2_filsys fs, const char *path, char *target, size_t size);

/* An inode's mode as ls prints it: "-rw-r--r--", "drwxr-xr-x". */
void partfs_mode_string(unsigned mode, char out[11]);

#endif
