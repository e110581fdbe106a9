/*
 * backup_file.h - `--backup FILE`: what an install is about to overwrite
 * that only the file will keep (another loader's sectors after the MBR,
 * overwritten with --force), written and synced before the install writes
 * anything, and read back by `bootinst uninstall --backup FILE`.
 *
 * The file, little-endian:
 *   0x000  magic "BIBACKUP", u16 version (1), u16 runs, u32 disk signature
 *   0x010  the MBR's boot code as it was (LBA 0 bytes 0..439)
 *   0x1C8  runs x { u64 lba, u32 sectors, u32 0 }, then their sectors' bytes
 * The stage's backup records the file's size and CRC-32 (stage_header.h),
 * so uninstall takes only the file this install wrote.
 */
#ifndef BOOTINST_COMMIT_BACKUP_FILE_H
#define BOOTINST_COMMIT_BACKUP_FILE_H

#include <stdint.h>
#include <stdio.h>
#include "stage_header.h"

#define BACKUP_FILE_MAGIC     "BIBACKUP"
#define BACKUP_FILE_VERSION   1
#define BACKUP_FILE_MAX_RUNS  64

struct backup_run {
	uint64_t lba;
	uint32_t sectors;
	uint8_t *bytes;        /* sectors * 512 */
};

struct backup_file {
	uint32_t disk_signature;
	uint8_t  mbr_code[BOOTINST_BACKUP_MBR_BYTES];
	struct backup_run run[BACKUP_FILE_MAX_RUNS];
	unsigned runs;
};

/* The file's bytes and CRC-32, as it will be written. */
void backup_file_measure(const struct backup_file *b, uint32_t *bytes, uint32_t *crc);

/* Create path (it must not exist: it may be an earlier backup), write b,
 * fsync it and its folder.  0, or -1 reported on err with nothing left. */
int backup_file_write(const char *path, const struct backup_file *b, FILE *err);

/* Read path into *b (free with backup_file_free), checking its size and
 * CRC-32 against what the stage recorded.  0, or -1 reported on err. */
int backup_file_read(const char *path, uint32_t want_bytes, uint32_t want_crc,
		     struct backup_file *b, FILE *err);

void backup_file_free(struct backup_file *b);

#endif
