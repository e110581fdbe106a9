/*
 * ext2_internal.h - what ext2.c (mount, inodes, reads, lookup) and
 * ext2_map.c (block mapping) share.  Nothing else includes it.
 */
#ifndef BOOTINST_EXT2_INTERNAL_H
#define BOOTINST_EXT2_INTERNAL_H

#include "ext2.h"

/* E16: the structure called what holds value where limit bounds it. */
enum diag_id ext2_inconsistent(struct ext2_fs *fs, struct diag *d, const char *what,
			       uint64_t value, uint64_t limit);

/* The contents of metadata block `block` through cache c: read only if c
 * holds another block.  NULL with *d filled on failure (block 0 is E16). */
const uint8_t *ext2_cached_block(struct ext2_fs *fs, struct ext2_block_cache *c,
				 uint64_t block, struct diag *d);

/*
 * Turn logical block L of f into *phys (0 for a hole or an uninitialized
 * extent) and *count, the number of blocks from L on that are known to
 * continue the same way (physically contiguous, or hole).
 */
enum diag_id ext2_map_block(struct ext2_fs *fs, const struct ext2_file *f, uint32_t L,
			    uint64_t *phys, uint32_t *count, struct diag *d);

#endif
