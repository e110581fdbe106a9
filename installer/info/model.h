/*
 * info/ - `bootinst info`: every byte of the boot path named, decoded and drawn.
 * May touch: the image through disk/ (read-only), the check engine (checks/),
 * this build's MBR code (payload/).  Must not: write; nothing but the verb uses it.
 *
 * model.h - what `bootinst info` learns about a disk image, read once
 * (info_read, read.c) and then shown by each view (views.h).  The parts
 * follow the order the machine meets them, one file each:
 *
 *   mbr.c      LBA 0: the boot code (whose: loaders.c), bootinst's patch
 *              area, the disk signature, the four entries (CHS decoded and
 *              compared with the LBA fields, type names from libfdisk), 55 AA
 *   gap.c      LBA 1 up to the first partition: bootinst's stages (header,
 *              CRC, install record, uninstall backup), another loader there
 *              (loaders.c: GRUB's core.img), and which sectors hold data
 *   parts.c    each partition: what libblkid finds in it; for ext2/3/4 the
 *              superblock's sizes and features, and the filesystem's bytes
 *              against the partition's (E24 when it is larger: checks/)
 *   boot.c     what boots: the kernel and initrd the check engine settles on
 *              (the install record, /boot/bootinst.cfg), their blocks as
 *              disk sectors (libext2fs), the bzImage setup header, and
 *              where the stage loads each piece (load_plan.c: linux_plan.c)
 *   read.c     the order, and `bootinst check`'s findings on the same image
 *
 * Everything here is read: nothing in info/ opens anything for writing.
 */
#ifndef BOOTINST_INFO_MODEL_H
#define BOOTINST_INFO_MODEL_H

#include <stdint.h>
#include <stdio.h>
#include "config.h"
#include "findings.h"
#include "linux_boot.h"
#include "mbr.h"
#include "record.h"
#include "stage_header.h"
#include "checks/checks.h"
#include "disk/gap.h"
#include "disk/image.h"
#include "disk/probe.h"
#include "info/load_plan.h"

#define INFO_SIGNATURES_MAX  6          /* constants by which boot code was recognised */
#define INFO_GAP_SCAN_MAX    65536u     /* gap sectors looked at (32 MiB); the rest is counted */
#define INFO_GAP_RUNS_MAX    32         /* runs of the gap kept; more are counted */
#define INFO_STAGE_READ_MAX  128u       /* sectors of a stage read (the MBR loads <= 62) */
#define INFO_STAGES_MAX      (GAP_MAX_STAGES + 1)  /* proven ones, and the MBR's own */
#define INFO_EXTENTS_MAX     4096u      /* runs of a file kept; more are counted */

/* --- LBA 0 ----------------------------------------------------------------- */

/* Who wrote the boot code (bytes 0..439), by loaders.c's signatures. */
enum info_owner {
	OWNER_ZEROS,           /* all 440 bytes zero: nothing to run */
	OWNER_BOOTINST,        /* bootinst's patch area "BI" at 0x1AE */
	OWNER_GRUB2,           /* GRUB 2's boot.img */
	OWNER_GRUB_LEGACY,     /* GRUB 0.9x's stage1 */
	OWNER_SYSLINUX,        /* SYSLINUX/EXTLINUX's mbr.bin, altmbr.bin, gptmbr.bin */
	OWNER_DOS,             /* MS-DOS 3.3 to Windows XP (FDISK /MBR, fixmbr) */
	OWNER_WINDOWS,         /* Windows Vista and later (bootsect /nt60: TCPA) */
	OWNER_UNKNOWN,
};

/* A constant found where its loader puts it: the proof shown to the user. */
struct info_signature {
	uint16_t offset;       /* in the sector */
	char text[40];         /* as printable text ("GRUB ", "\"BI\"") */
};

