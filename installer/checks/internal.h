/*
 * internal.h - what the files of the check engine share: the state of one
 * run, and the checks each file provides, in the order checks.c runs them.
 * Nothing outside checks/ includes it.
 */
#ifndef BOOTINST_CHECKS_INTERNAL_H
#define BOOTINST_CHECKS_INTERNAL_H

#include <ext2fs/ext2fs.h>
#include "checks.h"
#include "report.h"
#include "bzimage.h"
#include "stage_header.h"
#include "disk/stage_view.h"

#define KIB UINT64_C(1024)
#define MIB (KIB * KIB)

struct check {
	const struct check_request *req;
	const struct disk_image *img;
	struct check_result *res;
	struct findings *out;
	struct findings *kept_out;          /* the caller's list (out may be a dropped one) */
	FILE *err;

	int table_ok;                       /* a DOS table of 512-byte sectors */
	struct bootinst_stage_header stage; /* the installed stage's header */
	int record_ok;                      /* stage.rec holds a checksummed record */
	struct boot_config recorded;        /* its kernel, initrd and command line */
	int record_matches;                 /* ... and it names the live partition */
	uint32_t installed_stage_sectors;   /* patch area's count, if installed */
	int backup_found;                   /* a stage of ours carries a backup: */
	struct record_backup installed_backup; /* this one */

	ext2_filsys lib_fs;                 /* libext2fs's view, NULL if it cannot open */
	errcode_t lib_err;                  /* why it cannot */
	struct stage_view *sv;              /* the stage's view of the partition */
	int stage_mounted;
	struct bzimage_info kernel;
	int cmdline_reported;               /* E40 found for the command line asked for */
};

/* A library or system call failed while doing ("reading the stage"):
 * say so on err, naming the image, and return -1. */
static inline int check_call_failed(struct check *c, const char *doing, const char *reason)
{
	report_call_failed(c->err, c->img->path, doing, reason);
	return -1;
}

/* table.c */
void check_partition_table(struct check *c);
int check_choose_partition(struct check *c);
int check_not_mounted(struct check *c);

/* installed.c: reads what is installed; the findings are reported only in
 * CHECKS_AS_INSTALLED mode (checks.c hands it a list to drop otherwise) */
int check_installed(struct check *c);

/* boot_partition.c: the filesystem, /boot/bootinst.cfg, then the
 * default entry's files (res->boots) */
int check_boot_partition(struct check *c);
/* the kernel, initrd and memory of res->boots, as the stage loads them */
void check_boot_files(struct check *c);
void check_cmdline_fits_record(struct check *c);

/* gap.c */
void check_gap(struct check *c);

#endif
