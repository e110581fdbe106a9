/*
 * test_installer.c - install_run() against real disk images.
 *
 * The checks themselves are the check engine's (tests/unit/test_check.c
 * covers each code); here: that install runs them, prints every finding in
 * its shape, refuses on an error and writes nothing, installs despite
 * errors with --force only where it can, and writes exactly its ranges.
 *
 * Each test makes its image in a fresh temporary directory the way a user
 * would: a plain file, a DOS table from sfdisk, an ext2 filesystem from
 * `mke2fs -d` at the partition's offset, holding a synthetic bzImage (a
 * setup header that bzimage_parse accepts, then filler).  install_run() is
 * called directly; its messages are captured and checked, and the image is
 * compared byte for byte before and after.  Failures first, then installs.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "blobs.h"
#include "crc32.h"
#include "install.h"
#include "linux_boot.h"
#include "mbr.h"
#include "stage_header.h"

#define IMAGE_KIB        8192u                 /* 8 MiB disk */
#define PART_START       2048u                 /* sfdisk's default first sector */
#define PART_SECTORS     (IMAGE_KIB * 2u - PART_START)
#define KERNEL_SETUP_SECTS 4u
#define KERNEL_PM_BYTES  (64u * 1024u)         /* protected-mode part */
#define KERNEL_BYTES     ((KERNEL_SETUP_SECTS + 1u) * 512u + KERNEL_PM_BYTES)
#define KERNEL_CMDLINE_MAX 2047u
#define INITRD_BYTES     3000u

struct fixture {
	char dir[64];
	char image[96];
	char root[96];       /* what mke2fs -d copies into the filesystem */
	char *out_text, *err_text;
	size_t out_len, err_len;
	struct install_options o;
	struct install_result r;
};

/* --- building images ------------------------------------------------------ */

static void run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("set-up command failed: %s", cmd);
}

static void write_file(const char *path, const void *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* A bzImage as far as a loader can tell: boot protocol 2.15 setup header,
 * LOADED_HIGH, 4 setup sectors, syssize matching the file (boot.rst). */
static void write_kernel(struct fixture *f, const char *name, uint32_t cmdline_size)
{
	uint8_t *k = calloc(1, KERNEL_BYTES);
	char path[160];

	assert_non_null(k);
	k[LINUX_HDR_OFF(setup_sects)] = KERNEL_SETUP_SECTS;
	put_le32(k + LINUX_HDR_OFF(syssize), KERNEL_PM_BYTES / 16);
	put_le16(k + LINUX_HDR_OFF(boot_flag), LINUX_BOOT_FLAG);
	memcpy(k + LINUX_HDR_OFF(header), "HdrS", 4);
	put_le16(k + LINUX_HDR_OFF(version), 0x020f);
	k[LINUX_HDR_OFF(loadflags)] = LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP;
	put_le32(k + LINUX_HDR_OFF(initrd_addr_max), 0x7fffffff);
	put_le32(k + LINUX_HDR_OFF(kernel_alignment), 0x200000);
	k[LINUX_HDR_OFF(relocatable_kernel)] = 1;
	put_le32(k + LINUX_HDR_OFF(cmdline_size), cmdline_size);
	put_le32(k + LINUX_HDR_OFF(init_size), 0x100000);
	for (uint32_t i = (KERNEL_SETUP_SECTS + 1) * 512; i < KERNEL_BYTES; i++)
		k[i] = (uint8_t)(i * 13);
	snprintf(path, sizeof(path), "%s/boot/%s", f->root, name);
	write_file(path, k, KERNEL_BYTES);
	free(k);
}

/* The files of a typical /boot: a kernel reached through a symlink, as
 * Debian installs it, and an initrd. */
static void populate_boot(struct fixture *f, uint32_t cmdline_size)
{
	uint8_t initrd[INITRD_BYTES];
	char path[160];

	run("mkdir -p %s/boot && ln -s vmlinuz-test %s/boot/vmlinuz", f->root, f->root);
	write_kernel(f, "vmlinuz-test", cmdline_size);
	memset(initrd, 0x5a, sizeof(initrd));
	snprintf(path, sizeof(path), "%s/boot/initrd.img", f->root);
	write_file(path, initrd, sizeof(initrd));
}

/* An empty image_kib file, its table from sfdisk_script (NULL: none) and an
 * ext2 filesystem of fs_kib at sector fs_start (0 KiB: no filesystem). */
static void make_disk(struct fixture *f, unsigned image_kib, const char *sfdisk_script,
		      uint64_t fs_start, unsigned fs_kib)
{
	run("truncate -s %uK %s", image_kib, f->image);
	if (sfdisk_script)
		run("printf '%s' | sfdisk -q %s >/dev/null 2>&1", sfdisk_script, f->image);
	if (fs_kib)
		run("mke2fs -q -F -t ext2 -d %s -E offset=%llu %s %uk", f->root,
		    (unsigned long long)(fs_start * 512), f->image, fs_kib);
}

/* The usual disk: one bootable Linux partition from sector 2048 to the
 * end, ext2 filling it. */
static void make_standard_disk(struct fixture *f)
{
	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
}

static uint8_t *read_image(const struct fixture *f, size_t *len)
{
	FILE *in = fopen(f->image, "rb");
	uint8_t *bytes;
	long size;

	assert_non_null(in);
	assert_int_equal(fseek(in, 0, SEEK_END), 0);
	size = ftell(in);
	rewind(in);
	bytes = malloc((size_t)size);
	assert_non_null(bytes);
	assert_int_equal(fread(bytes, 1, (size_t)size, in), (size_t)size);
	fclose(in);
	*len = (size_t)size;
	return bytes;
}

static void write_image_bytes(const struct fixture *f, uint64_t offset, const void *bytes, size_t len)
{
	int fd = open(f->image, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, (off_t)offset), (ssize_t)len);
	close(fd);
}

