/* record.c - see record.h. */
#include <string.h>
#include "record.h"
#include "crc32.h"

uint32_t stage_image_crc(const struct bootinst_stage_header *h)
{
	const uint8_t *image = (const uint8_t *)h;
	const uint32_t zero = 0;
	size_t at = offsetof(struct bootinst_stage_header, checksum);
	uint32_t crc;

	/* A damaged image_size that ends before the checksum field: no CRC
	 * matches it, and nothing is read for it (its length would wrap). */
	if (h->image_size < at + sizeof(zero))
		return ~h->checksum;
	crc = crc32_ieee(0, image, at);
	crc = crc32_ieee(crc, &zero, sizeof(zero));
	return crc32_ieee(crc, image + at + sizeof(zero), h->image_size - at - sizeof(zero));
}

int stage_header_size_known(const struct bootinst_stage_header *h)
{
	return h->header_size == sizeof(*h) ||
	       h->header_size == offsetof(struct bootinst_stage_header, release);
}

const char *stage_release(const struct bootinst_stage_header *h)
{
	if (h->header_size < sizeof(*h) || !h->release[0])
		return 0;
	for (size_t i = 0; i < sizeof(h->release); i++)
		if (!h->release[i])
			return h->release;
	return 0;   /* no NUL: damaged */
}

/* The string at off, if it is all inside the string area and its NUL comes
 * within max bytes; else NULL. */
static const char *record_string(const struct bootinst_stage_header *h, uint16_t off, size_t max)
{
	const char *image = (const char *)h;

	if (off < h->rec.code_size || off >= h->image_size)
		return 0;
	if (max > h->image_size - off)
		max = h->image_size - off;
	for (size_t i = 0; i < max; i++)
		if (!image[off + i])
			return image + off;
	return 0;
}

enum diag_id record_settings(const struct bootinst_stage_header *h, struct boot_config *cfg,
			     struct diag *d)
{
	const char *kernel = record_string(h, h->rec.kernel_off, BOOTINST_PATH_MAX);
	const char *initrd = record_string(h, h->rec.initrd_off, BOOTINST_PATH_MAX);
	const char *cmdline = record_string(h, h->rec.cmdline_off, BOOTINST_CMDLINE_MAX);

	if (!kernel || !initrd || !cmdline) {
		diag_set(d, DIAG_STAGE_MISMATCH);
		d->name = "its install record's strings are damaged";
		return DIAG_STAGE_MISMATCH;
	}
	memcpy(cfg->kernel, kernel, strlen(kernel) + 1);
	memcpy(cfg->initrd, initrd, strlen(initrd) + 1);
	memcpy(cfg->cmdline, cmdline, strlen(cmdline) + 1);
	return DIAG_OK;
}

enum diag_id record_check_partition(const struct bootinst_install_record *rec,
				    const struct mbr_sector *mbr, struct diag *d)
{
	const struct mbr_partition_entry *p = rec->partition >= 1 && rec->partition <= MBR_PART_ENTRIES ?
		&mbr->part[rec->partition - 1] : 0;

	if (p && p->lba_first == rec->part_start_lba && p->sectors == rec->part_sectors &&
	    mbr->disk_signature == rec->disk_signature)
		return DIAG_OK;
	diag_set(d, DIAG_NO_PARTITION);
	d->value = rec->partition;
	d->block = rec->part_start_lba;
	d->limit = rec->part_sectors;
	return DIAG_NO_PARTITION;
}

int record_backup(const struct bootinst_stage_header *h, struct record_backup *b)
{
	const uint8_t *image = (const uint8_t *)h;
	const char *cmdline = record_string(h, h->rec.cmdline_off, BOOTINST_CMDLINE_MAX);
	size_t at;

	if (!cmdline)
		return -1;
	at = (size_t)(cmdline - (const char *)image) + strlen(cmdline) + 1;
	if (at + sizeof(b->head) > h->image_size ||
	    memcmp(image + at, BOOTINST_BACKUP_MAGIC, BOOTINST_BACKUP_MAGIC_LEN))
		return 0;
	memcpy(&b->head, image + at, sizeof(b->head));
	if (b->head.mbr_bytes != 0 && b->head.mbr_bytes != BOOTINST_BACKUP_MBR_BYTES)
		return -1;
	if (at + sizeof(b->head) + b->head.mbr_bytes > h->image_size)
		return -1;
	memset(b->mbr_code, 0, sizeof(b->mbr_code));
	memcpy(b->mbr_code, image + at + sizeof(b->head), b->head.mbr_bytes);
	return 1;
}
