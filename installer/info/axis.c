/*
 * axis.c - the disk's sectors laid along a line, for the SVG (pixels) and
 * the terminal map (columns): to scale, with a broken axis where one
 * region dwarfs the others.
 *
 * The line is cut at every boundary the views mark (the MBR, each stage
 * and other loader's code, the gap's end, each partition's ends, the
 * image's end, and a filesystem's end past it) into segments, each drawn at k
 * units per sector.  Two exceptions keep small things visible:
 *
 *   enlarged  a segment narrower than min_width at scale is drawn
 *             min_width wide (the MBR: 1 sector in millions);
 *   broken    when a region that matters (a gap, the part of a filesystem
 *             past its partition) would be a sliver next to a much larger
 *             one, the large ones (a quarter of the largest's size or
 *             more) are drawn shortened, each a bit wider than the widest
 *             segment left at scale, and the views mark the break.
 *
 * k is then the largest scale at which everything fits the width.
 */
#include "views.h"

#include <string.h>

#define BOUNDARIES_MAX   (AXIS_SEGMENTS_MAX + 1)
#define POINT_FRACTION   200.0    /* a segment under 1/200 of the disk is a point */
#define SLIVER_FRACTION  0.06     /* a region under 6% of the width is a sliver ... */
#define DWARF_RATIO      8.0      /* ... next to one 8 times its size: break */
#define BROKEN_SHARE     4.0      /* break all within a quarter of the largest */
#define BROKEN_OVER      1.25     /* a broken segment: wider than any at scale */
#define BROKEN_MIN       0.12     /* ... and at least this share of the width */

/* Add v to the sorted set b (n of them) unless there already. */
static void add_boundary(uint64_t *b, unsigned *n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < *n && b[i] < v; i++)
		;
	if ((i < *n && b[i] == v) || *n == BOUNDARIES_MAX)
		return;
	memmove(b + i + 1, b + i, (*n - i) * sizeof(*b));
	b[i] = v;
	(*n)++;
}

/* The filesystem's end sector on p, or 0 if it has no ext filesystem. */
static uint64_t fs_end(const struct info_partition *p)
{
	return p->ext && p->block_size ? p->start + p->blocks * p->block_size / IMAGE_SECTOR_SIZE : 0;
}

static int in_range(uint64_t lba, uint64_t start, uint64_t sectors)
{
	return lba >= start && lba - start < sectors;
}

/* What the segment starting at lba is. */
static enum axis_kind kind_at(const struct info_disk *d, uint64_t lba, uint64_t end, unsigned *partition)
{
	const struct info_gap *g = &d->gap;

	*partition = 0;
	if (lba == 0)
		return AXIS_MBR;
	if (lba >= image_sectors(d->img))
		return AXIS_PAST_IMAGE;
	if (d->img->label != IMAGE_LABEL_DOS)
		return AXIS_TABLE_DISK;
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (d->part[i].used && in_range(lba, d->part[i].start, d->part[i].sectors)) {
			*partition = i + 1;
			return AXIS_PARTITION;
		}
	for (unsigned i = 0; i < g->stages; i++)
		if (g->stage[i].magic_ok && in_range(lba, g->stage[i].lba, g->stage[i].sectors))
			return AXIS_STAGE;
	if (g->other[0] && in_range(lba, g->other_lba, g->other_sectors))
		return AXIS_LOADER;
	if (lba < g->end) {
		for (unsigned i = 0; i < g->runs; i++)
			if (g->run[i].kind == RUN_DATA && g->run[i].lba < end && lba < g->run[i].lba + g->run[i].sectors)
				return AXIS_GAP_DATA;
		return AXIS_GAP_ZERO;
	}
	return AXIS_FREE;
}

static void collect_boundaries(const struct info_disk *d, uint64_t *b, unsigned *n)
{
	const struct info_gap *g = &d->gap;
	uint64_t sectors = image_sectors(d->img);

	*n = 0;
	add_boundary(b, n, 0);
	add_boundary(b, n, sectors ? sectors : 1);
	if (sectors > 1)
		add_boundary(b, n, 1);
	for (unsigned i = 0; i < g->stages; i++)
		if (g->stage[i].magic_ok) {
			add_boundary(b, n, g->stage[i].lba);
			add_boundary(b, n, g->stage[i].lba + g->stage[i].sectors);
		}
	if (g->other[0] && d->img->label == IMAGE_LABEL_DOS) {
		add_boundary(b, n, g->other_lba);
		add_boundary(b, n, g->other_lba + g->other_sectors);
	}
	if (g->end)
		add_boundary(b, n, g->end);
	for (unsigned i = 0; i < g->runs && g->runs <= 12; i++)
		if (g->run[i].kind == RUN_DATA) {
			add_boundary(b, n, g->run[i].lba);
			add_boundary(b, n, g->run[i].lba + g->run[i].sectors);
		}
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct info_partition *p = &d->part[i];
		if (!p->used)
			continue;
		add_boundary(b, n, p->start);
		add_boundary(b, n, p->start + p->sectors);
		/* a filesystem that ends inside the image ends inside a region
		 * drawn already; one past it makes the region past the image */
		if (fs_end(p) > sectors)
			add_boundary(b, n, fs_end(p));
	}
	if (fs_end(&d->whole) > sectors)
		add_boundary(b, n, fs_end(&d->whole));
}

