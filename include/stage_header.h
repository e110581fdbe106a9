/*
 * stage_header.h - the bootinst stage image header and install record.
 *
 * Shared by the stage (which carries it at its first byte), the MBR code
 * (which checks its magic and version) and the installer (which fills the
 * install record, appends its strings and sets the checksum).  Defined
 * once, here; the asm side gets its offsets from build/gen/offsets.inc,
 * generated from this file.
 *
 * Where it lives on disk and in memory:
 *
 *   disk  stage_sectors from the MBR patch area's stage_lba, in the gap
 *         between the MBR and the first partition: LBA 1, or right after
 *         the previous install's stage (two slots, so that an install that
 *         dies half-way leaves the old one whole; installer/commit/)
 *   RAM   0000:8000 (BOOTINST_STAGE_LOAD_ADDR), loaded by the MBR code
 *
 *   +0x000  magic "BOOTINST"
 *   +0x008  version          must equal the MBR patch area's stage_version
 *   +0x00a  header_size      sizeof(struct bootinst_stage_header)
 *   +0x00c  image_size       bytes of the whole image: code + string area
 *   +0x010  checksum         CRC-32 (IEEE) of image_size bytes, this field 0
 *   +0x014  entry_offset     MBR jumps to 0000:(8000 + entry_offset)
 *   +0x018  install record   written by `bootinst install`
 *   +0x030  release          the bootinst release that built it ("0.1.0",
 *                            NUL-padded; the VERSION file), which the stage
 *                            prints at boot and check and info show
 *   ...     the 16-bit code, then the C part packed (asm/stagepack.c),
 *           code_size bytes from +0 in all (no padding: the strings follow)
 *   +code_size  string area  "kernel\0initrd\0cmdline\0", then the
 *                            uninstall backup (struct bootinst_backup,
 *                            below), zero-padded to a sector: only as long
 *                            as what was installed (at most
 *                            BOOTINST_STRINGS_MAX bytes)
 */
#ifndef BOOTINST_STAGE_HEADER_H
#define BOOTINST_STAGE_HEADER_H

#include <stdint.h>
#include <stddef.h>

#define BOOTINST_STAGE_MAGIC      "BOOTINST"   /* 8 bytes, no NUL stored */
#define BOOTINST_STAGE_MAGIC_LEN  8
#define BOOTINST_STAGE_VERSION    2
#define BOOTINST_STAGE_LOAD_ADDR  0x8000u
#define BOOTINST_STAGE_LBA        1u
/* The oldest common layout: first partition at sector 63 leaves LBA 1..62. */
#define BOOTINST_STAGE_MAX_BYTES  (62u * 512u)    /* 31,744 */

/* The release string's room in the header: "X.Y.Z" and more, NUL-padded.
 * A header_size that ends before it is a stage from before releases were
 * recorded. */
#define BOOTINST_RELEASE_BYTES 16

#define BOOTINST_PATH_MAX     256   /* bytes, NUL included */
#define BOOTINST_CMDLINE_MAX  2048  /* bytes, NUL included */
/*
 * The uninstall backup, right after the command line's NUL: what the
 * first install replaced, carried from stage to stage by every re-install,
 * so that `bootinst uninstall` can put it back.  The stage itself never
 * reads it; its CRC covers it.  The MBR's original boot code follows the
 * head when it was not all zeros (mbr_bytes = 440).
 */
#define BOOTINST_BACKUP_MAGIC     "BKUP"       /* 4 bytes, no NUL stored */
#define BOOTINST_BACKUP_MAGIC_LEN 4
#define BOOTINST_BACKUP_MBR_BYTES 440          /* LBA 0 bytes 0..439: mbr.h's boot code */
/* backup flags */
#define BOOTINST_BACKUP_MBR_ZERO  0x0001u  /* the boot code was all zeros */
#define BOOTINST_BACKUP_UNKNOWN   0x0002u  /* installed over a bootinst that
					    * kept no backup: what was there
					    * before bootinst is unknown */
#define BOOTINST_BACKUP_FILE      0x0004u  /* sectors that held other data
					    * were saved to a --backup file */

