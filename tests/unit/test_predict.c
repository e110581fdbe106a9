/*
 * test_predict.c - predict_after_loader() against real disk images.
 *
 * Each test builds its disk in a fresh temporary directory: a DOS table
 * from sfdisk (disk signature 0x12345678), ext2/3/4 filesystems from
 * `mke2fs -d` at the partitions' offsets, device nodes from `debugfs -w`,
 * the host's static busybox and dynamic /bin/true as programs, and a
 * synthetic bzImage (a setup header with a version string) beside a small
 * kernel config; disk_fixture.c makes them.  predict_after_loader() is called directly and its
 * findings checked by catalog code, severity and the numbers they carry.
 * Failures first, then the images that resolve and boot.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "disk_fixture.h"
#include "findings.h"
#include "linux_boot.h"
#include "disk/image.h"
#include "disk/partfs.h"
#include "predict/predict.h"

#define IMAGE_KIB      (18u * 1024u)
#define PART1_START    2048u                  /* 8 MiB each */
#define PART2_START    18432u
#define PART_KIB       8192u
#define DISK_SIGNATURE "12345678"

#define KERNEL_VERSION "6.1.0-test"
#define KERNEL_PATH    "/boot/vmlinuz-" KERNEL_VERSION
#define CONFIG_PATH    "/boot/config-" KERNEL_VERSION

/* The two tables the tests use: one partition, or two. */
#define ONE_PARTITION "label: dos\\nlabel-id: 0x" DISK_SIGNATURE "\\nstart=2048, size=16384, type=83, bootable\\n"
#define TWO_PARTITIONS ONE_PARTITION "start=18432, size=16384, type=83\\n"

/* Kernel configs: everything an sda1 ext2 root needs built in (but not
 * devtmpfs mounting: the console node must be on the disk), and
 * Debian's cloud kernel's choices (drivers as modules, no devtmpfs mount). */
#define CONFIG_BUILT_IN "CONFIG_64BIT=y\nCONFIG_EXT2_FS=y\nCONFIG_EXT4_FS=y\nCONFIG_ATA_PIIX=y\n" \
			"CONFIG_BLK_DEV_SD=y\nCONFIG_VIRTIO_BLK=y\nCONFIG_VIRTIO_PCI=y\n" \
			"CONFIG_DEVTMPFS=y\n# CONFIG_DEVTMPFS_MOUNT is not set\nCONFIG_DEFAULT_INIT=\"\"\n"
#define CONFIG_NO_DEVTMPFS_MOUNT "CONFIG_EXT2_FS=y\nCONFIG_ATA_PIIX=y\nCONFIG_BLK_DEV_SD=y\n" \
				 "CONFIG_DEVTMPFS=y\n# CONFIG_DEVTMPFS_MOUNT is not set\n"
#define CONFIG_DEBIAN_CLOUD "CONFIG_64BIT=y\n# CONFIG_EXT2_FS is not set\n# CONFIG_EXT3_FS is not set\n" \
			    "CONFIG_EXT4_FS=y\nCONFIG_EXT4_USE_FOR_EXT2=y\nCONFIG_ATA_PIIX=m\n" \
			    "CONFIG_BLK_DEV_SD=m\nCONFIG_VIRTIO_BLK=m\nCONFIG_VIRTIO_PCI=m\n" \
			    "CONFIG_DEVTMPFS=y\n# CONFIG_DEVTMPFS_MOUNT is not set\nCONFIG_IA32_EMULATION=y\n"

struct fixture {
	struct disk_fixture disk;
	char tree[3][96];          /* what mke2fs -d copies into partition 1, 2 */
	struct disk_image img;
	int img_open;
	ext2_filsys boot_fs;
	struct predict_input in;
	struct findings out;
};

/* --- building images ------------------------------------------------------ */

/* A text file in partition n's tree. */
static void put_file(struct fixture *f, int n, const char *rel, const char *text, mode_t mode)
{
	fixture_put_file(f->tree[n], rel, text, strlen(text), mode);
}

/* A bzImage in partition 1 whose header names its version (boot.rst). */
static void put_kernel(struct fixture *f, const char *rel, const char *version)
{
	struct kernel_spec spec = good_kernel;

	spec.version = version;
	fixture_put_kernel(f->tree[1], rel, &spec);
}

