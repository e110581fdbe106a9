/*
 * bus.c - the controllers a disk image can be attached to: the name the
 * kernel gives the disk on each, and the drivers it needs there.  The one
 * table root.c (names) and drivers.c (L10) read.
 *
 * IDE, SATA and SCSI disks all become /dev/sd* through the SCSI disk driver
 * (libata presents ATA disks as SCSI ones); virtio-blk disks are /dev/vd*,
 * NVMe namespaces /dev/nvme0n1.  The drivers are QEMU's: -M pc puts a
 * -drive on its PIIX IDE controller (ata_piix), -M q35 on AHCI, if=virtio
 * on virtio-blk over PCI, -device virtio-scsi-pci on virtio-scsi, -device
 * nvme on NVMe.
 */
#include "parts.h"

#include <string.h>

static const struct bus bus_table[] = {
	{ BUS_IDE, "ide", "an IDE disk (QEMU's default -M pc: its PIIX controller)", ROOT_DISK_SD,
	  "/dev/sda", "/dev/sda%u", 2, {
		{ "ATA_PIIX", "IDE driver for the PIIX controller (CONFIG_ATA_PIIX)" },
		{ "BLK_DEV_SD", "SCSI disk driver, which names libata's disks /dev/sd* (CONFIG_BLK_DEV_SD)" } } },
	{ BUS_SATA, "sata", "a SATA disk (AHCI, QEMU's -M q35)", ROOT_DISK_SD,
	  "/dev/sda", "/dev/sda%u", 2, {
		{ "SATA_AHCI", "AHCI SATA driver (CONFIG_SATA_AHCI)" },
		{ "BLK_DEV_SD", "SCSI disk driver, which names libata's disks /dev/sd* (CONFIG_BLK_DEV_SD)" } } },
	{ BUS_SCSI, "scsi", "a SCSI disk (virtio-scsi)", ROOT_DISK_SD,
	  "/dev/sda", "/dev/sda%u", 3, {
		{ "SCSI_VIRTIO", "virtio SCSI driver (CONFIG_SCSI_VIRTIO)" },
		{ "BLK_DEV_SD", "SCSI disk driver (CONFIG_BLK_DEV_SD)" },
		{ "VIRTIO_PCI", "virtio PCI transport (CONFIG_VIRTIO_PCI)" } } },
	{ BUS_VIRTIO, "virtio", "a virtio disk (QEMU's if=virtio)", ROOT_DISK_VD,
	  "/dev/vda", "/dev/vda%u", 2, {
		{ "VIRTIO_BLK", "virtio disk driver (CONFIG_VIRTIO_BLK)" },
		{ "VIRTIO_PCI", "virtio PCI transport (CONFIG_VIRTIO_PCI)" } } },
	{ BUS_NVME, "nvme", "an NVMe disk (QEMU's -device nvme)", ROOT_DISK_NVME,
	  "/dev/nvme0n1", "/dev/nvme0n1p%u", 1, {
		{ "BLK_DEV_NVME", "NVMe driver (CONFIG_BLK_DEV_NVME)" } } },
};

#define BUS_COUNT (sizeof(bus_table) / sizeof(bus_table[0]))

const struct bus *bus_info(enum disk_bus bus)
{
	for (size_t i = 0; i < BUS_COUNT; i++)
		if (bus_table[i].bus == bus)
			return &bus_table[i];
	return NULL;
}

const struct bus *bus_next(const struct bus *after)
{
	if (!after)
		return &bus_table[0];
	return after + 1 < bus_table + BUS_COUNT ? after + 1 : NULL;
}

int disk_bus_parse(const char *name, enum disk_bus *bus)
{
	for (size_t i = 0; i < BUS_COUNT; i++) {
		if (strcmp(name, bus_table[i].name) == 0) {
			*bus = bus_table[i].bus;
			return 0;
		}
	}
	return -1;
}

const char *disk_bus_name(enum disk_bus bus)
{
	const struct bus *b = bus_info(bus);

	return b ? b->name : "unknown";
}
