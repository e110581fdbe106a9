/*
 * disk.c - see disk.h.  INT 13h references: EDD 3.0 (T13/1484D) for
 * AH=41h/42h, the IBM PC BIOS interface for AH=00h/02h/08h.
 */
#include <string.h>
#include "disk.h"
#include "bios.h"
#include "console.h"
#include "stage_header.h"

#define INT13_RESET        0x00
#define INT13_READ_CHS     0x02
#define INT13_GET_GEOMETRY 0x08
#define INT13_EDD_CHECK    0x41
#define INT13_EDD_READ     0x42
#define EDD_CHECK_MAGIC    0x55AA
#define EDD_PACKET_ACCESS  0x0001   /* AH=41h CX bit 0: AH=42h..44h work */
#define CHS_MAX_CYLINDERS  1024

/* EDD disk address packet (AH=42h, DS:SI) */
struct edd_packet {
	uint8_t  size;          /* 16 */
	uint8_t  reserved;
	uint16_t count;         /* sectors */
	uint16_t buf_off;
	uint16_t buf_seg;
	uint64_t lba;
} __attribute__((packed));

static struct edd_packet packet;    /* .bss: below 1 MiB, as the BIOS needs */

enum diag_id disk_init(struct disk *dk, uint8_t drive, int force_chs, struct diag *d)
{
	struct bios_regs r = { 0 };

	memset(dk, 0, sizeof(*dk));
	dk->drive = drive;
	dk->forced_chs = force_chs != 0;

	if (!force_chs) {
		r.eax = INT13_EDD_CHECK << 8;
		r.ebx = EDD_CHECK_MAGIC;
		r.edx = drive;
		bios_int(0x13, &r);
		if (!(r.eflags & BIOS_FLAG_CF) && (r.ebx & 0xffff) == 0xAA55 &&
		    (r.ecx & EDD_PACKET_ACCESS)) {
			dk->edd = 1;
			return DIAG_OK;
		}
		memset(&r, 0, sizeof(r));
	}

	r.eax = INT13_GET_GEOMETRY << 8;
	r.edx = drive;
	bios_int(0x13, &r);
	if (r.eflags & BIOS_FLAG_CF) {
		diag_set(d, DIAG_DISK_READ);
		d->value = (r.eax >> 8) & 0xff;
		return DIAG_DISK_READ;
	}
	dk->spt = r.ecx & 0x3f;
	dk->heads = ((r.edx >> 8) & 0xff) + 1;
	dk->cylinders = (((r.ecx >> 8) & 0xff) | ((r.ecx & 0xc0) << 2)) + 1;
	return DIAG_OK;
}

static void reset_drive(struct disk *dk)
{
	struct bios_regs r = { 0 };

	r.eax = INT13_RESET << 8;
	r.edx = dk->drive;
	bios_int(0x13, &r);
}

/* One BIOS read of count sectors (count <= the bounce buffer, and on CHS
 * within one track) into the bounce buffer.  Returns the BIOS status, 0 on
 * success. */
static uint8_t bios_read_once(struct disk *dk, uint64_t lba, uint32_t count)
{
	struct bios_regs r = { 0 };

	if (dk->edd) {
		packet.size = sizeof(packet);
		packet.reserved = 0;
		packet.count = (uint16_t)count;
		packet.buf_off = real_off(DISK_BOUNCE_ADDR);
		packet.buf_seg = real_seg(DISK_BOUNCE_ADDR);
		packet.lba = lba;
		r.eax = INT13_EDD_READ << 8;
		r.edx = dk->drive;
		r.ds = real_seg((uint32_t)&packet);
		r.esi = real_off((uint32_t)&packet);
	} else {
		uint32_t l = (uint32_t)lba;
		uint32_t sector = l % dk->spt + 1;
		uint32_t track = l / dk->spt;
		uint32_t head = track % dk->heads;
		uint32_t cyl = track / dk->heads;
		r.eax = (INT13_READ_CHS << 8) | count;
		r.ecx = ((cyl & 0xff) << 8) | ((cyl >> 2) & 0xc0) | sector;
		r.edx = (head << 8) | dk->drive;
		r.es = real_seg(DISK_BOUNCE_ADDR);
		r.ebx = real_off(DISK_BOUNCE_ADDR);
	}
	bios_int(0x13, &r);
	dk->read_calls++;
	if (r.eflags & BIOS_FLAG_CF)
		return (uint8_t)(r.eax >> 8) ? (uint8_t)(r.eax >> 8) : 0xff;
	dk->read_sectors += count;
	return 0;
}

