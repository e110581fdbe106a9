/*
 * memmap.h - usable RAM from the BIOS (INT 15h E820h, falling back to
 * E801h), and the two placement questions the Linux loader asks of it.
 */
#ifndef BOOTINST_MEMMAP_H
#define BOOTINST_MEMMAP_H

#include <stdint.h>

#define MEMMAP_MAX_RANGES 32

struct mem_range {
	uint64_t start;
	uint64_t end;           /* exclusive */
};

struct memmap {
	struct mem_range usable[MEMMAP_MAX_RANGES];   /* sorted, merged */
	int count;
	uint8_t source;         /* 0xE8 = E820h, 0xE1 = E801h */
};

/* Read the map from the BIOS (stage only: memmap_bios.c); returns the
 * number of usable ranges (0: none found). */
int memmap_init(struct memmap *mm);

/* Add [start, end) as usable, whole pages only, merged with its neighbours. */
void memmap_add(struct memmap *mm, uint64_t start, uint64_t end);

/* Is [start, start+size) entirely usable RAM? */
int memmap_is_usable(const struct memmap *mm, uint64_t start, uint64_t size);

/*
 * The highest 4 KiB-aligned address A with [A, A+size) usable, A >= floor
 * and A + size - 1 <= ceiling.  Returns 0 if there is none.
 */
uint64_t memmap_place_high(const struct memmap *mm, uint64_t size,
			   uint64_t floor, uint64_t ceiling);

/* Bytes of usable RAM from 1 MiB up to the end of that first range. */
uint64_t memmap_extended_bytes(const struct memmap *mm);

#endif
