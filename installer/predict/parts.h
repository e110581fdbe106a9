/*
 * parts.h - what the parts of predict_after_loader() share; nothing
 * outside predict/ includes it.
 *
 * predict.c runs the parts in the kernel's own order; each is one file and
 * none calls back into predict.c:
 *
 *   cmdline.c  root= and init= as the kernel parses them
 *   root.c     which device root= names, what it holds        L01-L03
 *   kconfig.c  the kernel's build config (for drivers, console)
 *   drivers.c  the drivers that root needs are built in       L10
 *   init.c     the program the kernel runs as init            L04-L08
 *   console.c  /dev/console for init's stdio                  L09
 *
 * They read the image through disk/ (partfs.h, probe.h) only.
 */
#ifndef BOOTINST_PREDICT_PARTS_H
#define BOOTINST_PREDICT_PARTS_H

#include "predict.h"
#include "disk/probe.h"

#define PREDICT_ARG_MAX 256    /* longest root=/init= value we keep */

/* --- the command line (cmdline.c) ------------------------------------------ */

/* The kernel parameters the predictions depend on (the last one of each
 * wins, as in the kernel: __setup handlers overwrite a saved value). */
struct kernel_args {
	int  has_root;
	char root[PREDICT_ARG_MAX];
	int  has_init;
	char init[PREDICT_ARG_MAX];
};

void parse_kernel_args(const char *cmdline, struct kernel_args *args);

/* --- the root device (root.c) ---------------------------------------------- */

/* The driver families a root disk may need (and the kernel names they give). */
enum root_disk {
	ROOT_DISK_UNKNOWN,     /* not named by a /dev name: UUID=, PARTUUID= ... */
	ROOT_DISK_SD,          /* /dev/sdX: libata (IDE, SATA) or SCSI */
	ROOT_DISK_VD,          /* /dev/vdX: virtio-blk */
	ROOT_DISK_NVME,        /* /dev/nvme0n1 */
	ROOT_DISK_XVD,         /* /dev/xvdX: Xen's block front end */
	ROOT_DISK_MMC,         /* /dev/mmcblk0: SD/MMC */
};

struct root_fs {
	unsigned partition;        /* 1..4: root is this disk's partition; 0: not known */
	enum root_disk disk;
	enum ext_kind kind;        /* what the ext superblock's features make it */
	ext2_filsys fs;            /* the root filesystem, open; NULL: nothing to check */
	int fs_opened_here;        /* close it (it is not the boot filesystem) */
};

/* Decide where the root is and report L01-L03 or N01.  root->fs is set
 * only when the root is an ext2/3/4 filesystem on this disk. */
void predict_root(const struct predict_input *in, const struct kernel_args *args,
		  struct root_fs *root, struct findings *out);
void root_fs_close(struct root_fs *root);

/* --- the kernel's config (kconfig.c) ---------------------------------------- */

enum kconfig_found {
	KCONFIG_NONE,          /* no config file, no embedded config */
	KCONFIG_EMBEDDED_ONLY, /* IKCONFIG inside the kernel, compressed: unread */
	KCONFIG_FILE,          /* text read from a config-VERSION file */
};

struct kernel_config {
	enum kconfig_found found;
	char  source[300];     /* "/boot/config-6.1.0-56-cloud-amd64", or what was tried */
	char *text;            /* the whole file, NUL-terminated (KCONFIG_FILE) */
};

void kconfig_load(const struct predict_input *in, ext2_filsys root_fs,
		  struct kernel_config *cfg);
void kconfig_free(struct kernel_config *cfg);

/* 'y' or 'm' for CONFIG_<option>=y/m, 'n' when unset or absent. */
char kconfig_value(const struct kernel_config *cfg, const char *option);

/* --- the rest, each a finding of its own -------------------------------------- */

/* L10: the drivers root needs are built in (no initramfs to load modules). */
void predict_kernel_drivers(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out);

/* L04-L08: init on the root filesystem. */
void predict_init(const struct predict_input *in, const struct kernel_args *args,
		  const struct kernel_config *cfg, const struct root_fs *root,
		  struct findings *out);

/* L09: /dev/console on the root filesystem. */
void predict_console(const struct predict_input *in, const struct kernel_config *cfg,
		     const struct root_fs *root, struct findings *out);

#endif
