/*
 * predict_internal.h - what the parts of predict_after_loader() share.
 *
 * predict.c reads the command line the way the kernel does and runs the
 * parts in the kernel's own order:
 *
 *   predict_kconfig.c  find the kernel's config (needed by the others)
 *   predict_root.c     which device root= names, what it holds   L01-L03
 *   predict_probe.c    (what a partition holds, by its signatures)
 *   predict_kconfig.c  the drivers that root needs are built in   L10
 *   predict_init.c     the program the kernel runs as init        L04-L08
 *   predict.c          /dev/console for init's stdio              L09
 */
#ifndef BOOTINST_INSTALLER_PREDICT_INTERNAL_H
#define BOOTINST_INSTALLER_PREDICT_INTERNAL_H

#include "predict.h"

#define PREDICT_ARG_MAX 256    /* longest root=/init= value we keep */

/* The kernel parameters the predictions depend on (the last one of each
 * wins, as in the kernel: __setup handlers overwrite a saved value). */
struct kernel_args {
	int  has_root;
	char root[PREDICT_ARG_MAX];
	int  has_init;
	char init[PREDICT_ARG_MAX];
};

void parse_kernel_args(const char *cmdline, struct kernel_args *args);

/* --- kernel config (predict_kconfig.c) ----------------------------------- */

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

/* --- the root device (predict_root.c) ------------------------------------ */

/* The driver families a root disk may need (and the kernel names they give). */
enum root_disk {
	ROOT_DISK_UNKNOWN,     /* not named by a /dev name: UUID=, PARTUUID= ... */
	ROOT_DISK_SD,          /* /dev/sdX: libata (IDE, SATA) or SCSI */
	ROOT_DISK_VD,          /* /dev/vdX: virtio-blk */
	ROOT_DISK_NVME,        /* /dev/nvme0n1 */
	ROOT_DISK_XVD,         /* /dev/xvdX: Xen's block front end */
	ROOT_DISK_MMC,         /* /dev/mmcblk0: SD/MMC */
};

enum root_fs_kind { ROOT_FS_EXT2, ROOT_FS_EXT3, ROOT_FS_EXT4 };

struct root_fs {
	unsigned partition;        /* 1..4: root is this disk's partition; 0: not known */
	enum root_disk disk;
	enum root_fs_kind kind;    /* what the ext superblock's features make it */
	ext2_filsys fs;            /* the root filesystem, open; NULL: nothing to check */
	int fs_opened_here;        /* close it (it is not the boot filesystem) */
};

/* --- what a partition holds (predict_probe.c) ---------------------------- */

/* What a partition holds. */
enum partition_content {
	CONTENT_EXT,           /* ext2/3/4: superblock magic 0xEF53 */
	CONTENT_EMPTY,         /* all zeros */
	CONTENT_SWAP,          /* mkswap's "SWAPSPACE2" */
	CONTENT_LUKS,          /* an encrypted volume: needs an initramfs to unlock */
	CONTENT_OTHER_FS,      /* a filesystem bootinst recognises but does not read */
	CONTENT_UNKNOWN,       /* something else */
	CONTENT_UNREADABLE,    /* the partition lies (partly) past the image's end */
};

struct partition_probe {
	enum partition_content content;
	const char *fs_name;                /* CONTENT_OTHER_FS: "XFS", ... */
	struct ext2_super_block super;      /* CONTENT_EXT */
};

void probe_partition(const struct disk_image *img, unsigned partition, struct partition_probe *p);

/* Which kernel driver family an ext superblock's features call for. */
enum root_fs_kind ext_kind(const struct ext2_super_block *sb);

/* Decide where the root is and report L01-L03 or N01.  root->fs is set
 * only when the root is an ext2/3/4 filesystem on this disk. */
void predict_root(const struct predict_input *in, const struct kernel_args *args,
		  struct root_fs *root, struct findings *out);
void root_fs_close(struct root_fs *root);

/* L10: the drivers root needs are built in (no initramfs to load modules). */
void predict_kernel_drivers(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out);

/* --- init (predict_init.c) ----------------------------------------------- */

void predict_init(const struct predict_input *in, const struct kernel_args *args,
		  const struct kernel_config *cfg, const struct root_fs *root,
		  struct findings *out);

/* --- shared helpers ------------------------------------------------------ */

/* Read len bytes at offset of inode ino; *got is what there was. */
errcode_t predict_read_at(ext2_filsys fs, ext2_ino_t ino, uint64_t offset,
			  void *buf, unsigned len, unsigned *got);

/* The target of the symlink at path (not followed); 0 or an error code. */
errcode_t predict_read_symlink(ext2_filsys fs, const char *path, char *target, size_t size);

/* An inode's mode as ls prints it: "-rw-r--r--", "drwxr-xr-x". */
void predict_mode_string(unsigned mode, char out[11]);

#endif