/* The usual boot partition: the kernel as Debian names it, with config. */
static void put_kernel_and_config(struct fixture *f, const char *config)
{
	put_kernel(f, KERNEL_PATH, KERNEL_VERSION);
	put_file(f, 1, CONFIG_PATH, config, 0644);
}

/* Put the filesystem of type ("ext2", "ext4", "swap", NULL: leave zeros)
 * made from partition n's tree at start. */
static void make_partition(struct fixture *f, int n, uint64_t start, const char *type,
			   const char *mke2fs_extra)
{
	if (!type)
		return;
	if (strcmp(type, "swap") == 0) {
		fixture_run("truncate -s %uK %s/swap && mkswap -q %s/swap >/dev/null && "
			    "dd if=%s/swap of=%s bs=512 seek=%llu conv=notrunc status=none",
			    PART_KIB, f->disk.dir, f->disk.dir, f->disk.dir, f->disk.image,
			    (unsigned long long)start);
		return;
	}
	disk_make_fs(&f->disk, f->tree[n], type, mke2fs_extra, start, PART_KIB);
}

/* The disk: table, then the two partitions' contents. */
static void make_disk(struct fixture *f, const char *table, const char *type1, const char *type2)
{
	disk_make_table(&f->disk, IMAGE_KIB, table);
	make_partition(f, 1, PART1_START, type1, "");
	make_partition(f, 2, PART2_START, type2, "");
}

/* --- running the prediction ------------------------------------------------ */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || disk_fixture_create(&f->disk, "test_predict"))
		return -1;
	snprintf(f->tree[1], sizeof(f->tree[1]), "%s", f->disk.root);
	snprintf(f->tree[2], sizeof(f->tree[2]), "%s/p2", f->disk.dir);
	if (mkdir(f->tree[2], 0755))
		return -1;
	findings_init(&f->out);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->boot_fs)
		ext2fs_close_free(&f->boot_fs);
	if (f->img_open)
		image_close(&f->img);
	findings_free(&f->out);
	disk_fixture_remove(&f->disk);
	free(f);
	return 0;
}

/* predict_after_loader on the disk: the kernel in partition 1. */
static void predict(struct fixture *f, const char *cmdline, const char *initrd)
{
	struct image_failure why;

	assert_int_equal(image_open(&f->img, f->disk.image, &why), 0);
	f->img_open = 1;
	assert_int_equal(partfs_open(&f->img, PART1_START, &f->boot_fs), 0);
	f->in.img = &f->img;
	f->in.boot_partition = 1;
	f->in.boot_fs = f->boot_fs;
	f->in.kernel = f->in.kernel ? f->in.kernel : KERNEL_PATH;
	f->in.initrd = initrd;
	f->in.cmdline = cmdline;
	predict_after_loader(&f->in, &f->out);
}

/* predict again, after the disk or the input changed: a fresh view of it. */
static void predict_again(struct fixture *f, const char *cmdline, const char *initrd)
{
	ext2fs_close_free(&f->boot_fs);
	image_close(&f->img);
	f->out.count = 0;
	predict(f, cmdline, initrd);
}

static void print_findings(const struct fixture *f)
{
	char message[512];

	for (size_t i = 0; i < f->out.count; i++) {
		const struct finding *item = &f->out.list[i];
		diag_format_message(&item->diag, message, sizeof(message));
		print_message("  %s %d %s: %s [%s]\n", diag_catalog[item->diag.id].code, item->severity,
			      item->object, message, item->hint);
	}
}

static size_t count(const struct fixture *f, const char *code, enum finding_severity severity)
{
	size_t n = 0;

	for (size_t i = 0; i < f->out.count; i++)
		n += strcmp(diag_catalog[f->out.list[i].diag.id].code, code) == 0 &&
		     f->out.list[i].severity == severity;
	return n;
}

/* The one finding with code and severity; fails (listing them all) unless
 * there is exactly one. */
static const struct finding *only(const struct fixture *f, const char *code, enum finding_severity severity)
{
	if (count(f, code, severity) != 1) {
		print_findings(f);
		fail_msg("expected one %s finding of severity %d", code, severity);
	}
	for (size_t i = 0; i < f->out.count; i++)
		if (strcmp(diag_catalog[f->out.list[i].diag.id].code, code) == 0 &&
		    f->out.list[i].severity == severity)
			return &f->out.list[i];
	return NULL;
}