/* --- running the install ---------------------------------------------------- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_installer.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->image, sizeof(f->image), "%s/disk.img", f->dir);
	snprintf(f->root, sizeof(f->root), "%s/root", f->dir);
	f->o.image = f->image;
	f->o.kernel = INSTALL_DEFAULT_KERNEL;
	f->o.cmdline = "";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	run("rm -rf %s", f->dir);
	install_result_free(&f->r);
	free(f->out_text);
	free(f->err_text);
	free(f);
	return 0;
}

/* install_run with f->o, capturing what it prints; returns its exit status. */
static int install(struct fixture *f)
{
	int status;

	free(f->out_text);
	free(f->err_text);
	install_result_free(&f->r);
	f->o.out = open_memstream(&f->out_text, &f->out_len);
	f->o.err = open_memstream(&f->err_text, &f->err_len);
	status = install_run(&f->o, &f->r);
	fclose(f->o.out);
	fclose(f->o.err);
	return status;
}

static void assert_contains(const char *text, const char *expected)
{
	if (!strstr(text, expected))
		fail_msg("expected \"%s\" in:\n%s", expected, text);
}

/* Run an install that the checks must refuse with id as the first error,
 * and check that it wrote nothing. */
static void assert_refused(struct fixture *f, enum diag_id id)
{
	size_t before_len, after_len;
	uint8_t *before = read_image(f, &before_len);
	uint8_t *after;

	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_REFUSED);
	assert_int_equal(f->r.failed, CHECK_FINDINGS);
	assert_int_equal(f->r.diag.id, id);
	assert_string_equal(f->out_text, "");
	assert_contains(f->err_text, "not installed: ");
	assert_contains(f->err_text, "--force installs anyway");
	after = read_image(f, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

static size_t stage_bytes(void)
{
	return bootinst_stage_image_size();
}

/* Every byte install may not write is as it was: only LBA 0 bytes
 * 0..0x1B7 and the stage's sectors from LBA 1 may differ. */
static void assert_only_install_ranges_differ(const uint8_t *before, const uint8_t *after, size_t len)
{
	size_t stage_end = MBR_SECTOR_SIZE + stage_bytes();

	assert_memory_equal(after + MBR_BOOT_CODE_MAX, before + MBR_BOOT_CODE_MAX,
			    MBR_SECTOR_SIZE - MBR_BOOT_CODE_MAX);
	assert_memory_equal(after + stage_end, before + stage_end, len - stage_end);
}

/* The stage on disk: its CRC verifies and it is the embedded stage with
 * only the install record and the checksum changed. */
static const struct bootinst_stage_header *assert_stage_valid(const uint8_t *image)
{
	const struct bootinst_stage_header *h = (const void *)(image + MBR_SECTOR_SIZE);
	const struct bootinst_stage_header *blob = (const void *)bootinst_stage_image;
	uint8_t *copy = malloc(h->image_size);
	uint32_t crc;

	assert_memory_equal(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	assert_int_equal(h->image_size, blob->image_size);
	memcpy(copy, h, h->image_size);
	((struct bootinst_stage_header *)copy)->checksum = 0;
	crc = crc32_ieee(0, copy, h->image_size);
	assert_int_equal(h->checksum, crc);
	free(copy);
	assert_memory_equal((const uint8_t *)h + sizeof(*h), bootinst_stage_image + sizeof(*h),
			    stage_bytes() - sizeof(*h));
	return h;
}

static void assert_mbr_installed(const uint8_t *image)
{
	const struct mbr_sector *mbr = (const void *)image;
	const struct bootinst_stage_header *blob = (const void *)bootinst_stage_image;

	assert_memory_equal(mbr->boot_code, bootinst_mbr_code, MBR_PATCH_OFF);
	assert_int_equal(mbr->patch.magic, MBR_PATCH_MAGIC);
	assert_int_equal(mbr->patch.stage_lba, BOOTINST_STAGE_LBA);
	assert_int_equal(mbr->patch.stage_sectors, stage_bytes() / 512);
	assert_int_equal(mbr->patch.stage_version, blob->version);
}

/* --- write hooks: the failures a real image cannot produce on demand ------ */

static unsigned hook_calls;

/* The first write (the stage) lands; the second (the MBR code) writes
 * half its bytes and then fails, like a disk that fills or goes away. */
static ssize_t fail_second_write(int fd, const void *buf, size_t len, off_t offset)
{
	if (++hook_calls == 2) {
		if (pwrite(fd, buf, len / 2, offset) < 0)
			return -1;
		errno = EIO;
		return -1;
	}
	return pwrite(fd, buf, len, offset);
}

/* The first write (the stage) lands with one byte flipped, as bad media
 * would store it: only reading it back can tell. */
static ssize_t corrupt_first_write(int fd, const void *buf, size_t len, off_t offset)
{
	if (++hook_calls == 1) {
		uint8_t *copy = malloc(len);
		ssize_t done;
		memcpy(copy, buf, len);
		copy[len - 1] ^= 0xff;
		done = pwrite(fd, copy, len, offset);
		free(copy);
		return done;
	}
	return pwrite(fd, buf, len, offset);
}

/* === failures ============================================================= */

static void test_install_options_problem_relative_kernel_path(void **state)
{
	struct fixture *f = *state;

	f->o.kernel = "boot/vmlinuz";
	assert_non_null(install_options_problem(&f->o));
	assert_contains(install_options_problem(&f->o), "absolute path");
}

static void test_install_run_cmdline_longer_than_record(void **state)
{
	struct fixture *f = *state;
	char *line = malloc(BOOTINST_CMDLINE_MAX + 1);

	/* a kernel that claims to take more than the record holds */
	populate_boot(f, 4 * BOOTINST_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
	memset(line, 'x', BOOTINST_CMDLINE_MAX);
	line[BOOTINST_CMDLINE_MAX] = 0;
	f->o.cmdline = line;
	assert_refused(f, DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(f->r.diag.value, BOOTINST_CMDLINE_MAX);
	assert_int_equal(f->r.diag.limit, BOOTINST_CMDLINE_MAX - 1);
	/* not even --force: the record cannot hold it */
	f->o.force = 1;
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.failed, CHECK_CANNOT_INSTALL);
	assert_contains(f->err_text, "the command line does not fit the install record");
	free(line);
}

static void test_install_run_image_missing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_CALL_FAILED);
	assert_int_equal(f->r.failed, CHECK_IMAGE);
	assert_contains(f->err_text, "while opening");
	assert_contains(f->err_text, "No such file or directory");
}

static void test_install_run_no_partition_table(void **state)
{
	struct fixture *f = *state;

	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, NULL, 0, IMAGE_KIB);   /* "superfloppy": fs on the whole disk */
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->err_text, "disk.img: partition table: E05 the partition table is invalid: there is none");
	assert_contains(f->err_text, "fix: ");
}

