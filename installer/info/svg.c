/*
 * svg.c - `bootinst info IMAGE --svg FILE`: one picture of the disk, to
 * scale along the axis of axis.c (broken where one region dwarfs the
 * others), 1000 px wide, in three lanes over the sectors:
 *
 *   disk        the MBR, the gap and what it holds (bootinst's stage,
 *               another loader, zeros, data), each partition, what lies
 *               outside any
 *   filesystem  each ext2/3/4 filesystem over its partition, the part past
 *               the partition's end in red (the tutorials' Error 24)
 *   files       the blocks of the kernel and the initrd that boot
 *
 * then the axis in sectors (LBA), a legend, and what `bootinst check`
 * says.  Self-contained: no scripts, no external fonts or images; every
 * string from the disk is escaped for XML (bytes that are not UTF-8 as
 * \xNN), so any file name gives a valid document.
 */
#include "views.h"
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#define SVG_WIDTH     1000
#define X0            112.0         /* lanes start after their names */
#define LANE_WIDTH    860.0
#define MIN_SEG       18.0          /* px: the narrowest segment */
#define FONT          "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
#define CHAR_W(size)  ((size) * 0.6)   /* a sans-serif character's width, about */

/* y of each part (px) */
#define Y_TITLE       30
#define Y_SUB         50
#define Y_CALLOUT     70             /* first row of labels above the disk lane */
#define CALLOUT_ROWS  2
#define CALLOUT_STEP  14
#define Y_DISK        102
#define H_DISK        56
#define Y_FS          172
#define H_FS          26
#define Y_FILES       226
#define H_FILES       22
#define Y_AXIS        282
#define TICK_ROWS     3
#define Y_LEGEND      346
#define Y_NOTES       378
#define NOTE_STEP     17
#define NOTES_MAX     16
#define NOTE_CHARS    ((SVG_WIDTH - 48) * 10 / 66)   /* at 12 px, 6.6 px a character: DejaVu's widest text */

#define C_MBR         "#37474f"
#define C_STAGE       "#ef6c00"
#define C_LOADER      "#8e24aa"
#define C_ZERO        "#eceff1"
#define C_DATA        "#90a4ae"
#define C_PART        "#bbdefb"
#define C_FREE        "#ffffff"
#define C_PAST_IMAGE  "#ffebee"
#define C_FS          "#1e88e5"
#define C_PAST        "#e53935"
#define C_KERNEL      "#1a237e"
#define C_INITRD      "#2e7d32"
#define C_TEXT        "#212121"

struct callouts {
	double end[CALLOUT_ROWS];      /* the right end of the last label in each row */
};

/* s as XML character data: markup escaped, control characters and bytes
 * that are not UTF-8 as \xNN (XML 1.0 allows neither). */
static void xml_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = info_shown_length(p);
		if (n == 0) {
			fprintf(out, "\\x%02x", *p++);
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:  fwrite(p, 1, (size_t)n, out);
		}
		p += n;
	}
}

/* A <text> element; fmt makes its content, escaped. */
__attribute__((format(printf, 6, 7)))
static void text(FILE *out, double x, double y, const char *attrs, double size, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" %s>", x, y, size, attrs);
	xml_text(out, buf);
	fputs("</text>\n", out);
}

static double text_width(const char *s, double size)
{
	return (double)strlen(s) * CHAR_W(size);
}

static void rect(FILE *out, double x, double y, double w, double h, const char *fill, const char *extra)
{
	fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" %s/>\n",
		x, y, w, h, fill, extra);
}

/* The widest part of [x1, x2] clear of every break mark (12 px either
 * side of a shortened segment's middle), into [*s1, *s2]. */
static void free_span(const struct info_axis *a, double x1, double x2, double *s1, double *s2)
{
	double from = x1;

	*s1 = x1;
	*s2 = x1;
	for (unsigned i = 0; i <= a->n; i++) {
		double cut = x2 + 24;             /* past the end: the last piece */
		if (i < a->n) {
			if (!a->seg[i].broken)
				continue;
			cut = a->seg[i].x + a->seg[i].w / 2;
			if (cut < x1 - 12 || cut > x2 + 12)
				continue;
		}
		if ((cut - 12 < x2 ? cut - 12 : x2) - from > *s2 - *s1) {
			*s1 = from;
			*s2 = cut - 12 < x2 ? cut - 12 : x2;
		}
		from = cut + 12;
		if (i == a->n || from >= x2)
			break;
	}
}

