/*
 * image_blockdev.h - a struct blockdev over a disk image file, for host
 * tests: the partition starts at a byte offset in the file, and every
 * read_sectors call is counted so tests can assert how many disk commands
 * a reader issues.
 */
#ifndef BOOTINST_IMAGE_BLOCKDEV_H
#define BOOTINST_IMAGE_BLOCKDEV_H

#include <stdint.h>
#include "blockdev.h"

struct image_blockdev {
	struct blockdev dev;       /* first: &img->dev is what readers get */
	int fd;
	uint64_t part_offset;      /* bytes from the image start */
	unsigned calls;            /* read_sectors calls so far */
	uint64_t sectors_read;
};

/*
 * Open image read-only, the partition at part_offset bytes and
 * part_sectors long (0: to the end of the file).  Returns 0, or -1 with
 * errno set.
 */
int image_blockdev_open(struct image_blockdev *img, const char *image,
			uint64_t part_offset, uint64_t part_sectors);
void image_blockdev_close(struct image_blockdev *img);

#endif
