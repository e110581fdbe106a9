/*
 * mkimage.h - `bootinst mkimage`: from a directory to a disk image that
 * boots, as a normal user, with no loop device and no mount.  The image
 * gets a DOS table with one bootable partition (libfdisk), an ext2/3/4
 * filesystem exactly the partition's size or smaller, never larger
 * (mke2fs -d, sized by mkimage/plan.h: the tutorials' Error 24 cannot
 * happen), the kernel, initrd and the kernel's config in /boot, the device
 * table's nodes, every file owned by root (commit/newfs.h); then the same
 * install as `bootinst install`, and `bootinst check`'s verdict.  It is
 * made unnamed beside OUT and takes OUT's name only when all that is done
 * and check finds no error (commit/newimage.h).
 */
#ifndef BOOTINST_MKIMAGE_H
#define BOOTINST_MKIMAGE_H

#include <stdint.h>
#include <stdio.h>
#include "mkimage/plan.h"
#include "predict/predict.h"

#define MKIMAGE_DEFAULT_START      2048u
#define MKIMAGE_DEFAULT_BLOCK_SIZE 4096u
#define MKIMAGE_DEFAULT_INODE_SIZE 256u
#define MKIMAGE_DEFAULT_INITRD     "/boot/initrd.img"

struct mkimage_options {
	const char *image;          /* OUT */
	const char *root;           /* the tree that becomes the filesystem */
	const char *kernel;         /* a bzImage on the host; NULL: the tree holds it */
	const char *kernel_path;    /* where it is in the image (BOOTINST_DEFAULT_KERNEL) */
	const char *initrd;         /* on the host, or NULL */
	const char *initrd_path;    /* MKIMAGE_DEFAULT_INITRD */
	const char *cmdline;        /* "" for none */
	uint64_t size;              /* bytes; 0: what the content needs, and a margin */
	uint64_t part_start;        /* the partition's first sector */
	enum mkimage_fs fs;
	uint32_t block_size;
	uint32_t inode_size;
	const char *label;          /* NULL: none */
	const char *device_table;   /* a file on the host, or NULL */
	int force;                  /* replace an existing OUT */
	int dry_run;                /* say what would be made, make nothing */
	int json;                   /* the summary as one JSON object */
	int quiet;                  /* print nothing but failures */
	enum disk_bus bus;          /* --bus, for install's and check's predictions */
	FILE *out, *err;
};

/* NULL if the options can be used, else what is wrong (a usage error). */
const char *mkimage_options_problem(const struct mkimage_options *o);

/* Make the image.  Returns the exit status: 0 made (or, dry run, would
 * be), 1 not, OUT as it was. */
int mkimage_run(const struct mkimage_options *o);

#endif