/* --- the disk lane -------------------------------------------------------------------- */

static const char *seg_fill(const struct axis_segment *s)
{
	switch (s->kind) {
	case AXIS_MBR:        return C_MBR;
	case AXIS_STAGE:      return C_STAGE;
	case AXIS_LOADER:     return C_LOADER;
	case AXIS_GAP_ZERO:   return C_ZERO;
	case AXIS_GAP_DATA:   return C_DATA;
	case AXIS_PARTITION:  return C_PART;
	case AXIS_FREE:       return C_FREE;
	case AXIS_PAST_IMAGE: return C_PAST_IMAGE;
	case AXIS_TABLE_DISK: return C_ZERO;
	}
	return C_FREE;
}

/* The stage whose sectors s covers. */
static const struct info_stage *stage_of(const struct info_disk *d, const struct axis_segment *s)
{
	for (unsigned i = 0; i < d->gap.stages; i++)
		if (s->lba >= d->gap.stage[i].lba && s->lba < d->gap.stage[i].lba + d->gap.stage[i].sectors)
			return &d->gap.stage[i];
	return NULL;
}

/* A segment's name and the line under it. */
static void seg_words(const struct info_disk *d, const struct axis_segment *s, char *name, size_t nsize,
		      char *sub, size_t ssize)
{
	char size[32];
	const struct info_stage *st;

	info_size(s->sectors * IMAGE_SECTOR_SIZE, size, sizeof(size));
	snprintf(sub, ssize, "%" PRIu64 " sector%s, %s", s->sectors, s->sectors == 1 ? "" : "s", size);
	switch (s->kind) {
	case AXIS_MBR:
		snprintf(name, nsize, "MBR");
		snprintf(sub, ssize, "LBA 0");
		break;
	case AXIS_STAGE:
		st = stage_of(d, s);
		snprintf(name, nsize, "%sstage v%u", st && !st->mbr_boots ? "old " : "", st ? st->h.version : 0);
		break;
	case AXIS_LOADER:
		snprintf(name, nsize, "%s", strstr(d->gap.other, "GRUB 2") ? "GRUB 2 core.img"
			 : strstr(d->gap.other, "GRUB Legacy") ? "GRUB stage1.5" : "loader");
		break;
	case AXIS_GAP_ZERO:
		snprintf(name, nsize, "zeros");
		break;
	case AXIS_GAP_DATA:
		snprintf(name, nsize, "data");
		break;
	case AXIS_PARTITION:
		snprintf(name, nsize, "partition %u (0x%02X %s)", s->partition, d->mbr.entry[s->partition - 1].type,
			 d->mbr.entry[s->partition - 1].type_name);
		if (s->lba != d->part[s->partition - 1].start)
			snprintf(name, nsize, "partition %u (cont.)", s->partition);
		break;
	case AXIS_FREE:
		snprintf(name, nsize, "no partition");
		break;
	case AXIS_PAST_IMAGE:
		snprintf(name, nsize, "past the image's end");
		break;
	case AXIS_TABLE_DISK:
		snprintf(name, nsize, "%s", d->img->label == IMAGE_LABEL_OTHER ? "GPT disk (not decoded)"
			 : "no partition table");
		break;
	}
}

/* A label for a segment too narrow to hold it: in the first row above
 * the lane with room, joined to the segment by a line. */
