/*
 * memmap_bios.c - memmap_init(): usable RAM from the BIOS.  E820h per the
 * ACPI specification ("System Address Map Interfaces"); E801h as every BIOS
 * since the mid-1990s has it.  Stage only.
 */
#include <string.h>
#include "memmap.h"
#include "bios.h"

#define E820_SMAP        0x534D4150u   /* "SMAP" */
#define E820_TYPE_RAM    1

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t acpi_attrs;    /* ACPI 3.0: bit 0 clear means "ignore me" */
} __attribute__((packed));

static struct e820_entry e820_buf;  /* .bss, below 1 MiB for the BIOS */


static int read_e820(struct memmap *mm)
{
	uint32_t continuation = 0;

	do {
		struct bios_regs r = { 0 };
		memset(&e820_buf, 0, sizeof(e820_buf));
		e820_buf.acpi_attrs = 1;
		r.eax = 0xE820;
		r.ebx = continuation;
		r.ecx = sizeof(e820_buf);
		r.edx = E820_SMAP;
		r.es = real_seg((uint32_t)&e820_buf);
		r.edi = real_off((uint32_t)&e820_buf);
		bios_int(0x15, &r);
		if ((r.eflags & BIOS_FLAG_CF) || r.eax != E820_SMAP)
			break;
		if (e820_buf.type == E820_TYPE_RAM && (e820_buf.acpi_attrs & 1))
			memmap_add(mm, e820_buf.base, e820_buf.base + e820_buf.length);
		continuation = r.ebx;
	} while (continuation);
	return mm->count;
}

static int read_e801(struct memmap *mm)
{
	struct bios_regs r = { 0 };

	r.eax = 0xE801;
	bios_int(0x15, &r);
	if (r.eflags & BIOS_FLAG_CF)
		return 0;
	/* AX/CX: KiB between 1 and 16 MiB; BX/DX: 64 KiB blocks above 16 MiB */
	uint32_t low_kib = r.ecx & 0xffff ? r.ecx & 0xffff : r.eax & 0xffff;
	uint32_t high_64k = r.edx & 0xffff ? r.edx & 0xffff : r.ebx & 0xffff;
	memmap_add(mm, 0, 0x9F000);
	memmap_add(mm, 0x100000, 0x100000 + (uint64_t)low_kib * 1024);
	if (high_64k)
		memmap_add(mm, 0x1000000, 0x1000000 + (uint64_t)high_64k * 65536);
	return mm->count;
}

int memmap_init(struct memmap *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->source = 0xE8;
	if (read_e820(mm))
		return mm->count;
	mm->source = 0xE1;
	return read_e801(mm);
}



