/*
 * image_blockdev.c - struct blockdev over an image file (see the header).
 *
 * A read that reaches past part_sectors fails here with E25 rather than
 * reading beyond the partition: readers must refuse such reads themselves
 * (E24) before calling, and a test that sees E25 catches one that did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "image_blockdev.h"

#define SECTOR_BYTES 512

static enum diag_id image_read_sectors(struct blockdev *dev, uint64_t sector, uint32_t count,
				       void *buf, struct diag *d)
{
	struct image_blockdev *img = (struct image_blockdev *)dev;
	size_t want = (size_t)count * SECTOR_BYTES;
	ssize_t got;

	img->calls++;
	img->sectors_read += count;
	if (count == 0 || sector + count > dev->part_sectors)
		goto fail;
	got = pread(img->fd, buf, want, (off_t)(img->part_offset + sector * SECTOR_BYTES));
	if (got == (ssize_t)want)
		return DIAG_OK;
fail:
	diag_set(d, DIAG_DISK_READ);
	d->block = sector;
	d->value = 0x04;   /* the BIOS's "sector not found" */
	return DIAG_DISK_READ;
}

int image_blockdev_open(struct image_blockdev *img, const char *image,
			uint64_t part_offset, uint64_t part_sectors)
{
	struct stat st;

	img->fd = open(image, O_RDONLY);
	if (img->fd < 0)
		return -1;
	if (fstat(img->fd, &st) < 0 || (uint64_t)st.st_size < part_offset) {
		close(img->fd);
		errno = EINVAL;
		return -1;
	}
	img->dev.read_sectors = image_read_sectors;
	img->dev.part_sectors = part_sectors ? part_sectors
					     : ((uint64_t)st.st_size - part_offset) / SECTOR_BYTES;
	img->dev.ctx = img;
	img->part_offset = part_offset;
	img->calls = 0;
	img->sectors_read = 0;
	return 0;
}

void image_blockdev_close(struct image_blockdev *img)
{
	close(img->fd);
	img->fd = -1;
}
