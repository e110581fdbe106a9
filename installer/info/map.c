/*
 * map.c - `bootinst info IMAGE --map`: the picture of svg.c in a terminal,
 * 80 columns of plain ASCII, along the same axis (axis.c: to scale, a
 * region that dwarfs the others shortened and marked //, one too small to
 * see widened to two columns):
 *
 *   disk     M the MBR, S a bootinst stage, L another loader, . zeros,
 *            # data, 1-4 the partition, ~ a disk without a DOS table,
 *            blank no partition, x past the image's end
 *   fs       = the ext2/3/4 filesystem, ! its part past the partition's end
 *   kernel   k where the kernel's blocks are
 *   initrd   i where the initrd's blocks are
 *   LBA      a tick at each boundary, its sector number below
 *
 * then each region of the axis in a line (its letter, sectors, size and
 * what it is), so the picture needs no colour to be read.
 */
#include "views.h"

#include <inttypes.h>
#include <string.h>

#define NAME_COLS   9                    /* "disk     " */
#define LANE_COLS   68                   /* the picture */
#define LINE_COLS   (NAME_COLS + LANE_COLS + 1)
#define MIN_COLS    2.0                  /* the narrowest region */
#define TICK_ROWS   3

static char kind_letter(const struct axis_segment *s)
{
	switch (s->kind) {
	case AXIS_MBR:        return 'M';
	case AXIS_STAGE:      return 'S';
	case AXIS_LOADER:     return 'L';
	case AXIS_GAP_ZERO:   return '.';
	case AXIS_GAP_DATA:   return '#';
	case AXIS_PARTITION:  return (char)('0' + s->partition);
	case AXIS_FREE:       return ' ';
	case AXIS_PAST_IMAGE: return 'x';
	case AXIS_TABLE_DISK: return '~';
	}
	return '?';
}

/* The columns [first, last) that sectors [lba, lba + n) cover, at least one. */
static void columns(const struct info_axis *a, uint64_t lba, uint64_t n, int *first, int *last)
{
	*first = (int)(info_axis_x(a, lba) + 0.5);
	*last = (int)(info_axis_x(a, lba + n) + 0.5);
	if (*last <= *first)
		*last = *first + 1;
	if (*last > LANE_COLS)
		*last = LANE_COLS;
	if (*first >= *last)
		*first = *last - 1;
}

static void fill(char *lane, const struct info_axis *a, uint64_t lba, uint64_t n, char c)
{
	int first, last;

	columns(a, lba, n, &first, &last);
	for (int i = first; i < last; i++)
		lane[i] = c;
}

/* "//" across every lane at the middle of each shortened region. */
static void mark_breaks(char *lane, const struct info_axis *a)
{
	for (unsigned i = 0; i < a->n; i++) {
		int mid = (int)(a->seg[i].x + a->seg[i].w / 2);
		if (a->seg[i].broken && mid >= 0 && mid + 1 < LANE_COLS)
			lane[mid] = lane[mid + 1] = '/';
	}
}

static void print_lane(FILE *out, const char *name, char *lane, const struct info_axis *a)
{
	int end = LANE_COLS;

	mark_breaks(lane, a);
	while (end > 0 && lane[end - 1] == ' ')
		end--;
	fprintf(out, "%-*s%.*s\n", NAME_COLS, name, end, lane);
}

static void disk_lane(FILE *out, const struct info_axis *a)
{
	char lane[LANE_COLS];

	memset(lane, ' ', sizeof(lane));
	for (unsigned i = 0; i < a->n; i++)
		fill(lane, a, a->seg[i].lba, a->seg[i].sectors, kind_letter(&a->seg[i]));
	print_lane(out, "disk", lane, a);
}

/* The filesystem's sectors on p; 0: no ext filesystem. */
static uint64_t fs_sectors(const struct info_partition *p)
{
	return p->ext && p->block_size ? p->blocks * p->block_size / IMAGE_SECTOR_SIZE : 0;
}