static void test_install_run_gpt_table(void **state)
{
	struct fixture *f = *state;

	make_disk(f, IMAGE_KIB, "label: gpt\\nstart=2048, type=L\\n", 0, 0);
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->err_text, "E05 the partition table is invalid: it is a gpt partition table");
}

static void test_install_run_partition_past_image_end(void **state)
{
	struct fixture *f = *state;
	uint8_t sectors[4];

	make_standard_disk(f);
	put_le32(sectors, PART_SECTORS + 100);
	write_image_bytes(f, MBR_PART_TABLE_OFF + 12, sectors, 4);
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->err_text, "partition 1 (sectors 2048..16483) ends past the end of the disk (16384 sectors)");
}

static void test_install_run_overlapping_partitions(void **state)
{
	struct fixture *f = *state;
	struct mbr_partition_entry second = { .type = 0x83, .lba_first = 4096, .sectors = 1024 };

	make_standard_disk(f);
	write_image_bytes(f, MBR_PART_TABLE_OFF + sizeof(second), &second, sizeof(second));
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->err_text, "partitions 1 and 2 overlap (sectors 2048..16383 and 4096..5119)");
}

static void test_install_run_partition_number_not_in_table(void **state)
{
	struct fixture *f = *state;

	make_standard_disk(f);
	f->o.partition = 3;
	assert_refused(f, DIAG_NO_PARTITION);
	assert_int_equal(f->r.diag.value, 3);
	assert_contains(f->err_text, "disk.img: partition 3: E22 partition 3 is missing");
}