struct info_boot_code {
	enum info_owner owner;
	const char *name;      /* "GRUB 2 (boot.img)" */
	char detail[200];      /* what its own fields say: "loads core.img from LBA 1" */
	unsigned code_bytes;   /* bytes 0..N-1 hold code: up to its last non-zero byte */
	struct info_signature sig[INFO_SIGNATURES_MAX];
	unsigned sigs;
	int this_build;        /* bootinst: bytes 0..0x1AD are this bootinst's own */
	unsigned origin;       /* where it runs: 0x600 (bootinst moves there) or 0x7C00 */
	uint64_t loads_lba;    /* the sector it loads next (stage, core.img, stage2); 0: none */
	uint32_t loads_sectors;
};

struct info_chs {
	unsigned cylinder, head, sector;
};

struct info_entry {
	unsigned number;              /* 1..4 */
	uint8_t raw[16];              /* as on disk */
	int empty;                    /* all 16 bytes zero */
	uint8_t status;               /* 0x80 active, 0 not; others are invalid */
	uint8_t type;
	char type_name[48];           /* libfdisk's name for the DOS type */
	uint32_t lba_first, sectors;
	struct info_chs chs_first, chs_last;     /* decoded from the entry */
	struct info_chs want_first, want_last;   /* the LBA fields under the geometry */
	int first_ok, last_ok;                   /* they agree */
	int first_beyond, last_beyond;           /* the LBA is past what CHS reaches */
};

struct info_mbr {
	uint8_t sector[MBR_SECTOR_SIZE];
	struct info_boot_code code;
	int patch_found;              /* "BI" at 0x1AE */
	struct mbr_patch_area patch;
	uint32_t disk_signature;
	uint16_t reserved;
	struct info_entry entry[MBR_PART_ENTRIES];
	unsigned heads, sectors_per_track;   /* the CHS geometry the entries are read with */
	const char *geometry_from;           /* why that one */
	int boot_signature;                  /* 55 AA at 0x1FE */
};

/* --- the gap after the MBR ---------------------------------------------------- */

enum info_run_kind {
	RUN_ZERO,              /* all zeros */
	RUN_STAGE,             /* a bootinst stage (stage[] says which) */
	RUN_OTHER_LOADER,      /* another loader's code, recognised (gap.other) */
	RUN_DATA,              /* non-zero bytes nothing here recognises */
};

struct info_run {
	uint64_t lba;
	uint64_t sectors;
	enum info_run_kind kind;
};

/* A bootinst stage in the gap: a proven one (magic, sizes, CRC), or the one
 * the MBR's patch area points at, whatever it holds. */
struct info_stage {
	uint64_t lba;
	uint32_t sectors;             /* image_size in sectors, or what the MBR loads */
	int mbr_boots;                /* the patch area points at it */
	int magic_ok, sizes_ok, crc_ok;
	struct bootinst_stage_header h;
	uint32_t crc;                 /* computed over image_size bytes */
	int record_ok;                /* record_settings() takes its strings */
	struct boot_config rec;       /* kernel, initrd, command line */
	int record_matches;           /* record_check_partition(): the table still has it */
	char record_problem[200];     /* else why (E22's words) */
	int backup;                   /* the uninstall backup: 1 there, 0 none, -1 broken */
	struct record_backup backup_bytes;
};

struct info_gap {
	uint64_t end;                 /* first partition's start, or the image's end */
	uint64_t scanned;             /* sectors looked at from LBA 1 */
	struct info_stage stage[INFO_STAGES_MAX];
	unsigned stages;
	char other[160];              /* another loader's code in the gap, "" if none */
	uint64_t other_lba;
	uint32_t other_sectors;
	struct info_run run[INFO_GAP_RUNS_MAX];
	unsigned runs;
	uint64_t runs_more;           /* sectors in runs that did not fit run[] */
};

/* --- partitions ------------------------------------------------------------------ */

