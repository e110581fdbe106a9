/*
 * newimage.h - a new disk image for `bootinst mkimage`, made where nobody
 * sees it until it is whole: an unnamed file (O_TMPFILE) in OUT's folder,
 * or a hidden temporary name where the filesystem has no O_TMPFILE.
 * Published over OUT in one rename when everything on it is done and
 * checked; a mkimage that fails or is killed leaves OUT as it was.
 *
 * What goes on it, by the tools that own each format: the DOS partition
 * table by libfdisk, the filesystem by mke2fs (populated from the tree
 * with -d), the boot files, device nodes and ownership by libext2fs
 * (newfs.h).
 */
#ifndef BOOTINST_COMMIT_NEWIMAGE_H
#define BOOTINST_COMMIT_NEWIMAGE_H

#include <stdint.h>
#include <stdio.h>

struct newimage {
	const char *out;          /* where it goes when done */
	int  dirfd;               /* OUT's folder */
	int  fd;                  /* the image, read-write */
	char tmpname[64];         /* its temporary name in the folder, "" when unnamed */
	char path[64];            /* "/proc/PID/fd/N": how other code and tools open it */
	uint64_t bytes;
};

/* Make an empty (sparse) image of bytes bytes beside out.  0, or -1
 * reported on err. */
int newimage_create(struct newimage *n, const char *out, uint64_t bytes, FILE *err);

/* A DOS partition table (libfdisk) with one bootable partition of type
 * 0x83, sectors long from start. */
int newimage_partition(struct newimage *n, uint64_t start, uint64_t sectors, FILE *err);

struct newimage_fs {
	const char *type;         /* "ext2", "ext3", "ext4" */
	uint32_t block_size;
	uint32_t inode_size;
	uint64_t inodes;
	uint64_t blocks;          /* the filesystem's size */
	uint64_t offset;          /* its first byte in the image */
	const char *label;        /* NULL: none */
	const char *root;         /* the host tree it is populated from */
};

/* mke2fs -d: the filesystem, populated from fs->root.  Its output is
 * shown only when it fails. */
int newimage_mkfs(struct newimage *n, const struct newimage_fs *fs, FILE *err);

/* Publish: sync, then take OUT's name (replace: over an existing OUT,
 * else fail if one has appeared), and sync the folder. */
int newimage_publish(struct newimage *n, int replace, FILE *err);

/* Drop it, if not published: OUT stays as it was. */
void newimage_discard(struct newimage *n);

#endif
