/*
 * predict.c - what happens right after the loader (see predict.h): the
 * command line as the kernel reads it, the order of the predictions, the
 * /dev/console check, and the file reads the other parts share.
 *
 * The parts follow the kernel's own order after it has started: find the
 * root device and mount it (init/do_mounts.c prepare_namespace), open
 * /dev/console for init's stdio (init/main.c console_on_rootfs), then run
 * init (init/main.c kernel_init).  With an initrd the kernel runs the
 * initramfs's /init instead, and everything about the root is the
 * initramfs's business: those predictions become warnings or notes.
 */
#include "predict_internal.h"

#include <ctype.h>
#include <string.h>

/* --- the command line --------------------------------------------------- */

/*
 * The kernel splits its command line at white space outside double quotes;
 * a parameter quoted as a whole ("root=/dev/sda1") or in its value
 * (root="/dev/sda1") loses the quotes (kernel/params.c next_arg).  "--"
 * ends the kernel's part: what follows is init's.
 */
static const char *next_kernel_arg(const char *p, char *arg, size_t size)
{
	size_t len = 0;
	int in_quote = 0;

	for (; *p && (in_quote || !isspace((unsigned char)*p)); p++) {
		if (*p == '"') {
			in_quote = !in_quote;
			continue;
		}
		if (len + 1 < size)
			arg[len++] = *p;
	}
	arg[len] = '\0';
	return p;
}

void parse_kernel_args(const char *cmdline, struct kernel_args *args)
{
	char arg[PREDICT_ARG_MAX + 5];        /* "root=" and a value that fits */
	const char *p = cmdline ? cmdline : "";

	memset(args, 0, sizeof(*args));
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		p = next_kernel_arg(p, arg, sizeof(arg));
		if (strcmp(arg, "--") == 0)
			break;
		/* root= and init= keep the last value given (init/do_mounts.c
		 * root_dev_setup, init/main.c init_setup). */
		if (strncmp(arg, "root=", 5) == 0) {
			args->has_root = 1;
			snprintf(args->root, sizeof(args->root), "%s", arg + 5);
		} else if (strncmp(arg, "init=", 5) == 0) {
			args->has_init = 1;
			snprintf(args->init, sizeof(args->init), "%s", arg + 5);
		}
	}
}

/* --- reading files on the root filesystem ------------------------------- */

errcode_t predict_read_at(ext2_filsys fs, ext2_ino_t ino, uint64_t offset,
			  void *buf, unsigned len, unsigned *got)
{
	ext2_file_t file;
	errcode_t err, close_err;

	*got = 0;
	err = ext2fs_file_open(fs, ino, 0, &file);
	if (err)
		return err;
	err = ext2fs_file_llseek(file, offset, EXT2_SEEK_SET, NULL);
	while (!err && *got < len) {
		unsigned n = 0;
		err = ext2fs_file_read(file, (char *)buf + *got, len - *got, &n);
		if (n == 0)
			break;
		*got += n;
	}
	close_err = ext2fs_file_close(file);
	return err ? err : close_err;
}

errcode_t predict_read_symlink(ext2_filsys fs, const char *path, char *target, size_t size)
{
	struct ext2_inode inode;
	ext2_ino_t ino;
	unsigned got;
	size_t len, inline_len;
	errcode_t err;

	/* ext2fs_namei follows links in the directories on the way, not in
	 * the last component: that one is what we want to read. */
	err = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino);
	if (!err)
		err = ext2fs_read_inode(fs, ino, &inode);
	if (err)
		return err;
	if (!LINUX_S_ISLNK(inode.i_mode))
		return EINVAL;
	len = EXT2_I_SIZE(&inode);
	if (len >= size)
		return ENAMETOOLONG;
	/* A link target lives in one of three places (ext4.wiki, "Symbolic
	 * Links"): inline data, the block map itself (fast), or a block. */
	if (inode.i_flags & EXT4_INLINE_DATA_FL) {
		err = ext2fs_inline_data_get(fs, ino, &inode, target, &inline_len);
		len = inline_len < len ? inline_len : len;
	} else if (ext2fs_is_fast_symlink(&inode)) {
		memcpy(target, inode.i_block, len);
	} else {
		err = predict_read_at(fs, ino, 0, target, (unsigned)len, &got);
		len = got;
	}
	target[err ? 0 : len] = '\0';
	return err;
}

void predict_mode_string(unsigned mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	char type = '?';

	switch (mode & LINUX_S_IFMT) {
	case LINUX_S_IFREG:  type = '-'; break;
	case LINUX_S_IFDIR:  type = 'd'; break;
	case LINUX_S_IFLNK:  type = 'l'; break;
	case LINUX_S_IFCHR:  type = 'c'; break;
	case LINUX_S_IFBLK:  type = 'b'; break;
	case LINUX_S_IFIFO:  type = 'p'; break;
	case LINUX_S_IFSOCK: type = 's'; break;
	}
	out[0] = type;
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

/* --- /dev/console -------------------------------------------------------- */

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
		predict_mode_string(inode.i_mode, mode);
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
static void predict_console(const struct predict_input *in, const struct kernel_config *cfg,
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

/* --- all of it ----------------------------------------------------------- */

void predict_after_loader(const struct predict_input *in, struct findings *out)
{
	struct kernel_args args;
	struct kernel_config cfg;
	struct root_fs root;

	parse_kernel_args(in->cmdline, &args);
	predict_root(in, &args, &root, out);
	kconfig_load(in, root.fs, &cfg);
	if (!in->initrd && root.partition)
		predict_kernel_drivers(in, &cfg, &root, out);
	if (root.fs) {
		predict_init(in, &args, &cfg, &root, out);
		predict_console(in, &cfg, &root, out);
	}
	kconfig_free(&cfg);
	root_fs_close(&root);
}
