/*
 * ide_dma.c - see ide_dma.h.
 */
#include "ide_dma.h"
#include "io.h"
#include "pci.h"

#define PCI_CLASS_IDE         0x0101u   /* class 01h mass storage, subclass 01h IDE */
#define IDE_PROGIF_NATIVE(ch) (1u << (2 * (ch)))   /* channel ch in native-PCI mode */
#define IDE_BAR_BUS_MASTER    4         /* BAR4: the bus master's 16 I/O ports */

/* ports of a channel in compatibility mode (PCI IDE 1.0, 2.1) */
static const uint16_t compat_cmd[2] = { 0x1f0, 0x170 };
static const uint16_t compat_ctl[2] = { 0x3f6, 0x376 };
#define IDE_NATIVE_CTL_OFFSET 2         /* the control block BAR's port 2 */

/* the command block's registers, from cmd */
#define ATA_ERROR         1
#define ATA_COUNT         2
#define ATA_LBA_LOW       3
#define ATA_LBA_MID       4
#define ATA_LBA_HIGH      5
#define ATA_DEVICE        6
#define ATA_STATUS        7             /* read: status; write: command */
#define ATA_STATUS_BSY    0x80
#define ATA_STATUS_DRDY   0x40
#define ATA_STATUS_DF     0x20
#define ATA_STATUS_DRQ    0x08
#define ATA_STATUS_ERR    0x01
#define ATA_STATUS_FLOATING 0xff        /* no device drives the bus */
#define ATA_DEVICE_LBA    0xe0          /* LBA addressing (and the obsolete bits 7, 5) */
#define ATA_DEVICE_SLAVE  0x10
#define ATA_DC_HD15       0x08          /* device control, as BIOSes write it */
#define ATA_DC_NIEN       0x02          /* the device's interrupt masked */
#define ATA_READ_DMA      0xc8
#define ATA_READ_DMA_EXT  0x25
#define ATA_LBA28_SECTORS (1u << 28)

/* the bus master's registers, from bm (Bus Master IDE 1.0, 1.0-1.2) */
#define BM_COMMAND        0
#define BM_STATUS         2
#define BM_PRD_TABLE      4
#define BM_CHANNEL_STRIDE 8             /* the secondary channel's registers */
#define BM_START          0x01
#define BM_TO_MEMORY      0x08          /* the bus master writes memory: a disk read */
#define BM_ACTIVE         0x01
#define BM_ERROR          0x02          /* write 1 to clear */
#define BM_INTERRUPT      0x04          /* write 1 to clear */

/* Polls of a status register before a device counts as hung: ~2^22 port
 * reads, seconds on real hardware, far past any read the BIOS just made. */
#define IDE_POLLS (1u << 22)

/* The physical region descriptor table: a region may not cross a 64 KiB
 * boundary, so one command's 128 KiB takes at most three; the table itself
 * must not cross one either (aligned to its size, it cannot). */
#define PRD_REGIONS       3
#define PRD_REGION_MAX    0x10000u
#define PRD_LAST          0x80000000u
static struct {
	uint32_t addr;
	uint32_t bytes;            /* bits 0..15, 0 meaning 64 KiB; PRD_LAST */
} prd[PRD_REGIONS] __attribute__((aligned(32)));
_Static_assert(IDE_DMA_MAX_SECTORS * 512u / PRD_REGION_MAX + 1 <= PRD_REGIONS, "PRD table size");

/* The 400 ns a device needs after being selected before its status is its
 * own (ATA/ATAPI-6, 9.7): four reads of the alternate status. */
static void settle(const struct ide_dma *dev)
{
	for (int i = 0; i < 4; i++)
		(void)inb(dev->ctl);
}

/* Select the device, with bits 24..27 of a 28-bit LBA. */
static void select_device(const struct ide_dma *dev, uint32_t lba_top)
{
	outb(dev->cmd + ATA_DEVICE, (uint8_t)(ATA_DEVICE_LBA | dev->slave * ATA_DEVICE_SLAVE | lba_top));
	settle(dev);
}

/* Stop the bus master and clear its error and interrupt bits; read the
 * status, which also ends the device's interrupt.  Returns the status. */
static uint8_t stop(const struct ide_dma *dev)
{
	outb(dev->bm + BM_COMMAND, 0);
	outb(dev->bm + BM_STATUS, inb(dev->bm + BM_STATUS) | BM_ERROR | BM_INTERRUPT);
	return inb(dev->cmd + ATA_STATUS);
}

