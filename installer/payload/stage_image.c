/* stage_image.c - see stage_image.h. */
#include "stage_image.h"

#include <string.h>
#include "blobs.h"
#include "mbr.h"
#include "record.h"

void stage_backup_of_mbr(struct record_backup *b, const uint8_t *mbr_code)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	memcpy(b->head.magic, BOOTINST_BACKUP_MAGIC, BOOTINST_BACKUP_MAGIC_LEN);
	for (i = 0; i < BOOTINST_BACKUP_MBR_BYTES && !mbr_code[i]; i++)
		;
	if (i == BOOTINST_BACKUP_MBR_BYTES) {
		b->head.flags = BOOTINST_BACKUP_MBR_ZERO;
		return;
	}
	b->head.mbr_bytes = BOOTINST_BACKUP_MBR_BYTES;
	memcpy(b->mbr_code, mbr_code, BOOTINST_BACKUP_MBR_BYTES);
}

static size_t backup_bytes(const struct record_backup *b)
{
	return sizeof(b->head) + b->head.mbr_bytes;
}

size_t stage_image_bytes(const char *kernel, const char *initrd, const char *cmdline,
			 const struct record_backup *backup)
{
	size_t strings = strlen(kernel) + 1 + (initrd ? strlen(initrd) : 0) + 1 + strlen(cmdline) + 1;
	size_t bytes = bootinst_stage_image_size() + strings + backup_bytes(backup);

	return (bytes + MBR_SECTOR_SIZE - 1) / MBR_SECTOR_SIZE * MBR_SECTOR_SIZE;
}

/* Append len bytes of p at *at; returns where they went. */
static uint16_t put(uint8_t *out, size_t *at, const void *p, size_t len)
{
	size_t where = *at;

	memcpy(out + where, p, len);
	*at += len;
	return (uint16_t)where;
}

void stage_image_build(uint8_t *out, const struct bootinst_install_record *rec,
		       const char *kernel, const char *initrd, const char *cmdline,
		       const struct record_backup *backup)
{
	struct bootinst_stage_header *h = (void *)out;
	size_t code = bootinst_stage_image_size();
	size_t total = stage_image_bytes(kernel, initrd, cmdline, backup);
	size_t at = code;

	memset(out, 0, total);
	memcpy(out, bootinst_stage_image, code);
	h->rec = *rec;
	h->rec.code_size = (uint16_t)code;
	h->rec.kernel_off = put(out, &at, kernel, strlen(kernel) + 1);
	h->rec.initrd_off = put(out, &at, initrd ? initrd : "", strlen(initrd ? initrd : "") + 1);
	h->rec.cmdline_off = put(out, &at, cmdline, strlen(cmdline) + 1);
	/* the backup, right after the command line (record_backup finds it) */
	put(out, &at, backup, backup_bytes(backup));
	h->image_size = (uint32_t)total;
	h->checksum = stage_image_crc(h);
}
