/*
 * ext2.h - read-only ext2/ext3/ext4 reader for the stage (and host tests).
 *
 * Mount a partition, look a path up (following symlinks), read a regular
 * file's bytes to any address.  No malloc: struct ext2_fs holds every
 * buffer.  The on-disk format is in include/ext2_format.h.
 *
 * Disk reads are few and large: a file read issues one read_sectors per
 * physically contiguous run of blocks (plus one per unaligned edge sector),
 * and each metadata block (descriptor, inode table, indirect block, extent
 * node, directory block) is cached by block number, one per tree level, so
 * reading a file front to back reads each of them once.
 *
 * Bounded: every loop over what the disk says is bounded by what the
 * filesystem can really hold, and a structure that claims more is E16
 * (DIAG_FS_INCONSISTENT, with the bound's name, the value and the limit):
 * a directory by its size (EXT2_MAX_DIR_BYTES) and its allocated blocks
 * (i_blocks), a lookup by the directory blocks it may look through
 * (EXT2_LOOKUP_DIR_BYTES) and the symlinks it may follow, a file's reads
 * by its allocated blocks and by 32-bit logical blocks, an extent node by
 * its eh_max and its node's room.  A crafted filesystem ends in a
 * diagnostic, never in a long loop or a write outside the buffer asked for.
 */
#ifndef BOOTINST_EXT2_H
#define BOOTINST_EXT2_H

#include <stdint.h>
#include "blockdev.h"
#include "diag.h"
#include "ext2_format.h"

#define EXT2_MAX_BLOCK_SIZE 4096
#define EXT2_MAX_SYMLINKS 8        /* symlinks followed in one lookup */

/* The largest directory looked through: over a million entries, far more
 * than a boot directory holds.  A linear scan of more would take minutes at
 * boot; a larger size is a damaged or crafted inode. */
#define EXT2_MAX_DIR_BYTES (64u << 20)

/* Directory blocks one lookup may look through, each directory's blocks
 * (holes included) charged whole before it is: a few passes over the
 * largest directory (a symlink may lead back through it). */
#define EXT2_LOOKUP_DIR_BYTES (4 * EXT2_MAX_DIR_BYTES)

/* Bytes for the path being resolved once a symlink has been met: the link
 * target plus what is left of the path must fit (2 x BOOTINST_PATH_MAX). */
#define EXT2_LOOKUP_BYTES 512

/* One cached block per level of a block map: the extent tree's depth bound
 * covers the three levels of triple-indirect mapping too. */
#define EXT2_MAP_LEVELS EXTFS_EXT_MAX_DEPTH

/* A cached disk block; block 0 (the boot block) is never cached, so 0 means
 * empty. */
struct ext2_block_cache {
	uint64_t block;
	uint8_t data[EXT2_MAX_BLOCK_SIZE];
};

struct ext2_fs {
	struct blockdev *dev;
	const char *path;            /* file in hand, for diagnostics */
	uint32_t path_len;           /* bytes of it meant (a directory on the
				      * way, "/boot/"), 0 for all */
	uint64_t blocks_count;
	uint32_t usable_blocks;      /* blocks that can hold data: the fewest of
				      * blocks_count, the partition's and 2^32 - 1 */
	uint32_t inodes_count;
	uint32_t inodes_per_group;
	uint32_t blocks_per_group;
	uint32_t first_data_block;
	uint32_t first_meta_bg;
	uint32_t backup_bgs[2];      /* sparse_super2's superblock backups */
	uint32_t compat, incompat, ro_compat;
	uint32_t block_shift;        /* block size = 1 << block_shift */
	uint32_t inode_shift;        /* inode size = 1 << inode_shift */
	uint32_t desc_shift;         /* group descriptor size = 1 << desc_shift */
	uint32_t dir_budget;         /* directory blocks the lookup may still look through */
	/* The data blocks the reads of the inode read last have met: logical
	 * blocks below tally_next are counted, tally_mapped of them not holes.
	 * A consistent inode maps no more blocks than it holds (i_blocks).
	 * Another inode's read starts the count again, so interleaved reads
	 * count less, never more. */
	uint32_t tally_ino, tally_next, tally_mapped;
	char reason[40];             /* E17's {name} when it has a number in it */
	char lookup[EXT2_LOOKUP_BYTES];
	struct ext2_block_cache desc;    /* group descriptor block */
	struct ext2_block_cache itable;  /* inode table block */
	struct ext2_block_cache dir;     /* directory block; also the bounce buffer */
	struct ext2_block_cache map[EXT2_MAP_LEVELS];
};

/* An open file: what ext2_read needs, copied out of its inode. */
struct ext2_file {
	uint32_t ino;
	uint32_t flags;              /* i_flags */
	uint16_t mode;               /* i_mode */
	uint64_t size;
	uint32_t blocks;             /* blocks it holds (i_blocks), at most usable_blocks */
	uint32_t i_block[EXTFS_N_BLOCKS];
	const char *path;            /* as given to ext2_open, for diagnostics */
};

/*
 * Read the superblock through dev and check that this reader can read the
 * filesystem.  E17 (DIAG_NOT_EXT2) with a reason, E17F for an incompat
 * feature it cannot read, E24 if the superblock lies past the partition.
 */
enum diag_id ext2_mount(struct ext2_fs *fs, struct blockdev *dev, struct diag *d);

/*
 * Look up path (from the root directory; a leading '/' is optional),
 * following symlinks (absolute and relative, at most EXT2_MAX_SYMLINKS),
 * and require a regular file.  f->path keeps the pointer path: it must stay
 * alive while f is used.  E15, E02, E26, E16, E24.
 */
enum diag_id ext2_open(struct ext2_fs *fs, const char *path, struct ext2_file *f, struct diag *d);

/*
 * Read len bytes at offset into dest (any address).  Holes and
 * uninitialized extents read as zeros.  A range past the end of the file is
 * E14 and reads nothing.  E16 (also for a range past logical block 2^32 - 2,
 * and when the reads of one inode map more blocks than it holds), E24, or
 * the disk's own failure.
 */
enum diag_id ext2_read(struct ext2_fs *fs, const struct ext2_file *f, uint64_t offset,
		       uint32_t len, void *dest, struct diag *d);

/*
 * As ext2_read, but read no file data: map every block of the range (which
 * reads the indirect blocks or extent nodes) and make every check a read
 * would make.  `bootinst install` checks a 14 MB kernel this way while
 * reading a few KiB.
 */
enum diag_id ext2_check_range(struct ext2_fs *fs, const struct ext2_file *f, uint64_t offset,
			      uint32_t len, struct diag *d);

#endif