static void callout(FILE *out, struct callouts *c, double cx, const char *label)
{
	double w = text_width(label, 11), x = cx - w / 2;
	unsigned row;

	if (x < 8)
		x = 8;
	if (x + w > SVG_WIDTH - 8)
		x = SVG_WIDTH - 8 - w;
	for (row = 0; row < CALLOUT_ROWS - 1 && x < c->end[row] + 6; row++)
		;
	if (x < c->end[row] + 6)
		x = c->end[row] + 6;
	c->end[row] = x + w;
	fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#757575\" stroke-width=\"1\"/>\n",
		cx, Y_DISK, cx, Y_CALLOUT + (int)row * CALLOUT_STEP + 3);
	text(out, x, Y_CALLOUT + row * CALLOUT_STEP, "fill=\"" C_TEXT "\"", 11, "%s", label);
}

static void disk_lane(FILE *out, const struct info_axis *a)
{
	for (unsigned i = 0; i < a->n; i++) {
		const struct axis_segment *s = &a->seg[i];

		rect(out, s->x, Y_DISK, s->w, H_DISK, seg_fill(s),
		     s->kind == AXIS_FREE ? "stroke=\"#9e9e9e\" stroke-dasharray=\"4 3\"" : "stroke=\"#ffffff\" stroke-width=\"1\"");
	}
}

/* Each segment's name and size: inside it where they fit between the
 * break marks, else above the lane with a line to it. */
static void disk_labels(FILE *out, const struct info_disk *d, const struct info_axis *a)
{
	struct callouts c = { { 0 } };
	char name[96], sub[64], both[170];

	for (unsigned i = 0; i < a->n; i++) {
		const struct axis_segment *s = &a->seg[i];
		int dark = s->kind == AXIS_MBR || s->kind == AXIS_STAGE || s->kind == AXIS_LOADER;
		double s1, s2, cx;

		free_span(a, s->x, s->x + s->w, &s1, &s2);
		cx = (s1 + s2) / 2;
		seg_words(d, s, name, sizeof(name), sub, sizeof(sub));
		if (text_width(name, 12) + 8 <= s2 - s1 && text_width(sub, 11) + 8 <= s2 - s1) {
			text(out, cx, Y_DISK + 24, dark ? "text-anchor=\"middle\" font-weight=\"bold\" fill=\"#ffffff\""
			     : "text-anchor=\"middle\" font-weight=\"bold\" fill=\"" C_TEXT "\"", 12, "%s", name);
			text(out, cx, Y_DISK + 42, dark ? "text-anchor=\"middle\" fill=\"#ffffff\""
			     : "text-anchor=\"middle\" fill=\"" C_TEXT "\"", 11, "%s", sub);
		} else {
			snprintf(both, sizeof(both), "%s: %s", name, sub);
			callout(out, &c, s->x + s->w / 2, both);
		}
	}
}

/* --- the filesystem and files lanes ------------------------------------------------------- */

/* Each ext filesystem over its partition; the part past its end in red.
 * labels: 0 draws the bars, 1 their words (after the break marks). */
static void fs_bar(FILE *out, const struct info_partition *p, const struct info_axis *a, int labels)
{
	uint64_t fs_sectors = p->blocks * p->block_size / IMAGE_SECTOR_SIZE;
	uint64_t inside = fs_sectors < p->sectors || !p->number ? fs_sectors : p->sectors;
	double x1 = info_axis_x(a, p->start), x2 = info_axis_x(a, p->start + inside);
	double x3 = info_axis_x(a, p->start + fs_sectors), s1, s2;
	char label[120], size[32];

	if (!labels) {
		rect(out, x1, Y_FS, x2 - x1, H_FS, C_FS, "");
		if (p->past_end && p->number)
			rect(out, x2, Y_FS, x3 - x2, H_FS, C_PAST, "");
		return;
	}
	snprintf(label, sizeof(label), "%s: %" PRIu64 " blocks of %s", p->probe.type, p->blocks,
		 info_size(p->block_size, size, sizeof(size)));
	free_span(a, x1, x2, &s1, &s2);
	if (text_width(label, 11) + 8 <= s2 - s1)
		text(out, (s1 + s2) / 2, Y_FS + 17, "text-anchor=\"middle\" fill=\"#ffffff\"", 11, "%s", label);
	if (!p->past_end || !p->number)
		return;
	snprintf(label, sizeof(label), "%" PRIu64 " sectors past partition %u: Error 24",
		 fs_sectors - p->sectors, p->number);
	free_span(a, x2, x3, &s1, &s2);
	if (text_width(label, 11) + 8 <= s2 - s1)
		text(out, (s1 + s2) / 2, Y_FS + 17, "text-anchor=\"middle\" fill=\"#ffffff\" font-weight=\"bold\"",
		     11, "%s", label);
	else
		text(out, x2 - 4, Y_FS - 4, "text-anchor=\"end\" fill=\"" C_PAST "\" font-weight=\"bold\"", 11,
		     "%s", label);
}