/* What the BIOS read of the boot disk, for is_boot_disk: LBA 0. */
static const struct mbr_sector *boot_lba0;

/* Does this IDE disk hold what the BIOS booted from: LBA 0 as the BIOS read
 * it, and the stage sectors the MBR names as the image it loaded (which
 * nothing writes to, asm/entry.asm)?  Read into the bounce buffer. */
static int is_boot_disk(struct ide_dma *ide)
{
	uint8_t *scratch = (uint8_t *)DISK_BOUNCE_ADDR;
	uint32_t sectors = boot_lba0->patch.stage_sectors;

	return sectors - 1 < DISK_MAX_SECTORS_PER_CALL &&
	       !ide_dma_read(ide, 0, 1, scratch) &&
	       !memcmp(scratch, boot_lba0, MBR_SECTOR_SIZE) &&
	       !ide_dma_read(ide, boot_lba0->patch.stage_lba, sectors, scratch) &&
	       !memcmp(scratch, (const void *)BOOTINST_STAGE_LOAD_ADDR, sectors * 512u);
}

const char *disk_use_native(struct disk *dk, const struct mbr_sector *lba0)
{
	const char *why_not;

	boot_lba0 = lba0;
	why_not = ide_dma_find(&dk->ide, is_boot_disk);
	dk->native = !why_not;
	return why_not;
}

void disk_release(struct disk *dk)
{
	if (dk->native)
		ide_dma_release(&dk->ide);
	dk->native = 0;
}

enum diag_id disk_read(struct disk *dk, uint64_t lba, uint32_t count, void *buf,
		       struct diag *d)
{
	uint8_t *out = buf;

	/* natively, where DMA can: to an even address, below LBA 2^32 */
	if (dk->native && !((uint32_t)buf & 1) && !((lba + count) >> 32)) {
		uint32_t rc = ide_dma_read(&dk->ide, (uint32_t)lba, count, buf);
		if (!rc) {
			dk->native_commands += (count + IDE_DMA_MAX_SECTORS - 1) / IDE_DMA_MAX_SECTORS;
			dk->read_sectors += count;
			return DIAG_OK;
		}
		disk_release(dk);
		diag_set(d, DIAG_NATIVE_DISK_READ);
		d->block = lba;
		d->value = rc & 0xffff;
		console_print_diag(d);
	}

	while (count) {
		uint32_t n = count < DISK_MAX_SECTORS_PER_CALL ? count : DISK_MAX_SECTORS_PER_CALL;
		if (!dk->edd) {
			uint64_t chs_limit = (uint64_t)CHS_MAX_CYLINDERS * dk->heads * dk->spt;
			if (lba + n > chs_limit || lba + n > dk->cylinders * dk->heads * dk->spt) {
				diag_set(d, DIAG_CHS_LIMIT);
				d->name = dk->forced_chs ? "installed with --force-chs" :
					  "the BIOS has no INT 13h extensions";
				d->block = lba + n - 1;
				d->limit = (uint64_t)dk->cylinders * dk->heads * dk->spt;
				return DIAG_CHS_LIMIT;
			}
			uint32_t to_track_end = dk->spt - (uint32_t)lba % dk->spt;
			if (n > to_track_end)
				n = to_track_end;
		}
		uint8_t status = 0;
		for (int tries = 0; tries < DISK_READ_TRIES; tries++) {
			status = bios_read_once(dk, lba, n);
			if (!status)
				break;
			reset_drive(dk);
		}
		if (status) {
			diag_set(d, DIAG_DISK_READ);
			d->block = lba;
			d->value = status;
			return DIAG_DISK_READ;
		}
		memcpy(out, (const void *)DISK_BOUNCE_ADDR, n * 512u);
		out += n * 512u;
		lba += n;
		count -= n;
	}
	return DIAG_OK;
}

/* Partition-relative reads; the ext2 reader has already refused any that
 * would reach past the partition (E24, blockdev.h). */
static enum diag_id partition_read(struct blockdev *dev, uint64_t sector, uint32_t count,
				   void *buf, struct diag *d)
{
	struct disk_partition *p = dev->ctx;

	return disk_read(p->disk, p->start_lba + sector, count, buf, d);
}

void disk_partition_init(struct disk_partition *p, struct disk *dk,
			 uint64_t start_lba, uint64_t sectors)
{
	p->dev.read_sectors = partition_read;
	p->dev.part_sectors = sectors;
	p->dev.ctx = p;
	p->disk = dk;
	p->start_lba = start_lba;
}
