/*
 * views.h - the ways `bootinst info` shows what model.h holds, one file
 * each, and the few helpers they share (format.c, axis.c).  Each view
 * prints only: none reads the disk again, except --disasm, which hands the
 * 440 bytes to ndisasm.
 *
 *   text.c    the default view: the layout in words; and --mbr, LBA 0
 *             field by field (offset, bytes, meaning)
 *   disasm.c  --disasm: the boot code through ndisasm, with bootinst's own
 *             labels and comments (build/gen/mbr_labels.h) where it is ours
 *   svg.c     --svg FILE: the disk to scale (axis.c), as SVG
 *   map.c     --map: the same picture in a terminal
 *   json.c    --json: everything, as one JSON object (docs/info-json.md)
 */
#ifndef BOOTINST_INFO_VIEWS_H
#define BOOTINST_INFO_VIEWS_H

#include <stdio.h>
#include "model.h"

void info_print_text(FILE *out, const struct info_disk *d);
void info_print_mbr(FILE *out, const struct info_disk *d);

/* 0, or -1 when ndisasm cannot run (reported on err with the package
 * that provides it). */
int info_print_disasm(FILE *out, FILE *err, const struct info_disk *d);

void info_print_svg(FILE *out, const struct info_disk *d);
void info_print_map(FILE *out, const struct info_disk *d);
void info_print_json(FILE *out, const struct info_disk *d);

/* --- format.c ----------------------------------------------------------------- */

/* s for a terminal: control characters and bytes that are not UTF-8 as
 * \xNN, the rest as it is. */
void info_put_text(FILE *out, const char *s);

/* The bytes at p that a view shows as they are: a UTF-8 sequence that is
 * no control character (1-4), or 0 for a byte it shows as \xNN. */
int info_shown_length(const unsigned char *p);

/* bytes in the largest unit that keeps it short: "512 bytes", "31.5 KiB",
 * "21 MiB", "4 GiB" (binary units, one decimal where it is not whole). */
const char *info_size(uint64_t bytes, char *buf, size_t size);

/* What an owner is called in JSON: "zeros", "bootinst", "grub2", ... */
const char *info_owner_key(enum info_owner owner);

/* What libblkid found, in words: "ext4", "swap", "zeros", "nothing recognised". */
const char *info_content_words(const struct info_partition *p);

/* The last sector of a region, for "LBA a..b" */
static inline uint64_t info_last(uint64_t lba, uint64_t sectors)
{
	return sectors ? lba + sectors - 1 : lba;
}

/* --- axis.c: the disk's sectors along a line of given width --------------------- */

#define AXIS_SEGMENTS_MAX 48

enum axis_kind {
	AXIS_MBR,
	AXIS_STAGE,            /* a bootinst stage in the gap */
	AXIS_LOADER,           /* another loader's code in the gap */
	AXIS_GAP_ZERO,
	AXIS_GAP_DATA,
	AXIS_PARTITION,
	AXIS_FREE,             /* no partition, inside the image */
	AXIS_PAST_IMAGE,       /* past the image's end (a partition or filesystem says it is there) */
	AXIS_TABLE_DISK,       /* no DOS table: the disk after LBA 0 */
};

struct axis_segment {
	uint64_t lba, sectors;
	enum axis_kind kind;
	unsigned partition;    /* AXIS_PARTITION: 1..4 */
	double x, w;           /* where it is drawn */
	int broken;            /* shortened to fit: the axis is broken in it */
	int enlarged;          /* too small to see at scale: drawn wider */
};

struct info_axis {
	struct axis_segment seg[AXIS_SEGMENTS_MAX];
	unsigned n;
	uint64_t end;          /* the last sector drawn + 1 */
	double x0, width;
	int broken;            /* any segment broken */
};

/* Lay d's disk out over width units from x0, no segment narrower than
 * min_width: to scale, but where one region dwarfs the others it is
 * drawn shortened (broken) and small regions wider (enlarged). */
void info_axis_build(const struct info_disk *d, double x0, double width, double min_width,
		     struct info_axis *a);

/* Where sector lba is drawn (linear inside each segment). */
double info_axis_x(const struct info_axis *a, uint64_t lba);

#endif
