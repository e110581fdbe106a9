/*
 * gap.c - the room after the MBR, where the stage goes: big enough (I01),
 * holding nothing that is not ours where the stage goes (I02), and where
 * exactly install puts it (disk/gap.h: beside the stage the MBR boots now,
 * so that an install that dies half-way leaves a disk that boots).
 */
#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void gap_too_small(struct check *c, uint32_t need)
{
	struct finding *item;
	struct diag d;

	diag_set(&d, DIAG_GAP_TOO_SMALL);
	d.value = c->res->gap_sectors;
	d.limit = need;
	d.block = c->res->gap.end;
	d.name = "the disk ends";           /* a table with no partition before it */
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (c->img->part[i].used && c->img->part[i].start == c->res->gap.end)
			d.name = "the first partition starts";
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "the stage is %u sectors: a first partition at sector %u or later leaves room",
		     need, need + 1);
}

/* Where in sector lba the foreign data starts (0 if it cannot be read). */
static unsigned first_nonzero_byte(struct check *c, uint64_t lba)
{
	uint8_t sector[IMAGE_SECTOR_SIZE];
	unsigned i = 0;

	if (image_read(c->img, sector, sizeof(sector), lba * IMAGE_SECTOR_SIZE) == 0)
		while (i < sizeof(sector) - 1 && !sector[i])
			i++;
	return i;
}

/* Foreign data where the stage goes: likely another loader's code (GRUB 2
 * keeps core.img at LBA 1) that the user would lose. */
static void gap_foreign(struct check *c)
{
	const struct stage_plan *p = &c->res->plan;
	struct finding *item;
	struct diag d;

	diag_set(&d, DIAG_GAP_FOREIGN);
	d.name = "non-zero bytes";
	d.block = p->foreign;
	if (c->req->mode == CHECKS_BEFORE_INSTALL && c->req->force && c->req->backup_file) {
		item = findings_add(c->out, FINDING_WARNING, &d, "stage");
		finding_hint(item, "overwriting them (--force), after saving them to the --backup file "
			     "that bootinst uninstall puts back");
		return;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "sectors %" PRIu64 "..%" PRIu64 ", where the stage goes, hold them from byte "
		     "%u of sector %" PRIu64 " on: likely another boot loader's code, such as GRUB's "
		     "core.img", p->lba, p->lba + p->sectors - 1, first_nonzero_byte(c, p->foreign),
		     p->foreign);
}

/*
 * The stage install writes must fit the gap and overwrite only zeros and
 * stages of ours.  An installed stage must still end before the first
 * partition, or writing that partition overwrites it.
 */
void check_gap(struct check *c)
{
	int installed = c->req->mode == CHECKS_AS_INSTALLED && c->res->installed;
	uint32_t need = installed ? c->installed_stage_sectors : c->res->stage_sectors;

	c->res->gap_sectors = gap_sectors(&c->res->gap);
	gap_plan_stage(&c->res->gap, c->res->stage_sectors, &c->res->plan);
	/* A damaged install's sector count means nothing: M06/E06 said so. */
	if (installed && !c->record_ok)
		return;
	if (installed) {
		const struct mbr_patch_area *patch = &((const struct mbr_sector *)c->img->sector0)->patch;
		if ((uint64_t)patch->stage_lba + need > c->res->gap.end)
			gap_too_small(c, (uint32_t)(patch->stage_lba + need - BOOTINST_STAGE_LBA));
		return;
	}
	if (c->res->gap_sectors < need) {
		gap_too_small(c, need);
		return;
	}
	if (c->res->plan.foreign)
		gap_foreign(c);
}
