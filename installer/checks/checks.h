/*
 * checks/ - the check engine: every problem bootinst can find in a disk image before it boots.
 * May touch: the image through disk/ (read-only), predict/, findings.  Must not: write, print findings.
 *
 * checks.h - the one engine behind `bootinst check` (which runs it on an
 * image as it is) and `bootinst install` (which runs it first on what it
 * is about to install and refuses on errors).  Its findings are catalog
 * entries (findings.h); the verbs print them.  The checks follow the order
 * the machine meets things at boot, one file each:
 *
 *   table.c           partition table (E05), the boot partition (E22, I05),
 *                     mounted (I04)
 *   installed.c       what is installed: MBR code (I03), stage (M25, M06,
 *                     E06), install record vs the live table (E22)
 *   boot_partition.c  its filesystem as libext2fs and as the stage's own
 *                     reader see it (E17, E17F, E16, E24) -> bootinst.cfg
 *                     (E41, a warning: the stage ignores a broken file) ->
 *                     the kernel and the initrd, read as the stage reads
 *                     them (E15, E02, E26, E16, E24, E14, E13, E13P, E07,
 *                     E25) -> command line (E40) -> memory (E28)
 *   gap.c             the room after the MBR (I01, I02), and where the new
 *                     stage goes (disk/gap.h's plan)
 *   then predict/     what the kernel meets right after the loader
 *                     (L01-L10, N01; `bootinst check` only)
 *
 * A check that depends on an earlier one is skipped when that one failed
 * (no filesystem: no file lookups), so each finding is a cause, not an echo.
 *
 * "The stage's own view" (disk/stage_view.h) is stage1/ext2.c,
 * stage1/bzimage.c and stage1/config.c built for the host, reading the
 * partition through a struct blockdev over the image: the same code that
 * runs at boot, so a failure is found offline with the code the stage
 * would print.
 */
#ifndef BOOTINST_CHECKS_H
#define BOOTINST_CHECKS_H

#include <stdint.h>
#include <stdio.h>
#include "config.h"
#include "findings.h"
#include "memmap.h"
#include "disk/gap.h"
#include "disk/image.h"
#include "payload/stage_image.h"
#include "predict/predict.h"

enum checks_mode {
	/* `bootinst check`: the disk as it boots now; if bootinst is not
	 * installed, what `install` with the same options would boot, plus
	 * I03 as an error. */
	CHECKS_AS_INSTALLED,
	/* `bootinst install`'s pre-check: what is about to be installed; what
	 * is installed is read (for the backup and the stage's slot) but not
	 * reported, and there are no predictions after the loader. */
	CHECKS_BEFORE_INSTALL,
};

struct check_request {
	enum checks_mode mode;
	unsigned partition;      /* 1..4; 0: the installed one, else the active
				  * one, else the first Linux (0x83) */
	const char *kernel;      /* NULL: the installed one, else BOOTINST_DEFAULT_KERNEL */
	const char *initrd;      /* NULL: the installed one, else none */
	const char *cmdline;     /* NULL: the installed one, else "" */
	int force;               /* before install: foreign data after the MBR and
				  * a mounted device are warnings, not errors */
	int backup_file;         /* before install: a --backup file will keep
				  * what the stage overwrites */
	enum disk_bus bus;       /* where the machine attaches the disk (predict.h) */
};

/* What the checks learned, for install's record and summary. */
struct check_result {
	int installed;               /* LBA 0 holds bootinst's MBR patch area */
	char release[BOOTINST_RELEASE_BYTES];   /* the release that built the stage
						 * the MBR boots ("" if none or older) */
	unsigned partition;          /* 1..4, 0: none could be chosen */
	uint8_t partition_type;
	uint64_t part_start;         /* LBA */
	uint64_t part_sectors;
	struct boot_config boots;    /* kernel, initrd, command line after the
				      * config file's overrides, as the stage
				      * will take them */
	int config_used;             /* /boot/bootinst.cfg parsed and applied */
	struct boot_menu menu;       /* its entries (the recorded one alone
				      * without it); boots is the default's */
	int kernel_ok;               /* found, read whole, a bzImage we boot */
	uint64_t kernel_bytes;
	uint16_t kernel_protocol;
	uint64_t initrd_bytes;
	uint32_t stage_sectors;      /* the stage install writes (or wrote) */
	uint64_t gap_sectors;        /* sectors between the MBR and the first partition */
	struct gap_map gap;          /* what the gap holds */
	struct stage_plan plan;      /* where install puts the new stage */
	struct record_backup backup;  /* the uninstall backup the new stage carries */
};

/* NULL if the request's partition number and paths fit an install record,
 * else what is wrong (a usage error).  A command line too long for the
 * record is a finding (E40). */
const char *check_request_problem(const struct check_request *req);

/*
 * E24 for a filesystem larger than its partition, the tutorials' mistake
 * (mke2fs on the whole image, or with the wrong size): GRUB met it at boot
 * as Error 24, Linux as "attempt to access beyond end of device".  Returns
 * 1 with *d filled (its path points into path) when blocks of block_size
 * bytes pass part_sectors, else 0.  The check of the boot partition and
 * `bootinst info` of every partition say it in the same words.
 */
int checks_fs_past_partition(uint64_t blocks, uint32_t block_size, uint64_t part_sectors,
			     struct diag *d, char *path, size_t path_size);

/*
 * The machine check predicts memory for besides "any": QEMU started without
 * -m (QEMU_DEFAULT_RAM_MIB), as every tutorial boots its image, with the
 * RAM its BIOS reports (E820: below 0x9FC00, and 1 MiB to 0x7FE0000).
 */
#define QEMU_DEFAULT_RAM_MIB 128u
void checks_qemu_default_memmap(struct memmap *mm);

/*
 * Run every check that applies to img and append the findings to out.
 * Returns 0, or -1 when a library or system call failed in a way that
 * stops the checks (reported on err, e2fsprogs style).
 */
int checks_run(const struct check_request *req, const struct disk_image *img,
	       struct check_result *res, struct findings *out, FILE *err);

#endif
