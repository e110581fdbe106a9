/*
 * payload/ - what install writes: the MBR code and the stage built into bootinst (blobs.S), the stage image made from them.
 * May touch: memory only.  Must not: read or write the disk.
 *
 * stage_image.h - the stage image install writes: the stage as built
 * (blobs.S) with its install record filled, the record's strings and the
 * uninstall backup appended after the code (include/stage_header.h), and
 * the CRC-32 set.
 */
#ifndef BOOTINST_PAYLOAD_STAGE_IMAGE_H
#define BOOTINST_PAYLOAD_STAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "record.h"
#include "stage_header.h"

/* The backup of a disk bootinst has not been installed on: its MBR boot
 * code (LBA 0 bytes 0..439), kept unless all zeros. */
void stage_backup_of_mbr(struct record_backup *b, const uint8_t *mbr_code);

/* Bytes of the image for these settings and backup: whole sectors.
 * initrd may be NULL (none). */
size_t stage_image_bytes(const char *kernel, const char *initrd, const char *cmdline,
			 const struct record_backup *backup);

/*
 * Fill out, stage_image_bytes() long: the built stage, the record's fixed
 * fields from *rec (its string offsets and code_size are set here), the
 * strings, the backup, and the checksum.  The strings' lengths must fit
 * the record's bounds (BOOTINST_PATH_MAX, BOOTINST_CMDLINE_MAX).
 */
void stage_image_build(uint8_t *out, const struct bootinst_install_record *rec,
		       const char *kernel, const char *initrd, const char *cmdline,
		       const struct record_backup *backup);

#endif
