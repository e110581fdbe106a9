/*
 * disk/ - the disk image as bootinst reads it: one read-only descriptor,
 * and what libfdisk, libext2fs and the stage's own reader see through it.
 * May touch: the image, read-only.  Must not: write (only commit/ does), report findings.
 *
 * image.h - the disk itself: a plain image file or a block device, opened
 * once, read-only; its first sector and its DOS partition table as
 * libfdisk reads it through that same descriptor.  Everything else in
 * disk/ reads through the descriptor opened here.
 */
#ifndef BOOTINST_DISK_IMAGE_H
#define BOOTINST_DISK_IMAGE_H

#include <stdint.h>
#include <stddef.h>
#include "mbr.h"

#define IMAGE_SECTOR_SIZE 512u   /* the MBR code and the stage use 512-byte LBAs */

struct image_partition {
	int      used;
	int      bootable;     /* MBR status 0x80 */
	uint8_t  type;         /* MBR type byte, 0x83 = Linux */
	uint64_t start;        /* first sector (LBA) */
	uint64_t sectors;
};

enum image_label {
	IMAGE_LABEL_NONE,      /* no partition table libfdisk knows */
	IMAGE_LABEL_DOS,       /* MBR partition table: what bootinst boots from */
	IMAGE_LABEL_OTHER,     /* GPT, BSD, Sun, SGI: label_name says which */
};

struct disk_image {
	const char *path;
	int      fd;                        /* O_RDONLY, the only descriptor readers use */
	int      is_block_device;
	uint64_t bytes;                     /* size of the file or device */
	uint8_t  sector0[MBR_SECTOR_SIZE];  /* LBA 0 as read at open */
	enum image_label label;
	char     label_name[16];            /* libfdisk's name: "dos", "gpt", ... */
	unsigned long sector_size;          /* logical sector size, per libfdisk */
	struct image_partition part[MBR_PART_ENTRIES];  /* slot n = partition n+1 */
};

/* Why image_open failed: what it was doing ("opening", "reading the
 * partition table of"), the reason in words, and what to do about it where
 * bootinst knows (else NULL).  reason points into text or at a constant. */
struct image_failure {
	const char *doing;
	const char *reason;
	const char *fix;
	char text[200];
};

/*
 * Open path read-only, learn its size, read LBA 0 and its partition table
 * (libfdisk, through the same descriptor).  Returns 0, or -1 with *why
 * filled (not a regular file or a block device -- a directory, a FIFO, a
 * character device such as /dev/null --, shorter than one sector, or the
 * system's or libfdisk's reason).  Never waits: a FIFO or a device that
 * would block in open(2) is opened with O_NONBLOCK and refused by its type.
 */
int image_open(struct disk_image *img, const char *path, struct image_failure *why);

void image_close(struct disk_image *img);

/* Read len bytes at byte offset.  Returns 0 or an errno value (EIO for a
 * read that ends early: the image is shorter than its partition table says). */
int image_read(const struct disk_image *img, void *buf, size_t len, uint64_t offset);

/* pread until len bytes are in (EINTR retried); 0, or an errno value
 * (EIO for end of file).  Shared with commit/, which reads back. */
int fd_read_full(int fd, void *buf, size_t len, uint64_t offset);

/* Sectors in the image, whole sectors only. */
static inline uint64_t image_sectors(const struct disk_image *img)
{
	return img->bytes / IMAGE_SECTOR_SIZE;
}

#endif