static void test_install_run_no_active_or_linux_partition(void **state)
{
	struct fixture *f = *state;

	make_disk(f, IMAGE_KIB, "start=2048, type=c\\n", 0, 0);
	assert_refused(f, DIAG_NO_BOOT_PARTITION);
	assert_contains(f->err_text, "partition table: I05 no partition to boot: none is active and none has the Linux type 0x83");
	assert_contains(f->err_text, "--partition N");
}

static void test_install_run_partition_not_ext2(void **state)
{
	struct fixture *f = *state;

	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", 0, 0);
	assert_refused(f, DIAG_NOT_EXT2);
	/* the stage's words, what it prints at boot; libext2fs's in the hint */
	assert_contains(f->err_text, "partition 1: E17 cannot mount the partition: no ext2 superblock magic (0xEF53) at byte 1080");
	assert_contains(f->err_text, "libext2fs says: Bad magic number in super-block");
}

/* The tutorials' mistake: mke2fs sized for the whole disk, not the
 * partition.  Partition: 4 MiB from sector 2048; filesystem: 8 MiB. */
static void test_install_run_filesystem_larger_than_partition(void **state)
{
	struct fixture *f = *state;

	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, 16384, "start=2048, size=8192, type=83, bootable\\n", PART_START, 8192);
	assert_refused(f, DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(f->r.diag.limit, 8191);
	assert_int_equal(f->r.diag.value, 16383);
	assert_contains(f->err_text, "partition 1: E24 block 8191 of the filesystem (8192 blocks of 1024 bytes = 16384 sectors) "
			"lies past the end of its partition (");
	assert_contains(f->err_text, " sector 16383 of the partition; the last is 8191)");
	assert_contains(f->err_text, "mke2fs -E offset=1048576");
	assert_contains(f->err_text, " 4096k ");
}