/* A boot file's runs of blocks; those past the partition's end edged in
 * red.  labels: as fs_bar. */
static void file_bars(FILE *out, const struct info_boot *b, const struct info_file *f,
		      const struct info_axis *a, const char *fill, double label_y, int labels)
{
	uint64_t part_end = b->part_start + b->part_sectors;
	char label[BOOTINST_PATH_MAX + 80];
	double first = -1;

	if (!f->found || !f->extents)
		return;
	for (unsigned i = 0; i < f->extents; i++) {
		const struct info_extent *e = &f->extent[i];
		double x1 = info_axis_x(a, e->lba), x2 = info_axis_x(a, e->lba + e->sectors);
		if (x2 - x1 < 2)
			x2 = x1 + 2;
		if (!labels)
			rect(out, x1, Y_FILES, x2 - x1, H_FILES, fill,
			     e->lba + e->sectors > part_end ? "stroke=\"" C_PAST "\" stroke-width=\"2\"" : "");
		if (first < 0 || x1 < first)
			first = x1;
	}
	if (!labels)
		return;
	snprintf(label, sizeof(label), "%s %s: %" PRIu64 " bytes, %" PRIu64 " run%s, LBA %" PRIu64 "-%" PRIu64 "%s",
		 f->role, f->path, f->bytes, f->extents + f->extents_more,
		 f->extents + f->extents_more == 1 ? "" : "s", f->first_lba, f->last_lba,
		 f->sectors_past ? ", past the partition's end: E24" : "");
	if (first + text_width(label, 11) > SVG_WIDTH - 8)
		first = SVG_WIDTH - 8 - text_width(label, 11);
	if (first < X0)
		first = X0;
	text(out, first, label_y, f->sectors_past ? "fill=\"" C_PAST "\" font-weight=\"bold\"" : "fill=\"" C_TEXT "\"",
	     11, "%s", label);
}

/* --- axis, breaks, legend, notes ------------------------------------------------------------- */

static void axis(FILE *out, const struct info_axis *a)
{
	double end[TICK_ROWS] = { 0 };

	fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" C_TEXT "\"/>\n",
		a->x0, Y_AXIS, a->x0 + a->width, Y_AXIS);
	for (unsigned i = 0; i <= a->n; i++) {
		uint64_t lba = i < a->n ? a->seg[i].lba : a->end;
		double x = i < a->n ? a->seg[i].x : a->x0 + a->width;
		char label[32];
		unsigned row;
		double w;

		snprintf(label, sizeof(label), "%" PRIu64, lba);
		w = text_width(label, 10);
		for (row = 0; row < TICK_ROWS && x - w / 2 < end[row] + 4; row++)
			;
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" C_TEXT "\"/>\n", x,
			Y_AXIS - 4, x, Y_AXIS + 4 + (row < TICK_ROWS ? (int)row * 12 : 0));
		if (row == TICK_ROWS)
			continue;             /* no room: the tick alone */
		end[row] = x + w / 2;
		text(out, x, Y_AXIS + 15 + row * 12, "text-anchor=\"middle\" fill=\"" C_TEXT "\"", 10, "%s", label);
	}
}

/* The mark of a shortened segment: a white band across the lanes, edged
 * by two slanted lines. */