struct bootinst_backup {
	/* 0x00 */ uint8_t  magic[BOOTINST_BACKUP_MAGIC_LEN];
	/* 0x04 */ uint16_t flags;           /* BOOTINST_BACKUP_* */
	/* 0x06 */ uint16_t mbr_bytes;       /* 0 or BOOTINST_BACKUP_MBR_BYTES: they follow */
	/* 0x08 */ uint32_t file_crc;        /* BOOTINST_BACKUP_FILE: the file's CRC-32 */
	/* 0x0c */ uint32_t file_bytes;      /* ... and its size */
} __attribute__((packed));

/* The string area's largest size: two paths, a command line and the backup. */
#define BOOTINST_STRINGS_MAX  (2 * BOOTINST_PATH_MAX + BOOTINST_CMDLINE_MAX + \
			       sizeof(struct bootinst_backup) + BOOTINST_BACKUP_MBR_BYTES)

/* install record flags */
#define BOOTINST_REC_HAVE_INITRD 0x0001u
/* Read with CHS (INT 13h AH=02h) even where the BIOS has the extensions:
 * `bootinst install --force-chs`, to see on a modern BIOS what a BIOS
 * without EDD does (E18 past the CHS limit). */
#define BOOTINST_REC_FORCE_CHS   0x0002u
/* Read through the BIOS only, never natively (IDE DMA):
 * `bootinst install --bios-disk`, for a machine where the native path
 * misbehaves (`disk bios` in bootinst.cfg does the same). */
#define BOOTINST_REC_BIOS_DISK   0x0004u
/* Bits 4..15: the seconds the boot menu of the recorded entry waits
 * (`bootinst install --timeout N`, 0..BOOTINST_TIMEOUT_MAX); 0, what older
 * installs left there: no menu unless a key is pressed. */
#define BOOTINST_REC_TIMEOUT_SHIFT 4

struct bootinst_install_record {
	/* 0x00 */ uint32_t disk_signature;  /* MBR 0x1B8 at install time */
	/* 0x04 */ uint8_t  partition;       /* 1..4, MBR slot of the boot fs */
	/* 0x05 */ uint8_t  partition_type;  /* its MBR type byte at install */
	/* 0x06 */ uint16_t flags;           /* BOOTINST_REC_* */
	/* 0x08 */ uint32_t part_start_lba;  /* sectors from disk start */
	/* 0x0c */ uint32_t part_sectors;    /* sectors in the partition */
	/* 0x10 */ uint16_t code_size;       /* bytes before the string area */
	/* 0x12 */ uint16_t kernel_off;      /* from the image's first byte: */
	/* 0x14 */ uint16_t initrd_off;      /* NUL-terminated strings in the */
	/* 0x16 */ uint16_t cmdline_off;     /* string area ("" = no initrd) */
} __attribute__((packed));

struct bootinst_stage_header {
	/* 0x00 */ uint8_t  magic[BOOTINST_STAGE_MAGIC_LEN];
	/* 0x08 */ uint16_t version;
	/* 0x0a */ uint16_t header_size;
	/* 0x0c */ uint32_t image_size;
	/* 0x10 */ uint32_t checksum;
	/* 0x14 */ uint32_t entry_offset;
	/* 0x18 */ struct bootinst_install_record rec;
	/* 0x30 */ char     release[BOOTINST_RELEASE_BYTES];
} __attribute__((packed));

_Static_assert(offsetof(struct bootinst_stage_header, version) == 0x08, "stage header layout");
_Static_assert(offsetof(struct bootinst_stage_header, checksum) == 0x10, "stage header layout");
_Static_assert(offsetof(struct bootinst_stage_header, entry_offset) == 0x14, "stage header layout");
_Static_assert(offsetof(struct bootinst_stage_header, rec) == 0x18, "stage header layout");
_Static_assert(offsetof(struct bootinst_install_record, code_size) == 0x10, "install record layout");
_Static_assert(offsetof(struct bootinst_install_record, cmdline_off) == 0x16, "install record layout");
_Static_assert(offsetof(struct bootinst_stage_header, release) == 0x30, "stage header layout");
_Static_assert(sizeof(struct bootinst_stage_header) == 0x30 + BOOTINST_RELEASE_BYTES, "stage header size");
_Static_assert(sizeof(struct bootinst_backup) == 0x10, "backup head size");

#endif