static void test_install_run_kernel_missing(void **state)
{
	struct fixture *f = *state;

	make_standard_disk(f);
	f->o.kernel = "/boot/bzImage";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_contains(f->err_text, "disk.img: /boot/bzImage: E15 file not found: /boot/bzImage");
}

static void test_install_run_kernel_is_directory(void **state)
{
	struct fixture *f = *state;

	make_standard_disk(f);
	f->o.kernel = "/boot";
	assert_refused(f, DIAG_BAD_FILE_TYPE);
	assert_contains(f->err_text, "E02 /boot is not a regular file");
}

static void test_install_run_kernel_not_bzimage(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "this is not a kernel\n";
	char path[160];

	populate_boot(f, KERNEL_CMDLINE_MAX);
	snprintf(path, sizeof(path), "%s/boot/notes.txt", f->root);
	write_file(path, text, sizeof(text));
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
	f->o.kernel = "/boot/notes.txt";
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_REFUSED);
	assert_int_equal(f->r.failed, CHECK_FINDINGS);
	/* too short for a setup header (E14) or not one (E13): either way a kernel failure */
	assert_true(f->r.diag.id == DIAG_NOT_BZIMAGE || f->r.diag.id == DIAG_SHORT_READ);
	assert_contains(f->err_text, "disk.img: /boot/notes.txt: E1");
}

static void test_install_run_cmdline_too_long(void **state)
{
	struct fixture *f = *state;
	char line[101];

	populate_boot(f, 64);
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
	memset(line, 'c', 100);
	line[100] = 0;
	f->o.cmdline = line;
	assert_refused(f, DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(f->r.diag.value, 100);
	assert_int_equal(f->r.diag.limit, 64);
	assert_contains(f->err_text, "command line: E40 the command line is 100 bytes; the kernel accepts at most 64");
}

static void test_install_run_initrd_missing(void **state)
{
	struct fixture *f = *state;

	make_standard_disk(f);
	f->o.initrd = "/boot/initramfs.gz";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_contains(f->err_text, "E15 file not found: /boot/initramfs.gz");
}

static void test_install_run_gap_too_small(void **state)
{
	struct fixture *f = *state;
	char expected[160];

	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, "start=8, type=83, bootable\\n", 8, (IMAGE_KIB * 2 - 8) / 2);
	assert_refused(f, DIAG_GAP_TOO_SMALL);
	snprintf(expected, sizeof(expected),
		 "stage: I01 the gap after the MBR is 7 sectors; the stage needs %zu (the first partition starts at sector 8)",
		 stage_bytes() / 512);
	assert_contains(f->err_text, expected);
	assert_contains(f->err_text, "fix: start the first partition at sector 2048");
}

static void test_install_run_foreign_gap_refused(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";

	make_standard_disk(f);
	write_image_bytes(f, 3 * 512 + 7, loader, sizeof(loader));
	assert_refused(f, DIAG_GAP_FOREIGN);
	assert_contains(f->err_text, "stage: I02 the sectors after the MBR hold data that is not a bootinst stage (non-zero bytes, first at sector 3)");
	assert_contains(f->err_text, "from byte 7 of sector 3");
	assert_contains(f->err_text, "--force");
}

/* Every error is printed, not just the first: a missing kernel and a
 * missing initrd are two findings of one refused install. */
static void test_install_run_prints_every_error(void **state)
{
	struct fixture *f = *state;

	make_standard_disk(f);
	f->o.kernel = "/boot/bzImage";
	f->o.initrd = "/boot/initramfs.gz";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_int_equal(findings_count(&f->r.findings, FINDING_ERROR), 2);
	assert_contains(f->err_text, "disk.img: /boot/bzImage: E15 file not found: /boot/bzImage");
	assert_contains(f->err_text, "disk.img: /boot/initramfs.gz: E15 file not found: /boot/initramfs.gz");
	assert_contains(f->err_text, "not installed: 2 errors");
}

/* --force installs despite errors, but cannot put the stage where there is
 * no room for it: that would overwrite the first partition. */
