/*
 * console.c - /dev/console on the root filesystem, which the kernel opens
 * for init's stdin, stdout and stderr (L09).
 */
#include "parts.h"

#include <stdio.h>
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
 * Before init, the kernel opens /dev/console on the root for init's stdin,
 * stdout and stderr (init/main.c console_on_rootfs); if that fails it
 * prints "Warning: unable to open an initial console" and init runs with no
 * stdio at all.  With CONFIG_DEVTMPFS_MOUNT=y the kernel mounts devtmpfs on
 * the root's /dev first (drivers/base/devtmpfs.c devtmpfs_mount, called from
 * prepare_namespace), which has the node, but only where /dev exists.  With
 * an initrd, the initramfs sets up /dev and moves it into the root.
 */
void predict_console(const struct predict_input *in, const struct kernel_config *cfg,
			    const struct root_fs *root, struct findings *out)
{
	char problem[128], reason[128];
	struct diag d;
	ext2_ino_t dev_dir;
	int has_dev_dir, devtmpfs_mounts;
	struct finding *item;

	if (in->initrd)
		return;
	describe_console(root->fs, problem, sizeof(problem));
	if (!problem[0])
		return;
	has_dev_dir = ext2fs_namei_follow(root->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, "/dev", &dev_dir) == 0 &&
		      ext2fs_check_directory(root->fs, dev_dir) == 0;
	devtmpfs_mounts = kconfig_value(cfg, "DEVTMPFS_MOUNT") == 'y';
	if (devtmpfs_mounts && has_dev_dir)
		return;
	if (!devtmpfs_mounts && cfg->found != KCONFIG_FILE) {
		/* no config: whether the kernel mounts devtmpfs is a guess */
		char why[200];
		snprintf(why, sizeof(why), "%s on partition %u, and no kernel config says whether the "
			 "kernel mounts devtmpfs there (CONFIG_DEVTMPFS_MOUNT)", problem, root->partition);
		diag_set(&d, DIAG_CANNOT_TELL);
		d.name = "whether init gets a console";
		d.path = why;
		item = findings_add(out, FINDING_WARNING, &d, "/dev/console");
		finding_hint(item, "without one the kernel prints 'Warning: unable to open an initial "
			     "console' and init runs without stdin, stdout or stderr");
		return;
	}
	if (devtmpfs_mounts)
		snprintf(reason, sizeof(reason), "CONFIG_DEVTMPFS_MOUNT=y, but there is no /dev to mount it on");
	else
		snprintf(reason, sizeof(reason), "CONFIG_DEVTMPFS_MOUNT is not =y in %.80s", cfg->source);
	diag_set(&d, DIAG_NO_DEV_CONSOLE);
	d.name = reason;
	item = findings_add(out, FINDING_WARNING, &d, "/dev/console");
	finding_hint(item, "%s on partition %u; the kernel would print 'Warning: unable to open an initial console' and init would run without stdin, stdout or stderr",
		     problem, root->partition);
}
