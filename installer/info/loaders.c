/*
 * loaders.c - whose boot code a disk holds, recognised by the constants
 * each loader's own source puts there (its messages, its fixed fields),
 * and what those fields say it loads next.  The offsets are the loaders'
 * documented ones:
 *
 *   GRUB 2      grub-core/boot/i386/pc/boot.S, include/grub/i386/pc/boot.h:
 *               messages "GRUB ", "Geom", "Hard Disk", "Read", " Error";
 *               GRUB_BOOT_MACHINE_KERNEL_SECTOR 0x5C (u64: core.img's LBA),
 *               GRUB_BOOT_MACHINE_BOOT_DRIVE 0x64 (0xFF: the drive in DL).
 *               core.img starts with diskboot.S: "loading", and its
 *               blocklist in the sector's last 12 bytes (u64 start, u16
 *               sectors, u16 segment 0x820).
 *   GRUB Legacy stage1/stage1.S, stage1.h: the same messages, and the
 *               version 3.2 at STAGE1_VER_MAJ_OFFS 0x3E; STAGE1_STAGE2_SECTOR
 *               0x44 (u32); stage1.5/stage2's first sector (start.S) says
 *               "Loading stage1.5" or "Loading stage2", blocklist at 0x1F8.
 *   SYSLINUX    mbr/mbr.S, mbr/gptmbr.S: "Missing operating system.",
 *               "Operating system load error.", "Multiple active partitions."
 *               (gptmbr: "Missing OS", "Disk error").
 *   DOS/Windows the MBR of FDISK /MBR and Windows' fixmbr / bootsect:
 *               "Invalid partition table", "Error loading operating system",
 *               "Missing operating system"; from Vista on, the TPM check
 *               compares with "TCPA" (INT 1Ah AX=BB00h, TCG BIOS spec).
 *   bootinst    include/mbr.h: the patch area's "BI" at 0x1AE; this
 *               build's own code is compared byte for byte.
 */
#define _GNU_SOURCE
#include "model.h"

#include <string.h>
#include "payload/blobs.h"

#define GRUB2_KERNEL_SECTOR    0x5C
#define GRUB2_BOOT_DRIVE       0x64
#define GRUB_LEGACY_VERSION    0x3E
#define GRUB_LEGACY_STAGE2_SEC 0x44
#define GRUB2_BLOCKLIST        0x1F4   /* diskboot.img: the last 12 bytes */
#define GRUB2_KERNEL_SEG       0x0820
#define GRUB_LEGACY_BLOCKLIST  0x1F8   /* start.S: the last 8 bytes */
#define BIOS_LOAD_ADDR         0x7C00u
#define BOOTINST_RELOC_ADDR    0x0600u /* asm/mbr.asm RELOC_ADDR */

/* Little-endian fields, as the x86 loaders store them. */
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Is text (with its NUL, if nul) in bytes 0..len-1?  If so, and c has
 * room, it is kept as a signature with its offset. */
static int has(const uint8_t *code, size_t len, const char *text, int nul, struct info_boot_code *c)
{
	size_t n = strlen(text) + (nul ? 1 : 0);
	const uint8_t *at = memmem(code, len, text, n);

	if (!at)
		return 0;
	if (c && c->sigs < INFO_SIGNATURES_MAX) {
		struct info_signature *s = &c->sig[c->sigs++];
		s->offset = (uint16_t)(at - code);
		snprintf(s->text, sizeof(s->text), "\"%s\"", text);
	}
	return 1;
}

/* The bytes 0..len-1 hold every one of texts (NULL-terminated list)?
 * Records them as signatures only if all are there. */
static int has_all(const uint8_t *code, size_t len, const char *const *texts, struct info_boot_code *c)
{
	for (const char *const *t = texts; *t; t++)
		if (!has(code, len, *t, 0, NULL))
			return 0;
	for (const char *const *t = texts; *t; t++)
		has(code, len, *t, 0, c);
	return 1;
}

/* A fixed field that proves the owner, kept as a signature. */
static void fixed_field(struct info_boot_code *c, unsigned offset, const char *what)
{
	if (c->sigs < INFO_SIGNATURES_MAX) {
		c->sig[c->sigs].offset = (uint16_t)offset;
		snprintf(c->sig[c->sigs].text, sizeof(c->sig[c->sigs].text), "%s", what);
		c->sigs++;
	}
}

