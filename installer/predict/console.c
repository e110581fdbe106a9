/*
 * console.c - /dev/console on the root filesystem, which the kernel opens
 * for init's stdin, stdout and stderr (L09).
 */
#include "parts.h"

#include <stdio.h>
#include <string.h>
#include "disk/partfs.h"

#define CONSOLE_MAJOR 5   /* Documentation/admin-guide/devices.txt: 5,1 = /dev/console */
#define CONSOLE_MINOR 1

/*
 * A device node keeps its number in i_block: the old 8:8 encoding in
 * i_block[0] when it fits, else the new one in i_block[1]
 * (fs/ext2/inode.c ext2_set_inode, include/linux/kdev_t.h).
 */
static void inode_device_number(const struct ext2_inode *inode, unsigned *major, unsigned *minor)
{
	uint32_t old = inode->i_block[0], dev = inode->i_block[1];

	if (old) {
		*major = (old >> 8) & 0xff;
		*minor = old & 0xff;
	} else {
		*major = (dev & 0xfff00) >> 8;
		*minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	}
}

/* What /dev/console is on the root filesystem: "" when it is the console
 * device, else a description of what is wrong with it. */
static void describe_console(ext2_filsys fs, char *problem, size_t size)
{
	struct ext2_inode inode;
	ext2_ino_t ino;
	unsigned major, minor;

	if (ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, "/dev/console", &ino) ||
	    ext2fs_read_inode(fs, ino, &inode)) {
		snprintf(problem, size, "there is no /dev/console");
		return;
	}
	if (!LINUX_S_ISCHR(inode.i_mode)) {
		char mode[11];
		partfs_mode_string(inode.i_mode, mode);
		snprintf(problem, size, "/dev/console is not a character device (%s)", mode);
		return;
	}
	inode_device_number(&inode, &major, &minor);
	if (major != CONSOLE_MAJOR || minor != CONSOLE_MINOR)
		snprintf(problem, size, "/dev/console is the character device %u:%u", major, minor);
	else
		problem[0] = '\0';
}

/*
 * The kernel opens /dev/console for init's stdin, stdout and stderr; if
 * that fails it prints "Warning: unable to open an initial console" and
 * init runs with no stdio at all.  Since Linux 2.6.36 it opens it on the
 * rootfs, before the root is mounted (init/main.c kernel_init_freeable,
 * console_on_rootfs since 5.7), and the rootfs always has one: the built-in
 * initramfs made from usr/default_cpio_list holds /dev/console (as does
 * init/noinitramfs.c without CONFIG_BLK_DEV_INITRD), unless
 * CONFIG_INITRAMFS_SOURCE replaced that list.  Before 2.6.36 it opened it
 * on the mounted root (init_post), where CONFIG_DEVTMPFS_MOUNT=y (2.6.32+)
 * mounts devtmpfs on the root's /dev first (prepare_namespace), which has
 * the node, but only where /dev exists.  With an initrd, the initramfs
 * sets up /dev and hands init its console.
 */
#define CONSOLE_FROM_ROOTFS KERNEL_VERSION(2, 6, 36)
#define INITRAMFS_SOURCE_LINE "\nCONFIG_INITRAMFS_SOURCE=\""

void predict_console(const struct predict_input *in, const struct kernel_identity *k,
		     const struct kernel_config *cfg, const struct root_fs *root, struct findings *out)
{
	char problem[128], reason[200];
	struct diag d;
	ext2_ino_t dev_dir;
	int has_dev_dir, devtmpfs_mounts;
	struct finding *item;
	const char *source;

	if (in->initrd)
		return;
	if (k->version >= CONSOLE_FROM_ROOTFS) {
		source = cfg->found == KCONFIG_FILE ? strstr(cfg->text, INITRAMFS_SOURCE_LINE) : NULL;
		if (!source || source[strlen(INITRAMFS_SOURCE_LINE)] == '"')
			return;
		/* a built-in initramfs of the builder's own: its /dev/console is unknown */
		describe_console(root->fs, problem, sizeof(problem));
		if (!problem[0])
			return;
		diag_set(&d, DIAG_CANNOT_TELL);
		d.name = "whether init gets a console";
		d.path = "the kernel opens /dev/console in its built-in initramfs, which CONFIG_INITRAMFS_SOURCE makes "
			 "from the builder's own list";
		item = findings_add(out, FINDING_NOTE, &d, "/dev/console");
		finding_hint(item, "%s on partition %u either", problem, root->partition);
		return;
	}
	describe_console(root->fs, problem, sizeof(problem));
	if (!problem[0])
		return;
	has_dev_dir = ext2fs_namei_follow(root->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, "/dev", &dev_dir) == 0 &&
		      ext2fs_check_directory(root->fs, dev_dir) == 0;
	devtmpfs_mounts = kconfig_value(cfg, "DEVTMPFS_MOUNT") == 'y';
	if (devtmpfs_mounts && has_dev_dir)
		return;
	if (devtmpfs_mounts)
		snprintf(reason, sizeof(reason), "Linux %.40s opens it on the root; CONFIG_DEVTMPFS_MOUNT=y, but there "
			 "is no /dev to mount devtmpfs on", k->release);
	else if (cfg->found == KCONFIG_FILE)
		snprintf(reason, sizeof(reason), "Linux %.40s opens it on the root, and CONFIG_DEVTMPFS_MOUNT is not =y "
			 "in %.60s", k->release, cfg->source);
	else
		snprintf(reason, sizeof(reason), "Linux %.40s opens it on the root, and without its config nothing "
			 "says it mounts devtmpfs there", k->release);
	diag_set(&d, DIAG_NO_DEV_CONSOLE);
	d.name = reason;
	item = findings_add(out, FINDING_WARNING, &d, "/dev/console");
	finding_hint(item, "%s on partition %u; init would run without stdin, stdout or stderr",
		     problem, root->partition);
	finding_kernel_says(item, "Warning: unable to open an initial console");
}