/* Wait while any of `busy` is set in the alternate status.  Returns the
 * status, with IDE_DMA_TIMEOUT when it stayed busy. */
static uint32_t wait_while(const struct ide_dma *dev, uint8_t busy)
{
	uint8_t status = 0;

	for (uint32_t polls = IDE_POLLS; polls; polls--) {
		status = inb(dev->ctl);
		if (!(status & busy))
			return status;
	}
	return IDE_DMA_TIMEOUT | status;
}

/* One READ DMA (EXT) of n <= IDE_DMA_MAX_SECTORS sectors to addr. */
static uint32_t read_command(const struct ide_dma *dev, uint32_t lba, uint32_t n, uint32_t addr)
{
	uint32_t bytes = n * 512u, i = 0, polls, status;
	int ext = lba > ATA_LBA28_SECTORS - n;
	/* count, LBA low, mid, high: EXT's previous (high) bytes, then current */
	uint8_t taskfile[8] = { (uint8_t)(n >> 8), (uint8_t)(lba >> 24), 0, 0,
				(uint8_t)n, (uint8_t)lba, (uint8_t)(lba >> 8), (uint8_t)(lba >> 16) };
	uint8_t bm_status = 0;

	while (bytes) {
		uint32_t len = PRD_REGION_MAX - (addr & (PRD_REGION_MAX - 1));
		if (len > bytes)
			len = bytes;
		prd[i].addr = addr;
		prd[i].bytes = len & (PRD_REGION_MAX - 1);
		addr += len;
		bytes -= len;
		i++;
	}
	prd[i - 1].bytes |= PRD_LAST;

	outb(dev->ctl, ATA_DC_HD15 | ATA_DC_NIEN);
	select_device(dev, ext ? 0 : lba >> 24 & 0x0f);
	status = wait_while(dev, ATA_STATUS_BSY | ATA_STATUS_DRQ);
	if (status & IDE_DMA_TIMEOUT)
		return status;
	outb(dev->bm + BM_COMMAND, BM_TO_MEMORY);
	outb(dev->bm + BM_STATUS, inb(dev->bm + BM_STATUS) | BM_ERROR | BM_INTERRUPT);
	outl(dev->bm + BM_PRD_TABLE, (uint32_t)prd);
	for (i = ext ? 0 : 4; i < 8; i++)
		outb(dev->cmd + ATA_COUNT + (i & 3), taskfile[i]);
	outb(dev->cmd + ATA_STATUS, ext ? ATA_READ_DMA_EXT : ATA_READ_DMA);
	outb(dev->bm + BM_COMMAND, BM_TO_MEMORY | BM_START);

	/* Done when the bus master has moved the last region and the device is
	 * no longer busy; an error from either ends it too. */
	for (polls = IDE_POLLS; polls; polls--) {
		bm_status = inb(dev->bm + BM_STATUS);
		if ((bm_status & BM_ERROR) ||
		    (!(bm_status & BM_ACTIVE) && !(inb(dev->ctl) & ATA_STATUS_BSY)))
			break;
	}
	status = stop(dev);
	if (!polls)
		return IDE_DMA_TIMEOUT | status;
	if ((bm_status & (BM_ERROR | BM_ACTIVE)) ||
	    (status & (ATA_STATUS_BSY | ATA_STATUS_DF | ATA_STATUS_DRQ | ATA_STATUS_ERR)))
		return IDE_DMA_FAILED | (uint32_t)inb(dev->cmd + ATA_ERROR) << 8 | status;
	return 0;
}

uint32_t ide_dma_read(const struct ide_dma *dev, uint32_t lba, uint32_t count, void *buf)
{
	uint32_t addr = (uint32_t)buf;

	while (count) {
		uint32_t n = count < IDE_DMA_MAX_SECTORS ? count : IDE_DMA_MAX_SECTORS;
		uint32_t rc = read_command(dev, lba, n, addr);
		if (rc)
			return rc;
		lba += n;
		addr += n * 512u;
		count -= n;
	}
	return 0;
}

/* The channel as the BIOS left it (ide_dma.h, ide_dma_release). */
static void release_channel(const struct ide_dma *dev)
{
	stop(dev);
	outb(dev->ctl, ATA_DC_HD15);
}

void ide_dma_release(const struct ide_dma *dev)
{
	release_channel(dev);
	pci_write16(dev->bdf, PCI_REG_COMMAND, dev->pci_command);
}

