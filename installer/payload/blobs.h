/*
 * blobs.h - the MBR code and the stage image embedded by payload/blobs.S.
 * Their sizes come from the symbols' distance, so the installer always uses
 * exactly the bytes the build produced.
 */
#ifndef BOOTINST_PAYLOAD_BLOBS_H
#define BOOTINST_PAYLOAD_BLOBS_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t bootinst_mbr_code[], bootinst_mbr_code_end[];
extern const uint8_t bootinst_stage_image[], bootinst_stage_image_end[];

static inline size_t bootinst_mbr_code_size(void)
{
	return (size_t)(bootinst_mbr_code_end - bootinst_mbr_code);
}

static inline size_t bootinst_stage_image_size(void)
{
	return (size_t)(bootinst_stage_image_end - bootinst_stage_image);
}

#endif