static void test_install_run_forced_without_room(void **state)
{
	struct fixture *f = *state;
	size_t before_len, after_len;
	uint8_t *before, *after;

	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, "start=8, type=83, bootable\\n", 8, (IMAGE_KIB * 2 - 8) / 2);
	before = read_image(f, &before_len);
	f->o.force = 1;
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_REFUSED);
	assert_int_equal(f->r.failed, CHECK_CANNOT_INSTALL);
	assert_int_equal(f->r.diag.id, DIAG_GAP_TOO_SMALL);
	assert_contains(f->err_text, "not installed, even with --force: the stage does not fit before the first partition");
	after = read_image(f, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

static void test_install_run_write_failure_restores_image(void **state)
{
	struct fixture *f = *state;
	size_t before_len, after_len;
	uint8_t *before, *after;

	make_standard_disk(f);
	before = read_image(f, &before_len);
	hook_calls = 0;
	f->o.write_at = fail_second_write;
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_WRITE_UNDONE);
	assert_true(hook_calls >= 2);
	assert_contains(f->err_text, "while writing the MBR boot code of");
	assert_contains(f->err_text, "every original byte was restored");
	after = read_image(f, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

static void test_install_run_readback_mismatch_restores_image(void **state)
{
	struct fixture *f = *state;
	size_t before_len, after_len;
	uint8_t *before, *after;

	make_standard_disk(f);
	before = read_image(f, &before_len);
	hook_calls = 0;
	f->o.write_at = corrupt_first_write;
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_WRITE_UNDONE);
	assert_contains(f->err_text, "while writing the stage of");
	assert_contains(f->err_text, "reads back");
	after = read_image(f, &after_len);
	assert_memory_equal(after, before, before_len);
	assert_int_equal(after_len, before_len);
	free(before);
	free(after);
}

/* === installs ============================================================= */

static void test_install_run_dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;
	size_t before_len, after_len;
	uint8_t *before, *after;

	make_standard_disk(f);
	before = read_image(f, &before_len);
	f->o.dry_run = 1;
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.status, INSTALL_DONE);
	assert_contains(f->out_text, "dry run, nothing written; install would write:");
	assert_contains(f->out_text, "440 bytes of boot code at LBA 0");
	after = read_image(f, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

/* Foreign boot code and a disk signature in place: install replaces the
 * code, keeps signature, table and 55 AA, and touches nothing else. */
static void test_install_run_preserves_every_other_byte(void **state)
{
	struct fixture *f = *state;
	uint8_t foreign_code[MBR_PATCH_OFF];
	size_t before_len, after_len;
	uint8_t *before, *after;

	make_standard_disk(f);
	for (size_t i = 0; i < sizeof(foreign_code); i++)
		foreign_code[i] = (uint8_t)(0x90 + i);
	write_image_bytes(f, 0, foreign_code, sizeof(foreign_code));
	before = read_image(f, &before_len);
	assert_int_not_equal(((struct mbr_sector *)before)->disk_signature, 0);

	assert_int_equal(install(f), 0);
	assert_string_equal(f->err_text, "");
	assert_true(f->r.replaced_foreign_code);
	assert_contains(f->out_text, "replaced foreign boot code");
	after = read_image(f, &after_len);
	assert_int_equal(after_len, before_len);
	assert_only_install_ranges_differ(before, after, before_len);
	assert_mbr_installed(after);
	assert_stage_valid(after);
	free(before);
	free(after);
}

static void test_install_run_stage_record_holds_request(void **state)
{
	struct fixture *f = *state;
	const struct bootinst_stage_header *h;
	const struct mbr_sector *mbr;
	size_t len;
	uint8_t *after;

	make_standard_disk(f);
	f->o.initrd = "/boot/initrd.img";
	f->o.cmdline = "console=ttyS0 root=/dev/sda1";
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.kernel_bytes, KERNEL_BYTES);
	assert_int_equal(f->r.kernel_protocol, 0x020f);
	assert_int_equal(f->r.initrd_bytes, INITRD_BYTES);
	assert_contains(f->out_text, "kernel     /boot/vmlinuz, 68096 bytes, boot protocol 2.15");
	assert_contains(f->out_text, "partition  1, type 0x83, start 2048, 14336 sectors");

	after = read_image(f, &len);
	mbr = (const void *)after;
	h = assert_stage_valid(after);
	assert_int_equal(h->rec.disk_signature, mbr->disk_signature);
	assert_int_equal(h->rec.partition, 1);
	assert_int_equal(h->rec.partition_type, 0x83);
	assert_int_equal(h->rec.part_start_lba, PART_START);
	assert_int_equal(h->rec.part_sectors, PART_SECTORS);
	assert_int_equal(h->rec.flags, BOOTINST_REC_HAVE_INITRD);
	assert_string_equal(h->rec.kernel, "/boot/vmlinuz");
	assert_string_equal(h->rec.initrd, "/boot/initrd.img");
	assert_string_equal(h->rec.cmdline, "console=ttyS0 root=/dev/sda1");
	free(after);
}