static void breaks(FILE *out, const struct info_axis *a)
{
	for (unsigned i = 0; i < a->n; i++) {
		double cx = a->seg[i].x + a->seg[i].w / 2;
		if (!a->seg[i].broken)
			continue;
		fprintf(out, "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d %.1f,%d\" fill=\"#ffffff\"/>\n",
			cx - 1, Y_DISK - 6, cx + 9, Y_DISK - 6, cx + 1, Y_AXIS + 6, cx - 9, Y_AXIS + 6);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" C_TEXT "\" stroke-width=\"1.5\"/>\n"
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" C_TEXT "\" stroke-width=\"1.5\"/>\n",
			cx - 1, Y_DISK - 6, cx - 9, Y_AXIS + 6, cx + 9, Y_DISK - 6, cx + 1, Y_AXIS + 6);
	}
}

static double legend_item(FILE *out, double x, const char *fill, const char *extra, const char *label)
{
	rect(out, x, Y_LEGEND - 10, 14, 12, fill, extra);
	text(out, x + 19, Y_LEGEND, "fill=\"" C_TEXT "\"", 11, "%s", label);
	return x + 19 + text_width(label, 11) + 14;
}

static void legend(FILE *out, const struct info_disk *d, const struct info_axis *a)
{
	int kinds[AXIS_TABLE_DISK + 1] = { 0 }, past = 0, fs = 0;
	double x = 16;

	for (unsigned i = 0; i < a->n; i++)
		kinds[a->seg[i].kind] = 1;
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		fs |= d->part[i].ext;
		past |= d->part[i].past_end;
	}
	fs |= d->whole.ext;
	if (kinds[AXIS_MBR])
		x = legend_item(out, x, C_MBR, "", "MBR");
	if (kinds[AXIS_STAGE])
		x = legend_item(out, x, C_STAGE, "", "bootinst stage");
	if (kinds[AXIS_LOADER])
		x = legend_item(out, x, C_LOADER, "", "another loader");
	if (kinds[AXIS_GAP_ZERO] || kinds[AXIS_TABLE_DISK])
		x = legend_item(out, x, C_ZERO, "stroke=\"#9e9e9e\"", "zeros");
	if (kinds[AXIS_GAP_DATA])
		x = legend_item(out, x, C_DATA, "", "data");
	if (kinds[AXIS_PARTITION])
		x = legend_item(out, x, C_PART, "", "partition");
	if (kinds[AXIS_FREE])
		x = legend_item(out, x, C_FREE, "stroke=\"#9e9e9e\" stroke-dasharray=\"3 2\"", "no partition");
	if (fs)
		x = legend_item(out, x, C_FS, "", "filesystem");
	if (past)
		x = legend_item(out, x, C_PAST, "", "past its partition");
	if (d->boot.kernel.extents)
		x = legend_item(out, x, C_KERNEL, "", "kernel");
	if (d->boot.initrd.extents)
		legend_item(out, x, C_INITRD, "", "initrd");
}

/* The notes under the picture, each wrapped at a space to the width. */
struct note_lines {
	char text[NOTES_MAX][NOTE_CHARS + 1];
	const char *fill[NOTES_MAX];
	int goes_on[NOTES_MAX];        /* a note's second line and after: indented */
	unsigned n;
};

static void add_note(struct note_lines *l, const char *fill, const char *text)
{
	size_t len = strlen(text);
	int goes_on = 0;

	while (len && l->n < NOTES_MAX) {
		size_t cut = len;

		if (len > NOTE_CHARS) {
			for (cut = NOTE_CHARS; cut > 0 && text[cut] != ' '; cut--)
				;
			if (!cut)
				cut = NOTE_CHARS;
		}
		snprintf(l->text[l->n], sizeof(l->text[0]), "%.*s", (int)cut, text);
		l->fill[l->n] = fill;
		l->goes_on[l->n++] = goes_on;
		text += cut;
		len -= cut;
		while (len && *text == ' ')
			text++, len--;
		goes_on = 1;
	}
}