/* bootinst's MBR: its patch area, and whether the code is this build's. */
static void bootinst(const uint8_t *s, struct info_boot_code *c)
{
	const struct mbr_patch_area *patch = (const void *)(s + MBR_PATCH_OFF);

	c->owner = OWNER_BOOTINST;
	c->name = "bootinst";
	c->origin = BOOTINST_RELOC_ADDR;
	fixed_field(c, MBR_PATCH_OFF, "\"BI\" (the patch area)");
	has(s, MBR_PATCH_OFF, BOOTINST_STAGE_MAGIC, 0, c);
	c->this_build = bootinst_mbr_code_size() >= MBR_PATCH_OFF &&
			!memcmp(s, bootinst_mbr_code, MBR_PATCH_OFF);
	c->loads_lba = patch->stage_lba;
	c->loads_sectors = patch->stage_sectors;
	snprintf(c->detail, sizeof(c->detail),
		 "loads the stage (version %u), %u sectors from LBA %u, to 0000:%04X; %s",
		 patch->stage_version, patch->stage_sectors, patch->stage_lba, BOOTINST_STAGE_LOAD_ADDR,
		 c->this_build ? "the code is this bootinst's, byte for byte"
			       : "the code differs from this bootinst's (another version)");
}

/* GRUB 2's boot.img or GRUB Legacy's stage1: the same messages, told
 * apart by stage1's version bytes. */
static const char *const grub_messages[] = { "GRUB ", "Geom", "Hard Disk", "Read", " Error", NULL };

static int grub(const uint8_t *s, struct info_boot_code *c)
{
	if (!has_all(s, MBR_BOOT_CODE_MAX, grub_messages, c))
		return 0;
	if (s[GRUB_LEGACY_VERSION] == 3 && s[GRUB_LEGACY_VERSION + 1] == 2) {
		c->owner = OWNER_GRUB_LEGACY;
		c->name = "GRUB Legacy (stage1)";
		fixed_field(c, GRUB_LEGACY_VERSION, "version 3.2");
		c->loads_lba = le32(s + GRUB_LEGACY_STAGE2_SEC);
		c->loads_sectors = 1;
		snprintf(c->detail, sizeof(c->detail),
			 "loads the first sector of stage1.5 or stage2 from LBA %u (0x44)",
			 le32(s + GRUB_LEGACY_STAGE2_SEC));
		return 1;
	}
	c->owner = OWNER_GRUB2;
	c->name = "GRUB 2 (boot.img)";
	c->loads_lba = le64(s + GRUB2_KERNEL_SECTOR);
	c->loads_sectors = 1;
	snprintf(c->detail, sizeof(c->detail),
		 "loads core.img's first sector from LBA %llu (0x5C), boot drive %s (0x64)",
		 (unsigned long long)c->loads_lba,
		 s[GRUB2_BOOT_DRIVE] == 0xFF ? "as the BIOS passed it in DL" : "fixed");
	return 1;
}

/* SYSLINUX's three MBRs. */
static int syslinux(const uint8_t *s, struct info_boot_code *c)
{
	static const char *const mbr[] = { "Missing operating system.", "Operating system load error.", NULL };
	static const char *const gpt[] = { "Missing OS", "Multiple active partitions", "Disk error", NULL };

	if (has_all(s, MBR_BOOT_CODE_MAX, mbr, c)) {
		c->owner = OWNER_SYSLINUX;
		if (has(s, MBR_BOOT_CODE_MAX, "Multiple active partitions.", 0, c)) {
			c->name = "SYSLINUX/EXTLINUX (mbr.bin)";
			snprintf(c->detail, sizeof(c->detail), "loads the active partition's first sector");
		} else {
			c->name = "SYSLINUX/EXTLINUX (altmbr.bin)";
			snprintf(c->detail, sizeof(c->detail), "loads the first sector of the partition "
				 "named in byte 0x1B7 (%u)", s[0x1B7]);
		}
		return 1;
	}
	if (has_all(s, MBR_BOOT_CODE_MAX, gpt, c)) {
		c->owner = OWNER_SYSLINUX;
		c->name = "SYSLINUX (gptmbr.bin)";
		snprintf(c->detail, sizeof(c->detail), "loads the GPT partition marked legacy-bootable");
		return 1;
	}
	return 0;
}

