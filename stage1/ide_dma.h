/*
 * ide_dma.h - reading an ATA disk natively: a PCI IDE controller's bus
 * master (class 01h subclass 01h: Intel PIIX in QEMU, real ones in
 * compatibility or native mode) moving READ DMA (EXT) data straight to
 * where it belongs, with completion polled and the device's interrupt
 * masked (nIEN): the BIOS's PIO path moves one word per port read.
 *
 * References: the PCI IDE Controller Specification 1.0 (the programming
 * interface bits and where the ports are), the Bus Master Programming
 * Interface for IDE ATA Controllers 1.0 (the bus master's registers and
 * the physical region descriptor table), ATA/ATAPI-6 (READ DMA, READ DMA
 * EXT, the status and device control registers).
 */
#ifndef BOOTINST_IDE_DMA_H
#define BOOTINST_IDE_DMA_H

#include <stdint.h>

/* Sectors one command moves: READ DMA's largest count (0 = 256). */
#define IDE_DMA_MAX_SECTORS 256u
/* What ide_dma_read returns on failure: IDE_DMA_FAILED | the device's
 * error register << 8 | its status register, or IDE_DMA_TIMEOUT | its
 * status (BSY, as a rule) when it never finished. */
#define IDE_DMA_FAILED  0x10000u
#define IDE_DMA_TIMEOUT 0x20000u

struct ide_dma {
	uint32_t bdf;              /* the controller (pci.h) */
	uint16_t pci_command;      /* its command register as found */
	uint16_t cmd;              /* the channel's command block ports */
	uint16_t ctl;              /* its device control / alternate status port */
	uint16_t bm;               /* its bus master registers */
	uint8_t  channel;          /* 0 primary, 1 secondary */
	uint8_t  slave;            /* 0 master (device 0), 1 slave (device 1) */
};

/*
 * Find the one ATA device that is the boot disk: every device on every
 * PCI IDE controller with a bus master is offered to is_boot_disk (which
 * reads through it with ide_dma_read); exactly one must answer yes.
 * Returns 0 with *dev ready for ide_dma_read, or why not (a phrase for
 * "disk: BIOS (...)"); either way every controller but the chosen one is
 * as it was found.
 */
const char *ide_dma_find(struct ide_dma *dev, int (*is_boot_disk)(struct ide_dma *dev));

/* Read count sectors from lba to buf (a physical address below 4 GiB,
 * 2-byte aligned); lba + count <= 2^32 (LBA48's upper bytes stay 0).  Returns 0, or IDE_DMA_FAILED or IDE_DMA_TIMEOUT with
 * what the device said (above). */
uint32_t ide_dma_read(const struct ide_dma *dev, uint32_t lba, uint32_t count, void *buf);

/* Leave the controller as the BIOS left it: bus master stopped, its status
 * bits cleared, the device's interrupt unmasked, the PCI command register
 * as found.  Before Linux, and before the BIOS reads the disk again. */
void ide_dma_release(const struct ide_dma *dev);

#endif
