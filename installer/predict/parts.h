/*
 * parts.h - what the parts of predict_after_loader() share; nothing
 * outside predict/ includes it.
 *
 * predict.c runs the parts in the kernel's own order; each is one file and
 * none calls back into predict.c:
 *
 *   kernel.c   which kernel it is: Linux, and which release
 *   cmdline.c  root= and init= as the kernel parses them
 *   bus.c      the controllers: the disk's name and drivers on each
 *   root.c     which device root= names                       L01, L02
 *   rootfs.c   what that partition holds, and whether the
 *              kernel can mount it                            L03
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

/* --- the kernel (kernel.c) --------------------------------------------------- */

/* Which kernel the bzImage is, from its version string (the setup header's
 * kernel_version): "6.1.0-56-cloud-amd64 (debian-kernel@...) #1 SMP ...". */
struct kernel_identity {
	int is_linux;              /* the string starts with a Linux release */
	char release[128];         /* its first word, "6.1.0-56-cloud-amd64" */
	unsigned version;          /* KERNEL_VERSION(6, 1, 0); 0 if unknown */
	char said[64];             /* the string's start, for a note when not Linux */
};

#define KERNEL_VERSION(a, b, c) ((a) << 16 | (b) << 8 | (c))

void kernel_identify(const struct predict_input *in, struct kernel_identity *k);

/* The release string of the kernel at path on fs into version (128 bytes);
 * 0 when the header gives none. */
int kernel_release(ext2_filsys fs, const char *path, char *version);

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

/* Findings about root= (root.c's; rootfs.c's too): id with name, path,
 * value and a hint if any.  root_not_found adds, without an initramfs,
 * the kernel's panic when it has no root (KERNEL_SAYS_NO_ROOT) and returns
 * item; root_cannot_tell is N01: "QUESTION root=SPEC VERB" ("where ...
 * is") cannot be told, because why. */
struct finding *root_report(struct findings *out, enum finding_severity severity, enum diag_id id,
			    const char *name, const char *path, uint64_t value, const char *hint);
struct finding *root_not_found(const struct predict_input *in, struct finding *item);
struct finding *root_cannot_tell(struct findings *out, enum finding_severity severity,
				 const char *question, const char *spec, const char *verb,
				 const char *why, const char *hint);

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

/* The ext driver family a filesystem needs, from libblkid's type. */
enum ext_kind { EXT_KIND_NONE, EXT_KIND_EXT2, EXT_KIND_EXT3, EXT_KIND_EXT4 };

/* --- the buses (bus.c) -------------------------------------------------------- */

struct driver_need {
	const char *option;    /* without CONFIG_ */
	const char *what;      /* "IDE driver for the PIIX controller (CONFIG_ATA_PIIX)" */
};

struct bus {
	enum disk_bus bus;
	const char *name;          /* as --bus takes it */
	const char *machine;       /* "an IDE disk (QEMU's default -M pc ...)" */
	enum root_disk disk;       /* the kind of name the kernel gives the disk */
	const char *disk_name;     /* "/dev/sda" */
	const char *partition_fmt; /* "/dev/sda%u" */
	unsigned count;
	struct driver_need needs[3];
};

const struct bus *bus_info(enum disk_bus bus);
/* Every bus in turn: bus_next(NULL) is the first; NULL after the last. */
const struct bus *bus_next(const struct bus *after);

/* --- the root device and what it holds (root.c, rootfs.c) ---------------------- */

/* The kernel's message when it finds no root to mount (init/do_mounts.c:
 * "Kernel panic - not syncing: VFS: Unable to mount root fs on ..."). */
#define KERNEL_SAYS_NO_ROOT "VFS: Unable to mount root fs"

struct root_fs {
	unsigned partition;        /* 1..4: root is this disk's partition; 0: not known */
	enum root_disk disk;       /* the kind of name root= uses; UNKNOWN: by PARTUUID= */
	struct partition_probe probe;  /* what the partition holds (libblkid) */
	enum ext_kind kind;        /* CONTENT_EXT: ext2, ext3 or ext4 */
	errcode_t open_error;      /* ext: why libext2fs could not open it, else 0 */
	ext2_filsys fs;            /* the root filesystem, open; NULL: nothing to check */
	int fs_opened_here;        /* close it (it is not the boot filesystem) */
};

/* Decide which partition of this disk root= names (L01, L02, N01). */
void predict_root(const struct predict_input *in, const struct kernel_args *args,
		  struct root_fs *root, struct findings *out);

/* What that partition holds and whether this kernel can mount it (L03,
 * L10 for a filesystem driver, N01); root->fs is set only when it is an
 * ext2/3/4 filesystem the kernel mounts. */
void predict_root_fs(const struct predict_input *in, const struct kernel_args *args,
		     const struct kernel_identity *k, const struct kernel_config *cfg,
		     struct root_fs *root, struct findings *out);
void root_fs_close(struct root_fs *root);

/* root->fs is opened, for the kernel config's search, before
 * predict_root_fs judges it. */
void root_fs_open(const struct predict_input *in, struct root_fs *root);

/* --- the rest, each a finding of its own -------------------------------------- */

/* L10: the drivers root needs are built in (no initramfs to load modules). */
void predict_kernel_drivers(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out);

/* L04-L08: init on the root filesystem. */
void predict_init(const struct predict_input *in, const struct kernel_args *args,
		  const struct kernel_config *cfg, const struct root_fs *root,
		  struct findings *out);

/* L09: /dev/console on the root filesystem. */
void predict_console(const struct predict_input *in, const struct kernel_identity *k,
		     const struct kernel_config *cfg, const struct root_fs *root, struct findings *out);

#endif
