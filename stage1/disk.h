/*
 * disk.h - the boot disk through INT 13h, for the stage.
 *
 * Reads go through a 64 KiB bounce buffer below 1 MiB (the BIOS can only
 * write there) and are copied to their destination, which may be above
 * 1 MiB.  One BIOS call moves up to DISK_MAX_SECTORS_PER_CALL sectors: the
 * EDD limit of 127 that many BIOSes keep (Phoenix EDD 3.0, "the maximum
 * block count is 127"), which the bounce buffer holds.
 */
#ifndef BOOTINST_DISK_H
#define BOOTINST_DISK_H

#include <stdint.h>
#include "blockdev.h"
#include "diag.h"

#define DISK_BOUNCE_ADDR           0x20000u
#define DISK_MAX_SECTORS_PER_CALL  127u
#define DISK_READ_TRIES            3

struct disk {
	uint8_t  drive;          /* BIOS drive number, 0x80 = first hard disk */
	uint8_t  edd;            /* INT 13h extensions (AH=42h) in use */
	uint8_t  forced_chs;     /* CHS because the install asked (--force-chs) */
	uint16_t spt;            /* CHS geometry from AH=08h, without EDD */
	uint16_t heads;
	uint32_t cylinders;
	uint32_t read_calls;     /* statistics: INT 13h read calls made */
	uint64_t read_sectors;   /* and sectors they moved */
};

/* Find out how to read the drive: EDD, or CHS geometry when the BIOS has
 * no extensions or force_chs is set. */
enum diag_id disk_init(struct disk *dk, uint8_t drive, int force_chs, struct diag *d);

/* Read count sectors from absolute LBA into buf (any address). */
enum diag_id disk_read(struct disk *dk, uint64_t lba, uint32_t count, void *buf,
		       struct diag *d);

/* A struct blockdev over one partition of dk (see blockdev.h). */
struct disk_partition {
	struct blockdev dev;
	struct disk *disk;
	uint64_t start_lba;
};
void disk_partition_init(struct disk_partition *p, struct disk *dk,
			 uint64_t start_lba, uint64_t sectors);

#endif
