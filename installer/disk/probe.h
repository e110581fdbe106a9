/*
 * probe.h - what a partition of the image holds: an ext2/3/4 filesystem
 * (and which of the three its features make it), swap, an encrypted
 * volume, another filesystem, or nothing, from the signatures libblkid
 * also reads (util-linux libblkid/src/superblocks/).
 */
#ifndef BOOTINST_DISK_PROBE_H
#define BOOTINST_DISK_PROBE_H

#include <ext2fs/ext2fs.h>
#include "image.h"

enum partition_content {
	CONTENT_EXT,           /* ext2/3/4: superblock magic 0xEF53 */
	CONTENT_EMPTY,         /* all zeros */
	CONTENT_SWAP,          /* mkswap's "SWAPSPACE2" */
	CONTENT_LUKS,          /* an encrypted volume: needs an initramfs to unlock */
	CONTENT_OTHER_FS,      /* a filesystem bootinst recognises but does not read */
	CONTENT_UNKNOWN,       /* something else */
	CONTENT_UNREADABLE,    /* the partition lies (partly) past the image's end */
};

struct partition_probe {
	enum partition_content content;
	const char *fs_name;                /* CONTENT_OTHER_FS: "XFS", ... */
	struct ext2_super_block super;      /* CONTENT_EXT */
};

/* What partition (1..4, used) holds. */
void probe_partition(const struct disk_image *img, unsigned partition, struct partition_probe *p);

/* The kernel driver family an ext superblock's features call for. */
enum ext_kind { EXT_KIND_EXT2, EXT_KIND_EXT3, EXT_KIND_EXT4 };

enum ext_kind probe_ext_kind(const struct ext2_super_block *sb);

#endif