/* The MBR DOS's FDISK and Windows write. */
static int dos_windows(const uint8_t *s, struct info_boot_code *c)
{
	static const char *const dos[] = { "Invalid partition table", "Missing operating system", NULL };

	if (!has_all(s, MBR_BOOT_CODE_MAX, dos, c))
		return 0;
	has(s, MBR_BOOT_CODE_MAX, "Error loading operating system", 0, c);
	if (has(s, MBR_BOOT_CODE_MAX, "TCPA", 0, c)) {
		c->owner = OWNER_WINDOWS;
		c->name = "Windows Vista or later";
	} else {
		c->owner = OWNER_DOS;
		c->name = "MS-DOS to Windows XP";
	}
	snprintf(c->detail, sizeof(c->detail), "moves itself to 0000:0600 and loads the active "
		 "partition's first sector");
	c->origin = BOOTINST_RELOC_ADDR;
	return 1;
}

void info_identify_boot_code(const uint8_t sector[MBR_SECTOR_SIZE], struct info_boot_code *c)
{
	const struct mbr_patch_area *patch = (const void *)(sector + MBR_PATCH_OFF);
	unsigned last = 0;

	memset(c, 0, sizeof(*c));
	c->origin = BIOS_LOAD_ADDR;
	for (unsigned i = 0; i < MBR_BOOT_CODE_MAX; i++)
		if (sector[i])
			last = i + 1;
	c->code_bytes = last;
	if (!last) {
		c->owner = OWNER_ZEROS;
		c->name = "nothing (all zeros)";
		snprintf(c->detail, sizeof(c->detail), "a BIOS that runs it executes zeros "
			 "(add [bx+si],al) until it crashes; most refuse a disk without 55 AA first");
		return;
	}
	if (patch->magic == MBR_PATCH_MAGIC) {
		bootinst(sector, c);
		/* bootinst's code ends below its patch area */
		for (c->code_bytes = MBR_PATCH_OFF; c->code_bytes && !sector[c->code_bytes - 1];)
			c->code_bytes--;
		return;
	}
	if (grub(sector, c) || syslinux(sector, c) || dos_windows(sector, c))
		return;
	c->sigs = 0;
	c->owner = OWNER_UNKNOWN;
	c->name = "unknown boot code";
	snprintf(c->detail, sizeof(c->detail), "none of bootinst, GRUB 2, GRUB Legacy, SYSLINUX "
		 "or a DOS/Windows MBR");
}

int info_identify_gap_sector(const uint8_t sector[MBR_SECTOR_SIZE], uint64_t lba, char *what,
			     size_t size, uint32_t *sectors)
{
	*sectors = 1;
	if (!memcmp(sector, "EFI PART", 8)) {
		snprintf(what, size, "a GPT header (\"EFI PART\")");
		return 1;
	}
	if (has(sector, MBR_SECTOR_SIZE, "loading", 1, NULL) && has(sector, MBR_SECTOR_SIZE, " Error", 0, NULL) &&
	    le16(sector + GRUB2_BLOCKLIST + 10) == GRUB2_KERNEL_SEG) {
		uint64_t next = le64(sector + GRUB2_BLOCKLIST);
		uint16_t count = le16(sector + GRUB2_BLOCKLIST + 8);

		/* one blocklist entry right after this sector: all of core.img */
		if (next == lba + 1)
			*sectors = 1u + count;
		snprintf(what, size, "GRUB 2's core.img (diskboot: \"loading\"; blocklist: %u sectors "
			 "from LBA %llu to %04X:0000)", count, (unsigned long long)next, GRUB2_KERNEL_SEG);
		return 1;
	}
	if (has(sector, MBR_SECTOR_SIZE, "Loading stage1.5", 0, NULL) ||
	    has(sector, MBR_SECTOR_SIZE, "Loading stage2", 0, NULL)) {
		uint32_t next = le32(sector + GRUB_LEGACY_BLOCKLIST);
		uint16_t count = le16(sector + GRUB_LEGACY_BLOCKLIST + 4);

		if (next == lba + 1)
			*sectors = 1u + count;
		snprintf(what, size, "GRUB Legacy's %s (start.S; blocklist: %u sectors from LBA %u)",
			 has(sector, MBR_SECTOR_SIZE, "Loading stage1.5", 0, NULL) ? "stage1.5" : "stage2",
			 count, next);
		return 1;
	}
	return 0;
}
