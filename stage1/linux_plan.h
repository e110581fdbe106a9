/*
 * linux_plan.h - what the Linux loader decides before it reads the kernel's
 * body: whether the command line fits, whether the kernel has room at
 * 1 MiB, and where the initrd goes (the highest 4 KiB-aligned place above
 * the kernel, below initrd_addr_max and the top of usable RAM).
 *
 * Portable: the stage loads by it (linux_load.c) and `bootinst check`
 * predicts with it, over the memory of the machines it predicts for, so
 * both say the same E28 and E40 for the same image.
 */
#ifndef BOOTINST_LINUX_PLAN_H
#define BOOTINST_LINUX_PLAN_H

#include <stdint.h>
#include "bzimage.h"
#include "config.h"
#include "diag.h"
#include "memmap.h"

/*
 * The loader reads a file in pieces of 1016 sectors: a whole number of
 * 127-sector BIOS calls and of 4 KiB blocks, so splitting for progress
 * costs no extra disk call.  It also decides which block an E24 names when
 * a run of blocks crosses the partition's end, so `bootinst check` reads
 * in the same pieces.
 */
#define LINUX_LOAD_PIECE_BYTES (8u * 127u * 512u)

struct linux_plan {
	uint32_t initrd_addr;    /* where the initrd goes; 0 when there is none */
};

/* E40 unless cmdline fits both the kernel's cmdline_size and the record. */
enum diag_id linux_plan_cmdline(const struct bzimage_info *k, const char *cmdline,
				struct diag *d);

/*
 * E28 unless the kernel (init_size bytes at 1 MiB) and an initrd of
 * initrd_size bytes (0: none) fit mm; fills *plan.  The paths are cfg's,
 * for the message.
 */
enum diag_id linux_plan_memory(const struct bzimage_info *k, const struct boot_config *cfg,
			       uint64_t initrd_size, const struct memmap *mm,
			       struct linux_plan *plan, struct diag *d);

#endif
