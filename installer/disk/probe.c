/* probe.c - see probe.h. */
#include "probe.h"

#include <blkid/blkid.h>
#include <stdlib.h>
#include <string.h>

#define EXT2_SB_OFFSET   1024u          /* the superblock's byte offset in the fs */
#define ZERO_SCAN_BYTES  (64u << 10)    /* "empty": no signature and this much zeros */

static void copy_value(blkid_probe pr, const char *name, char *out, size_t size)
{
	const char *value;

	if (blkid_probe_lookup_value(pr, name, &value, NULL) == 0)
		snprintf(out, size, "%s", value);
}

static int all_zeros(const struct disk_image *img, const struct image_partition *part)
{
	uint64_t bytes = part->sectors * IMAGE_SECTOR_SIZE;
	size_t len = bytes < ZERO_SCAN_BYTES ? (size_t)bytes : ZERO_SCAN_BYTES;
	uint8_t *buf = malloc(len);
	int zeros = buf && image_read(img, buf, len, part->start * IMAGE_SECTOR_SIZE) == 0;

	for (size_t i = 0; zeros && i < len; i++)
		zeros = buf[i] == 0;
	free(buf);
	return zeros;
}

void probe_partition(const struct disk_image *img, unsigned partition, struct partition_probe *p)
{
	const struct image_partition *part = &img->part[partition - 1];
	uint64_t offset = part->start * IMAGE_SECTOR_SIZE, bytes = part->sectors * IMAGE_SECTOR_SIZE;
	char usage[32] = "";
	blkid_probe pr;
	int rc;

	memset(p, 0, sizeof(*p));
	if (offset > img->bytes || bytes > img->bytes - offset) {
		p->content = CONTENT_UNREADABLE;
		return;
	}
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, img->fd, (blkid_loff_t)offset, (blkid_loff_t)bytes)) {
		blkid_free_probe(pr);
		p->content = CONTENT_UNREADABLE;
		return;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0) {
		copy_value(pr, "TYPE", p->type, sizeof(p->type));
		copy_value(pr, "USAGE", usage, sizeof(usage));
		copy_value(pr, "UUID", p->uuid, sizeof(p->uuid));
		copy_value(pr, "LABEL", p->label, sizeof(p->label));
	}
	blkid_free_probe(pr);

	if (rc != 0) {
		/* 1: nothing found; -2: signatures of two kinds (ambiguous) */
		p->content = rc == 1 && all_zeros(img, part) ? CONTENT_EMPTY : CONTENT_UNKNOWN;
		if (rc == -2)
			snprintf(p->type, sizeof(p->type), "signatures of two kinds");
	} else if (!strcmp(p->type, "ext2") || !strcmp(p->type, "ext3") || !strcmp(p->type, "ext4") ||
		   !strcmp(p->type, "ext4dev")) {
		p->content = image_read(img, &p->super, sizeof(p->super), offset + EXT2_SB_OFFSET)
				     ? CONTENT_UNREADABLE : CONTENT_EXT;
	} else if (!strcmp(p->type, "swap")) {
		p->content = CONTENT_SWAP;
	} else if (!strcmp(usage, "crypto")) {
		p->content = CONTENT_CRYPTO;
	} else if (!strcmp(usage, "filesystem")) {
		p->content = CONTENT_OTHER_FS;
	} else {
		p->content = CONTENT_OTHER;
	}
}
