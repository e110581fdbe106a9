/* load_plan.c - see load_plan.h. */
#include "load_plan.h"

#include <string.h>
#include "linux_load.h"
#include "linux_plan.h"

/* The top of the RAM mm holds from 1 MiB up (what the initrd may reach). */
static uint64_t ram_top(const struct memmap *mm)
{
	return LINUX_PM_LOAD_ADDR + memmap_extended_bytes(mm);
}

void info_plan_load(const struct bzimage_info *k, const struct boot_config *cfg,
		    uint64_t initrd_bytes, const struct memmap *mm, struct info_plan *p)
{
	struct linux_plan plan;

	memset(p, 0, sizeof(*p));
	p->made = 1;
	p->setup_addr = LINUX_REAL_MODE_ADDR;
	p->setup_bytes = k->setup_bytes;
	p->heap_end = LINUX_REAL_MODE_ADDR + LINUX_HEAP_END;
	p->cmdline_addr = LINUX_REAL_MODE_ADDR + LINUX_CMDLINE_OFF;
	p->cmdline_bytes = (uint32_t)strlen(cfg->cmdline) + 1;
	p->kernel_addr = LINUX_PM_LOAD_ADDR;
	p->kernel_bytes = k->kernel_bytes;
	p->init_size = k->init_size;
	p->initrd_bytes = cfg->initrd[0] ? initrd_bytes : 0;
	p->ram_top = ram_top(mm);
	/* the stage's own order (linux_load.c): the command line, then memory */
	if (linux_plan_cmdline(k, cfg->cmdline, &p->d) ||
	    linux_plan_memory(k, cfg, p->initrd_bytes, mm, &plan, &p->d)) {
		diag_format_message(&p->d, p->d_text, sizeof(p->d_text));
		p->d.path = p->d.name = NULL;   /* they pointed into cfg: the text keeps them */
		return;
	}
	p->ok = 1;
	p->initrd_addr = plan.initrd_addr;
}
