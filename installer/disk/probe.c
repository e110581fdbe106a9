/* probe.c - see probe.h. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

#define EXT2_SB_OFFSET   1024u           /* superblock's byte offset in the fs */
#define PROBE_BYTES      (0x10000u + 0x1000u)   /* reaches Btrfs's superblock */
#define X86_PAGE_SIZE    4096u           /* mkswap's signature ends a page */
#define RO_COMPAT_BTREE_DIR 0x0004u      /* never used, yet allowed by the kernel's ext2 */

struct signature {
	const char *fs_name;
	uint32_t offset;
	const char *magic;
	unsigned len;
};

static const struct signature other_filesystems[] = {
	{ "XFS",      0x0,     "XFSB",             4 },
	{ "Btrfs",    0x10040, "_BHRfS_M",         8 },
	{ "SquashFS", 0x0,     "hsqs",             4 },
	{ "F2FS",     0x400,   "\x10\x20\xf5\xf2", 4 },
	{ "ISO 9660", 0x8001,  "CD001",            5 },
	{ "FAT32",    0x52,    "FAT32   ",         8 },
	{ "FAT16",    0x36,    "FAT16   ",         8 },
	{ "FAT12",    0x36,    "FAT12   ",         8 },
};

static int has_magic(const uint8_t *buf, unsigned len, uint32_t offset, const char *magic, unsigned magic_len)
{
	return offset + magic_len <= len && memcmp(buf + offset, magic, magic_len) == 0;
}

void probe_partition(const struct disk_image *img, unsigned partition, struct partition_probe *p)
{
	const struct image_partition *part = &img->part[partition - 1];
	uint64_t bytes = part->sectors * IMAGE_SECTOR_SIZE;
	unsigned len = bytes < PROBE_BYTES ? (unsigned)bytes : PROBE_BYTES;
	uint8_t *buf = calloc(1, PROBE_BYTES);
	unsigned i;

	memset(p, 0, sizeof(*p));
	if (!buf || image_read(img, buf, len, part->start * IMAGE_SECTOR_SIZE)) {
		p->content = CONTENT_UNREADABLE;
		free(buf);
		return;
	}
	memcpy(&p->super, buf + EXT2_SB_OFFSET, sizeof(p->super));
	if (len >= EXT2_SB_OFFSET + sizeof(p->super) && ext2fs_le16_to_cpu(p->super.s_magic) == EXT2_SUPER_MAGIC) {
		p->content = CONTENT_EXT;
	} else if (has_magic(buf, len, X86_PAGE_SIZE - 10, "SWAPSPACE2", 10) ||
		   has_magic(buf, len, X86_PAGE_SIZE - 10, "SWAP-SPACE", 10)) {
		p->content = CONTENT_SWAP;
	} else if (has_magic(buf, len, 0, "LUKS\xba\xbe", 6)) {
		p->content = CONTENT_LUKS;
	} else {
		p->content = CONTENT_EMPTY;
		for (i = 0; i < len && p->content == CONTENT_EMPTY; i++)
			if (buf[i])
				p->content = CONTENT_UNKNOWN;
		for (i = 0; i < sizeof(other_filesystems) / sizeof(other_filesystems[0]); i++) {
			const struct signature *s = &other_filesystems[i];
			if (has_magic(buf, len, s->offset, s->magic, s->len)) {
				p->content = CONTENT_OTHER_FS;
				p->fs_name = s->fs_name;
				break;
			}
		}
	}
	free(buf);
}

/*
 * Which kernel driver an ext filesystem needs.  The kernel's ext2 driver
 * takes only the features FILETYPE and META_BG (incompat) and
 * SPARSE_SUPER, LARGE_FILE and BTREE_DIR (ro_compat); ext3 adds the journal
 * and RECOVER; anything more is ext4 (fs/ext2/ext2.h, fs/ext4/ext4.h
 * EXT2_FEATURE_*_SUPP and EXT3_FEATURE_*_SUPP; blkid decides the same way).
 */
enum ext_kind probe_ext_kind(const struct ext2_super_block *sb)
{
	const uint32_t ext3_incompat = EXT2_FEATURE_INCOMPAT_FILETYPE | EXT3_FEATURE_INCOMPAT_RECOVER |
				       EXT2_FEATURE_INCOMPAT_META_BG;
	const uint32_t ext3_ro_compat = EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER |
					EXT2_FEATURE_RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR;

	if ((ext2fs_le32_to_cpu(sb->s_feature_incompat) & ~ext3_incompat) ||
	    (ext2fs_le32_to_cpu(sb->s_feature_ro_compat) & ~ext3_ro_compat))
		return EXT_KIND_EXT4;
	if (ext2fs_le32_to_cpu(sb->s_feature_compat) & EXT3_FEATURE_COMPAT_HAS_JOURNAL)
		return EXT_KIND_EXT3;
	return EXT_KIND_EXT2;
}