static void fs_lane(FILE *out, const struct info_disk *d, const struct info_axis *a)
{
	char lane[LANE_COLS];
	int any = 0;

	memset(lane, ' ', sizeof(lane));
	for (unsigned i = 0; i <= MBR_PART_ENTRIES; i++) {
		const struct info_partition *p = i < MBR_PART_ENTRIES ? &d->part[i] : &d->whole;
		uint64_t n = fs_sectors(p);

		if (!n)
			continue;
		any = 1;
		fill(lane, a, p->start, n < p->sectors || !p->number ? n : p->sectors, '=');
		if (p->past_end && p->number)
			fill(lane, a, p->start + p->sectors, n - p->sectors, '!');
	}
	if (any)
		print_lane(out, "fs", lane, a);
}

static void file_lane(FILE *out, const char *name, const struct info_file *f, char c,
		      const struct info_axis *a)
{
	char lane[LANE_COLS];

	if (!f->found || !f->extents)
		return;
	memset(lane, ' ', sizeof(lane));
	for (unsigned i = 0; i < f->extents; i++)
		fill(lane, a, f->extent[i].lba, f->extent[i].sectors, c);
	print_lane(out, name, lane, a);
}

/* The axis: '+' at each boundary, the sector numbers below in up to
 * TICK_ROWS rows, each where it does not run into the one before. */
static void axis(FILE *out, const struct info_axis *a)
{
	char row[TICK_ROWS][LINE_COLS + 24], line[LANE_COLS + 1];
	int end[TICK_ROWS];

	memset(line, '-', LANE_COLS);
	line[LANE_COLS] = '\0';
	for (int r = 0; r < TICK_ROWS; r++) {
		memset(row[r], ' ', sizeof(row[r]));
		end[r] = -2;
	}
	for (unsigned i = 0; i <= a->n; i++) {
		uint64_t lba = i < a->n ? a->seg[i].lba : a->end;
		int col = i < a->n ? (int)(a->seg[i].x + 0.5) : LANE_COLS;
		char label[24];
		int len = snprintf(label, sizeof(label), "%" PRIu64, lba), at = col;

		if (col < LANE_COLS)
			line[col] = '+';
		if (i == a->n)
			at = col - len + 1;       /* the last one ends at the lane's end */
		for (int r = 0; r < TICK_ROWS; r++)
			if (at > end[r] + 1 && at + len <= (int)sizeof(row[r]) - 1) {
				memcpy(row[r] + at, label, (size_t)len);
				end[r] = at + len;
				break;
			}
	}
	fprintf(out, "%-*s%s+\n", NAME_COLS, "LBA", line);
	for (int r = 0; r < TICK_ROWS; r++) {
		int n = (int)sizeof(row[r]) - 1;
		while (n > 0 && row[r][n - 1] == ' ')
			n--;
		if (n)
			fprintf(out, "%*s%.*s\n", NAME_COLS, "", n, row[r]);
	}
}

/* What a region is, in words. */
static void region_words(const struct info_disk *d, const struct axis_segment *s, char *buf, size_t size)
{
	const struct info_partition *p;

	switch (s->kind) {
	case AXIS_MBR:
		snprintf(buf, size, "the MBR: boot code %s, the partition table", d->mbr.code.name);
		return;
	case AXIS_STAGE:
		for (unsigned i = 0; i < d->gap.stages; i++)
			if (s->lba >= d->gap.stage[i].lba && s->lba < d->gap.stage[i].lba + d->gap.stage[i].sectors) {
				snprintf(buf, size, "bootinst stage, version %u%s", d->gap.stage[i].h.version,
					 d->gap.stage[i].mbr_boots ? " (the MBR boots it)" : " (stale)");
				return;
			}
		snprintf(buf, size, "bootinst stage");
		return;
	case AXIS_LOADER:
		snprintf(buf, size, "%s", d->gap.other);
		return;
	case AXIS_GAP_ZERO:
		snprintf(buf, size, "zeros, before the first partition");
		return;
	case AXIS_GAP_DATA:
		snprintf(buf, size, "data before the first partition, nothing here recognises it");
		return;
	case AXIS_PARTITION:
		p = &d->part[s->partition - 1];
		if (s->lba == p->start)
			snprintf(buf, size, "partition %u, type 0x%02X (%s): %s", s->partition, p->type,
				 d->mbr.entry[s->partition - 1].type_name, info_content_words(p));
		else
			snprintf(buf, size, "partition %u, continued", s->partition);
		return;
	case AXIS_FREE:
		snprintf(buf, size, "in no partition");
		return;
	case AXIS_PAST_IMAGE:
		snprintf(buf, size, "past the image's end: a partition or filesystem says it is there");
		return;
	case AXIS_TABLE_DISK:
		snprintf(buf, size, "%s", d->img->label == IMAGE_LABEL_OTHER
			 ? "a partition table bootinst does not decode (GPT)" : "the disk, with no partition table");
		return;
	}
	buf[0] = '\0';
}

