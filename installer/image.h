/*
 * image.h - the disk the installer works on: a plain image file or a block
 * device, its first sectors, and its DOS partition table as libfdisk reads it.
 *
 * Everything here only reads.  The image is opened O_RDONLY; the one place
 * that writes is installer/commit.c, which opens it again O_RDWR.
 */
#ifndef BOOTINST_INSTALLER_IMAGE_H
#define BOOTINST_INSTALLER_IMAGE_H

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
	int      fd;                        /* O_RDONLY */
	int      is_block_device;
	uint64_t bytes;                     /* size of the file or device */
	uint8_t  sector0[MBR_SECTOR_SIZE];  /* LBA 0 as read at open */
	enum image_label label;
	char     label_name[16];            /* libfdisk's name: "dos", "gpt", ... */
	unsigned long sector_size;          /* logical sector size, per libfdisk */
	struct image_partition part[MBR_PART_ENTRIES];  /* slot n = partition n+1 */
};

/* Open path read-only, learn its size and read LBA 0.  Returns 0 or an errno
 * value (EINVAL: neither a regular file nor a block device; ENODATA: shorter
 * than one sector). */
int image_open(struct disk_image *img, const char *path);

void image_close(struct disk_image *img);

/* Read the partition table with libfdisk, read-only, into img->label,
 * img->sector_size and img->part.  Returns 0 or a negative errno value from
 * libfdisk. */
int image_read_partition_table(struct disk_image *img);

/* Read len bytes at byte offset.  Returns 0 or an errno value (EIO for a
 * read that ends early: the image is shorter than its partition table says). */
int image_read(const struct disk_image *img, void *buf, size_t len, uint64_t offset);

/* pread until len bytes are in (EINTR retried); 0, or an errno value
 * (EIO for end of file). */
int fd_read_full(int fd, void *buf, size_t len, uint64_t offset);

/* Sectors in the image, whole sectors only. */
static inline uint64_t image_sectors(const struct disk_image *img)
{
	return img->bytes / IMAGE_SECTOR_SIZE;
}

#endif
