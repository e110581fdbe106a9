/*
 * ext2_internal.h - what the reader's three files share, each using only
 * those below it: ext2.c (mount, inodes, reads, lookup) -> ext2_map.c
 * (block mapping) -> ext2_io.c (disk access, caches).  Nothing else
 * includes it.
 *
 * The on-disk structures are read in place, through struct pointers into
 * the byte buffers that read_sectors and memcpy fill (x86: little-endian,
 * no alignment traps).
 */
#ifndef BOOTINST_EXT2_INTERNAL_H
#define BOOTINST_EXT2_INTERNAL_H

#include "ext2.h"

/* --- ext2_io.c ------------------------------------------------------------ */

/* E16: the structure called what holds value where limit bounds it. */
enum diag_id ext2_inconsistent(struct ext2_fs *fs, struct diag *d, const char *what,
			       uint64_t value, uint64_t limit);

/* The contents of metadata block `block` through cache c: read only if c
 * holds another block.  NULL with *d filled on failure (block 0 is E16). */
const uint8_t *ext2_cached_block(struct ext2_fs *fs, struct ext2_block_cache *c,
				 uint64_t block, struct diag *d);

/*
 * May n >= 1 bytes that start skip bytes into filesystem block `block` be
 * read?  E16 past the filesystem's end, E24 past the partition's.
 */
enum diag_id ext2_check_bytes(struct ext2_fs *fs, uint64_t block, uint32_t skip,
			      uint32_t n, struct diag *d);

/* Check those bytes as ext2_check_bytes does, then read them to dest in as
 * few read_sectors calls as their alignment allows (partial sectors pass
 * through the bounce buffer, fs->dir). */
enum diag_id ext2_read_bytes(struct ext2_fs *fs, uint64_t block, uint32_t skip,
			     uint32_t n, uint8_t *dest, struct diag *d);

/* --- ext2_map.c ----------------------------------------------------------- */

/*
 * Turn logical block L of f into *phys (0 for a hole or an uninitialized
 * extent) and *count, the number of blocks from L on that are known to
 * continue the same way (physically contiguous, or hole).
 */
enum diag_id ext2_map_block(struct ext2_fs *fs, const struct ext2_file *f, uint32_t L,
			    uint64_t *phys, uint32_t *count, struct diag *d);

#endif
