/* image.c - see image.h. */
#define _GNU_SOURCE
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>          /* BLKGETSIZE64 */
#include <libfdisk/libfdisk.h>

int fd_read_full(int fd, void *buf, size_t len, uint64_t offset)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t got = pread(fd, p, len, (off_t)offset);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (got == 0)
			return EIO;
		p += got;
		len -= (size_t)got;
		offset += (uint64_t)got;
	}
	return 0;
}

int image_read(const struct disk_image *img, void *buf, size_t len, uint64_t offset)
{
	return fd_read_full(img->fd, buf, len, offset);
}

/* Copy primary slot n (0-based) from libfdisk's view of a DOS label. */
static int read_primary(struct fdisk_context *cxt, size_t n, struct image_partition *out)
{
	struct fdisk_partition *pa = NULL;
	struct fdisk_parttype *type;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!fdisk_is_partition_used(cxt, n))
		return 0;
	rc = fdisk_get_partition(cxt, n, &pa);
	if (rc)
		return rc;
	out->used = 1;
	out->bootable = fdisk_partition_is_bootable(pa) == 1;
	out->start = fdisk_partition_get_start(pa);
	out->sectors = fdisk_partition_get_size(pa);
	type = fdisk_partition_get_type(pa);
	out->type = type ? (uint8_t)fdisk_parttype_get_code(type) : 0;
	fdisk_unref_partition(pa);
	return 0;
}

/* The partition table, read by libfdisk through img->fd (the caller keeps
 * the descriptor: fdisk_assign_device_by_fd neither dups nor closes it).
 * Returns 0 or a negative errno value. */
static int read_partition_table(struct disk_image *img)
{
	struct fdisk_context *cxt = fdisk_new_context();
	struct fdisk_label *label;
	int rc;

	if (!cxt)
		return -ENOMEM;
	rc = fdisk_assign_device_by_fd(cxt, img->fd, img->path, 1 /* read-only */);
	if (rc)
		goto out;
	img->sector_size = fdisk_get_sector_size(cxt);
	if (!fdisk_has_label(cxt)) {
		img->label = IMAGE_LABEL_NONE;
		goto out;
	}
	label = fdisk_get_label(cxt, NULL);
	snprintf(img->label_name, sizeof(img->label_name), "%s",
		 label ? fdisk_label_get_name(label) : "unknown");
	if (!fdisk_is_label(cxt, DOS)) {
		img->label = IMAGE_LABEL_OTHER;
		goto out;
	}
	img->label = IMAGE_LABEL_DOS;
	for (size_t n = 0; n < MBR_PART_ENTRIES && !rc; n++)
		rc = read_primary(cxt, n, &img->part[n]);
out:
	fdisk_unref_context(cxt);
	return rc;
}

static int failed(struct disk_image *img, struct image_failure *why, const char *doing,
		  const char *reason)
{
	why->doing = doing;
	why->reason = reason;
	image_close(img);
	return -1;
}

int image_open(struct disk_image *img, const char *path, struct image_failure *why)
{
	struct stat st;
	int rc;

	memset(img, 0, sizeof(*img));
	img->path = path;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return failed(img, why, "opening", strerror(errno));
	if (fstat(img->fd, &st) < 0)
		return failed(img, why, "opening", strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		img->is_block_device = 1;
		if (ioctl(img->fd, BLKGETSIZE64, &img->bytes) < 0)
			return failed(img, why, "opening", strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		img->bytes = (uint64_t)st.st_size;
	} else {
		return failed(img, why, "opening", "it is neither a regular file nor a block device");
	}
	if (img->bytes < MBR_SECTOR_SIZE)
		return failed(img, why, "opening", "it is shorter than one 512-byte sector");
	rc = image_read(img, img->sector0, sizeof(img->sector0), 0);
	if (rc)
		return failed(img, why, "opening", strerror(rc));
	rc = read_partition_table(img);
	if (rc)
		return failed(img, why, "reading the partition table of", strerror(-rc));
	return 0;
}

void image_close(struct disk_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}