/* With --force, foreign data in the gap is overwritten and said so. */
static void test_install_run_foreign_gap_forced(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";
	size_t before_len, after_len;
	uint8_t *before, *after;

	make_standard_disk(f);
	write_image_bytes(f, 512, loader, sizeof(loader));
	before = read_image(f, &before_len);
	f->o.force = 1;
	assert_int_equal(install(f), 0);
	assert_contains(f->out_text, "overwrote foreign data (--force)");
	after = read_image(f, &after_len);
	assert_only_install_ranges_differ(before, after, before_len);
	assert_stage_valid(after);
	free(before);
	free(after);
}

/* A second install over the first: allowed, and the disk then holds one
 * install, the second's, as if the first had never been made. */
static void test_install_run_reinstall_replaces_first(void **state)
{
	struct fixture *f = *state;
	size_t original_len, once_len, twice_len;
	uint8_t *original, *once, *twice;
	const struct bootinst_stage_header *h;

	make_standard_disk(f);
	original = read_image(f, &original_len);
	f->o.initrd = "/boot/initrd.img";
	f->o.cmdline = "first";
	assert_int_equal(install(f), 0);
	once = read_image(f, &once_len);

	f->o.initrd = NULL;
	f->o.cmdline = "second";
	f->o.kernel = "/boot/vmlinuz-test";
	assert_int_equal(install(f), 0);
	assert_true(f->r.replaced_stage);
	assert_false(f->r.replaced_foreign_code);
	assert_contains(f->out_text, "replaced an earlier bootinst MBR");
	assert_contains(f->out_text, "replaced an earlier bootinst stage");
	twice = read_image(f, &twice_len);

	assert_only_install_ranges_differ(original, twice, original_len);
	assert_memory_equal(twice, once, MBR_BOOT_CODE_MAX);   /* same MBR code and patch */
	assert_mbr_installed(twice);
	h = assert_stage_valid(twice);
	assert_int_equal(h->rec.flags, 0);
	assert_string_equal(h->rec.initrd, "");
	assert_string_equal(h->rec.cmdline, "second");
	assert_string_equal(h->rec.kernel, "/boot/vmlinuz-test");
	free(original);
	free(once);
	free(twice);
}

/* No --partition: the active one wins over an earlier Linux one. */
static void test_install_run_default_partition_is_active_one(void **state)
{
	struct fixture *f = *state;

	populate_boot(f, KERNEL_CMDLINE_MAX);
	make_disk(f, IMAGE_KIB, "start=2048, size=4096, type=83\\nstart=6144, type=83, bootable\\n",
		  6144, (IMAGE_KIB * 2 - 6144) / 2);
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.partition, 2);
	assert_int_equal(f->r.part_start, 6144);
}

/* --force installs what the checks refuse, says so, and records what was
 * asked: the stage then stops at boot with the same code (E15 here). */
