/*
 * fuzz_record.c - the install record as the stage reads its own image
 * (stage1/record.c): the image's CRC (stage1/main.c checks it first, with
 * nothing but the header to go by), the recorded kernel, initrd and
 * command line, and the partition the record names against a partition
 * table.
 *
 * Input: the stage image as the MBR loaded it, header first, in a buffer
 * of exactly its length.  The stage reads image_size bytes from its load
 * address, all of them RAM; here only the input's bytes exist, so an
 * image_size past them is skipped (the host checks it before: installed.c,
 * gap.c).  Every image_size up to that is fair, even one shorter than the
 * header: a damaged stage sees it.  The last 512 bytes, when there are
 * more than a header's worth before them, are LBA 0 (the MBR).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootinst_stage_header *h;
	struct boot_config cfg;
	struct mbr_sector mbr;
	struct diag d;
	uint8_t *image;

	if (size < sizeof *h)
		return 0;
	image = malloc(size);
	if (!image)
		abort();
	memcpy(image, data, size);
	h = (struct bootinst_stage_header *)image;
	if (h->image_size <= size) {
		stage_image_crc(h);
		if (record_settings(h, &cfg, &d) == DIAG_OK &&
		    (strlen(cfg.kernel) >= sizeof cfg.kernel || strlen(cfg.initrd) >= sizeof cfg.initrd ||
		     strlen(cfg.cmdline) >= sizeof cfg.cmdline))
			abort();
	}
	if (size >= sizeof *h + sizeof mbr) {
		memcpy(&mbr, data + size - sizeof mbr, sizeof mbr);
		record_check_partition(&h->rec, &mbr, &d);
	}
	free(image);
	return 0;
}
