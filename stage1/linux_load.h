/*
 * linux_load.h - load a bzImage (and initrd) from the filesystem and enter
 * it, per the Linux x86 boot protocol (Documentation/arch/x86/boot.rst).
 *
 * Where things go (linear addresses):
 *   0x30000            real-mode setup code (boot sector + setup_sects), X
 *   X .. X+0xE000      setup code, then its heap and stack (SP = 0xE000)
 *   X+0xE000           the command line (at most 2 KiB + NUL for 6.x)
 *   0x100000           the protected-mode kernel (init_size bytes reserved)
 *   high               the initrd: the highest 4 KiB-aligned place below
 *                      initrd_addr_max and the top of usable RAM
 * X sits above the stage (0x8000..0x1FFFF) and its bounce buffer
 * (0x20000..0x2FFFF), and far below the EBDA.
 */
#ifndef BOOTINST_LINUX_LOAD_H
#define BOOTINST_LINUX_LOAD_H

#include "config.h"
#include "diag.h"
#include "disk.h"
#include "ext2.h"
#include "memmap.h"

#define LINUX_REAL_MODE_ADDR  0x30000u
#define LINUX_HEAP_END        0xE000u   /* offset in X: top of heap and stack */
#define LINUX_CMDLINE_OFF     0xE000u   /* offset in X of the command line */

/* Loads and boots; returns only on failure, with *d filled in. */
enum diag_id linux_load_and_boot(struct ext2_fs *fs, struct disk *dk,
				 const struct boot_config *cfg,
				 const struct memmap *mm, struct diag *d);

#endif
