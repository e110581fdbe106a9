/*
 * predict/ - what the kernel meets right after the loader, predicted from the image (L01-L10, N01).
 * May touch: the image through disk/, read-only; findings.  Must not: write, or know about install and checks/.
 *
 * predict.h - what happens right after the loader: the kernel's first
 * failures that users blame on the boot loader, predicted from the image.
 *
 *   - root= names a partition the table does not have, or a device name the
 *     kernel will not give this disk ("VFS: Unable to mount root fs");
 *   - no init (/sbin/init, /etc/init, /bin/init, /bin/sh or init=), not
 *     executable, a dynamic ELF whose interpreter or libraries are missing,
 *     a script whose #! interpreter is missing ("No working init found");
 *   - no /dev/console on a root where nothing mounts devtmpfs;
 *   - the kernel lacks what the root needs, where its config tells.
 *
 * Where the image cannot tell (root=UUID of another disk, an initramfs that
 * does its own thing, no kernel config to read) it says so with N01.
 */
#ifndef BOOTINST_PREDICT_H
#define BOOTINST_PREDICT_H

#include <ext2fs/ext2fs.h>
#include "findings.h"
#include "disk/image.h"

/* The controller the disk will be attached to (bootinst check --bus): it
 * decides the name the kernel gives the disk (/dev/sda, /dev/vda,
 * /dev/nvme0n1) and the driver that must be built in.  BUS_UNKNOWN: the
 * one root='s name implies, or any. */
enum disk_bus { BUS_UNKNOWN, BUS_IDE, BUS_SATA, BUS_SCSI, BUS_VIRTIO, BUS_NVME };

/* "ide", "sata", "scsi", "virtio", "nvme": 0 and *bus set, or -1. */
int disk_bus_parse(const char *name, enum disk_bus *bus);
const char *disk_bus_name(enum disk_bus bus);

struct predict_input {
	const struct disk_image *img;   /* partition table read (image.h) */
	unsigned boot_partition;        /* 1..4: where the kernel is */
	ext2_filsys boot_fs;            /* that partition's filesystem, open */
	const char *kernel;             /* path of the kernel in boot_fs */
	const char *initrd;             /* path of the initrd, NULL if none */
	const char *cmdline;            /* the command line the kernel will get */
	enum disk_bus bus;              /* where the machine attaches the disk */
};

/* Append what the image predicts to out. */
void predict_after_loader(const struct predict_input *in, struct findings *out);

#endif
