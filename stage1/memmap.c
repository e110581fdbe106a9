/*
 * memmap.c - see memmap.h.  E820h per the ACPI specification ("System
 * Address Map Interfaces"); E801h as every BIOS since the mid-1990s has it.
 */
#include <string.h>
#include "memmap.h"
#include "bios.h"

#define E820_SMAP        0x534D4150u   /* "SMAP" */
#define E820_TYPE_RAM    1
#define PAGE_MASK        0xFFFull

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t acpi_attrs;    /* ACPI 3.0: bit 0 clear means "ignore me" */
} __attribute__((packed));

static struct e820_entry e820_buf;  /* .bss, below 1 MiB for the BIOS */

static void add_range(struct memmap *mm, uint64_t start, uint64_t end)
{
	/* Keep whole pages only: the kernel does the same with E820 RAM. */
	start = (start + PAGE_MASK) & ~PAGE_MASK;
	end &= ~PAGE_MASK;
	if (end <= start || mm->count == MEMMAP_MAX_RANGES)
		return;
	int i = mm->count++;
	while (i > 0 && mm->usable[i - 1].start > start) {
		mm->usable[i] = mm->usable[i - 1];
		i--;
	}
	mm->usable[i].start = start;
	mm->usable[i].end = end;
	/* merge neighbours that touch or overlap */
	int out = 0;
	for (int k = 1; k < mm->count; k++) {
		if (mm->usable[k].start <= mm->usable[out].end) {
			if (mm->usable[k].end > mm->usable[out].end)
				mm->usable[out].end = mm->usable[k].end;
		} else {
			mm->usable[++out] = mm->usable[k];
		}
	}
	mm->count = out + 1;
}

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
			add_range(mm, e820_buf.base, e820_buf.base + e820_buf.length);
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
	add_range(mm, 0, 0x9F000);
	add_range(mm, 0x100000, 0x100000 + (uint64_t)low_kib * 1024);
	if (high_64k)
		add_range(mm, 0x1000000, 0x1000000 + (uint64_t)high_64k * 65536);
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

int memmap_is_usable(const struct memmap *mm, uint64_t start, uint64_t size)
{
	for (int i = 0; i < mm->count; i++)
		if (start >= mm->usable[i].start && start + size <= mm->usable[i].end)
			return 1;
	return 0;
}

uint64_t memmap_place_high(const struct memmap *mm, uint64_t size,
			   uint64_t floor, uint64_t ceiling)
{
	uint64_t best = 0;

	for (int i = 0; i < mm->count; i++) {
		uint64_t top = mm->usable[i].end;
		if (top > ceiling + 1)
			top = ceiling + 1;
		if (top < size)
			continue;
		uint64_t at = (top - size) & ~PAGE_MASK;
		if (at >= mm->usable[i].start && at >= floor && at > best)
			best = at;
	}
	return best;
}

uint64_t memmap_extended_bytes(const struct memmap *mm)
{
	for (int i = 0; i < mm->count; i++)
		if (mm->usable[i].start <= 0x100000 && mm->usable[i].end > 0x100000)
			return mm->usable[i].end - 0x100000;
	return 0;
}
