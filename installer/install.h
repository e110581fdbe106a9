/*
 * install.h - `bootinst install`: put the MBR code and the stage on a disk
 * image so that it boots a kernel from an ext2/3/4 partition.
 *
 * What it writes, and nothing else (docs/design.md, "Disk layout"):
 *
 *   LBA 0, bytes 0x000..0x1B7   MBR boot code + patch area (mbr.h)
 *   the stage's sectors          in the gap after the MBR, where the plan
 *                                (disk/gap.h) puts them: beside the stage
 *                                the MBR boots now, never over it when the
 *                                gap has room for both
 *   the old stage's sectors      zeroed once the MBR boots the new one
 *                                (proven ours: magic and CRC)
 *
 * The disk signature, the partition table and 55 AA are read, never written.
 * The check engine (checks/checks.h) runs on a read-only view first and its
 * findings are printed; any error refuses the install unless --force.  The
 * bytes are built in memory (payload/) and then written in journalled steps
 * (commit/commit.h), the MBR's switch to the new stage last, so that a
 * process killed at any instant leaves a disk that boots the old stage or
 * the new one.  The whole install holds a lock on the image.
 */
#ifndef BOOTINST_INSTALL_H
#define BOOTINST_INSTALL_H

#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "findings.h"
#include "checks/checks.h"
#include "commit/commit.h"

struct install_options {
	const char *image;       /* image file or block device */
	const char *name;        /* what messages call it; NULL: image (mkimage
				  * installs on an image that has no name yet) */
	unsigned    partition;   /* 1..4; 0: the active one, else the first Linux (0x83) */
	const char *kernel;      /* absolute path inside the filesystem */
	const char *initrd;      /* absolute path, or NULL for none */
	const char *cmdline;     /* kernel command line, "" for none */
	int         force;       /* install despite errors; overwrite foreign data
				  * after the MBR; write while mounted */
	int         dry_run;     /* check and build everything, write nothing */
	int         no_wait;     /* another bootinst holds the image: fail, not wait */
	const char *backup;      /* --backup FILE: keep what only it can keep
				  * (sectors of another loader --force overwrites) */
	int         force_chs;   /* the stage reads with CHS even where the BIOS has EDD */
	int         bios_disk;   /* the stage reads through the BIOS only, never natively */
	unsigned    timeout;     /* --timeout: the recorded entry's menu, seconds */
	enum disk_bus bus;       /* --bus: where the machine attaches the disk */
	FILE       *out;         /* the summary */
	FILE       *err;         /* findings and failures */
	write_at_fn write_at;    /* NULL: pwrite(2); tests inject failures here */
};

enum install_status {
	INSTALL_DONE,            /* installed and verified, or (dry run) would be */
	INSTALL_REFUSED,         /* a check failed: nothing written */
	INSTALL_CALL_FAILED,     /* a library or system call failed before writing */
	INSTALL_WRITE_UNDONE,    /* a write failed; every original byte restored */
	INSTALL_WRITE_DAMAGED,   /* a write failed and so did restoring */
};

/* What stopped an install (INSTALL_REFUSED, INSTALL_CALL_FAILED). */
enum install_stop {
	INSTALL_STOP_NONE,
	INSTALL_STOP_OPTIONS,        /* a path does not fit the record */
	INSTALL_STOP_EMBEDDED_BLOBS, /* the MBR code or stage built into bootinst is malformed */
	INSTALL_STOP_IMAGE,          /* the image cannot be locked, opened, read or checked */
	INSTALL_STOP_FINDINGS,       /* the checks found errors, and no --force */
	INSTALL_STOP_CANNOT,         /* not even --force can: no partition to record,
				      * no room for the stage before the first one,
				      * a command line the record cannot hold, or
				      * foreign sectors and no --backup to keep them */
	INSTALL_STOP_BACKUP,         /* the --backup file could not be written */
};

struct install_result {
	enum install_status status;
	enum install_stop   stopped_by; /* INSTALL_STOP_NONE unless refused or a call failed */
	struct findings     findings;   /* what the checks found (errors, warnings, notes) */
	struct diag         diag;       /* the first error's, DIAG_OK if none; its
					 * strings point into findings */

	/* what was (or, dry run, would be) installed */
	unsigned  partition;
	uint8_t   partition_type;
	uint64_t  part_start;           /* LBA */
	uint64_t  part_sectors;
	uint64_t  kernel_bytes;
	uint16_t  kernel_protocol;
	uint64_t  initrd_bytes;
	uint64_t  gap_sectors;          /* sectors between the MBR and the first partition */
	uint64_t  stage_lba;            /* where the new stage went */
	uint32_t  stage_sectors;
	int       crash_safe;           /* it went beside the old one, not over it */
	uint64_t  cleared_sectors;      /* sectors of old stages zeroed after the switch */
	int       replaced_foreign_code;/* the MBR held boot code that was not bootinst's */
	int       replaced_stage;       /* the gap held an earlier bootinst stage */
};

/* NULL if the options fit the install record, else what is wrong (a usage
 * error: main prints it with the "Try 'bootinst --help'" line). */
const char *install_options_problem(const struct install_options *o);

/* Run the install.  Fills *r (free it with install_result_free) and returns
 * the exit status: 0 done, 1 not. */
int install_run(const struct install_options *o, struct install_result *r);

void install_result_free(struct install_result *r);

#endif
