/*
 * bootfs.h - the boot partition's ext2/3/4 filesystem, read with libext2fs
 * straight from the image at the partition's byte offset: no mount, no loop
 * device, no root.
 *
 * All functions return 0 or a libext2fs/com_err error code (errno values
 * included); install.c decides which catalog entry a code means.
 */
#ifndef BOOTINST_INSTALLER_BOOTFS_H
#define BOOTINST_INSTALLER_BOOTFS_H

#include <stdint.h>
#include <ext2fs/ext2fs.h>

/*
 * libext2fs gives up after this many nested symlinks with
 * EXT2_ET_SYMLINK_LOOP (EXT2FS_MAX_NESTED_LINKS in e2fsprogs'
 * lib/ext2fs/ext2fsP.h, a private header).
 */
#define BOOTFS_SYMLINK_LIMIT 8

/* Open the filesystem read-only; offset is the partition's first byte. */
errcode_t bootfs_open(const char *image, uint64_t offset, ext2_filsys *fs);

/* Bytes the filesystem claims: blocks_count * block size. */
uint64_t bootfs_bytes(ext2_filsys fs);

struct bootfs_file {
	ext2_ino_t ino;
	int        is_regular;
	uint64_t   size;          /* bytes */
};

/* Look an absolute path up from the root, following symlinks in every
 * component, the last one included (the stage does the same at boot). */
errcode_t bootfs_lookup(ext2_filsys fs, const char *path, struct bootfs_file *file);

/* Read up to len bytes from the start of the file; *got is what there was. */
errcode_t bootfs_read_head(ext2_filsys fs, const struct bootfs_file *file,
			   void *buf, unsigned len, unsigned *got);

#endif