/* Is an ATA device there, idle and ready for a command?  (An ATAPI device
 * leaves DRDY clear; a channel without devices reads 0xFF.) */
static int device_ready(const struct ide_dma *dev)
{
	uint32_t status;

	select_device(dev, 0);
	status = inb(dev->ctl);
	if (status == ATA_STATUS_FLOATING)
		return 0;
	status = wait_while(dev, ATA_STATUS_BSY);
	return !(status & IDE_DMA_TIMEOUT) &&
	       (status & (ATA_STATUS_DRDY | ATA_STATUS_DF | ATA_STATUS_DRQ | ATA_STATUS_ERR)) ==
	       ATA_STATUS_DRDY;
}

/* Offer each device of the controller d->bdf (its command register in
 * d->pci_command, its bus master ports at bm) to is_boot_disk; counts the
 * yeses in *found and keeps the first in *dev. */
static void offer_controller(struct ide_dma *d, uint32_t progif, uint32_t bm, struct ide_dma *dev,
			     int (*is_boot_disk)(struct ide_dma *dev), uint32_t *found)
{
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t ch = i >> 1;

		d->channel = (uint8_t)ch;
		d->slave = i & 1;
		d->cmd = compat_cmd[ch];
		d->ctl = compat_ctl[ch];
		d->bm = (uint16_t)(bm + BM_CHANNEL_STRIDE * ch);
		if (progif & IDE_PROGIF_NATIVE(ch)) {
			uint32_t cmd = pci_read32(d->bdf, PCI_REG_BAR0 + 8 * ch) & PCI_BAR_IO_MASK;
			uint32_t ctl = pci_read32(d->bdf, PCI_REG_BAR0 + 8 * ch + 4) & PCI_BAR_IO_MASK;
			if (!cmd || !ctl)      /* no ports assigned: no channel */
				continue;
			d->cmd = (uint16_t)cmd;
			d->ctl = (uint16_t)(ctl + IDE_NATIVE_CTL_OFFSET);
		}
		int yes = device_ready(d) && is_boot_disk(d);
		release_channel(d);
		if (yes && !(*found)++)
			*dev = *d;
	}
}

const char *ide_dma_find(struct ide_dma *dev, int (*is_boot_disk)(struct ide_dma *dev))
{
	int last_bus = pci_last_bus();
	uint32_t controllers = 0, found = 0;
	struct ide_dma d;

	if (last_bus < 0)
		return "no PCI BIOS";
	for (d.bdf = 0; d.bdf < ((uint32_t)last_bus + 1) << 8; d.bdf++) {
		if ((uint16_t)pci_read32(d.bdf, PCI_REG_ID) == PCI_VENDOR_NONE)
			continue;
		uint32_t class = pci_read32(d.bdf, PCI_REG_CLASS);
		uint32_t bm = pci_read32(d.bdf, PCI_REG_BAR0 + 4 * IDE_BAR_BUS_MASTER);

		d.pci_command = (uint16_t)pci_read32(d.bdf, PCI_REG_COMMAND);
		/* an IDE controller decoding its ports, with a bus master (BAR4,
		 * an I/O BAR) that the BIOS gave ports */
		if (class >> 16 == PCI_CLASS_IDE && (d.pci_command & PCI_COMMAND_IO) &&
		    (bm & PCI_BAR_IO) && (bm & PCI_BAR_IO_MASK)) {
			controllers++;
			pci_write16(d.bdf, PCI_REG_COMMAND, d.pci_command | PCI_COMMAND_MASTER);
			offer_controller(&d, class >> 8 & 0xff, bm & PCI_BAR_IO_MASK, dev, is_boot_disk, &found);
			if (!found || dev->bdf != d.bdf)
				pci_write16(d.bdf, PCI_REG_COMMAND, d.pci_command);
		}
		if (!(d.bdf & PCI_BDF_FUNCTION_MASK) &&
		    !(pci_read32(d.bdf, PCI_REG_HEADER) & PCI_HEADER_MULTI_FUNCTION))
			d.bdf |= PCI_BDF_FUNCTION_MASK;
	}
	if (!controllers)
		return "no PCI IDE controller with a bus master";
	if (!found)
		return "no IDE disk holds the sectors the BIOS booted";
	if (found > 1) {
		ide_dma_release(dev);
		return "more than one IDE disk holds the sectors the BIOS booted";
	}
	return 0;
}
