/*
 * mbr.c - LBA 0 decoded: whose boot code (loaders.c), bootinst's patch
 * area, the disk signature, the four partition entries and 55 AA.
 *
 * An entry gives its first and last sector twice: as CHS (cylinder, head,
 * sector, for BIOSes without LBA) and as LBA.  Each CHS is decoded (head:
 * byte 0; sector: bits 0-5 of byte 1; cylinder: byte 2 and bits 6-7 of
 * byte 1) and compared with the LBA read under a geometry: 255 heads x 63
 * sectors, what fdisk, sfdisk and libfdisk write for a disk image, unless
 * the table's own ends say another (the largest end head + 1, the largest
 * end sector) that explains every entry.  An LBA past cylinder 1023 has no
 * CHS; the entry then holds the largest (1023/254/63 or 1023/255/63).
 */
#include "model.h"

#include <string.h>
#include <libfdisk/libfdisk.h>

#define CHS_MAX_CYLINDER 1023u
#define FDISK_HEADS      255u
#define FDISK_SECTORS    63u

/* An entry's three CHS bytes as cylinder, head and sector. */
static void decode_chs(const uint8_t b[3], struct info_chs *c)
{
	c->head = b[0];
	c->sector = b[1] & 0x3Fu;
	c->cylinder = b[2] | (unsigned)(b[1] & 0xC0u) << 2;
}

/* lba under heads x sectors; 0 if it lies past what CHS reaches. */
static int lba_to_chs(uint32_t lba, unsigned heads, unsigned sectors, struct info_chs *c)
{
	uint64_t cylinder = lba / ((uint64_t)heads * sectors);

	c->cylinder = (unsigned)(cylinder > CHS_MAX_CYLINDER ? CHS_MAX_CYLINDER : cylinder);
	c->head = (unsigned)(lba / sectors % heads);
	c->sector = (unsigned)(lba % sectors + 1);
	return cylinder <= CHS_MAX_CYLINDER;
}

/* Does chs say lba under the geometry?  *beyond: lba has no CHS, and chs
 * holds the largest one, as it should then. */
static int chs_agrees(const struct info_chs *chs, uint32_t lba, unsigned heads, unsigned sectors,
		      struct info_chs *want, int *beyond)
{
	*beyond = !lba_to_chs(lba, heads, sectors, want);
	if (*beyond) {
		want->head = heads - 1;
		want->sector = sectors;
		return chs->cylinder == CHS_MAX_CYLINDER;
	}
	return chs->cylinder == want->cylinder && chs->head == want->head && chs->sector == want->sector;
}

/* Compare every used entry under heads x sectors; 1 if all agree. */
static int compare_all(struct info_mbr *m, unsigned heads, unsigned sectors)
{
	int all = 1;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		struct info_entry *e = &m->entry[i];
		if (e->empty || !e->sectors)
			continue;
		e->first_ok = chs_agrees(&e->chs_first, e->lba_first, heads, sectors, &e->want_first,
					 &e->first_beyond);
		e->last_ok = chs_agrees(&e->chs_last, e->lba_first + e->sectors - 1, heads, sectors,
					&e->want_last, &e->last_beyond);
		all = all && e->first_ok && e->last_ok;
	}
	return all;
}

/* The geometry the table's own end CHS imply, where they are CHS at all. */
static int table_geometry(const struct info_mbr *m, unsigned *heads, unsigned *sectors)
{
	*heads = *sectors = 0;
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct info_entry *e = &m->entry[i];
		if (e->empty || !e->sectors || e->chs_last.cylinder == CHS_MAX_CYLINDER)
			continue;
		if (e->chs_last.head + 1 > *heads)
			*heads = e->chs_last.head + 1;
		if (e->chs_last.sector > *sectors)
			*sectors = e->chs_last.sector;
	}
	return *heads >= 1 && *heads <= 256 && *sectors >= 1;
}

/* The geometry to read the entries with, and each entry compared under it. */
static void choose_geometry(struct info_mbr *m)
{
	unsigned heads, sectors;

	m->heads = FDISK_HEADS;
	m->sectors_per_track = FDISK_SECTORS;
	m->geometry_from = "what fdisk and sfdisk write for an image";
	if (compare_all(m, FDISK_HEADS, FDISK_SECTORS))
		return;
	if (table_geometry(m, &heads, &sectors) && (heads != FDISK_HEADS || sectors != FDISK_SECTORS) &&
	    compare_all(m, heads, sectors)) {
		m->heads = heads;
		m->sectors_per_track = sectors;
		m->geometry_from = "the geometry the entries' own end CHS imply";
		return;
	}
	compare_all(m, FDISK_HEADS, FDISK_SECTORS);
}

/* libfdisk's name for a DOS partition type ("Linux", "W95 FAT32 (LBA)"). */
static void type_name(struct fdisk_label *label, uint8_t type, char *out, size_t size)
{
	struct fdisk_parttype *t = label ? fdisk_label_get_parttype_from_code(label, type) : NULL;
	const char *name = t ? fdisk_parttype_get_name(t) : NULL;

	snprintf(out, size, "%s", name ? name : "unknown type");
}

void info_read_mbr(const struct disk_image *img, struct info_mbr *m)
{
	const struct mbr_sector *s = (const void *)img->sector0;
	struct fdisk_context *cxt = fdisk_new_context();
	struct fdisk_label *dos = cxt ? fdisk_get_label(cxt, "dos") : NULL;

	memset(m, 0, sizeof(*m));
	memcpy(m->sector, img->sector0, sizeof(m->sector));
	info_identify_boot_code(m->sector, &m->code);
	m->patch_found = s->patch.magic == MBR_PATCH_MAGIC;
	memcpy(&m->patch, &s->patch, sizeof(m->patch));
	m->disk_signature = s->disk_signature;
	m->reserved = s->reserved;
	m->boot_signature = s->boot_sig[0] == MBR_BOOT_SIG_0 && s->boot_sig[1] == MBR_BOOT_SIG_1;
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct mbr_partition_entry *p = &s->part[i];
		struct info_entry *e = &m->entry[i];
		static const uint8_t zeros[16];

		e->number = i + 1;
		memcpy(e->raw, p, sizeof(e->raw));
		e->empty = !memcmp(e->raw, zeros, sizeof(zeros));
		e->status = p->status;
		e->type = p->type;
		type_name(dos, p->type, e->type_name, sizeof(e->type_name));
		e->lba_first = p->lba_first;
		e->sectors = p->sectors;
		decode_chs(p->chs_first, &e->chs_first);
		decode_chs(p->chs_last, &e->chs_last);
	}
	choose_geometry(m);
	fdisk_unref_context(cxt);
}