static void assert_no_errors(const struct fixture *f)
{
	if (findings_count(&f->out, FINDING_ERROR)) {
		print_findings(f);
		fail_msg("expected no errors");
	}
}

static void assert_no_findings(const struct fixture *f)
{
	if (f->out.count) {
		print_findings(f);
		fail_msg("expected no findings");
	}
}

/* A boot partition holding a good root: busybox, a console node, and a
 * config with everything built in. */
static void make_good_disk(struct fixture *f, const char *table, const char *type2)
{
	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, table, "ext2", type2);
	disk_add_console(&f->disk, PART1_START, 5, 1);
}

/* --- root= ----------------------------------------------------------------- */

static void test_predict_after_loader_root_partition_missing(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "console=ttyS0 root=/dev/sda3", NULL);
	item = only(f, "L01", FINDING_ERROR);
	assert_string_equal(item->name, "/dev/sda3");
	assert_int_equal(item->diag.value, 3);
	assert_int_equal(findings_count(&f->out, FINDING_ERROR), 1);
}

/* A second disk the image cannot see: it may be there (N01), never an error. */
static void test_predict_after_loader_root_second_disk(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/sdb1", NULL);
	assert_no_errors(f);
	item = only(f, "N01", FINDING_WARNING);
	assert_contains(item->name, "/dev/sdb1");
	assert_contains(item->path, "/dev/sda");
	assert_string_equal(item->kernel_says, "VFS: Unable to mount root fs");
}

static void test_predict_after_loader_root_second_nvme_with_initrd(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/nvme1n1p1", "/boot/initrd.img");
	assert_no_errors(f);
	item = only(f, "N01", FINDING_WARNING);
	assert_contains(item->path, "/dev/nvme0n1");
	/* the initramfs, not the kernel, says what it says */
	assert_string_equal(item->kernel_says, "");
}

/* root= names a disk of another bus than the machine's: L02, with or
 * without an initramfs (which would wait for /dev/vda1 in vain). */
static void test_predict_after_loader_root_other_bus(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	f->in.bus = BUS_IDE;
	predict(f, "root=/dev/vda1", NULL);
	item = only(f, "L02", FINDING_ERROR);
	assert_contains(item->path, "--bus ide");
	assert_contains(item->path, "/dev/sda1");
	assert_string_equal(item->kernel_says, "VFS: Unable to mount root fs");
	assert_int_equal(count(f, "L10", FINDING_ERROR), 0);
}

static void test_predict_after_loader_root_other_bus_with_initrd(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	f->in.bus = BUS_NVME;
	predict(f, "root=/dev/sda1", "/boot/initrd.img");
	assert_contains(only(f, "L02", FINDING_ERROR)->path, "/dev/nvme0n1p1");
}

static void test_predict_after_loader_root_ide_name(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/hda1", NULL);
	item = only(f, "L02", FINDING_ERROR);
	assert_string_equal(item->name, "/dev/hda1");
	assert_contains(item->path, "/dev/sda");
}

static void test_predict_after_loader_root_name_without_dev(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=sda1", NULL);
	assert_string_equal(only(f, "L02", FINDING_ERROR)->name, "sda1");
}

static void test_predict_after_loader_root_uuid_without_initrd(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=UUID=0a1b2c3d-0000-4000-8000-000000000001", NULL);
	item = only(f, "L02", FINDING_ERROR);
	assert_contains(item->path, "initramfs");
}

static void test_predict_after_loader_no_root_without_initrd(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "console=ttyS0", NULL);
	/* its own code: L02 read "root= is not a name the kernel gives this disk" */
	assert_contains(only(f, "L11", FINDING_ERROR)->path, "no root device to mount");
	assert_int_equal(count(f, "L02", FINDING_ERROR), 0);
}

static void test_predict_after_loader_root_partuuid_missing_partition(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=PARTUUID=" DISK_SIGNATURE "-03", NULL);
	assert_int_equal(only(f, "L01", FINDING_ERROR)->diag.value, 3);
}

