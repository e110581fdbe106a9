/*
 * load_plan.h - where the stage puts each piece of Linux in memory, for
 * `bootinst info`: the addresses stage1/linux_load.h fixes (the setup code
 * at 0x30000, its heap and stack, the command line) and the ones
 * stage1/linux_plan.c decides (room at 1 MiB, the initrd's place), asked
 * of the very code the stage runs, never worked out a second time.
 *
 * Its own file because stage1/linux_load.h brings in the stage's ext2.h,
 * which no file may include beside libext2fs's headers.
 */
#ifndef BOOTINST_INFO_LOAD_PLAN_H
#define BOOTINST_INFO_LOAD_PLAN_H

#include <stdint.h>
#include "bzimage.h"
#include "config.h"
#include "diag.h"
#include "memmap.h"

struct info_plan {
	int made;                  /* planned (a kernel the stage boots was found) */
	int ok;                    /* linux_plan_cmdline and linux_plan_memory agree */
	struct diag d;             /* else the stage's failure (E40, E28) */
	char d_text[320];          /* ... as the stage prints it */
	uint32_t setup_addr;       /* the boot sector and setup code */
	uint32_t setup_bytes;
	uint32_t heap_end;         /* setup code, heap and stack end here */
	uint32_t cmdline_addr;
	uint32_t cmdline_bytes;    /* with its NUL */
	uint32_t kernel_addr;      /* the protected-mode part */
	uint32_t kernel_bytes;     /* read from the file */
	uint32_t init_size;        /* reserved from kernel_addr (boot.rst) */
	uint32_t initrd_addr;      /* 0: no initrd */
	uint64_t initrd_bytes;
	uint64_t ram_top;          /* the machine planned for: RAM ends here */
};

/*
 * Plan kernel k with cfg's command line and an initrd of initrd_bytes
 * (cfg->initrd "" for none) in memory mm, as stage1/linux_load.c does
 * before it reads the kernel's body.
 */
void info_plan_load(const struct bzimage_info *k, const struct boot_config *cfg,
		    uint64_t initrd_bytes, const struct memmap *mm, struct info_plan *p);

#endif