/* A segment's width at scale k. */
static double scaled(const struct axis_segment *s, double k, double min_width)
{
	double w = (double)s->sectors * k;
	return w < min_width ? min_width : w;
}

/* The width of a broken segment at scale k. */
static double broken_width(const struct info_axis *a, double k, double min_width)
{
	double widest = 0;

	for (unsigned i = 0; i < a->n; i++)
		if (!a->seg[i].broken && scaled(&a->seg[i], k, min_width) > widest)
			widest = scaled(&a->seg[i], k, min_width);
	return widest * BROKEN_OVER > a->width * BROKEN_MIN ? widest * BROKEN_OVER : a->width * BROKEN_MIN;
}

/* All segments' widths at scale k. */
static double total_width(const struct info_axis *a, double k, double min_width)
{
	double sum = 0, b = broken_width(a, k, min_width);

	for (unsigned i = 0; i < a->n; i++)
		sum += a->seg[i].broken ? b : scaled(&a->seg[i], k, min_width);
	return sum;
}

/* The largest k at which the segments fill the width (bisection: the
 * total only grows with k). */
static double solve(const struct info_axis *a, double min_width)
{
	uint64_t smallest = UINT64_MAX;
	double lo = 0, hi;

	for (unsigned i = 0; i < a->n; i++)
		if (!a->seg[i].broken && a->seg[i].sectors < smallest)
			smallest = a->seg[i].sectors;
	if (smallest == UINT64_MAX)
		return 0;
	hi = a->width / (double)smallest;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (total_width(a, mid, min_width) > a->width)
			hi = mid;
		else
			lo = mid;
	}
	return lo;
}

/* Does a region that matters become a sliver beside a much larger one? */
static int needs_break(const struct info_axis *a, double k, uint64_t largest)
{
	for (unsigned i = 0; i < a->n; i++) {
		const struct axis_segment *s = &a->seg[i];
		if ((double)s->sectors < (double)a->end / POINT_FRACTION)
			continue;          /* a point: enlarged, not a reason to break */
		if ((double)s->sectors * k < a->width * SLIVER_FRACTION &&
		    (double)largest >= DWARF_RATIO * (double)s->sectors)
			return 1;
	}
	return 0;
}

void info_axis_build(const struct info_disk *d, double x0, double width, double min_width,
		     struct info_axis *a)
{
	uint64_t b[BOUNDARIES_MAX], largest = 0;
	unsigned n;
	double k, x, total;

	memset(a, 0, sizeof(*a));
	a->x0 = x0;
	a->width = width;
	collect_boundaries(d, b, &n);
	a->end = b[n - 1];
	for (unsigned i = 0; i + 1 < n; i++) {
		struct axis_segment *s = &a->seg[a->n++];
		s->lba = b[i];
		s->sectors = b[i + 1] - b[i];
		s->kind = kind_at(d, b[i], b[i + 1], &s->partition);
		if (s->sectors > largest)
			largest = s->sectors;
	}
	k = solve(a, min_width);
	if (needs_break(a, k, largest)) {
		for (unsigned i = 0; i < a->n; i++)
			if ((double)a->seg[i].sectors * BROKEN_SHARE >= (double)largest)
				a->seg[i].broken = a->broken = 1;
		k = solve(a, min_width);
	}
	total = total_width(a, k, min_width);
	x = x0;
	for (unsigned i = 0; i < a->n; i++) {
		struct axis_segment *s = &a->seg[i];
		s->w = s->broken ? broken_width(a, k, min_width) : scaled(s, k, min_width);
		s->enlarged = !s->broken && (double)s->sectors * k < min_width;
		if (total > width)      /* too many segments for min_width: squeeze all */
			s->w *= width / total;
		s->x = x;
		x += s->w;
	}
}

double info_axis_x(const struct info_axis *a, uint64_t lba)
{
	for (unsigned i = 0; i < a->n; i++) {
		const struct axis_segment *s = &a->seg[i];
		if (lba < s->lba + s->sectors)
			return s->x + s->w * (double)(lba > s->lba ? lba - s->lba : 0) / (double)s->sectors;
	}
	return a->x0 + a->width;
}
