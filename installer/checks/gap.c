/*
 * gap.c - the room after the MBR, where the stage goes: big enough (I01),
 * and holding nothing that is not ours (I02).
 */
#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint64_t first_partition_start(const struct disk_image *img)
{
	uint64_t first = UINT64_MAX;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (img->part[i].used && img->part[i].start < first)
			first = img->part[i].start;
	return first;
}

static void gap_too_small(struct check *c, uint64_t first, uint32_t need)
{
	struct finding *item;
	struct diag d;

	diag_set(&d, DIAG_GAP_TOO_SMALL);
	d.value = c->res->gap_sectors;
	d.limit = need;
	d.block = first;
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "the stage is %u sectors: a first partition at sector %u or later leaves room",
		     need, need + 1);
}

/*
 * The stage goes in LBA 1..need, which no partition may reach.  Those
 * sectors must be empty or hold a bootinst stage (a re-install): anything
 * else is likely another loader's code (GRUB 2 puts core.img at LBA 1)
 * that the user would lose.  Installed, the stage must still end before
 * the first partition, or writing that partition overwrites it.
 */
int check_gap(struct check *c)
{
	uint64_t first = first_partition_start(c->img);
	int installed = c->req->mode == CHECKS_AS_INSTALLED && c->res->installed;
	uint32_t need = installed ? c->installed_stage_sectors : c->res->stage_sectors;
	size_t bytes = (size_t)need * IMAGE_SECTOR_SIZE, nonzero;
	struct finding *item;
	struct diag d;
	uint8_t *gap;
	int rc;

	if (first == UINT64_MAX)
		first = image_sectors(c->img);
	c->res->gap_sectors = first > BOOTINST_STAGE_LBA ? first - BOOTINST_STAGE_LBA : 0;
	/* A damaged install's sector count means nothing: M06/E06 said so. */
	if (installed && !c->record_ok)
		return 0;
	if (c->res->gap_sectors < need) {
		gap_too_small(c, first, need);
		return 0;
	}
	if (installed || !need)
		return 0;

	gap = malloc(bytes);
	if (!gap)
		return check_call_failed(c, "reading the sectors after the MBR of", strerror(ENOMEM));
	rc = image_read(c->img, gap, bytes, BOOTINST_STAGE_LBA * IMAGE_SECTOR_SIZE);
	if (rc) {
		free(gap);
		return check_call_failed(c, "reading the sectors after the MBR of", strerror(rc));
	}
	for (nonzero = 0; nonzero < bytes && !gap[nonzero]; nonzero++)
		;
	c->res->gap_holds_stage = !memcmp(gap, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	free(gap);
	if (nonzero == bytes || c->res->gap_holds_stage)
		return 0;

	c->res->gap_foreign = 1;
	diag_set(&d, DIAG_GAP_FOREIGN);
	d.name = "non-zero bytes";
	d.block = BOOTINST_STAGE_LBA + nonzero / IMAGE_SECTOR_SIZE;
	if (c->req->mode == CHECKS_BEFORE_INSTALL && c->req->force) {
		item = findings_add(c->out, FINDING_WARNING, &d, "stage");
		finding_hint(item, "overwriting them (--force): a boot loader that kept its code there "
			     "no longer boots");
		return 0;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "stage");
	finding_hint(item, "sectors %u..%u, where the stage goes, hold them from byte %zu of sector %"
		     PRIu64 " on: likely another boot loader's code, such as GRUB's core.img",
		     BOOTINST_STAGE_LBA, BOOTINST_STAGE_LBA + need - 1,
		     nonzero % IMAGE_SECTOR_SIZE, (uint64_t)d.block);
	return 0;
}