static void test_predict_after_loader_root_on_swap(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, TWO_PARTITIONS, "swap");
	predict(f, "root=/dev/sda2", NULL);
	item = only(f, "L03", FINDING_ERROR);
	assert_int_equal(item->diag.value, 2);
	assert_contains(item->path, "swap");
}

static void test_predict_after_loader_root_empty_partition(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, TWO_PARTITIONS, NULL);
	predict(f, "root=/dev/sda2", NULL);
	assert_contains(only(f, "L03", FINDING_ERROR)->path, "empty");
}

/* --- init -------------------------------------------------------------------- */

static void test_predict_after_loader_no_init(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_run("mkdir -p %s/dev", f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict(f, "root=/dev/sda1", NULL);
	assert_string_equal(only(f, "L04", FINDING_ERROR)->path, "/sbin/init, /etc/init, /bin/init, /bin/sh");
	assert_int_equal(findings_count(&f->out, FINDING_ERROR), 1);
}

static void test_predict_after_loader_init_requested_missing(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/sda1 init=/sbin/my-init", NULL);
	assert_string_equal(only(f, "L04", FINDING_ERROR)->path, "/sbin/my-init");
	assert_string_equal(f->out.list[0].kernel_says, "Requested init /sbin/my-init failed (error -2)");
}

static void test_predict_after_loader_init_not_executable(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_host_file(f->tree[1], "/bin/busybox", "/bin/busybox");
	fixture_run("chmod 644 %s/bin/busybox", f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1 init=/bin/busybox", NULL);
	item = only(f, "L05", FINDING_ERROR);
	assert_string_equal(item->path, "/bin/busybox");
	assert_string_equal(item->name, "-rw-r--r--");
	assert_string_equal(item->kernel_says, "Requested init /bin/busybox failed (error -13)");
}

static void test_predict_after_loader_init_is_directory(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_run("mkdir -p %s/sbin/init && chmod 755 %s/sbin/init", f->tree[1], f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	assert_string_equal(only(f, "L05", FINDING_ERROR)->name, "drwxr-xr-x");
	assert_int_equal(count(f, "L04", FINDING_ERROR), 0);
}

static void test_predict_after_loader_init_dangling_symlink(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_symlink(f->tree[1], "/bin/busybox", "/sbin/init");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	only(f, "L04", FINDING_ERROR);
}

static void test_predict_after_loader_init_interpreter_missing(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_host_file(f->tree[1], "/bin/true", "/sbin/init");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	item = only(f, "L06", FINDING_ERROR);
	assert_string_equal(item->path, "/sbin/init");
	assert_string_equal(item->name, "/lib64/ld-linux-x86-64.so.2");
	assert_string_equal(item->kernel_says, "No working init found");
	/* exec fails before any library matters */
	assert_int_equal(count(f, "L07", FINDING_ERROR), 0);
}

static void test_predict_after_loader_init_library_missing(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_host_file(f->tree[1], "/bin/true", "/sbin/init");
	/* The loader where Debian keeps it, reached through /lib64's link. */
	fixture_put_host_file(f->tree[1], "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	fixture_put_symlink(f->tree[1], "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	assert_int_equal(count(f, "L06", FINDING_ERROR), 0);
	item = only(f, "L07", FINDING_ERROR);
	assert_string_equal(item->path, "/sbin/init");
	assert_string_equal(item->name, "libc.so.6");
	assert_string_equal(item->kernel_says, "Attempted to kill init! exitcode=0x00007f00");
}

/* A missing library is no exec failure: /sbin/init starts and dies, and the
 * kernel never reaches the /bin/sh beside it. */
static void test_predict_after_loader_library_missing_beside_static_sh(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_busybox_root(f->tree[1]);
	fixture_put_host_file(f->tree[1], "/bin/true", "/sbin/init.dyn");
	fixture_put_host_file(f->tree[1], "/lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict(f, "root=/dev/sda1 init=/sbin/init.dyn", NULL);
	assert_string_equal(only(f, "L07", FINDING_ERROR)->kernel_says, "Attempted to kill init! exitcode=0x00007f00");
	/* and without init=: busybox's /sbin/init is replaced by the dynamic one */
	fixture_run("rm -f %s/sbin/init && cp /bin/true %s/sbin/init", f->tree[1], f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict_again(f, "root=/dev/sda1", NULL);
	assert_contains(only(f, "L07", FINDING_ERROR)->hint, "instead of trying another init");
	assert_int_equal(findings_count(&f->out, FINDING_ERROR), 1);
}

static void test_predict_after_loader_script_interpreter_missing(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	put_file(f, 1, "/sbin/init", "#!/bin/bash -e\nexec /bin/sh\n", 0755);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	item = only(f, "L08", FINDING_ERROR);
	assert_string_equal(item->path, "/sbin/init");
	assert_string_equal(item->name, "/bin/bash");
}

static void test_predict_after_loader_script_interpreter_dynamic(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	put_file(f, 1, "/sbin/init", "#! /bin/dash\n", 0755);
	fixture_put_host_file(f->tree[1], "/bin/true", "/bin/dash");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	/* The interpreter is checked as a program: its loader is missing. */
	item = only(f, "L06", FINDING_ERROR);
	assert_string_equal(item->object, "/sbin/init");
	assert_string_equal(item->path, "/bin/dash");
}

/* /sbin/init cannot run, /bin/sh can: the kernel says so and runs /bin/sh. */
static void test_predict_after_loader_init_falls_back_to_sh(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_host_file(f->tree[1], "/bin/busybox", "/bin/busybox");
	fixture_put_symlink(f->tree[1], "busybox", "/bin/sh");
	put_file(f, 1, "/sbin/init", "not a program\n", 0644);
	fixture_run("mkdir -p %s/dev", f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict(f, "root=/dev/sda1", NULL);
	assert_no_errors(f);
	item = only(f, "L05", FINDING_WARNING);
	assert_string_equal(item->path, "/sbin/init");
	assert_contains(item->hint, "/bin/sh");
	/* no execute bit: EACCES, and the kernel says so before moving on */
	assert_string_equal(item->kernel_says, "Starting init: /sbin/init exists but couldn't execute it (error -13)");
}

static void test_predict_after_loader_init_with_initrd_is_warning(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", "/boot/initrd.img");
	assert_no_errors(f);
	assert_contains(only(f, "L04", FINDING_WARNING)->hint, "initramfs");
}

/* --- /dev/console -------------------------------------------------------------- */

/* Before 2.6.36 the kernel opened init's console on the mounted root. */
static void put_old_kernel_and_config(struct fixture *f, const char *config)
{
	put_kernel(f, "/boot/vmlinuz-2.6.22.9", "2.6.22.9");
	put_file(f, 1, "/boot/config-2.6.22.9", config, 0644);
	f->in.kernel = "/boot/vmlinuz-2.6.22.9";
}

static void test_predict_after_loader_no_dev_console(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_old_kernel_and_config(f, CONFIG_NO_DEVTMPFS_MOUNT);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	item = only(f, "L09", FINDING_WARNING);
	assert_contains(item->name, "CONFIG_DEVTMPFS_MOUNT");
	assert_contains(item->name, "/boot/config-2.6.22.9");
	assert_string_equal(item->kernel_says, "Warning: unable to open an initial console");
	assert_int_equal(f->out.count, 1);
}

/* Since 2.6.36 the kernel opens it in its built-in initramfs, which has
 * one, before mounting the root: no /dev/console on the root is fine. */
static void test_predict_after_loader_console_from_rootfs(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_NO_DEVTMPFS_MOUNT);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	assert_no_findings(f);
}

static void test_predict_after_loader_dev_console_wrong_device(void **state)
{
	struct fixture *f = *state;

	put_old_kernel_and_config(f, "CONFIG_EXT2_FS=y\nCONFIG_ATA_PIIX=y\nCONFIG_BLK_DEV_SD=y\n");
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 4, 1);
	predict(f, "root=/dev/sda1", NULL);
	assert_contains(only(f, "L09", FINDING_WARNING)->hint, "character device 4:1");
}

/* The kernel mounts devtmpfs on the root's /dev, which has the console. */
static void test_predict_after_loader_devtmpfs_mount_supplies_console(void **state)
{
	struct fixture *f = *state;

	put_old_kernel_and_config(f, CONFIG_NO_DEVTMPFS_MOUNT "CONFIG_DEVTMPFS_MOUNT=y\n");
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=/dev/sda1", NULL);
	assert_no_findings(f);
}

/* --- kernel config ------------------------------------------------------------- */

/* Debian's cloud kernel with root=/dev/sda1 and no initramfs: its IDE and
 * SCSI disk drivers are modules, and nothing would load them. */
static void test_predict_after_loader_driver_module_without_initrd(void **state)
{
	struct fixture *f = *state;
	size_t piix = 0, sd = 0;

	put_kernel_and_config(f, CONFIG_DEBIAN_CLOUD);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict(f, "root=/dev/sda1", NULL);
	assert_int_equal(count(f, "L10", FINDING_ERROR), 2);
	for (size_t i = 0; i < f->out.count; i++) {
		const struct finding *item = &f->out.list[i];
		assert_string_equal(item->path, CONFIG_PATH);
		piix += strstr(item->name, "CONFIG_ATA_PIIX") != NULL;
		sd += strstr(item->name, "CONFIG_BLK_DEV_SD") != NULL;
		assert_contains(item->hint, "=m");
	}
	assert_int_equal(piix, 1);
	assert_int_equal(sd, 1);
	assert_int_equal(f->out.count, 2);
}

static void test_predict_after_loader_fs_driver_module_without_initrd(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, "CONFIG_EXT2_FS=y\nCONFIG_EXT4_FS=m\nCONFIG_VIRTIO_BLK=y\nCONFIG_VIRTIO_PCI=y\n");
	fixture_put_busybox_root(f->tree[2]);
	make_disk(f, TWO_PARTITIONS, "ext2", NULL);
	make_partition(f, 2, PART2_START, "ext4", "");
	disk_add_console(&f->disk, PART2_START, 5, 1);
	predict(f, "root=/dev/vda2", NULL);
	assert_string_equal(only(f, "L10", FINDING_ERROR)->name, "ext4 filesystem driver (CONFIG_EXT4_FS)");
	assert_int_equal(f->out.count, 1);
}

/* No config-VERSION by the kernel's name: the header's version string
 * finds it. */
static void test_predict_after_loader_config_by_header_version(void **state)
{
	struct fixture *f = *state;

	put_kernel(f, "/boot/bzImage", "6.1.0-from-header");
	put_file(f, 1, "/boot/config-6.1.0-from-header", CONFIG_DEBIAN_CLOUD, 0644);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	f->in.kernel = "/boot/bzImage";
	predict(f, "root=/dev/sda1", NULL);
	assert_int_equal(count(f, "L10", FINDING_ERROR), 2);
	assert_string_equal(f->out.list[0].path, "/boot/config-6.1.0-from-header");
}

/* --- cannot tell ------------------------------------------------------------ */

static void test_predict_after_loader_root_uuid_unknown_with_initrd(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=UUID=0a1b2c3d-0000-4000-8000-000000000001 ro", "/boot/initrd.img");
	assert_no_errors(f);
	item = only(f, "N01", FINDING_WARNING);
	assert_contains(item->name, "UUID=0a1b2c3d-0000-4000-8000-000000000001");
	assert_contains(item->hint, "partition 1 (ext2): UUID=");
	assert_int_equal(f->out.count, 1);
}

static void test_predict_after_loader_no_root_with_initrd(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "quiet", "/boot/initrd.img");
	/* an initramfs that hands over to a root stops without root= */
	assert_contains(only(f, "N01", FINDING_WARNING)->path, "initramfs decides");
	assert_no_errors(f);
	assert_int_equal(f->out.count, 1);
}

static void test_predict_after_loader_no_config(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel(f, KERNEL_PATH, KERNEL_VERSION);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	disk_add_console(&f->disk, PART1_START, 5, 1);
	predict(f, "root=/dev/sda1", NULL);
	assert_no_errors(f);
	/* no initramfs, and nothing says the disk driver is built in: the risk */
	item = only(f, "N01", FINDING_WARNING);
	assert_contains(item->path, "config-" KERNEL_VERSION);
	assert_contains(item->hint, "modules");
	assert_string_equal(item->kernel_says, "VFS: Unable to mount root fs");
	assert_int_equal(f->out.count, 1);
}

/* PARTUUID= of this very disk: which driver depends on the bus. */
static void test_predict_after_loader_partuuid_needs_the_bus_driver(void **state)
{
	struct fixture *f = *state;
	const char *nvme_only = "CONFIG_64BIT=y\nCONFIG_EXT4_FS=y\nCONFIG_EXT4_USE_FOR_EXT2=y\nCONFIG_ATA_PIIX=m\n"
				"CONFIG_BLK_DEV_SD=m\nCONFIG_VIRTIO_BLK=m\nCONFIG_VIRTIO_PCI=m\nCONFIG_BLK_DEV_NVME=y\n";

	put_kernel_and_config(f, nvme_only);
	fixture_put_busybox_root(f->tree[1]);
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "root=PARTUUID=" DISK_SIGNATURE "-01", NULL);
	/* bus unknown: it boots on NVMe only */
	assert_no_errors(f);
	assert_contains(f->out.list[0].hint, "nvme");
	assert_int_equal(count(f, "L10", FINDING_WARNING), 2);
	f->in.bus = BUS_IDE;
	predict_again(f, "root=PARTUUID=" DISK_SIGNATURE "-01", NULL);
	assert_int_equal(count(f, "L10", FINDING_ERROR), 2);
	assert_string_equal(f->out.list[0].kernel_says, "VFS: Unable to mount root fs");
	f->in.bus = BUS_NVME;
	predict_again(f, "root=PARTUUID=" DISK_SIGNATURE "-01", NULL);
	assert_no_findings(f);
}

/* An ext4 feature the kernel's driver lacks: it cannot mount the root. */
static void test_predict_after_loader_root_feature_unknown_to_kernel(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_busybox_root(f->tree[2]);
	make_disk(f, TWO_PARTITIONS, "ext2", "ext4");
	disk_debugfs(&f->disk, PART2_START, "feature dirdata");
	predict(f, "root=/dev/sda2", NULL);
	item = only(f, "L03", FINDING_ERROR);
	assert_contains(item->path, "dirdata");
	assert_contains(item->path, "6.1.0-test");
	assert_string_equal(item->kernel_says, "Couldn't mount because of unsupported optional features (1000)");
}

/* Bytes no prober recognises: no filesystem for the kernel to mount. */
static void test_predict_after_loader_root_random_bytes(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, TWO_PARTITIONS, NULL);
	fixture_run("head -c 1048576 /dev/urandom | dd of=%s bs=512 seek=%u conv=notrunc status=none",
		    f->disk.image, PART2_START);
	predict(f, "root=/dev/sda2", NULL);
	assert_contains(only(f, "L03", FINDING_ERROR)->path, "libblkid finds no filesystem");
}

/* Not a Linux kernel: nothing after the loader is predicted. */
static void test_predict_after_loader_not_linux(void **state)
{
	struct fixture *f = *state;

	put_kernel(f, KERNEL_PATH, "memtest86+ v6.20");
	make_disk(f, ONE_PARTITION, "ext2", NULL);
	predict(f, "", NULL);
	assert_contains(only(f, "N01", FINDING_NOTE)->path, "memtest86+");
	assert_int_equal(f->out.count, 1);
}

static void test_predict_after_loader_root_nfs(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/nfs nfsroot=10.0.2.2:/srv", NULL);
	assert_contains(only(f, "N01", FINDING_NOTE)->name, "/dev/nfs");
	assert_int_equal(f->out.count, 1);
}

/* --- images that boot -------------------------------------------------------- */

static void test_predict_after_loader_good_image(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "console=ttyS0 root=/dev/sda1 rw", NULL);
	assert_no_findings(f);
}

