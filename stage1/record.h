/*
 * record.h - the install record of a stage image: its checksum, its
 * settings (kernel, initrd, command line: the strings the installer
 * appended after the code), and whether the partition it names is still
 * the one in the table.  Portable: the stage reads its own image with it,
 * `bootinst check` an installed one.
 */
#ifndef BOOTINST_RECORD_H
#define BOOTINST_RECORD_H

#include "config.h"
#include "diag.h"
#include "mbr.h"
#include "stage_header.h"

/* The image's CRC-32 as the header's checksum field holds it: over
 * image_size bytes from h, the checksum field read as zero.  An image_size
 * that ends before that field gets ~checksum, which never matches. */
uint32_t stage_image_crc(const struct bootinst_stage_header *h);

/*
 * Is h's header_size one a bootinst stage has had: this one, or the one
 * before the release field (0x30), which an older install left on disks
 * that must still be recognised as bootinst's?
 */
int stage_header_size_known(const struct bootinst_stage_header *h);

/* The release that built the stage ("0.1.0"), or NULL for a stage from
 * before releases were recorded or with a damaged field. */
const char *stage_release(const struct bootinst_stage_header *h);

/*
 * Copy the recorded kernel, initrd and command line of the image h (its
 * image_size bytes from h) into *cfg.  Each must lie in the string area
 * (past code_size, within image_size) and end in a NUL within its bound;
 * otherwise E06 (the record is damaged) and *cfg is unchanged.
 */
enum diag_id record_settings(const struct bootinst_stage_header *h, struct boot_config *cfg,
			     struct diag *d);

/*
 * Is the partition rec was made for still in LBA 0's table, where it was,
 * on the same disk?  The recorded slot, start and size against the table,
 * and the disk signature against 0x1B8.  DIAG_OK, or E22 with the record's
 * numbers (partition, start, sectors).
 */
enum diag_id record_check_partition(const struct bootinst_install_record *rec,
				    const struct mbr_sector *mbr, struct diag *d);

/* The uninstall backup a stage carries (stage_header.h): its head and,
 * when head.mbr_bytes is BOOTINST_BACKUP_MBR_BYTES, the MBR's original
 * boot code. */
struct record_backup {
	struct bootinst_backup head;
	uint8_t mbr_code[BOOTINST_BACKUP_MBR_BYTES];
};

/*
 * The uninstall backup after the record's strings of image h: 1 with *b
 * filled, 0 when the image has none (made by a bootinst before backups),
 * -1 when it is there but does not fit the image.  Host only: the stage
 * never reads it.
 */
int record_backup(const struct bootinst_stage_header *h, struct record_backup *b);

#endif
