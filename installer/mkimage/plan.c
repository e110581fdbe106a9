/* plan.c - see plan.h. */
#define _GNU_SOURCE
#include "plan.h"

#include <errno.h>
#include <ftw.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIR_ENTRY_HEAD  8u      /* ext2 directory entry: inode, rec_len, name_len, type */
#define DIR_DOTS_BYTES  24u     /* "." and ".." */
#define DIR_TAIL_BYTES  12u     /* room for metadata_csum's tail entry */
#define FAST_SYMLINK    60u     /* targets shorter than this live in the inode */
#define NDIR_BLOCKS     12u     /* ext2's direct block pointers */
#define LOST_FOUND_BYTES 16384u /* mke2fs makes lost+found this big */
#define RESERVED_INODES 11u     /* inodes 1..10 are the filesystem's; 11 is lost+found */
#define MAX_DEPTH       512

/* Blocks to hold bytes, at least min. */
static uint64_t blocks_for(uint64_t bytes, uint32_t block_size, uint64_t min)
{
	uint64_t n = (bytes + block_size - 1) / block_size;

	return n < min ? min : n;
}

/* Indirect blocks an ext2/ext3 block map needs for n data blocks. */
static uint64_t map_blocks_for(uint64_t n, uint32_t block_size, enum mkimage_fs fs)
{
	uint64_t per = block_size / 4, map = 0;

	if (fs == MKIMAGE_EXT4 || n <= NDIR_BLOCKS)
		return 0;                       /* extents: in the inode, for a fresh copy */
	n -= NDIR_BLOCKS;
	map += 1;                               /* single indirect */
	if (n <= per)
		return map;
	n -= per;
	map += 1 + (n + per - 1) / per;         /* double indirect */
	if (n <= per * per)
		return map;
	n -= per * per;
	return map + 1 + (n + per * per - 1) / (per * per) + (n + per - 1) / per;
}

void mkimage_measure_file(struct mkimage_content *c, uint64_t size, uint32_t block_size,
			  enum mkimage_fs fs, int new_dir)
{
	uint64_t n = blocks_for(size, block_size, 0);

	c->entries += 1 + (new_dir != 0);
	c->bytes += size;
	c->data_blocks += n + (new_dir != 0);
	c->map_blocks += map_blocks_for(n, block_size, fs);
}

/* The walk's state: nftw passes no context. */
static struct {
	struct mkimage_content *c;
	uint32_t block_size;
	enum mkimage_fs fs;
	uint64_t child_bytes[MAX_DEPTH + 2];    /* directory entries of the dir open at each level */
	void *seen;                             /* (dev, ino) of files with more links */
	const char *failed;                     /* the path that could not be read */
	int error;
} walk;

struct file_id {
	dev_t dev;
	ino_t ino;
};