struct info_partition {
	unsigned number;              /* 1..4; 0: the whole disk (no table) */
	int used;
	uint64_t start, sectors;
	int bootable;
	uint8_t type;
	struct partition_probe probe; /* libblkid */
	int ext;                      /* ext2/3/4: the fields below */
	uint32_t block_size;
	uint64_t blocks;
	uint32_t inodes;
	uint16_t inode_size;
	char label[17];
	char features[320];           /* libe2p's names, space-separated */
	int past_end;                 /* the filesystem is larger than the partition: */
	struct diag e24;              /* E24, as `bootinst check` says it */
	char e24_path[128];
};

/* --- what boots ------------------------------------------------------------------ */

struct info_extent {
	uint64_t lba;                 /* disk sector */
	uint64_t sectors;
};

struct info_file {
	const char *role;             /* "kernel", "initrd" */
	char path[BOOTINST_PATH_MAX];
	int found;
	char problem[160];            /* why not, in libext2fs's words */
	uint64_t bytes;
	struct info_extent *extent;   /* the blocks as disk sectors, in file order */
	unsigned extents;
	uint64_t extents_more;        /* runs past INFO_EXTENTS_MAX, counted */
	uint64_t first_lba, last_lba; /* lowest and highest sector of its blocks */
	uint64_t sectors;             /* all its blocks, in sectors */
	uint64_t sectors_past;        /* of them, past the partition's end */
};

struct info_boot {
	int known;                    /* a partition to boot and a kernel path */
	const char *from;             /* "the install record", "/boot/bootinst.cfg", ... */
	unsigned partition;
	uint64_t part_start, part_sectors;
	struct boot_config cfg;
	struct info_file kernel, initrd;
	int header_read;              /* the setup header's bytes are in hdr */
	struct linux_setup_header hdr;
	char version[128];            /* the kernel_version string */
	int bz_ok;                    /* bzimage_parse() takes it */
	struct bzimage_info bz;
	struct diag bz_diag;          /* else why (E13, E13P, E07, E14) */
	struct info_plan plan;        /* where the stage loads it (load_plan.c) */
};

/* --- all of it ------------------------------------------------------------------------ */

struct info_disk {
	const struct disk_image *img;
	struct info_mbr mbr;
	struct info_gap gap;
	struct info_partition part[MBR_PART_ENTRIES];   /* part[n - 1]: partition n */
	struct info_partition whole;  /* no partition table: what the whole disk holds */
	struct info_boot boot;
	int checked;                  /* the check engine ran: */
	struct check_result check;
	struct findings found;        /* what `bootinst check` says of this image */
};

/*
 * Read all of it.  Returns 0 with *d filled (free with info_free), or -1
 * when a system or library call failed in a way that stops the reading,
 * reported on err, e2fsprogs style.
 */
int info_read(const struct disk_image *img, struct info_disk *d, FILE *err);
void info_free(struct info_disk *d);

/* --- the parts, in read.c's order ------------------------------------------------------- */

/* loaders.c: whose boot code sector (LBA 0) holds, into *c. */
void info_identify_boot_code(const uint8_t sector[MBR_SECTOR_SIZE], struct info_boot_code *c);

/* loaders.c: another loader's first sector at lba of the gap (GRUB 2's
 * core.img, GRUB Legacy's stage1.5 or stage2, a GPT header): its name in
 * what, and *sectors its length where its own fields say, else 1.  0 if
 * it is none of them. */
int info_identify_gap_sector(const uint8_t sector[MBR_SECTOR_SIZE], uint64_t lba, char *what,
			     size_t size, uint32_t *sectors);

/* mbr.c */
void info_read_mbr(const struct disk_image *img, struct info_mbr *m);

/* gap.c: 0 or an errno value */
int info_read_gap(const struct disk_image *img, const struct info_mbr *m, struct info_gap *g);

/* parts.c: each used partition of a DOS table; the whole disk without one */
void info_read_partitions(const struct disk_image *img, struct info_disk *d);

/* boot.c: what d->check settled on; 0 or -1 (ENOMEM, reported on err) */
int info_read_boot(const struct disk_image *img, struct info_disk *d, FILE *err);

#endif
