/*
 * ext2_map.c - block mapping: which physical block holds logical block L of
 * a file, by the ext2/ext3 block map (indirect blocks) or the ext4 extent
 * tree.  Every metadata block comes through ext2_cached_block, one cache
 * per tree level, so that reading a file front to back reads each of them
 * once; every bound a crafted tree could break is checked (E16).
 * Portable: built freestanding for the stage and natively for the tests.
 */
#include "ext2_internal.h"

/* ext2/ext3 block map: 12 direct pointers, then single, double and triple
 * indirect trees of (block size / 4) pointers per block. */
static enum diag_id map_indirect(struct ext2_fs *fs, const struct ext2_file *f, uint32_t L,
				 uint64_t *phys, uint32_t *count, struct diag *d)
{
	uint32_t ptr_shift = fs->block_shift - 2;   /* log2 of pointers per block */
	const uint32_t *table = f->i_block;
	uint32_t entries = EXTFS_NDIR_BLOCKS, index = L, level = 0, slot = 0;

	if (L >= EXTFS_NDIR_BLOCKS) {
		/* Which tree: level 1, 2 or 3 indirect; L becomes the offset in it. */
		L -= EXTFS_NDIR_BLOCKS;
		for (level = 1; L >> (ptr_shift * level); level++) {
			if (level == 3)
				return ext2_inconsistent(fs, d, "logical block past the triple-indirect map",
							 index, index - L);
			L -= 1u << (ptr_shift * level);
		}
		index = EXTFS_IND_BLOCK + level - 1;
		entries = EXTFS_N_BLOCKS;
	}
	for (;;) {
		uint32_t ptr = table[index];
		uint32_t span = 1u << (ptr_shift * level);   /* blocks under this pointer */

		if (ptr == 0) {
			*phys = 0;
			*count = span - (L & (span - 1));
			return DIAG_OK;
		}
		if (level == 0) {
			uint32_t n = 1;
			while (index + n < entries && table[index + n] == ptr + n)
				n++;
			*phys = ptr;
			*count = n;
			return DIAG_OK;
		}
		table = (const uint32_t *)ext2_cached_block(fs, &fs->map[slot++], ptr, d);
		if (!table)
			return d->id;
		level--;
		entries = 1u << ptr_shift;
		index = (L >> (ptr_shift * level)) & (entries - 1);
	}
}

/* ext4 extent tree: the root's header and up to 4 entries in i_block, index
 * nodes down to leaves of (start, length, physical) extents. */
static enum diag_id map_extents(struct ext2_fs *fs, const struct ext2_file *f, uint32_t L,
				uint64_t *phys, uint32_t *count, struct diag *d)
{
	const uint8_t *node = (const uint8_t *)f->i_block;
	uint32_t max_entries = (EXTFS_I_BLOCK_BYTES - sizeof(struct extfs_extent_header)) /
			       EXTFS_EXTENT_ENTRY_BYTES;
	uint32_t depth = EXTFS_EXT_MAX_DEPTH;   /* the root's bound; children: parent - 1 */
	uint32_t next_start = 0xFFFFFFFF;       /* first logical block past this subtree */

	for (uint32_t slot = 0;; slot++) {
		const struct extfs_extent_header *h = (const struct extfs_extent_header *)node;
		/* the entries after the header: leaves or index entries */
		const struct extfs_extent_leaf *leaf = (const struct extfs_extent_leaf *)(h + 1);
		const struct extfs_extent_index *index = (const struct extfs_extent_index *)(h + 1);
		uint32_t n = h->eh_entries, i;

		if (h->eh_magic != EXTFS_EXT_MAGIC)
			return ext2_inconsistent(fs, d, "extent header magic", h->eh_magic, EXTFS_EXT_MAGIC);
		if (h->eh_max > max_entries || n > h->eh_max)
			return ext2_inconsistent(fs, d, "extent node entries", n > h->eh_max ? n : h->eh_max,
						 n > h->eh_max ? h->eh_max : max_entries);
		if (slot ? h->eh_depth != depth : h->eh_depth > depth)
			return ext2_inconsistent(fs, d, "extent tree depth", h->eh_depth, depth);

		/* Entries are sorted by first logical block (ee_block and
		 * ei_block alike): take the last one starting at or before L;
		 * the one after it bounds the hole. */
		for (i = n; i > 0 && leaf[i - 1].ee_block > L; i--)
			;
		if (i < n)
			next_start = leaf[i].ee_block;

		if (h->eh_depth == 0) {
			if (i > 0) {
				const struct extfs_extent_leaf *e = &leaf[i - 1];
				uint32_t len = e->ee_len, into = L - e->ee_block;
				uint32_t uninit = len > EXTFS_EXT_INIT_MAX_LEN;
				if (uninit)
					len -= EXTFS_EXT_INIT_MAX_LEN;
				if (into < len) {
					*phys = uninit ? 0 : (e->ee_start_lo | (uint64_t)e->ee_start_hi << 32) + into;
					*count = len - into;
					return DIAG_OK;
				}
			}
			break;
		}
		if (i == 0)
			break;
		node = ext2_cached_block(fs, &fs->map[slot],
					 index[i - 1].ei_leaf_lo | (uint64_t)index[i - 1].ei_leaf_hi << 32, d);
		if (!node)
			return d->id;
		depth = h->eh_depth - 1;
		max_entries = ((1u << fs->block_shift) - sizeof(struct extfs_extent_header)) /
			      EXTFS_EXTENT_ENTRY_BYTES;
	}
	/* A hole up to the next extent (a sorted tree guarantees next_start > L). */
	*phys = 0;
	*count = next_start > L ? next_start - L : 1;
	return DIAG_OK;
}

enum diag_id ext2_map_block(struct ext2_fs *fs, const struct ext2_file *f, uint32_t L,
			      uint64_t *phys, uint32_t *count, struct diag *d)
{
	if (f->flags & EXTFS_EXTENTS_FL)
		return map_extents(fs, f, L, phys, count, d);
	return map_indirect(fs, f, L, phys, count, d);
}
