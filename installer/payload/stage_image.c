/* stage_image.c - see stage_image.h. */
#include "stage_image.h"

#include <string.h>
#include "blobs.h"
#include "record.h"
#include "mbr.h"

size_t stage_image_bytes(const char *kernel, const char *initrd, const char *cmdline)
{
	size_t strings = strlen(kernel) + 1 + (initrd ? strlen(initrd) : 0) + 1 + strlen(cmdline) + 1;
	size_t bytes = bootinst_stage_image_size() + strings;

	return (bytes + MBR_SECTOR_SIZE - 1) / MBR_SECTOR_SIZE * MBR_SECTOR_SIZE;
}

/* Append s with its NUL at *at; returns where it went. */
static uint16_t put_string(uint8_t *out, size_t *at, const char *s)
{
	size_t len = strlen(s) + 1;
	size_t where = *at;

	memcpy(out + where, s, len);
	*at += len;
	return (uint16_t)where;
}

void stage_image_build(uint8_t *out, const struct bootinst_install_record *rec,
		       const char *kernel, const char *initrd, const char *cmdline)
{
	struct bootinst_stage_header *h = (void *)out;
	size_t code = bootinst_stage_image_size();
	size_t total = stage_image_bytes(kernel, initrd, cmdline);
	size_t at = code;

	memset(out, 0, total);
	memcpy(out, bootinst_stage_image, code);
	h->rec = *rec;
	h->rec.code_size = (uint16_t)code;
	h->rec.kernel_off = put_string(out, &at, kernel);
	h->rec.initrd_off = put_string(out, &at, initrd ? initrd : "");
	h->rec.cmdline_off = put_string(out, &at, cmdline);
	h->image_size = (uint32_t)total;
	h->checksum = stage_image_crc(h);
}