/* The kernel keeps the last root=, quotes removed; "--" ends its part. */
static void test_predict_after_loader_last_quoted_root_wins(void **state)
{
	struct fixture *f = *state;

	make_good_disk(f, ONE_PARTITION, NULL);
	predict(f, "root=/dev/sda3 \"root=/dev/sda1\" -- root=/dev/sdb7", NULL);
	assert_no_findings(f);
}

/* The root on partition 2, found through the symlinked kernel's config. */
static void test_predict_after_loader_root_partuuid_resolves(void **state)
{
	struct fixture *f = *state;

	put_kernel(f, "/boot/vmlinuz-" KERNEL_VERSION, KERNEL_VERSION);
	fixture_put_symlink(f->tree[1], "vmlinuz-" KERNEL_VERSION, "/boot/vmlinuz");
	put_file(f, 1, CONFIG_PATH, CONFIG_BUILT_IN, 0644);
	fixture_put_busybox_root(f->tree[2]);
	make_disk(f, TWO_PARTITIONS, "ext2", "ext4");
	disk_add_console(&f->disk, PART2_START, 5, 1);
	f->in.kernel = "/boot/vmlinuz";
	predict(f, "root=PARTUUID=" DISK_SIGNATURE "-02", NULL);
	assert_no_findings(f);
}