static void regions(FILE *out, const struct info_disk *d, const struct info_axis *a)
{
	char where[48], size[32], words[240];

	fputc('\n', out);
	for (unsigned i = 0; i < a->n; i++) {
		const struct axis_segment *s = &a->seg[i];

		snprintf(where, sizeof(where), "LBA %" PRIu64 "..%" PRIu64, s->lba, info_last(s->lba, s->sectors));
		region_words(d, s, words, sizeof(words));
		fprintf(out, "  %c  %-20s %10s  ", kind_letter(s) == ' ' ? '_' : kind_letter(s), where,
			info_size(s->sectors * IMAGE_SECTOR_SIZE, size, sizeof(size)));
		info_put_text(out, words);
		fprintf(out, "%s\n", s->broken ? " (drawn shortened: //)" : s->enlarged ? " (drawn wider)" : "");
	}
}

/* The filesystem past its partition, and the boot files, in words. */
static void notes(FILE *out, const struct info_disk *d)
{
	const struct info_boot *b = &d->boot;
	char size[32];

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct info_partition *p = &d->part[i];
		if (p->past_end)
			fprintf(out, "  !  the filesystem on partition %u runs %" PRIu64 " sectors (%s) past its end "
				"(LBA %" PRIu64 "): E24, GRUB's Error 24\n", p->number, fs_sectors(p) - p->sectors,
				info_size((fs_sectors(p) - p->sectors) * IMAGE_SECTOR_SIZE, size, sizeof(size)),
				info_last(p->start, p->sectors));
	}
	for (int which = 0; which < 2; which++) {
		const struct info_file *f = which ? &b->initrd : &b->kernel;
		if (!f->found || !f->extents)
			continue;
		fprintf(out, "  %c  %s ", which ? 'i' : 'k', f->role);
		info_put_text(out, f->path);
		fprintf(out, ": LBA %" PRIu64 "..%" PRIu64 " in %" PRIu64 " run%s%s\n", f->first_lba, f->last_lba,
			f->extents + f->extents_more, f->extents + f->extents_more == 1 ? "" : "s",
			f->sectors_past ? ", some past the partition's end: E24" : "");
	}
}

void info_print_map(FILE *out, const struct info_disk *d)
{
	struct info_axis a;
	char size[32];

	info_axis_build(d, 0, LANE_COLS, MIN_COLS, &a);
	info_put_text(out, d->img->path);
	fprintf(out, ": %s, %" PRIu64 " sectors, to scale%s\n\n", info_size(d->img->bytes, size, sizeof(size)),
		image_sectors(d->img), a.broken ? " but where // marks a region drawn shortened" : "");
	disk_lane(out, &a);
	fs_lane(out, d, &a);
	file_lane(out, "kernel", &d->boot.kernel, 'k', &a);
	file_lane(out, "initrd", &d->boot.initrd, 'i', &a);
	axis(out, &a);
	regions(out, d, &a);
	notes(out, d);
}