static int compare_ids(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* A second name of a file already counted? */
static int seen_before(const struct stat *st)
{
	struct file_id *id, **found;

	if (st->st_nlink < 2 || S_ISDIR(st->st_mode))
		return 0;
	id = malloc(sizeof(*id));
	if (!id)
		return 0;
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	found = tsearch(id, &walk.seen, compare_ids);
	if (found && *found != id) {
		free(id);
		return 1;
	}
	return 0;
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct mkimage_content *c = walk.c;
	const char *name = path + ftw->base;
	uint64_t n;

	if (flag == FTW_NS || flag == FTW_DNR) {
		walk.failed = path;
		walk.error = errno ? errno : EACCES;
		return 1;
	}
	if (ftw->level > MAX_DEPTH) {
		walk.failed = path;
		walk.error = ELOOP;
		return 1;
	}
	/* its entry in its directory (the root has none) */
	if (ftw->level > 0)
		walk.child_bytes[ftw->level] += DIR_ENTRY_HEAD + ((strlen(name) + 3) & ~3u);
	if (seen_before(st))
		return 0;
	c->entries++;
	if (flag == FTW_DP) {
		uint64_t bytes = DIR_DOTS_BYTES + walk.child_bytes[ftw->level + 1];
		walk.child_bytes[ftw->level + 1] = 0;
		c->data_blocks += blocks_for(bytes, walk.block_size - DIR_TAIL_BYTES, 1);
	} else if (S_ISREG(st->st_mode)) {
		/* sparse files stay sparse (mke2fs -d skips holes): the lesser
		 * of what the file holds and what the host allocated */
		n = blocks_for((uint64_t)st->st_size, walk.block_size, 0);
		if (blocks_for((uint64_t)st->st_blocks * 512, walk.block_size, 0) < n)
			n = blocks_for((uint64_t)st->st_blocks * 512, walk.block_size, 0);
		c->bytes += (uint64_t)st->st_size;
		c->data_blocks += n;
		c->map_blocks += map_blocks_for(n, walk.block_size, walk.fs);
	} else if (S_ISLNK(st->st_mode) && (uint64_t)st->st_size >= FAST_SYMLINK) {
		c->data_blocks++;
	}
	return 0;
}

int mkimage_measure_tree(const char *root, uint32_t block_size, enum mkimage_fs fs,
			 struct mkimage_content *c, char *why, size_t why_size)
{
	int rc;

	memset(&walk, 0, sizeof(walk));
	walk.c = c;
	walk.block_size = block_size;
	walk.fs = fs;
	errno = 0;
	rc = nftw(root, visit, 64, FTW_PHYS | FTW_DEPTH | FTW_MOUNT);
	tdestroy(walk.seen, free);
	if (rc == 0)
		return 0;
	snprintf(why, why_size, "%s: %s", walk.failed ? walk.failed : root,
		 strerror(walk.error ? walk.error : errno));
	return -1;
}

/* --- the filesystem around the content ----------------------------------------- */

/* mke2fs's default journal for a filesystem of blocks blocks (e2fsprogs
 * lib/ext2fs/mkjournal.c ext2fs_default_journal_size), in blocks. */
static uint64_t journal_blocks(uint64_t blocks)
{
	if (blocks < 2048)
		return 0;
	if (blocks < 32768)
		return 1024;
	if (blocks < 256 * 1024)
		return 4096;
	if (blocks < 512 * 1024)
		return 8192;
	if (blocks < 4096 * 1024)
		return 16384;
	if (blocks < 8192 * 1024)
		return 32768;
	if (blocks < 16384 * 1024)
		return 65536;
	if (blocks < 32768 * 1024)
		return 131072;
	return 262144;
}

/* Does group g keep a copy of the superblock and descriptors (sparse_super:
 * groups 0, 1 and the powers of 3, 5 and 7)? */
static int has_backup(uint64_t g)
{
	if (g <= 1)
		return 1;
	for (uint64_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;
		while (p < g)
			p *= base;
		if (p == g)
			return 1;
	}
	return 0;
}

uint64_t mkimage_overhead_blocks(uint64_t blocks, uint64_t inodes, enum mkimage_fs fs,
				 uint32_t block_size, uint32_t inode_size)
{
	uint64_t first = block_size == 1024;          /* block 0 is the boot block */
	uint64_t per_group = 8ull * block_size;       /* a bitmap block's bits */
	uint64_t groups = (blocks - first + per_group - 1) / per_group;
	uint64_t desc = fs == MKIMAGE_EXT4 ? 64 : 32;
	uint64_t gdt = (groups * desc + block_size - 1) / block_size;
	uint64_t inodes_per_group, table, reserved_gdt, grown, overhead = 0;

	if (!groups)
		groups = 1;
	/* resize_inode: descriptors reserved for growth to 1024 times the size,
	 * at most a block of pointers' worth (mke2fs calc_reserved_gdt_blocks) */
	grown = blocks * 1024 > 0xFFFFFFFFull ? 0xFFFFFFFFull : blocks * 1024;
	reserved_gdt = ((grown - first + per_group - 1) / per_group * desc + block_size - 1) / block_size;
	reserved_gdt = reserved_gdt > gdt ? reserved_gdt - gdt : 0;
	if (reserved_gdt > block_size / 4)
		reserved_gdt = block_size / 4;
	/* inodes spread over the groups, whole inode table blocks */
	inodes_per_group = (inodes + groups - 1) / groups;
	inodes_per_group = (inodes_per_group * inode_size + block_size - 1) / block_size * block_size / inode_size;
	table = inodes_per_group * inode_size / block_size;
	for (uint64_t g = 0; g < groups; g++) {
		overhead += 2 + table;                 /* block and inode bitmaps, inode table */
		if (has_backup(g))
			overhead += 1 + gdt + reserved_gdt;
	}
	if (fs != MKIMAGE_EXT2)
		overhead += journal_blocks(blocks) + journal_blocks(blocks) / (block_size / 4) + 1;
	return first + overhead + blocks_for(LOST_FOUND_BYTES, block_size, 1) + 1;   /* + the resize inode */
}

void mkimage_fit(const struct mkimage_content *c, enum mkimage_fs fs, struct mkimage_geometry *g)
{
	uint64_t content = c->data_blocks + c->map_blocks;
	uint64_t blocks = content;

	/* inodes: what the tree needs, the filesystem's own, and a tenth more */
	g->inodes = c->entries + RESERVED_INODES + 1;
	g->inodes += g->inodes / 10 > 16 ? g->inodes / 10 : 16;
	/* the overhead grows with the size: settle on a fixed point */
	for (int i = 0; i < 16; i++) {
		uint64_t next = content + mkimage_overhead_blocks(blocks, g->inodes, fs, g->block_size, g->inode_size);
		if (next <= blocks)
			break;
		blocks = next;
	}
	/* a journal needs room: mke2fs refuses one below 2048 blocks */
	if (fs != MKIMAGE_EXT2 && blocks < 4096)
		blocks = 4096;
	g->min_blocks = blocks;
	g->blocks = blocks;
}
