/* linux_plan.c - see linux_plan.h. */
#include <string.h>
#include "linux_plan.h"

#define PAGE_MASK 0xFFFull

enum diag_id linux_plan_cmdline(const struct bzimage_info *k, const char *cmdline,
				struct diag *d)
{
	/* The kernel copies at most cmdline_size bytes (boot.rst): a longer
	 * line would be cut silently.  The record's room (2047) equals x86
	 * Linux's COMMAND_LINE_SIZE - 1, so the kernel's limit is the one
	 * users meet. */
	uint32_t limit = k->cmdline_max < BOOTINST_CMDLINE_MAX - 1 ?
		k->cmdline_max : BOOTINST_CMDLINE_MAX - 1;
	uint32_t len = (uint32_t)strlen(cmdline);

	if (len <= limit)
		return DIAG_OK;
	diag_set(d, DIAG_CMDLINE_TOO_LONG);
	d->value = len;
	d->limit = limit;
	return DIAG_CMDLINE_TOO_LONG;
}

static enum diag_id no_memory(struct diag *d, const char *path, uint64_t need,
			      uint64_t have, const char *what)
{
	diag_set(d, DIAG_NO_MEMORY);
	d->path = path;
	d->value = need;
	d->limit = have;
	d->name = what;
	return DIAG_NO_MEMORY;
}

enum diag_id linux_plan_memory(const struct bzimage_info *k, const struct boot_config *cfg,
			       uint64_t initrd_size, const struct memmap *mm,
			       struct linux_plan *plan, struct diag *d)
{
	uint64_t kernel_end = LINUX_PM_LOAD_ADDR + (uint64_t)k->init_size;
	uint64_t floor = (kernel_end + PAGE_MASK) & ~PAGE_MASK;

	plan->initrd_addr = 0;
	if (!memmap_is_usable(mm, LINUX_PM_LOAD_ADDR, k->init_size))
		return no_memory(d, cfg->kernel, k->init_size, memmap_extended_bytes(mm),
				 "RAM from 1 MiB up");
	if (!cfg->initrd[0])
		return DIAG_OK;
	uint64_t at = initrd_size > 0xFFFFFFFFu ? 0 :
		memmap_place_high(mm, initrd_size, floor, k->initrd_addr_max);
	if (!at) {
		uint64_t top = LINUX_PM_LOAD_ADDR + memmap_extended_bytes(mm);
		if (top > (uint64_t)k->initrd_addr_max + 1)
			top = (uint64_t)k->initrd_addr_max + 1;
		return no_memory(d, cfg->initrd, initrd_size, top > floor ? top - floor : 0,
				 "RAM above the kernel and below initrd_addr_max");
	}
	plan->initrd_addr = (uint32_t)at;
	return DIAG_OK;
}
