/*
 * gap.h - the sectors between the MBR and the first partition, where
 * bootinst keeps its stage, as they are: which hold zeros, which a
 * bootinst stage (proven: magic, sizes and CRC-32 over its whole image),
 * and which anything else (another loader's code, a tool's data: foreign).
 *
 * Only the part install may use is read: from LBA 1, room for two of the
 * largest stages (GAP_SCAN_SECTORS), or up to the first partition if that
 * comes first.  Install writes only zero sectors and sectors proven ours.
 */
#ifndef BOOTINST_DISK_GAP_H
#define BOOTINST_DISK_GAP_H

#include <stdint.h>
#include "image.h"
#include "record.h"
#include "stage_header.h"

/* Two slots of the largest stage (BOOTINST_STAGE_MAX_BYTES), from LBA 1. */
#define GAP_SCAN_SECTORS (2u * BOOTINST_STAGE_MAX_BYTES / IMAGE_SECTOR_SIZE)
#define GAP_MAX_STAGES   4     /* stages kept track of; more are foreign data */

enum gap_sector {
	GAP_ZERO,              /* all zeros */
	GAP_OURS,              /* part of a proven bootinst stage */
	GAP_FOREIGN,           /* anything else */
};

struct gap_stage {
	uint64_t lba;          /* its first sector */
	uint32_t sectors;      /* its image_size in whole sectors */
	int      active;       /* the MBR's patch area points at it, with its count */
};

struct gap_map {
	uint64_t end;          /* the first partition's start, or the image's end: the gap is LBA 1..end-1 */
	uint32_t scanned;      /* sectors classified, from LBA 1 */
	uint8_t  state[GAP_SCAN_SECTORS];   /* enum gap_sector of LBA 1 + i */
	struct gap_stage stage[GAP_MAX_STAGES];
	unsigned stages;
	int      active;       /* index into stage[] of the one the MBR boots, -1: none */
};

/* Read and classify the gap of img.  Returns 0 or an errno value. */
int gap_read(const struct disk_image *img, struct gap_map *g);

/* Sectors in the gap: LBA 1 .. end-1. */
static inline uint64_t gap_sectors(const struct gap_map *g)
{
	return g->end > 1 ? g->end - 1 : 0;
}

/* The first sector of [lba, lba + n) that is neither zero nor part of a
 * stage of ours, or 0 when there is none.  Sectors past what was scanned,
 * and past the gap, are foreign. */
uint64_t gap_first_foreign(const struct gap_map *g, uint64_t lba, uint32_t n);

/*
 * The uninstall backup the stages of ours carry (the first install's,
 * copied by every re-install): the active stage's, else a stale one's.
 * 1 with *b filled, 0 when none carries one, or -errno.
 */
int gap_find_backup(const struct disk_image *img, const struct gap_map *g, struct record_backup *b);

/*
 * Where install puts a new stage of `sectors` sectors, so that a disk
 * killed at any instant of the install boots the old stage or the new one:
 * not over the stage the MBR boots now.  Before it at LBA 1 if it fits,
 * else right after it; where neither fits, over it (in place, or from LBA
 * 1 if it does not fit there either): then an install that dies while
 * writing the stage leaves one that does not boot, and the plan says so.
 */
struct gap_range {
	uint64_t lba;
	uint32_t sectors;
};

struct stage_plan {
	uint64_t lba;              /* where the new stage goes */
	uint32_t sectors;
	int crash_safe;            /* it does not overlap the stage the MBR boots now */
	int mbr_first;             /* in place and longer: the MBR's new count goes
				    * first (the old stage still boots with it) */
	uint64_t foreign;          /* the first foreign sector in its way, 0: none */
	struct gap_range clear[GAP_MAX_STAGES + 1];  /* parts of our old stages to zero
						      * once the MBR boots the new one */
	unsigned clears;
};

void gap_plan_stage(const struct gap_map *g, uint32_t sectors, struct stage_plan *p);

#endif
