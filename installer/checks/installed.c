/*
 * installed.c - what is installed, checked as the machine meets it: the
 * MBR code (I03), the stage it loads (M25, M06: asm/mbr.asm's checks; E06:
 * the stage's own CRC and record), and the install record against the
 * live partition table (E22, the stage's rule).
 */
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mbr.h"
#include "record.h"

static void not_installed(struct check *c)
{
	const uint8_t *boot_code = c->img->sector0;   /* bytes 0..0x1B7, patch area included */
	size_t i;
	struct diag d;

	for (i = 0; i < MBR_BOOT_CODE_MAX && !boot_code[i]; i++)
		;
	diag_set(&d, DIAG_NOT_INSTALLED);
	d.name = i == MBR_BOOT_CODE_MAX ? "the MBR's boot code area is empty"
		 : "the MBR holds other boot code (no bootinst patch area at 0x1AE)";
	findings_add(c->out, FINDING_ERROR, &d, "MBR");
}

/* The MBR code loads patch.stage_sectors from patch.stage_lba and checks the
 * magic and the version (asm/mbr.asm check_stage): M25 or M06 at boot. */
static int read_installed_stage(struct check *c, uint8_t **stage_bytes)
{
	const struct mbr_patch_area *patch = &((const struct mbr_sector *)c->img->sector0)->patch;
	uint64_t end = (uint64_t)patch->stage_lba + patch->stage_sectors;
	size_t len = (size_t)patch->stage_sectors * IMAGE_SECTOR_SIZE;
	struct finding *item;
	struct diag d;
	int rc;

	*stage_bytes = NULL;
	if (patch->stage_sectors == 0 || patch->stage_lba == 0 || end > image_sectors(c->img)) {
		diag_set(&d, patch->stage_sectors && patch->stage_lba ? DIAG_MBR_READ : DIAG_MBR_NO_STAGE);
		item = findings_add(c->out, FINDING_ERROR, &d, "MBR");
		finding_hint(item, "the MBR's patch area says the stage is %u sectors at LBA %u; the disk has %"
			     PRIu64 " sectors", patch->stage_sectors, patch->stage_lba, image_sectors(c->img));
		return 0;
	}
	*stage_bytes = malloc(len);
	if (!*stage_bytes)
		return check_call_failed(c, "reading the stage", strerror(ENOMEM));
	rc = image_read(c->img, *stage_bytes, len, (uint64_t)patch->stage_lba * IMAGE_SECTOR_SIZE);
	if (rc)
		return check_call_failed(c, "reading the stage", strerror(rc));
	return 0;
}

/* install replaces only a stage it can prove its own (magic and CRC):
 * other bytes where the stage goes are another program's to it (I02). */
#define INSTALL_REFUSES_DAMAGED "bootinst install sees these sectors as not its own (I02) and " \
	"replaces them only with --force --backup FILE, which keeps them"

/* Would install refuse the sectors the MBR loads the stage from? */
static int install_refuses_stage_sectors(const struct check *c, const struct mbr_patch_area *patch)
{
	return gap_first_foreign(&c->res->gap, patch->stage_lba, patch->stage_sectors) != 0;
}

static void check_stage(struct check *c, uint8_t *stage)
{
	const struct mbr_patch_area *patch = &((const struct mbr_sector *)c->img->sector0)->patch;
	const struct bootinst_stage_header *h = (const void *)stage;
	size_t loaded = (size_t)patch->stage_sectors * IMAGE_SECTOR_SIZE;
	struct finding *item;
	struct diag d;

	if (loaded < sizeof(*h) || memcmp(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN)) {
		diag_set(&d, DIAG_MBR_NO_STAGE);
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "LBA %u, where the MBR code loads the stage from, does not start "
			     "with the stage's magic \"%s\"%s%s", patch->stage_lba, BOOTINST_STAGE_MAGIC,
			     install_refuses_stage_sectors(c, patch) ? "; " : "",
			     install_refuses_stage_sectors(c, patch) ? INSTALL_REFUSES_DAMAGED : "");
		return;
	}
	if (h->version != patch->stage_version) {
		diag_set(&d, DIAG_MBR_NO_STAGE);
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "the stage at LBA %u is version %u; the MBR code loads version %u",
			     patch->stage_lba, h->version, patch->stage_version);
		return;
	}
	if (!stage_header_size_known(h) || h->image_size < sizeof(*h) || h->image_size > loaded) {
		diag_set(&d, DIAG_STAGE_MISMATCH);
		d.name = "its header's sizes do not fit the sectors the MBR code loads";
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		finding_hint(item, "header %u bytes, image %u bytes, %u sectors loaded",
			     h->header_size, h->image_size, patch->stage_sectors);
		return;
	}
	if (stage_image_crc(h) != h->checksum) {   /* the stage's own test */
		diag_set(&d, DIAG_STAGE_MISMATCH);
		d.name = "stage checksum does not match";   /* the stage's words */
		item = findings_add(c->out, FINDING_ERROR, &d, "stage");
		if (install_refuses_stage_sectors(c, patch))
			finding_hint(item, "%s", INSTALL_REFUSES_DAMAGED);
		return;
	}
	if (record_settings(h, &c->recorded, &d)) {
		findings_add(c->out, FINDING_ERROR, &d, "stage");   /* the stage's own check */
		return;
	}
	memcpy(&c->stage, h, sizeof(c->stage));
	if (stage_release(h))
		memcpy(c->res->release, stage_release(h), sizeof(c->res->release));
	c->record_ok = 1;
}

/* The stage's own rule (record_check_partition), with what changed. */
static void check_record(struct check *c)
{
	const struct bootinst_install_record *rec = &c->stage.rec;
	const struct mbr_sector *mbr = (const void *)c->img->sector0;
	const struct mbr_partition_entry *p =
		rec->partition >= 1 && rec->partition <= MBR_PART_ENTRIES ? &mbr->part[rec->partition - 1] : NULL;
	struct finding *item;
	struct diag d;

	if (record_check_partition(rec, mbr, &d) == DIAG_OK) {
		c->record_matches = 1;
		return;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", rec->partition);
	if (!p || (!p->lba_first && !p->sectors))
		finding_hint(item, "the table has no partition %u now", rec->partition);
	else if (p->lba_first != rec->part_start_lba || p->sectors != rec->part_sectors)
		finding_hint(item, "the table now says start %u, %u sectors", p->lba_first, p->sectors);
	else
		finding_hint(item, "the disk signature at 0x1B8 is now 0x%08x; it was 0x%08x at install",
			     mbr->disk_signature, rec->disk_signature);
}

/* The backup the stages of ours carry, for the new stage to carry on. */
static int find_backup(struct check *c)
{
	int rc = gap_find_backup(c->img, &c->res->gap, &c->installed_backup);

	if (rc < 0)
		return check_call_failed(c, "reading the stages", strerror(-rc));
	c->backup_found = rc;
	return 0;
}

int check_installed(struct check *c)
{
	const struct mbr_sector *mbr = (const void *)c->img->sector0;
	uint8_t *stage;

	if (mbr->patch.magic != MBR_PATCH_MAGIC) {
		not_installed(c);
		return 0;
	}
	c->res->installed = 1;
	c->installed_stage_sectors = mbr->patch.stage_sectors;
	if (read_installed_stage(c, &stage))
		return -1;
	if (stage)
		check_stage(c, stage);
	free(stage);
	if (c->record_ok)
		check_record(c);
	return find_backup(c);
}
