/*
 * gap.c - the sectors between the MBR and the first partition: the
 * bootinst stages there (disk/gap.c finds the proven ones; the one the
 * MBR's patch area points at is read whatever it holds), each decoded with
 * the stage's own code (record.c: CRC, settings, the partition rule, the
 * uninstall backup); another loader's code there (loaders.c); and which
 * sectors hold anything at all, as runs.
 *
 * Bounded by what a disk holds: the gap ends at the first partition or the
 * image's end, at most INFO_GAP_SCAN_MAX sectors of it are looked at, a
 * stage is read up to INFO_STAGE_READ_MAX sectors.
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SECTORS 128u       /* read the gap 64 KiB at a time */

/* Decode the stage at lba (sectors long as far as anyone says) into a new
 * slot of g->stage[].  0 or an errno value. */
static int add_stage(const struct disk_image *img, const struct info_mbr *m, struct info_gap *g,
		     uint64_t lba, uint32_t sectors, int mbr_boots)
{
	struct info_stage *st;
	uint64_t avail = image_sectors(img) > lba ? image_sectors(img) - lba : 0;
	uint32_t n = sectors < INFO_STAGE_READ_MAX ? sectors : INFO_STAGE_READ_MAX;
	size_t len;
	uint8_t *bytes;
	struct diag d;
	int rc;

	if (g->stages >= INFO_STAGES_MAX)
		return 0;
	if (n > avail)
		n = (uint32_t)avail;
	st = &g->stage[g->stages++];
	memset(st, 0, sizeof(*st));
	st->lba = lba;
	st->sectors = sectors;
	st->mbr_boots = mbr_boots;
	if (!n)
		return 0;
	len = (size_t)n * IMAGE_SECTOR_SIZE;
	bytes = malloc(len);
	if (!bytes)
		return ENOMEM;
	rc = image_read(img, bytes, len, lba * IMAGE_SECTOR_SIZE);
	if (rc) {
		free(bytes);
		return rc;
	}
	memcpy(&st->h, bytes, sizeof(st->h));
	st->magic_ok = !memcmp(st->h.magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	/* the sizes first: the CRC reads image_size bytes */
	st->sizes_ok = st->magic_ok && st->h.header_size == sizeof(st->h) &&
		       st->h.image_size >= sizeof(st->h) && st->h.image_size <= len;
	if (st->sizes_ok) {
		st->crc = stage_image_crc((const void *)bytes);
		st->crc_ok = st->crc == st->h.checksum;
		st->sectors = (st->h.image_size + IMAGE_SECTOR_SIZE - 1) / IMAGE_SECTOR_SIZE;
	}
	if (st->crc_ok) {
		const struct bootinst_stage_header *h = (const void *)bytes;

		st->record_ok = record_settings(h, &st->rec, &d) == DIAG_OK;
		st->record_matches = record_check_partition(&h->rec, (const void *)m->sector, &d) == DIAG_OK;
		if (!st->record_matches)
			diag_format_message(&d, st->record_problem, sizeof(st->record_problem));
		st->backup = record_backup(h, &st->backup_bytes);
	}
	free(bytes);
	return 0;
}

/* Is lba inside a stage or the other loader's code?  Its run kind. */
static enum info_run_kind known_kind(const struct info_gap *g, uint64_t lba)
{
	for (unsigned i = 0; i < g->stages; i++)
		if ((g->stage[i].magic_ok || g->stage[i].mbr_boots) &&
		    lba >= g->stage[i].lba && lba < g->stage[i].lba + g->stage[i].sectors)
			return RUN_STAGE;
	if (g->other[0] && lba >= g->other_lba && lba < g->other_lba + g->other_sectors)
		return RUN_OTHER_LOADER;
	return RUN_DATA;
}

/* One more sector of kind: the last run grows, or a new one starts. */
static void add_run(struct info_gap *g, uint64_t lba, enum info_run_kind kind)
{
	struct info_run *last = g->runs ? &g->run[g->runs - 1] : NULL;

	if (last && last->kind == kind && last->lba + last->sectors == lba) {
		last->sectors++;
		return;
	}
	if (g->runs == INFO_GAP_RUNS_MAX) {
		g->runs_more++;
		return;
	}
	g->run[g->runs++] = (struct info_run){ lba, 1, kind };
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* Classify LBA 1 .. 1 + scanned - 1, a chunk at a time.  0 or an errno value. */
static int scan_runs(const struct disk_image *img, struct info_gap *g)
{
	uint8_t *chunk = malloc((size_t)CHUNK_SECTORS * IMAGE_SECTOR_SIZE);
	uint64_t lba = BOOTINST_STAGE_LBA, end = BOOTINST_STAGE_LBA + g->scanned;
	int rc = 0;

	if (!chunk)
		return ENOMEM;
	while (lba < end && !rc) {
		uint32_t n = end - lba < CHUNK_SECTORS ? (uint32_t)(end - lba) : CHUNK_SECTORS;

		rc = image_read(img, chunk, (size_t)n * IMAGE_SECTOR_SIZE, lba * IMAGE_SECTOR_SIZE);
		for (uint32_t i = 0; i < n && !rc; i++) {
			enum info_run_kind kind = known_kind(g, lba + i);
			if (kind == RUN_DATA && all_zero(chunk + (size_t)i * IMAGE_SECTOR_SIZE, IMAGE_SECTOR_SIZE))
				kind = RUN_ZERO;
			add_run(g, lba + i, kind);
		}
		lba += n;
	}
	free(chunk);
	return rc;
}

/* Another loader's first sector at lba (if the gap has it), into g->other. */
static int find_other_loader(const struct disk_image *img, struct info_gap *g, uint64_t lba)
{
	uint8_t sector[MBR_SECTOR_SIZE];
	uint32_t sectors;
	int rc;

	if (g->other[0] || lba < BOOTINST_STAGE_LBA || lba >= image_sectors(img))
		return 0;
	rc = image_read(img, sector, sizeof(sector), lba * IMAGE_SECTOR_SIZE);
	if (rc)
		return rc;
	if (info_identify_gap_sector(sector, lba, g->other, sizeof(g->other), &sectors)) {
		g->other_lba = lba;
		g->other_sectors = sectors;
	}
	return 0;
}

int info_read_gap(const struct disk_image *img, const struct info_mbr *m, struct info_gap *g)
{
	struct gap_map map;
	int rc;

	memset(g, 0, sizeof(*g));
	if (img->label != IMAGE_LABEL_DOS)       /* no DOS table: no gap before its partitions */
		return image_sectors(img) > 1 ? find_other_loader(img, g, BOOTINST_STAGE_LBA) : 0;
	rc = gap_read(img, &map);
	if (rc)
		return rc;
	g->end = map.end;
	for (unsigned i = 0; i < map.stages && !rc; i++)
		rc = add_stage(img, m, g, map.stage[i].lba, map.stage[i].sectors, map.stage[i].active);
	/* the stage the MBR loads, when it is no proven one: what is there */
	if (!rc && m->patch_found && map.active < 0 && m->patch.stage_lba >= BOOTINST_STAGE_LBA)
		rc = add_stage(img, m, g, m->patch.stage_lba, m->patch.stage_sectors, 1);
	if (!rc && m->code.owner != OWNER_BOOTINST && m->code.loads_lba)
		rc = find_other_loader(img, g, m->code.loads_lba);
	if (!rc && g->end > BOOTINST_STAGE_LBA)
		rc = find_other_loader(img, g, BOOTINST_STAGE_LBA);
	if (rc)
		return rc;
	g->scanned = gap_sectors(&map) < INFO_GAP_SCAN_MAX ? gap_sectors(&map) : INFO_GAP_SCAN_MAX;
	return scan_runs(img, g);
}
