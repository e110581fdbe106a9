/*
 * probe.h - what a partition of the image holds, as libblkid identifies
 * it: an ext2/3/4 filesystem (with its superblock), another filesystem
 * (its blkid type: "xfs", "btrfs", "vfat" ...), swap, an encrypted volume,
 * zeros, or bytes no prober recognises.
 */
#ifndef BOOTINST_DISK_PROBE_H
#define BOOTINST_DISK_PROBE_H

#include <ext2fs/ext2fs.h>
#include "image.h"

enum partition_content {
	CONTENT_EXT,           /* ext2, ext3 or ext4 (blkid's type says which) */
	CONTENT_EMPTY,         /* no signature, and its first 64 KiB are zeros */
	CONTENT_SWAP,          /* blkid type "swap" */
	CONTENT_CRYPTO,        /* blkid usage "crypto": LUKS and the like */
	CONTENT_OTHER_FS,      /* another filesystem blkid knows */
	CONTENT_OTHER,         /* something blkid knows that is no filesystem (RAID member, jbd ...) */
	CONTENT_UNKNOWN,       /* bytes no prober recognises */
	CONTENT_UNREADABLE,    /* the partition lies (partly) past the image's end */
};

struct partition_probe {
	enum partition_content content;
	char type[32];                      /* blkid's TYPE: "ext4", "xfs", "swap", "crypto_LUKS" */
	char uuid[64];                      /* blkid's UUID, "" if none */
	char label[64];                     /* blkid's LABEL, "" if none */
	struct ext2_super_block super;      /* CONTENT_EXT: the superblock, as on disk */
};

/* What partition (1..4, used) holds. */
void probe_partition(const struct disk_image *img, unsigned partition, struct partition_probe *p);

#endif
