/*
 * parts.c - what each partition holds: libblkid's answer (disk/probe.c),
 * and for ext2/3/4 the superblock's own numbers (block size and count,
 * inodes, label, features by libe2p's names) and the filesystem's bytes
 * against the partition's.  A filesystem larger than its partition is the
 * tutorials' mistake, and GRUB's Error 24 at boot: it is said here in the
 * words of `bootinst check` (checks_fs_past_partition), with the numbers.
 *
 * Without a partition table the whole disk is probed the same way (a
 * filesystem made on the whole image, as the tutorials' first try did).
 */
#include "model.h"

#include <string.h>
#include <e2p/e2p.h>

/* Superblock fields, little-endian on disk (the host is x86 too, but say so). */
#define SB32(f) ext2fs_le32_to_cpu(f)
#define SB16(f) ext2fs_le16_to_cpu(f)
#define EXT2_MAX_LOG_BLOCK 6u            /* 1 KiB << 6 = 64 KiB, the largest */

/* The names of the set bits of one feature word, appended to out. */
static void feature_names(int compat_type, uint32_t bits, char *out, size_t size)
{
	for (unsigned b = 0; b < 32; b++) {
		size_t used = strlen(out);
		if (bits & (1u << b))
			snprintf(out + used, size - used, "%s%s", used ? " " : "",
				 e2p_feature2string(compat_type, 1u << b));
	}
}

/* The ext2/3/4 fields of p from its superblock, and E24 if it is too big. */
static void decode_ext(struct info_partition *p)
{
	const struct ext2_super_block *sb = &p->probe.super;
	uint32_t log = SB32(sb->s_log_block_size);
	uint32_t incompat = SB32(sb->s_feature_incompat);

	p->ext = 1;
	p->block_size = log <= EXT2_MAX_LOG_BLOCK ? 1024u << log : 0;
	p->blocks = SB32(sb->s_blocks_count);
	if (incompat & EXT4_FEATURE_INCOMPAT_64BIT)
		p->blocks |= (uint64_t)SB32(sb->s_blocks_count_hi) << 32;
	p->inodes = SB32(sb->s_inodes_count);
	p->inode_size = SB32(sb->s_rev_level) == EXT2_GOOD_OLD_REV ? EXT2_GOOD_OLD_INODE_SIZE
								   : SB16(sb->s_inode_size);
	memcpy(p->label, sb->s_volume_name, sizeof(sb->s_volume_name));
	p->label[sizeof(sb->s_volume_name)] = '\0';
	feature_names(E2P_FEATURE_COMPAT, SB32(sb->s_feature_compat), p->features, sizeof(p->features));
	feature_names(E2P_FEATURE_INCOMPAT, incompat, p->features, sizeof(p->features));
	feature_names(E2P_FEATURE_RO_INCOMPAT, SB32(sb->s_feature_ro_compat), p->features,
		      sizeof(p->features));
	if (p->block_size && p->blocks)
		p->past_end = checks_fs_past_partition(p->blocks, p->block_size, p->sectors, &p->e24,
						       p->e24_path, sizeof(p->e24_path));
}

/* Probe partition n of img (1..4; 0 with img's part[0] the whole disk). */
static void read_one(const struct disk_image *img, unsigned n, struct info_partition *p)
{
	const struct image_partition *part = &img->part[n ? n - 1 : 0];

	memset(p, 0, sizeof(*p));
	p->number = n;
	p->used = 1;
	p->start = part->start;
	p->sectors = part->sectors;
	p->bootable = part->bootable;
	p->type = part->type;
	probe_partition(img, n ? n : 1, &p->probe);
	if (p->probe.content == CONTENT_EXT)
		decode_ext(p);
}

void info_read_partitions(const struct disk_image *img, struct info_disk *d)
{
	if (img->label == IMAGE_LABEL_DOS) {
		for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
			if (img->part[i].used)
				read_one(img, i + 1, &d->part[i]);
		return;
	}
	if (img->label == IMAGE_LABEL_NONE) {
		/* probe_partition reads a slot of the table: hand it one that
		 * is the whole disk */
		struct disk_image whole = *img;

		memset(whole.part, 0, sizeof(whole.part));
		whole.part[0] = (struct image_partition){ .used = 1, .start = 0,
							  .sectors = image_sectors(img) };
		read_one(&whole, 0, &d->whole);
	}
}
