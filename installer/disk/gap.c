/* gap.c - see gap.h. */
#include "gap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mbr.h"
#include "record.h"

/* Is there a whole bootinst stage at byte `at` of buf (len bytes)?  Its
 * length in sectors, or 0. */
static uint32_t stage_at(const uint8_t *buf, size_t len, size_t at)
{
	const struct bootinst_stage_header *h = (const void *)(buf + at);

	if (len - at < sizeof(*h) || memcmp(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN) ||
	    !stage_header_size_known(h) || h->image_size < sizeof(*h) || h->image_size > len - at ||
	    h->image_size % IMAGE_SECTOR_SIZE || stage_image_crc(h) != h->checksum)
		return 0;
	return h->image_size / IMAGE_SECTOR_SIZE;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int gap_read(const struct disk_image *img, struct gap_map *g)
{
	const struct mbr_sector *mbr = (const void *)img->sector0;
	uint64_t first = image_sectors(img);
	uint8_t *buf;
	size_t len;
	int rc;

	memset(g, 0, sizeof(*g));
	g->active = -1;
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (img->part[i].used && img->part[i].start < first)
			first = img->part[i].start;
	g->end = first;
	g->scanned = gap_sectors(g) < GAP_SCAN_SECTORS ? (uint32_t)gap_sectors(g) : GAP_SCAN_SECTORS;
	if (!g->scanned)
		return 0;
	len = (size_t)g->scanned * IMAGE_SECTOR_SIZE;
	buf = malloc(len);
	if (!buf)
		return ENOMEM;
	rc = image_read(img, buf, len, (uint64_t)BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE);
	if (rc) {
		free(buf);
		return rc;
	}
	for (uint32_t s = 0; s < g->scanned;) {
		uint32_t n = g->stages < GAP_MAX_STAGES ? stage_at(buf, len, (size_t)s * IMAGE_SECTOR_SIZE) : 0;

		if (n) {
			struct gap_stage *st = &g->stage[g->stages];
			st->lba = BOOTINST_STAGE_LBA + s;
			st->sectors = n;
			st->active = mbr->patch.magic == MBR_PATCH_MAGIC && mbr->patch.stage_lba == st->lba &&
				     mbr->patch.stage_sectors >= n;
			if (st->active)
				g->active = (int)g->stages;
			g->stages++;
			memset(g->state + s, GAP_OURS, n);
			s += n;
			continue;
		}
		g->state[s] = all_zero(buf + (size_t)s * IMAGE_SECTOR_SIZE, IMAGE_SECTOR_SIZE) ? GAP_ZERO
											  : GAP_FOREIGN;
		s++;
	}
	free(buf);
	return 0;
}

uint64_t gap_first_foreign(const struct gap_map *g, uint64_t lba, uint32_t n)
{
	for (uint64_t s = lba; s < lba + n; s++) {
		if (s < BOOTINST_STAGE_LBA || s - BOOTINST_STAGE_LBA >= g->scanned)
			return s;
		if (g->state[s - BOOTINST_STAGE_LBA] == GAP_FOREIGN)
			return s;
	}
	return 0;
}

/* Does [lba, lba + n) lie in the gap and hold only zeros and our stages? */
static int free_for_stage(const struct gap_map *g, uint64_t lba, uint32_t n)
{
	return lba >= BOOTINST_STAGE_LBA && lba + n <= g->end && !gap_first_foreign(g, lba, n);
}

void gap_plan_stage(const struct gap_map *g, uint32_t sectors, struct stage_plan *p)
{
	const struct gap_stage *a = g->active >= 0 ? &g->stage[g->active] : NULL;

	memset(p, 0, sizeof(*p));
	p->sectors = sectors;
	p->crash_safe = 1;
	if (!a) {
		/* nothing of ours boots now: the old MBR keeps doing what it
		 * did until it is replaced, last */
		p->lba = BOOTINST_STAGE_LBA;
	} else if (BOOTINST_STAGE_LBA + sectors <= a->lba && free_for_stage(g, BOOTINST_STAGE_LBA, sectors)) {
		p->lba = BOOTINST_STAGE_LBA;
	} else if (free_for_stage(g, a->lba + a->sectors, sectors)) {
		p->lba = a->lba + a->sectors;
	} else if (a->lba + sectors <= g->end) {
		p->lba = a->lba;
		p->crash_safe = 0;
		p->mbr_first = sectors > a->sectors;
	} else {
		p->lba = BOOTINST_STAGE_LBA;
		p->crash_safe = 0;
	}
	p->foreign = gap_first_foreign(g, p->lba, sectors);

	/* every old stage of ours, less what the new one covers */
	for (unsigned i = 0; i < g->stages; i++) {
		uint64_t s = g->stage[i].lba, e = s + g->stage[i].sectors;
		uint64_t ns = p->lba, ne = p->lba + sectors;

		if (e <= ns || s >= ne) {
			p->clear[p->clears++] = (struct gap_range){ s, (uint32_t)(e - s) };
			continue;
		}
		if (s < ns)
			p->clear[p->clears++] = (struct gap_range){ s, (uint32_t)(ns - s) };
		if (e > ne && p->clears < GAP_MAX_STAGES + 1)
			p->clear[p->clears++] = (struct gap_range){ ne, (uint32_t)(e - ne) };
	}
}

int gap_find_backup(const struct disk_image *img, const struct gap_map *g, struct record_backup *b)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < g->stages; i++) {
			const struct gap_stage *s = &g->stage[i];
			size_t len = (size_t)s->sectors * IMAGE_SECTOR_SIZE;
			uint8_t *image;
			int rc;

			if (s->active != !pass)          /* the active one first */
				continue;
			image = malloc(len);
			if (!image)
				return -ENOMEM;
			rc = image_read(img, image, len, s->lba * IMAGE_SECTOR_SIZE);
			if (!rc && record_backup((const void *)image, b) == 1) {
				free(image);
				return 1;
			}
			free(image);
			if (rc)
				return -rc;
		}
	}
	return 0;
}