static void test_predict_after_loader_root_uuid_resolves(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_busybox_root(f->tree[2]);
	disk_make_table(&f->disk, IMAGE_KIB, TWO_PARTITIONS);
	make_partition(f, 1, PART1_START, "ext2", "");
	make_partition(f, 2, PART2_START, "ext4", "-U 6e0b3a1c-5d2f-4c1e-9a0b-1c2d3e4f5a6b");
	/* blkid prints UUIDs in lower case; the comparison ignores case. */
	predict(f, "root=UUID=6E0B3A1C-5D2F-4C1E-9A0B-1C2D3E4F5A6B", "/boot/initrd.img");
	assert_no_findings(f);
}

static void test_predict_after_loader_root_label_resolves(void **state)
{
	struct fixture *f = *state;

	put_kernel_and_config(f, CONFIG_BUILT_IN);
	fixture_put_busybox_root(f->tree[2]);
	disk_make_table(&f->disk, IMAGE_KIB, TWO_PARTITIONS);
	make_partition(f, 1, PART1_START, "ext2", "-L boot");
	make_partition(f, 2, PART2_START, "ext3", "-L rootfs");
	predict(f, "root=LABEL=rootfs", "/boot/initrd.img");
	assert_no_findings(f);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_predict_after_loader_root_partition_missing),
		T(test_predict_after_loader_root_second_disk),
		T(test_predict_after_loader_root_second_nvme_with_initrd),
		T(test_predict_after_loader_root_other_bus),
		T(test_predict_after_loader_root_other_bus_with_initrd),
		T(test_predict_after_loader_root_ide_name),
		T(test_predict_after_loader_root_name_without_dev),
		T(test_predict_after_loader_root_uuid_without_initrd),
		T(test_predict_after_loader_no_root_without_initrd),
		T(test_predict_after_loader_root_partuuid_missing_partition),
		T(test_predict_after_loader_root_on_swap),
		T(test_predict_after_loader_root_empty_partition),
		T(test_predict_after_loader_no_init),
		T(test_predict_after_loader_init_requested_missing),
		T(test_predict_after_loader_init_not_executable),
		T(test_predict_after_loader_init_is_directory),
		T(test_predict_after_loader_init_dangling_symlink),
		T(test_predict_after_loader_init_interpreter_missing),
		T(test_predict_after_loader_init_library_missing),
		T(test_predict_after_loader_library_missing_beside_static_sh),
		T(test_predict_after_loader_script_interpreter_missing),
		T(test_predict_after_loader_script_interpreter_dynamic),
		T(test_predict_after_loader_init_falls_back_to_sh),
		T(test_predict_after_loader_init_with_initrd_is_warning),
		T(test_predict_after_loader_no_dev_console),
		T(test_predict_after_loader_console_from_rootfs),
		T(test_predict_after_loader_dev_console_wrong_device),
		T(test_predict_after_loader_devtmpfs_mount_supplies_console),
		T(test_predict_after_loader_driver_module_without_initrd),
		T(test_predict_after_loader_fs_driver_module_without_initrd),
		T(test_predict_after_loader_config_by_header_version),
		T(test_predict_after_loader_root_uuid_unknown_with_initrd),
		T(test_predict_after_loader_no_root_with_initrd),
		T(test_predict_after_loader_no_config),
		T(test_predict_after_loader_partuuid_needs_the_bus_driver),
		T(test_predict_after_loader_root_feature_unknown_to_kernel),
		T(test_predict_after_loader_root_random_bytes),
		T(test_predict_after_loader_not_linux),
		T(test_predict_after_loader_root_nfs),
		T(test_predict_after_loader_good_image),
		T(test_predict_after_loader_last_quoted_root_wins),
		T(test_predict_after_loader_root_partuuid_resolves),
		T(test_predict_after_loader_root_uuid_resolves),
		T(test_predict_after_loader_root_label_resolves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