static void collect_notes(const struct info_disk *d, const struct info_axis *a, struct note_lines *l)
{
	char message[512], line[800];

	l->n = 0;
	snprintf(line, sizeof(line), a->broken
		 ? "To scale, except: a region crossed by // is drawn shortened; one under %.0f px is drawn "
		   "wider. The numbers are sectors (LBA) of 512 bytes."
		 : "To scale, except that a region under %.0f px is drawn wider. The numbers are sectors "
		   "(LBA) of 512 bytes.", MIN_SEG);
	add_note(l, C_TEXT, line);
	for (size_t i = 0; i < d->found.count; i++) {
		const struct finding *f = &d->found.list[i];
		diag_format_message(&f->diag, message, sizeof(message));
		snprintf(line, sizeof(line), "%s %s %s: %s", diag_catalog[f->diag.id].code,
			 report_severity_name(f->severity), f->object, message);
		add_note(l, f->severity == FINDING_ERROR ? C_PAST : "#e65100", line);
	}
	if (!findings_count(&d->found, FINDING_ERROR))
		add_note(l, C_INITRD, d->found.count ? "bootinst check: no errors: it will boot"
			 : "bootinst check: nothing found: it will boot");
}

static void notes(FILE *out, const struct note_lines *l)
{
	char fill[32];

	for (unsigned i = 0; i < l->n; i++) {
		snprintf(fill, sizeof(fill), "fill=\"%s\"", l->fill[i]);
		text(out, l->goes_on[i] ? 32 : 16, Y_NOTES + i * NOTE_STEP, fill, 12, "%s", l->text[i]);
	}
}

void info_print_svg(FILE *out, const struct info_disk *d)
{
	struct note_lines lines;
	struct info_axis a;
	char size[32];
	long height;

	info_axis_build(d, X0, LANE_WIDTH, MIN_SEG, &a);
	/* the notes decide the height */
	collect_notes(d, &a, &lines);
	height = Y_NOTES + (long)lines.n * NOTE_STEP;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%ld\" viewBox=\"0 0 %d %ld\" "
		"font-family=\"" FONT "\">\n<title>", SVG_WIDTH, height, SVG_WIDTH, height);
	xml_text(out, d->img->path);
	fputs(": the disk as bootinst info sees it</title>\n", out);
	rect(out, 0, 0, SVG_WIDTH, (double)height, "#ffffff", "");
	text(out, 16, Y_TITLE, "font-weight=\"bold\" fill=\"" C_TEXT "\"", 17, "%s", d->img->path);
	text(out, 16, Y_SUB, "fill=\"" C_TEXT "\"", 12, "%s, %" PRIu64 " sectors; %s; boot code: %s",
	     info_size(d->img->bytes, size, sizeof(size)), image_sectors(d->img),
	     d->img->label == IMAGE_LABEL_DOS ? "DOS partition table" : d->img->label == IMAGE_LABEL_NONE
	     ? "no partition table" : "not a DOS partition table", d->mbr.code.name);

	text(out, 16, Y_DISK + 33, "font-weight=\"bold\" fill=\"" C_TEXT "\"", 12, "disk");
	text(out, 16, Y_FS + 17, "font-weight=\"bold\" fill=\"" C_TEXT "\"", 12, "filesystem");
	text(out, 16, Y_FILES + 15, "font-weight=\"bold\" fill=\"" C_TEXT "\"", 12, "boot files");
	text(out, 16, Y_AXIS + 15, "font-weight=\"bold\" fill=\"" C_TEXT "\"", 12, "LBA");

	disk_lane(out, &a);
	for (int labels = 0; labels < 2; labels++) {
		if (labels) {
			breaks(out, &a);
			disk_labels(out, d, &a);
		}
		for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
			if (d->part[i].ext && d->part[i].block_size)
				fs_bar(out, &d->part[i], &a, labels);
		if (d->whole.ext && d->whole.block_size)
			fs_bar(out, &d->whole, &a, labels);
		file_bars(out, &d->boot, &d->boot.kernel, &a, C_KERNEL, Y_FILES - 5, labels);
		file_bars(out, &d->boot, &d->boot.initrd, &a, C_INITRD, Y_FILES + H_FILES + 13, labels);
	}
	axis(out, &a);
	legend(out, d, &a);
	notes(out, &lines);
	fputs("</svg>\n", out);
}
