/* image.c - see image.h. */
#define _GNU_SOURCE
#include "image.h"

#include <errno.h>
#include <stdarg.h>
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
	why->fix = NULL;
	image_close(img);
	return -1;
}

/* failed(), with a fix, and the problem formatted into why->text. */
__attribute__((format(printf, 5, 6)))
static int failed_fix(struct disk_image *img, struct image_failure *why, const char *doing,
		      const char *fix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
	failed(img, why, doing, why->text);
	why->fix = fix;
	return -1;
}

#define MAKE_IMAGE "to make one: truncate -s 64M IMAGE, then sfdisk and mke2fs, as README.md shows"

/* open(2) failed with err: the system's words, and what to do where the
 * reason is one a user meets by giving the wrong path. */
static int open_failed(struct disk_image *img, struct image_failure *why, int err)
{
	switch (err) {
	case ENOENT:
		return failed_fix(img, why, "opening", "check the path (bootinst does not create "
				  "the image; " MAKE_IMAGE ")", "%s", strerror(err));
	case EACCES:
	case EPERM:
		return failed_fix(img, why, "opening", "run bootinst as a user who may read it "
				  "(ls -l shows its owner and mode; a disk's device needs root or "
				  "the disk group)", "%s", strerror(err));
	default:
		return failed(img, why, "opening", strerror(err));
	}
}

/* What st is, for a file that is neither a regular file nor a block
 * device: refused, naming its type and what to give instead. */
static int wrong_type(struct disk_image *img, struct image_failure *why, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return failed_fix(img, why, "opening", "give the disk image file (not the folder "
				  "that holds it), or the disk's block device (such as /dev/sdb)",
				  "it is a directory, not a disk image");
	if (S_ISFIFO(st->st_mode))
		return failed_fix(img, why, "opening", "save the stream to a file first "
				  "(cat PIPE > disk.img) and give that file",
				  "it is a FIFO (named pipe), not a disk image: bootinst reads and "
				  "writes a disk at fixed offsets, which a pipe cannot do");
	if (S_ISCHR(st->st_mode))
		return failed_fix(img, why, "opening", "give a disk image file, or a disk's block "
				  "device (/dev/sdX, /dev/loopN)",
				  "it is a character device, not a disk image or a block device");
	return failed_fix(img, why, "opening", "give a disk image file, or a disk's block device",
			  "it is neither a regular file nor a block device");
}

int image_open(struct disk_image *img, const char *path, struct image_failure *why)
{
	struct stat st;
	int rc, flags;

	memset(img, 0, sizeof(*img));
	img->path = path;
	/* O_NONBLOCK: a FIFO with no writer (or a device that waits for one)
	 * would otherwise block open(2) for ever; refused below by its type.
	 * Cleared again at once, so reads from an image or a disk wait. */
	img->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (img->fd < 0)
		return open_failed(img, why, errno);
	if (fstat(img->fd, &st) < 0)
		return failed(img, why, "opening", strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return wrong_type(img, why, &st);
	if ((flags = fcntl(img->fd, F_GETFL)) < 0 ||
	    fcntl(img->fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return failed(img, why, "opening", strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		img->is_block_device = 1;
		if (ioctl(img->fd, BLKGETSIZE64, &img->bytes) < 0)
			return failed(img, why, "opening", strerror(errno));
	} else {
		img->bytes = (uint64_t)st.st_size;
	}
	if (img->bytes < MBR_SECTOR_SIZE)
		return failed_fix(img, why, "opening", "give the whole disk image, not a part "
				  "of it (" MAKE_IMAGE ")",
				  "it is %llu byte%s, shorter than the 512-byte MBR that starts a disk",
				  (unsigned long long)img->bytes, img->bytes == 1 ? "" : "s");
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
