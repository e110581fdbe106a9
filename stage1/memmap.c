/*
 * memmap.c - the usable-RAM list and the placement questions asked of it.
 * Portable: the stage fills it from the BIOS (memmap_bios.c), `bootinst
 * check` with the memory of the machines it predicts for.
 */
#include "memmap.h"

#define PAGE_MASK 0xFFFull

void memmap_add(struct memmap *mm, uint64_t start, uint64_t end)
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
