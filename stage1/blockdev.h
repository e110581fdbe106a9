/*
 * blockdev.h - how the portable stage code (ext2, loader) reads the disk.
 *
 * The stage implements read_sectors with INT 13h through a bounce buffer
 * (stage1/disk.c); host tests implement it over an image file.  Sector
 * numbers are relative to the partition: the reader refuses, with E24, any
 * read that reaches past part_sectors, before calling read_sectors.
 */
#ifndef BOOTINST_BLOCKDEV_H
#define BOOTINST_BLOCKDEV_H

#include <stdint.h>
#include "diag.h"

struct blockdev {
	/*
	 * Read count 512-byte sectors starting at partition-relative sector
	 * `sector` into buf (any address; the stage may pass addresses above
	 * 1 MiB).  Returns DIAG_OK or a failure recorded in *d.
	 */
	enum diag_id (*read_sectors)(struct blockdev *dev, uint64_t sector,
				     uint32_t count, void *buf, struct diag *d);
	uint64_t part_sectors;   /* partition size: reads past it are E24 */
	void *ctx;               /* implementation's own state */
};

#endif