static void test_install_run_forced_despite_error(void **state)
{
	struct fixture *f = *state;
	const struct bootinst_stage_header *h;
	size_t len;
	uint8_t *after;

	make_standard_disk(f);
	f->o.kernel = "/boot/bzImage";
	f->o.force = 1;
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.status, INSTALL_DONE);
	assert_int_equal(f->r.diag.id, DIAG_FILE_NOT_FOUND);
	assert_contains(f->err_text, "E15 file not found: /boot/bzImage");
	assert_contains(f->err_text, "installing despite 1 error (--force)");
	assert_contains(f->out_text, "installed");
	after = read_image(f, &len);
	h = assert_stage_valid(after);
	assert_string_equal(h->rec.kernel, "/boot/bzImage");
	free(after);
}

/* A warning prints but does not stop the install: a broken
 * /boot/bootinst.cfg, which the stage ignores at boot (E41). */
static void test_install_run_warning_does_not_block(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "kernel /boot/vmlinuz\nbogus line\n";
	char path[160];

	populate_boot(f, KERNEL_CMDLINE_MAX);
	snprintf(path, sizeof(path), "%s/boot/bootinst.cfg", f->root);
	write_file(path, config, sizeof(config) - 1);
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.status, INSTALL_DONE);
	assert_contains(f->err_text, "disk.img: /boot/bootinst.cfg: warning: E41 /boot/bootinst.cfg line 2: ");
	assert_contains(f->err_text, "ignores the file and boots what install recorded");
	assert_contains(f->out_text, "installed");
}

/* The summary shows what boots: /boot/bootinst.cfg overrides the record. */
static void test_install_run_summary_names_config_override(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "cmdline console=ttyS0 from-config\n";
	char path[160];

	populate_boot(f, KERNEL_CMDLINE_MAX);
	snprintf(path, sizeof(path), "%s/boot/bootinst.cfg", f->root);
	write_file(path, config, sizeof(config) - 1);
	make_disk(f, IMAGE_KIB, "start=2048, type=83, bootable\\n", PART_START, PART_SECTORS / 2);
	f->o.cmdline = "console=ttyS0";
	assert_int_equal(install(f), 0);
	assert_string_equal(f->err_text, "");
	assert_contains(f->out_text, "cmdline    \"console=ttyS0 from-config\" (from /boot/bootinst.cfg)");
	assert_contains(f->out_text, "kernel     /boot/vmlinuz, 68096 bytes");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	/* sfdisk and mke2fs live in sbin, which a normal user's PATH may lack */
	char path[4096];
	snprintf(path, sizeof(path), "%s:/usr/sbin:/sbin", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path, 1);

	const struct CMUnitTest tests[] = {
		T(test_install_options_problem_relative_kernel_path),
		T(test_install_run_cmdline_longer_than_record),
		T(test_install_run_image_missing),
		T(test_install_run_no_partition_table),
		T(test_install_run_gpt_table),
		T(test_install_run_partition_past_image_end),
		T(test_install_run_overlapping_partitions),
		T(test_install_run_partition_number_not_in_table),
		T(test_install_run_no_active_or_linux_partition),
		T(test_install_run_partition_not_ext2),
		T(test_install_run_filesystem_larger_than_partition),
		T(test_install_run_kernel_missing),
		T(test_install_run_kernel_is_directory),
		T(test_install_run_kernel_not_bzimage),
		T(test_install_run_cmdline_too_long),
		T(test_install_run_initrd_missing),
		T(test_install_run_gap_too_small),
		T(test_install_run_foreign_gap_refused),
		T(test_install_run_prints_every_error),
		T(test_install_run_forced_without_room),
		T(test_install_run_write_failure_restores_image),
		T(test_install_run_readback_mismatch_restores_image),
		T(test_install_run_dry_run_writes_nothing),
		T(test_install_run_preserves_every_other_byte),
		T(test_install_run_stage_record_holds_request),
		T(test_install_run_foreign_gap_forced),
		T(test_install_run_reinstall_replaces_first),
		T(test_install_run_default_partition_is_active_one),
		T(test_install_run_forced_despite_error),
		T(test_install_run_warning_does_not_block),
		T(test_install_run_summary_names_config_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
