/*
 * ext2_io.c - the ext2 reader's disk access (see ext2_internal.h): byte
 * ranges of filesystem blocks, bounds-checked against the filesystem and
 * the partition before any sector is read, and the metadata block caches.
 * Portable: built freestanding for the stage and natively for the tests.
 */
#include <string.h>
#include "ext2_internal.h"

#define SECTOR_SHIFT 9
#define SECTOR_BYTES (1u << SECTOR_SHIFT)

enum diag_id ext2_inconsistent(struct ext2_fs *fs, struct diag *d, const char *what,
			       uint64_t value, uint64_t limit)
{
	diag_set(d, DIAG_FS_INCONSISTENT);
	d->path = fs->path;
	d->path_len = fs->path_len;
	d->name = what;
	d->value = value;
	d->limit = limit;
	return DIAG_FS_INCONSISTENT;
}

/* ---- disk access -------------------------------------------------------- */

/*
 * May n >= 1 bytes that start skip bytes into filesystem block `block` be
 * read?  E16 past the filesystem's end, E24 past the partition's.
 */
enum diag_id ext2_check_bytes(struct ext2_fs *fs, uint64_t block, uint32_t skip,
			      uint32_t n, struct diag *d)
{
	struct blockdev *dev = fs->dev;
	uint32_t shift = fs->block_shift;
	uint64_t last_block = block + (((uint64_t)skip + n - 1) >> shift);
	uint64_t byte = (block << shift) + skip;
	uint64_t end_sector = (byte + n + SECTOR_BYTES - 1) >> SECTOR_SHIFT;

	if (last_block >= fs->blocks_count)
		return ext2_inconsistent(fs, d, "block number past the end of the filesystem",
				    last_block, fs->blocks_count);
	/* block >= part_sectors first: then block << shift cannot have wrapped */
	if (block >= dev->part_sectors || end_sector > dev->part_sectors) {
		/* The first block not wholly inside the partition. */
		uint64_t outside = dev->part_sectors >> (shift - SECTOR_SHIFT);
		diag_set(d, DIAG_BLOCK_OUTSIDE_PARTITION);
		d->block = outside > block ? outside : block;
		/* the block's last sector: the one that is past the end */
		d->value = ((d->block + 1) << (shift - SECTOR_SHIFT)) - 1;
		d->limit = dev->part_sectors - 1;
		d->path = fs->path;
		d->path_len = fs->path_len;
		return DIAG_BLOCK_OUTSIDE_PARTITION;
	}
	return DIAG_OK;
}

/*
 * Read n >= 1 bytes that start skip bytes into filesystem block `block`.
 * Whole sectors go straight to dest in one read_sectors call; a partial
 * sector at either end goes through the bounce buffer (fs->dir), and when
 * the whole range fits that buffer it is read there in one call, so no
 * sector is read twice.
 */
enum diag_id ext2_read_bytes(struct ext2_fs *fs, uint64_t block, uint32_t skip,
			     uint32_t n, uint8_t *dest, struct diag *d)
{
	struct blockdev *dev = fs->dev;
	uint64_t byte = (block << fs->block_shift) + skip;
	uint64_t sector = byte >> SECTOR_SHIFT;
	uint64_t end_sector = (byte + n + SECTOR_BYTES - 1) >> SECTOR_SHIFT;
	uint32_t head = byte & (SECTOR_BYTES - 1);
	uint8_t *bounce = fs->dir.data;

	if (ext2_check_bytes(fs, block, skip, n, d))
		return d->id;
	if (head == 0 && (n & (SECTOR_BYTES - 1)) == 0)
		return dev->read_sectors(dev, sector, n >> SECTOR_SHIFT, dest, d);

	fs->dir.block = 0;   /* the bounce buffer no longer holds a directory block */
	if (end_sector - sector <= EXT2_MAX_BLOCK_SIZE >> SECTOR_SHIFT) {
		if (dev->read_sectors(dev, sector, (uint32_t)(end_sector - sector), bounce, d))
			return d->id;
		memcpy(dest, bounce + head, n);
		return DIAG_OK;
	}
	if (head) {
		uint32_t part = SECTOR_BYTES - head;
		if (dev->read_sectors(dev, sector, 1, bounce, d))
			return d->id;
		memcpy(dest, bounce + head, part);
		dest += part;
		n -= part;
		sector++;
	}
	if (n >> SECTOR_SHIFT) {
		if (dev->read_sectors(dev, sector, n >> SECTOR_SHIFT, dest, d))
			return d->id;
		sector += n >> SECTOR_SHIFT;
		dest += n & ~(SECTOR_BYTES - 1);
		n &= SECTOR_BYTES - 1;
	}
	if (n) {
		if (dev->read_sectors(dev, sector, 1, bounce, d))
			return d->id;
		memcpy(dest, bounce, n);
	}
	return DIAG_OK;
}

const uint8_t *ext2_cached_block(struct ext2_fs *fs, struct ext2_block_cache *c,
				 uint64_t block, struct diag *d)
{
	if (block == 0) {
		/* Block 0 holds boot sectors: no inode table, index or directory. */
		ext2_inconsistent(fs, d, "metadata block number 0", 0, fs->blocks_count);
		return 0;
	}
	if (c->block != block) {
		c->block = 0;
		if (ext2_read_bytes(fs, block, 0, 1u << fs->block_shift, c->data, d))
			return 0;
		c->block = block;
	}
	return c->data;
}
