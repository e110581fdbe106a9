/*
 * plan.h - how big a `bootinst mkimage` image must be: what the tree and
 * the boot files take as an ext2/3/4 filesystem of a given block and inode
 * size (data, directories, indirect blocks, the inodes), what the
 * filesystem's own metadata takes around it (superblock and descriptor
 * copies, reserved descriptors, bitmaps, inode tables, the journal,
 * lost+found), and so the smallest filesystem that holds it.  The estimate
 * errs on the large side; e2fsprogs then makes the filesystem, and the
 * partition is the filesystem's exact size or larger, never smaller.
 */
#ifndef BOOTINST_MKIMAGE_PLAN_H
#define BOOTINST_MKIMAGE_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum mkimage_fs { MKIMAGE_EXT2, MKIMAGE_EXT3, MKIMAGE_EXT4 };

struct mkimage_content {
	uint64_t entries;        /* inodes: files, directories, links, nodes (hard links once) */
	uint64_t bytes;          /* what the regular files hold (their sizes, holes included) */
	uint64_t data_blocks;    /* blocks their data, directories and slow symlinks take */
	uint64_t map_blocks;     /* indirect blocks (ext2/ext3 block maps) */
};

/*
 * Walk root (a host directory) for an image of block_size-byte blocks:
 * what it holds, added to *c.  Returns 0, or -1 with the reason (a path
 * that cannot be read) in why.
 */
int mkimage_measure_tree(const char *root, uint32_t block_size, enum mkimage_fs fs,
			 struct mkimage_content *c, char *why, size_t why_size);

/* One more regular file of size bytes in a new directory or an existing
 * one (new_dir: also the directory itself). */
void mkimage_measure_file(struct mkimage_content *c, uint64_t size, uint32_t block_size,
			  enum mkimage_fs fs, int new_dir);

struct mkimage_geometry {
	uint32_t block_size;
	uint32_t inode_size;
	uint64_t inodes;         /* asked of mke2fs (-N) */
	uint64_t min_blocks;     /* the smallest filesystem that holds the content */
	uint64_t blocks;         /* the filesystem made */
};

/* The smallest filesystem for content, and the inodes to ask for; g's
 * block_size and inode_size are given. */
void mkimage_fit(const struct mkimage_content *c, enum mkimage_fs fs, struct mkimage_geometry *g);

/* The filesystem's metadata and journal for blocks blocks and inodes
 * inodes: what mkimage_fit adds to the content. */
uint64_t mkimage_overhead_blocks(uint64_t blocks, uint64_t inodes, enum mkimage_fs fs,
				 uint32_t block_size, uint32_t inode_size);

#endif
