/*
 * mbr.h - the Master Boot Record (LBA 0) and bootinst's patch area in it.
 *
 *   0x000  boot code                       bootinst's asm/mbr.asm
 *   0x1AE  patch area (below)              filled by `bootinst install`
 *   0x1B8  disk signature (u32)            kept byte-exact by install
 *   0x1BC  reserved (u16, usually 0)       kept byte-exact by install
 *   0x1BE  partition table, 4 x 16 bytes   never written by install
 *   0x1FE  0x55 0xAA                       boot signature
 *
 * Boot code may use bytes 0x000..0x1B7 (440) at most; the patch area is the
 * last 10 of them.  asm/mbr.asm places it with `times` so that code which
 * grows into it fails to assemble.
 */
#ifndef BOOTINST_MBR_H
#define BOOTINST_MBR_H

#include <stdint.h>
#include <stddef.h>

#define MBR_SECTOR_SIZE        512
#define MBR_BOOT_CODE_MAX      440      /* 0x000..0x1B7 */
#define MBR_DISK_SIGNATURE_OFF 0x1B8
#define MBR_PART_TABLE_OFF     0x1BE
#define MBR_PART_ENTRIES       4
#define MBR_BOOT_SIG_OFF       0x1FE
#define MBR_BOOT_SIG_0         0x55
#define MBR_BOOT_SIG_1         0xAA

#define MBR_PATCH_OFF          0x1AE
#define MBR_PATCH_MAGIC        0x4942   /* "BI" little-endian */

struct mbr_patch_area {
	/* 0x1AE */ uint16_t magic;          /* MBR_PATCH_MAGIC */
	/* 0x1B0 */ uint32_t stage_lba;      /* first sector of the stage */
	/* 0x1B4 */ uint16_t stage_sectors;  /* sectors to load at 0000:8000 */
	/* 0x1B6 */ uint16_t stage_version;  /* must match the stage header */
} __attribute__((packed));

struct mbr_partition_entry {
	/* 0x0 */ uint8_t  status;          /* 0x80 = active */
	/* 0x1 */ uint8_t  chs_first[3];
	/* 0x4 */ uint8_t  type;
	/* 0x5 */ uint8_t  chs_last[3];
	/* 0x8 */ uint32_t lba_first;
	/* 0xc */ uint32_t sectors;
} __attribute__((packed));

struct mbr_sector {
	/* 0x000 */ uint8_t  boot_code[MBR_PATCH_OFF];
	/* 0x1AE */ struct mbr_patch_area patch;
	/* 0x1B8 */ uint32_t disk_signature;
	/* 0x1BC */ uint16_t reserved;
	/* 0x1BE */ struct mbr_partition_entry part[MBR_PART_ENTRIES];
	/* 0x1FE */ uint8_t  boot_sig[2];
} __attribute__((packed));

_Static_assert(sizeof(struct mbr_patch_area) == 10, "MBR patch area size");
_Static_assert(offsetof(struct mbr_sector, patch) + sizeof(struct mbr_patch_area) == MBR_BOOT_CODE_MAX, "patch area ends at 440");
_Static_assert(offsetof(struct mbr_sector, disk_signature) == MBR_DISK_SIGNATURE_OFF, "MBR layout");
_Static_assert(offsetof(struct mbr_sector, part) == MBR_PART_TABLE_OFF, "MBR layout");
_Static_assert(sizeof(struct mbr_sector) == MBR_SECTOR_SIZE, "MBR size");

#endif
