/*
 * disk.h - the boot disk, for the stage: through INT 13h, and where the
 * disk is provably an IDE disk on a PCI controller with a bus master,
 * natively (ide_dma.h) after disk_use_native.
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
#include "ide_dma.h"
#include "mbr.h"

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
	uint8_t  native;         /* reads go through ide: disk_use_native */
	struct ide_dma ide;
	uint32_t read_calls;     /* statistics: INT 13h read calls made */
	uint32_t native_commands;   /* READ DMA commands (besides the proof's) */
	uint32_t read_sectors;   /* sectors both moved (2 TiB: more than a boot reads) */
};

/* Find out how to read the drive: EDD, or CHS geometry when the BIOS has
 * no extensions or force_chs is set. */
enum diag_id disk_init(struct disk *dk, uint8_t drive, int force_chs, struct diag *d);

/*
 * Read natively from here on if exactly one IDE disk proves to be the boot
 * disk: its LBA 0 reads as lba0 (what the BIOS read) and its stage sectors
 * as the stage image the MBR loaded.  Returns NULL when it does, else why
 * the BIOS goes on reading (a phrase).
 */
const char *disk_use_native(struct disk *dk, const struct mbr_sector *lba0);

/* Stop reading natively (the controller as found); before Linux starts. */
void disk_release(struct disk *dk);

/* Read count sectors from absolute LBA into buf (any address).  A native
 * read that fails is reported (E43) and read through the BIOS, which reads
 * from then on. */
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
