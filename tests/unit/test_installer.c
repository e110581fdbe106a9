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
 * compared byte for byte before and after (disk_fixture.c makes and
 * compares the images).  Failures first, then installs.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crc32.h"
#include "disk_fixture.h"
#include "install.h"
#include "record.h"
#include "uninstall.h"
#include "linux_boot.h"
#include "mbr.h"
#include "stage_header.h"
#include "payload/blobs.h"
#include "payload/stage_image.h"

#define KERNEL_CMDLINE_MAX 2047u                /* good_kernel's cmdline_size */

struct fixture {
	struct disk_fixture disk;
	struct captured_output cap;
	struct install_options o;
	struct install_result r;
};

/* --- running the install ---------------------------------------------------- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || disk_fixture_create(&f->disk, "test_installer"))
		return -1;
	f->o.image = f->disk.image;
	f->o.kernel = BOOTINST_DEFAULT_KERNEL;
	f->o.cmdline = "";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	disk_fixture_remove(&f->disk);
	install_result_free(&f->r);
	capture_free(&f->cap);
	free(f);
	return 0;
}

/* install_run with f->o, capturing what it prints; returns its exit status. */
static int install(struct fixture *f)
{
	int status;

	install_result_free(&f->r);
	capture_start(&f->cap);
	f->o.out = f->cap.out;
	f->o.err = f->cap.err;
	status = install_run(&f->o, &f->r);
	capture_stop(&f->cap);
	return status;
}

/* uninstall_run on the fixture's image, capturing what it prints. */
static int uninstall(struct fixture *f, const char *backup)
{
	struct uninstall_options u = { .image = f->disk.image, .backup = backup };
	int status;

	capture_start(&f->cap);
	u.out = f->cap.out;
	u.err = f->cap.err;
	status = uninstall_run(&u);
	capture_stop(&f->cap);
	return status;
}

/* The standard disk with a kernel whose header takes cmdline_size bytes. */
static void make_disk_with_cmdline_size(struct fixture *f, uint32_t cmdline_size)
{
	struct kernel_spec spec = good_kernel;

	spec.cmdline_size = cmdline_size;
	disk_make_standard(&f->disk, &spec);
}

/* Run an install that must exit with exit_status and end in status, and
 * leave every byte of the image as it was. */
static void assert_install_writes_nothing(struct fixture *f, int exit_status, enum install_status status)
{
	struct disk_snapshot before = disk_snapshot_take(&f->disk);

	assert_int_equal(install(f), exit_status);
	assert_int_equal(f->r.status, status);
	disk_assert_unchanged(&f->disk, &before);
}

/* Run an install that the checks must refuse with id as the first error,
 * and check that it wrote nothing. */
static void assert_refused(struct fixture *f, enum diag_id id)
{
	assert_install_writes_nothing(f, 1, INSTALL_REFUSED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_FINDINGS);
	assert_int_equal(f->r.diag.id, id);
	assert_string_equal(f->cap.out_text, "");
	assert_contains(f->cap.err_text, "not installed: ");
	assert_contains(f->cap.err_text, "--force installs anyway");
}

/* Where the MBR's patch area says the stage is: its first byte. */
static size_t stage_offset(const uint8_t *image)
{
	return (size_t)((const struct mbr_sector *)image)->patch.stage_lba * MBR_SECTOR_SIZE;
}

/* The stage the MBR boots on image: its image_size, whole sectors. */
static size_t stage_bytes(const uint8_t *image)
{
	const struct bootinst_stage_header *h = (const void *)(image + stage_offset(image));

	return (h->image_size + MBR_SECTOR_SIZE - 1) / MBR_SECTOR_SIZE * MBR_SECTOR_SIZE;
}

/* A fresh disk's backup: its MBR code was all zeros. */
static const struct record_backup *zero_mbr_backup(void)
{
	static struct record_backup b;
	static const uint8_t zeros[MBR_BOOT_CODE_MAX];

	stage_backup_of_mbr(&b, zeros);
	return &b;
}

/* Every byte install may not write is as it was: only LBA 0 bytes
 * 0..0x1B7 and sectors after the MBR and before the first partition (at
 * 2048 on the standard disk: where the stage may go, written only where
 * they held zeros or stages of ours) may differ. */
static void assert_only_install_ranges_differ(const struct disk_snapshot *before,
					      const struct disk_snapshot *after)
{
	size_t gap_end = (size_t)DISK_PART_START * MBR_SECTOR_SIZE;

	assert_int_equal(after->len, before->len);
	assert_memory_equal(after->bytes + MBR_BOOT_CODE_MAX, before->bytes + MBR_BOOT_CODE_MAX,
			    MBR_SECTOR_SIZE - MBR_BOOT_CODE_MAX);
	assert_memory_equal(after->bytes + gap_end, before->bytes + gap_end, before->len - gap_end);
	for (size_t i = MBR_SECTOR_SIZE; i < gap_end; i++) {
		size_t from = stage_offset(after->bytes), to = from + stage_bytes(after->bytes);
		if (i >= from && i < to)
			continue;
		/* outside the stage the MBR boots: as before, or zeroed */
		if (after->bytes[i] != before->bytes[i] && after->bytes[i] != 0)
			fail_msg("byte %zu of the gap is 0x%02x, was 0x%02x, outside the stage at %zu..%zu",
				 i, after->bytes[i], before->bytes[i], from, to - 1);
	}
}

/* The stage on disk: its CRC verifies and it is the embedded stage with
 * only the install record and the checksum changed. */
/* The installed stage: the built code unchanged after its header, a
 * matching CRC, and its record's strings read back into *recorded. */
static const struct bootinst_stage_header *assert_stage_valid(const uint8_t *image,
							      struct boot_config *recorded)
{
	const struct bootinst_stage_header *h = (const void *)(image + stage_offset(image));
	uint8_t *copy = malloc(h->image_size);
	struct diag d;
	uint32_t crc;

	assert_memory_equal(h->magic, BOOTINST_STAGE_MAGIC, BOOTINST_STAGE_MAGIC_LEN);
	assert_int_equal(h->rec.code_size, bootinst_stage_image_size());
	assert_int_equal(h->image_size % MBR_SECTOR_SIZE, 0);
	memcpy(copy, h, h->image_size);
	((struct bootinst_stage_header *)copy)->checksum = 0;
	crc = crc32_ieee(0, copy, h->image_size);
	assert_int_equal(h->checksum, crc);
	free(copy);
	assert_memory_equal((const uint8_t *)h + sizeof(*h), bootinst_stage_image + sizeof(*h),
			    bootinst_stage_image_size() - sizeof(*h));
	assert_int_equal(record_settings(h, recorded, &d), DIAG_OK);
	return h;
}

static void assert_mbr_installed(const uint8_t *image)
{
	const struct mbr_sector *mbr = (const void *)image;
	const struct bootinst_stage_header *blob = (const void *)bootinst_stage_image;

	assert_memory_equal(mbr->boot_code, bootinst_mbr_code, MBR_PATCH_OFF);
	assert_int_equal(mbr->patch.magic, MBR_PATCH_MAGIC);
	assert_true(mbr->patch.stage_lba >= BOOTINST_STAGE_LBA);
	assert_int_equal(mbr->patch.stage_sectors, stage_bytes(image) / 512);
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

/* The standard disk, installed through hook: the install must fail and put
 * every byte back. */
static void assert_write_undone(struct fixture *f, write_at_fn hook)
{
	disk_make_standard(&f->disk, &good_kernel);
	hook_calls = 0;
	f->o.write_at = hook;
	assert_install_writes_nothing(f, 1, INSTALL_WRITE_UNDONE);
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
	make_disk_with_cmdline_size(f, 4 * BOOTINST_CMDLINE_MAX);
	memset(line, 'x', BOOTINST_CMDLINE_MAX);
	line[BOOTINST_CMDLINE_MAX] = 0;
	f->o.cmdline = line;
	assert_refused(f, DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(f->r.diag.value, BOOTINST_CMDLINE_MAX);
	assert_int_equal(f->r.diag.limit, BOOTINST_CMDLINE_MAX - 1);
	/* not even --force: the record cannot hold it */
	f->o.force = 1;
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_CANNOT);
	assert_contains(f->cap.err_text, "the command line does not fit the install record");
	free(line);
}

static void test_install_run_image_missing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_CALL_FAILED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_IMAGE);
	assert_contains(f->cap.err_text, "while opening");
	assert_contains(f->cap.err_text, "No such file or directory");
}

static void test_install_run_no_partition_table(void **state)
{
	struct fixture *f = *state;

	disk_populate_root(&f->disk, &good_kernel);
	disk_make(&f->disk, DISK_IMAGE_KIB, NULL, 0, DISK_IMAGE_KIB);   /* "superfloppy": fs on the whole disk */
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->cap.err_text, "disk.img: partition table: E05: this disk has no partition table: bootinst boots only from a valid DOS (MBR) partition table");
	assert_contains(f->cap.err_text, "fix: ");
}

static void test_install_run_gpt_table(void **state)
{
	struct fixture *f = *state;

	disk_make_table(&f->disk, DISK_IMAGE_KIB, "label: gpt\\nstart=2048, type=L\\n");
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->cap.err_text, "E05: this disk has a GPT partition table: bootinst boots only from a valid DOS (MBR) partition table");
}

static void test_install_run_partition_past_image_end(void **state)
{
	struct fixture *f = *state;
	uint8_t sectors[4];

	disk_make_standard(&f->disk, &good_kernel);
	fixture_put_le32(sectors, DISK_PART_SECTORS + 100);
	disk_write(&f->disk, MBR_PART_TABLE_OFF + 12, sectors, 4);
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->cap.err_text, "partition 1 (sectors 2048..16483) ends past the end of the disk (16384 sectors)");
}

static void test_install_run_overlapping_partitions(void **state)
{
	struct fixture *f = *state;
	struct mbr_partition_entry second = { .type = 0x83, .lba_first = 4096, .sectors = 1024 };

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, MBR_PART_TABLE_OFF + sizeof(second), &second, sizeof(second));
	assert_refused(f, DIAG_PART_TABLE_INVALID);
	assert_contains(f->cap.err_text, "partitions 1 and 2 overlap (sectors 2048..16383 and 4096..5119)");
}

static void test_install_run_partition_number_not_in_table(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.partition = 3;
	assert_install_writes_nothing(f, 1, INSTALL_CALL_FAILED);
	assert_contains(f->cap.err_text, "--partition 3: the partition table has no partition 3 (it has 1)");
}

static void test_install_run_no_active_or_linux_partition(void **state)
{
	struct fixture *f = *state;

	disk_make_table(&f->disk, DISK_IMAGE_KIB, "start=2048, type=c\\n");
	assert_refused(f, DIAG_NO_BOOT_PARTITION);
	assert_contains(f->cap.err_text, "partition table: I05: no partition to boot: none is active and none has the Linux type 0x83");
	assert_contains(f->cap.err_text, "--partition N");
}

static void test_install_run_partition_not_ext2(void **state)
{
	struct fixture *f = *state;

	disk_make_table(&f->disk, DISK_IMAGE_KIB, DISK_STANDARD_TABLE);
	assert_refused(f, DIAG_NOT_EXT2);
	/* the stage's words, what it prints at boot; libext2fs's in the hint */
	assert_contains(f->cap.err_text, "partition 1: E17: cannot mount the partition: no ext2 superblock magic (0xEF53) at byte 1080");
	assert_contains(f->cap.err_text, "libext2fs says: Bad magic number in super-block");
}

/* The tutorials' mistake: mke2fs sized for the whole disk, not the
 * partition.  Partition: 4 MiB from sector 2048; filesystem: 8 MiB. */
static void test_install_run_filesystem_larger_than_partition(void **state)
{
	struct fixture *f = *state;

	disk_populate_root(&f->disk, &good_kernel);
	disk_make(&f->disk, 16384, "start=2048, size=8192, type=83, bootable\\n", DISK_PART_START, 8192);
	assert_refused(f, DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(f->r.diag.limit, 8191);
	assert_int_equal(f->r.diag.value, 16383);
	assert_contains(f->cap.err_text, "partition 1: E24: block 8191 of the filesystem (8192 blocks of 1024 bytes = 16384 sectors) "
			"lies past the end of its partition (");
	assert_contains(f->cap.err_text, " sector 16383 of the partition; the last is 8191)");
	assert_contains(f->cap.err_text, "mke2fs -E offset=1048576");
	assert_contains(f->cap.err_text, " 4096k ");
}

static void test_install_run_kernel_missing(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.kernel = "/boot/bzImage";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_contains(f->cap.err_text, "disk.img: /boot/bzImage: E15: file not found: /boot/bzImage");
}

static void test_install_run_kernel_is_directory(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.kernel = "/boot";
	assert_refused(f, DIAG_BAD_FILE_TYPE);
	assert_contains(f->cap.err_text, "E02: /boot is not a regular file");
}

static void test_install_run_kernel_not_bzimage(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "this is not a kernel\n";

	disk_make_standard_with_file(&f->disk, "/boot/notes.txt", text, sizeof(text));
	f->o.kernel = "/boot/notes.txt";
	assert_int_equal(install(f), 1);
	assert_int_equal(f->r.status, INSTALL_REFUSED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_FINDINGS);
	/* too short for a setup header (E14) or not one (E13): either way a kernel failure */
	assert_true(f->r.diag.id == DIAG_NOT_BZIMAGE || f->r.diag.id == DIAG_SHORT_READ);
	assert_contains(f->cap.err_text, "disk.img: /boot/notes.txt: E1");
}

static void test_install_run_cmdline_too_long(void **state)
{
	struct fixture *f = *state;
	char line[101];

	make_disk_with_cmdline_size(f, 64);
	memset(line, 'c', 100);
	line[100] = 0;
	f->o.cmdline = line;
	assert_refused(f, DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(f->r.diag.value, 100);
	assert_int_equal(f->r.diag.limit, 64);
	assert_contains(f->cap.err_text, "command line: E40: the command line is 100 bytes; the kernel accepts at most 64");
}

static void test_install_run_initrd_missing(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.initrd = "/boot/initramfs.gz";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_contains(f->cap.err_text, "E15: file not found: /boot/initramfs.gz");
}

static void test_install_run_gap_too_small(void **state)
{
	struct fixture *f = *state;
	char expected[160];

	disk_make_small_gap(&f->disk);
	assert_refused(f, DIAG_GAP_TOO_SMALL);
	snprintf(expected, sizeof(expected),
		 "stage: I01: the gap after the MBR is 7 sectors; the stage needs %zu (the first partition starts at sector 8)",
		 stage_image_bytes(f->o.kernel, f->o.initrd, f->o.cmdline, zero_mbr_backup()) / 512);
	assert_contains(f->cap.err_text, expected);
	assert_contains(f->cap.err_text, "fix: start the first partition at sector 2048");
}

static void test_install_run_foreign_gap_refused(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 3 * 512 + 7, loader, sizeof(loader));
	assert_refused(f, DIAG_GAP_FOREIGN);
	assert_contains(f->cap.err_text, "stage: I02: the sectors after the MBR hold data that is not a bootinst stage (non-zero bytes, first at sector 3)");
	assert_contains(f->cap.err_text, "from byte 7 of sector 3");
	assert_contains(f->cap.err_text, "--force --backup FILE");
}

/* --force alone does not overwrite another program's sectors: only a
 * --backup file can keep them for uninstall. */
static void test_install_run_foreign_gap_forced_needs_backup(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 512, loader, sizeof(loader));
	f->o.force = 1;
	assert_install_writes_nothing(f, 1, INSTALL_REFUSED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_CANNOT);
	assert_contains(f->cap.err_text, "not installed, even with --force: the sectors where the stage "
			"goes hold another program's data, which only --backup FILE can keep");
}

/* Every error is printed, not just the first: a missing kernel and a
 * missing initrd are two findings of one refused install. */
static void test_install_run_prints_every_error(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.kernel = "/boot/bzImage";
	f->o.initrd = "/boot/initramfs.gz";
	assert_refused(f, DIAG_FILE_NOT_FOUND);
	assert_int_equal(findings_count(&f->r.findings, FINDING_ERROR), 2);
	assert_contains(f->cap.err_text, "disk.img: /boot/bzImage: E15: file not found: /boot/bzImage");
	assert_contains(f->cap.err_text, "disk.img: /boot/initramfs.gz: E15: file not found: /boot/initramfs.gz");
	assert_contains(f->cap.err_text, "not installed: 2 errors");
}

/* --force installs despite errors, but cannot put the stage where there is
 * no room for it: that would overwrite the first partition. */
static void test_install_run_forced_without_room(void **state)
{
	struct fixture *f = *state;

	disk_make_small_gap(&f->disk);
	f->o.force = 1;
	assert_install_writes_nothing(f, 1, INSTALL_REFUSED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_CANNOT);
	assert_int_equal(f->r.diag.id, DIAG_GAP_TOO_SMALL);
	assert_contains(f->cap.err_text, "not installed, even with --force: the stage does not fit before the first partition");
}

static void test_install_run_write_failure_restores_image(void **state)
{
	struct fixture *f = *state;

	assert_write_undone(f, fail_second_write);
	assert_true(hook_calls >= 2);
	assert_contains(f->cap.err_text, "disk.img: while writing the MBR boot code (bytes");
	assert_contains(f->cap.err_text, "every original byte was restored");
}

static void test_install_run_readback_mismatch_restores_image(void **state)
{
	struct fixture *f = *state;

	assert_write_undone(f, corrupt_first_write);
	assert_contains(f->cap.err_text, "disk.img: while writing the stage: byte");
	assert_contains(f->cap.err_text, "reads back");
}

/* === installs ============================================================= */

static void test_install_run_dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.dry_run = 1;
	assert_install_writes_nothing(f, 0, INSTALL_DONE);
	assert_contains(f->cap.out_text, "dry run, nothing written; install would write:");
	assert_contains(f->cap.out_text, "440 bytes of boot code at LBA 0");
}

/* Nothing on stderr but notes: the synthetic kernel has no version string,
 * so install says it cannot predict past the loader (N01), and nothing
 * else. */
static void assert_only_notes(const char *err)
{
	for (const char *line = err; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		if (strncmp(line, "bootinst: ", 10) == 0 && !strstr(line, ": note: "))
			fail_msg("not a note: %.200s", line);
	}
}

/* Foreign boot code and a disk signature in place: install replaces the
 * code, keeps signature, table and 55 AA, and touches nothing else. */
static void test_install_run_preserves_every_other_byte(void **state)
{
	struct boot_config recorded;
	struct fixture *f = *state;
	uint8_t foreign_code[MBR_PATCH_OFF];
	struct disk_snapshot before, after;

	disk_make_standard(&f->disk, &good_kernel);
	for (size_t i = 0; i < sizeof(foreign_code); i++)
		foreign_code[i] = (uint8_t)(0x90 + i);
	disk_write(&f->disk, 0, foreign_code, sizeof(foreign_code));
	before = disk_snapshot_take(&f->disk);
	assert_int_not_equal(((struct mbr_sector *)before.bytes)->disk_signature, 0);

	assert_int_equal(install(f), 0);
	assert_only_notes(f->cap.err_text);
	assert_true(f->r.replaced_foreign_code);
	assert_contains(f->cap.out_text, "replaced foreign boot code");
	after = disk_snapshot_take(&f->disk);
	assert_only_install_ranges_differ(&before, &after);
	assert_mbr_installed(after.bytes);
	assert_stage_valid(after.bytes, &recorded);
	disk_snapshot_free(&before);
	disk_snapshot_free(&after);
}

static void test_install_run_stage_record_holds_request(void **state)
{
	struct boot_config recorded;
	struct fixture *f = *state;
	const struct bootinst_stage_header *h;
	const struct mbr_sector *mbr;
	struct disk_snapshot after;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.initrd = "/boot/initrd.img";
	f->o.cmdline = "console=ttyS0 root=/dev/sda1";
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.kernel_bytes, KERNEL_BYTES);
	assert_int_equal(f->r.kernel_protocol, 0x020f);
	assert_int_equal(f->r.initrd_bytes, INITRD_BYTES);
	assert_contains(f->cap.out_text, "kernel     /boot/vmlinuz, 68096 bytes, boot protocol 2.15");
	assert_contains(f->cap.out_text, "partition  1, type 0x83, start 2048, 14336 sectors");

	after = disk_snapshot_take(&f->disk);
	mbr = (const void *)after.bytes;
	h = assert_stage_valid(after.bytes, &recorded);
	assert_int_equal(h->rec.disk_signature, mbr->disk_signature);
	assert_int_equal(h->rec.partition, 1);
	assert_int_equal(h->rec.partition_type, 0x83);
	assert_int_equal(h->rec.part_start_lba, DISK_PART_START);
	assert_int_equal(h->rec.part_sectors, DISK_PART_SECTORS);
	assert_int_equal(h->rec.flags, BOOTINST_REC_HAVE_INITRD);
	assert_string_equal(recorded.kernel, "/boot/vmlinuz");
	assert_string_equal(recorded.initrd, "/boot/initrd.img");
	assert_string_equal(recorded.cmdline, "console=ttyS0 root=/dev/sda1");
	disk_snapshot_free(&after);
}

/* With --force --backup FILE, foreign data in the gap is saved to the file,
 * then overwritten, and said so. */
static void test_install_run_foreign_gap_forced(void **state)
{
	struct boot_config recorded;
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";
	struct disk_snapshot before, after;
	char backup[600];

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 512, loader, sizeof(loader));
	disk_write(&f->disk, 40 * 512, loader, sizeof(loader));      /* past the stage */
	before = disk_snapshot_take(&f->disk);
	snprintf(backup, sizeof(backup), "%s/gap.backup", f->disk.dir);
	f->o.force = 1;
	f->o.backup = backup;
	assert_int_equal(install(f), 0);
	assert_contains(f->cap.out_text, "overwrote foreign data, kept in the --backup file");
	assert_contains(f->cap.out_text, "cleared    LBA 40..40 (foreign data, saved in");
	assert_int_equal(access(backup, R_OK), 0);
	after = disk_snapshot_take(&f->disk);
	assert_only_install_ranges_differ(&before, &after);
	assert_stage_valid(after.bytes, &recorded);
	assert_int_equal(after.bytes[40 * 512], 0);                  /* all of it cleared */
	disk_snapshot_free(&before);
	disk_snapshot_free(&after);
}

/* A second install over the first: allowed, and the disk then holds one
 * install, the second's, as if the first had never been made.  The new
 * stage goes beside the first (the old MBR boots the old stage until the
 * switch), and the first is cleared after it. */
static void test_install_run_reinstall_replaces_first(void **state)
{
	struct boot_config recorded;
	struct fixture *f = *state;
	struct disk_snapshot original, once, twice;
	const struct bootinst_stage_header *h;
	char first[1501];
	size_t first_end;

	disk_make_standard(&f->disk, &good_kernel);
	original = disk_snapshot_take(&f->disk);
	memset(first, 'f', sizeof(first) - 1);
	first[sizeof(first) - 1] = 0;
	f->o.initrd = "/boot/initrd.img";
	f->o.cmdline = first;
	assert_int_equal(install(f), 0);
	once = disk_snapshot_take(&f->disk);
	assert_int_equal(stage_offset(once.bytes), MBR_SECTOR_SIZE);       /* LBA 1 */
	first_end = MBR_SECTOR_SIZE + stage_bytes(once.bytes);

	f->o.initrd = NULL;
	f->o.cmdline = "second";
	f->o.kernel = "/boot/vmlinuz-test";
	assert_int_equal(install(f), 0);
	assert_true(f->r.replaced_stage);
	assert_true(f->r.crash_safe);
	assert_false(f->r.replaced_foreign_code);
	assert_contains(f->cap.out_text, "replaced an earlier bootinst MBR");
	assert_contains(f->cap.out_text, "beside the earlier bootinst stage");
	twice = disk_snapshot_take(&f->disk);

	assert_only_install_ranges_differ(&original, &twice);
	assert_int_equal(stage_offset(twice.bytes), first_end);          /* right after the first */
	for (size_t i = MBR_SECTOR_SIZE; i < first_end; i++)
		assert_int_equal(twice.bytes[i], 0);               /* the first is gone */
	assert_memory_equal(twice.bytes, once.bytes, MBR_PATCH_OFF);      /* same MBR code */
	assert_mbr_installed(twice.bytes);
	h = assert_stage_valid(twice.bytes, &recorded);
	assert_int_equal(h->rec.flags, 0);
	assert_string_equal(recorded.initrd, "");
	assert_string_equal(recorded.cmdline, "second");
	assert_string_equal(recorded.kernel, "/boot/vmlinuz-test");
	disk_snapshot_free(&original);
	disk_snapshot_free(&once);
	disk_snapshot_free(&twice);
}

/* No --partition: the active one wins over an earlier Linux one. */
static void test_install_run_default_partition_is_active_one(void **state)
{
	struct fixture *f = *state;

	disk_populate_root(&f->disk, &good_kernel);
	disk_make(&f->disk, DISK_IMAGE_KIB, "start=2048, size=4096, type=83\\nstart=6144, type=83, bootable\\n",
		  6144, (DISK_IMAGE_KIB * 2 - 6144) / 2);
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.partition, 2);
	assert_int_equal(f->r.part_start, 6144);
}

/* --force installs what the checks refuse, says so, and records what was
 * asked: the stage then stops at boot with the same code (E15 here). */
static void test_install_run_forced_despite_error(void **state)
{
	struct boot_config recorded;
	struct fixture *f = *state;
	struct disk_snapshot after;

	disk_make_standard(&f->disk, &good_kernel);
	f->o.kernel = "/boot/bzImage";
	f->o.force = 1;
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.status, INSTALL_DONE);
	assert_int_equal(f->r.diag.id, DIAG_FILE_NOT_FOUND);
	assert_contains(f->cap.err_text, "E15: file not found: /boot/bzImage");
	assert_contains(f->cap.err_text, "installing despite 1 error (--force)");
	assert_contains(f->cap.out_text, "installed");
	after = disk_snapshot_take(&f->disk);
	assert_stage_valid(after.bytes, &recorded);
	assert_string_equal(recorded.kernel, "/boot/bzImage");
	disk_snapshot_free(&after);
}

/* A warning prints but does not stop the install: a broken
 * /boot/bootinst.cfg, which the stage ignores at boot (E41). */
static void test_install_run_warning_does_not_block(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "kernel /boot/vmlinuz\nbogus line\n";

	disk_make_standard_with_file(&f->disk, "/boot/bootinst.cfg", config, sizeof(config) - 1);
	assert_int_equal(install(f), 0);
	assert_int_equal(f->r.status, INSTALL_DONE);
	assert_contains(f->cap.err_text, "disk.img: /boot/bootinst.cfg: warning: E41: /boot/bootinst.cfg line 2: ");
	assert_contains(f->cap.err_text, "ignores the file and boots what install recorded");
	assert_contains(f->cap.out_text, "installed");
}

/* The summary shows what boots: /boot/bootinst.cfg overrides the record. */
static void test_install_run_summary_names_config_override(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "cmdline console=ttyS0 from-config\n";

	disk_make_standard_with_file(&f->disk, "/boot/bootinst.cfg", config, sizeof(config) - 1);
	f->o.cmdline = "console=ttyS0";
	assert_int_equal(install(f), 0);
	assert_only_notes(f->cap.err_text);
	assert_contains(f->cap.out_text, "cmdline    \"console=ttyS0 from-config\" (from /boot/bootinst.cfg)");
	assert_contains(f->cap.out_text, "kernel     /boot/vmlinuz, 68096 bytes");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* The reliability issue's case: a damaged stage header (image_size) and
 * another program's data in sectors 100..199.  A damaged stage is not
 * proven ours: re-install refuses (I02) and writes nothing; it used to
 * trust the old size and zero the foreign sectors. */
static void test_install_run_damaged_stage_not_trusted(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot damaged;
	uint8_t foreign[100 * 512];
	uint32_t huge = 200 * 512;
	char backup[600];

	disk_make_standard(&f->disk, &good_kernel);
	assert_int_equal(install(f), 0);
	disk_write(&f->disk, 512 + offsetof(struct bootinst_stage_header, image_size), &huge, sizeof(huge));
	for (size_t i = 0; i < sizeof(foreign); i++)
		foreign[i] = (uint8_t)(i * 13 + 7);
	disk_write(&f->disk, 100 * 512, foreign, sizeof(foreign));
	damaged = disk_snapshot_take(&f->disk);

	assert_install_writes_nothing(f, 1, INSTALL_REFUSED);
	assert_int_equal(f->r.diag.id, DIAG_GAP_FOREIGN);

	/* forced, with a backup: the damaged stage and the foreign sectors
	 * are kept in the file, and uninstall puts all of it back */
	snprintf(backup, sizeof(backup), "%s/gap.backup", f->disk.dir);
	f->o.force = 1;
	f->o.backup = backup;
	assert_int_equal(install(f), 0);
	assert_int_equal(uninstall(f, backup), 0);
	disk_assert_unchanged(&f->disk, &damaged);
}

/* --- uninstall ------------------------------------------------------------------ */

/* Install, re-install, uninstall: every byte as before the first install. */
static void test_uninstall_run_restores_every_byte(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot original;

	disk_make_standard(&f->disk, &good_kernel);
	original = disk_snapshot_take(&f->disk);
	assert_int_equal(install(f), 0);
	f->o.cmdline = "console=ttyS0 root=/dev/sda1";
	assert_int_equal(install(f), 0);
	assert_int_equal(uninstall(f, NULL), 0);
	assert_contains(f->cap.out_text, "uninstalled");
	disk_assert_unchanged(&f->disk, &original);
}

/* Another loader's MBR code is kept in the stage and put back. */
static void test_uninstall_run_restores_foreign_mbr_code(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot original;
	uint8_t code[MBR_BOOT_CODE_MAX];

	disk_make_standard(&f->disk, &good_kernel);
	for (size_t i = 0; i < sizeof(code); i++)
		code[i] = (uint8_t)(i * 7 + 1);
	disk_write(&f->disk, 0, code, sizeof(code));
	original = disk_snapshot_take(&f->disk);
	assert_int_equal(install(f), 0);
	assert_true(f->r.replaced_foreign_code);
	assert_int_equal(install(f), 0);              /* the first backup is carried on */
	assert_int_equal(uninstall(f, NULL), 0);
	assert_contains(f->cap.out_text, "as before bootinst (the saved code)");
	disk_assert_unchanged(&f->disk, &original);
}

/* --force --backup FILE over another loader's sectors; uninstall puts them
 * back from the file, and only from that file. */
static void test_uninstall_run_restores_from_backup_file(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";
	struct disk_snapshot original, installed;
	char backup[600], other[600];

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 2 * 512, loader, sizeof(loader));
	original = disk_snapshot_take(&f->disk);
	snprintf(backup, sizeof(backup), "%s/gap.backup", f->disk.dir);
	f->o.force = 1;
	f->o.backup = backup;
	assert_int_equal(install(f), 0);
	installed = disk_snapshot_take(&f->disk);

	assert_int_equal(uninstall(f, NULL), 1);       /* the file is needed */
	assert_contains(f->cap.err_text, "give that file: bootinst uninstall IMAGE --backup FILE");
	disk_assert_unchanged(&f->disk, &installed);

	installed = disk_snapshot_take(&f->disk);
	snprintf(other, sizeof(other), "%s/other.backup", f->disk.dir);
	fixture_put_file(f->disk.dir, "/other.backup", "not a backup", 12, 0644);
	assert_int_equal(uninstall(f, other), 1);      /* not the file it wrote */
	assert_contains(f->cap.err_text, "this is not the backup file this install wrote");
	disk_assert_unchanged(&f->disk, &installed);

	assert_int_equal(uninstall(f, backup), 0);
	assert_contains(f->cap.out_text, "restored   LBA 2..2 from");
	disk_assert_unchanged(&f->disk, &original);
}

/* The backup file is written before anything else: one that cannot be
 * written stops the install with nothing on the disk changed. */
static void test_install_run_backup_file_unwritable_writes_nothing(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";
	char backup[600];

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 512, loader, sizeof(loader));
	snprintf(backup, sizeof(backup), "%s/no-such-folder/gap.backup", f->disk.dir);
	f->o.force = 1;
	f->o.backup = backup;
	assert_install_writes_nothing(f, 1, INSTALL_CALL_FAILED);
	assert_int_equal(f->r.stopped_by, INSTALL_STOP_BACKUP);
	assert_contains(f->cap.err_text, "while writing the backup file");
}

/* Uninstall on a disk without bootinst: refused, nothing written. */
static void test_uninstall_run_not_installed(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot before;

	disk_make_standard(&f->disk, &good_kernel);
	before = disk_snapshot_take(&f->disk);
	assert_int_equal(uninstall(f, NULL), 1);
	assert_contains(f->cap.err_text, "bootinst is not installed");
	disk_assert_unchanged(&f->disk, &before);
}

/* A stage without a backup (what an older bootinst wrote): refused. */
static void test_uninstall_run_no_backup(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot before;
	struct bootinst_stage_header h;
	uint8_t *stage;
	size_t at;

	disk_make_standard(&f->disk, &good_kernel);
	assert_int_equal(install(f), 0);
	/* cut the backup off the stage, as a stage of version 2 without one,
	 * and give it a checksum that matches again */
	disk_read(&f->disk, 512, &h, sizeof(h));
	stage = malloc(h.image_size);
	disk_read(&f->disk, 512, stage, h.image_size);
	at = h.rec.cmdline_off + strlen((const char *)stage + h.rec.cmdline_off) + 1;
	memset(stage + at, 0, h.image_size - at);
	((struct bootinst_stage_header *)stage)->checksum =
		stage_image_crc((const struct bootinst_stage_header *)stage);
	disk_write(&f->disk, 512, stage, h.image_size);
	free(stage);
	before = disk_snapshot_take(&f->disk);
	assert_int_equal(uninstall(f, NULL), 1);
	assert_contains(f->cap.err_text, "no stage after the MBR carries a backup");
	disk_assert_unchanged(&f->disk, &before);
}

int main(void)
{
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
		T(test_install_run_foreign_gap_forced_needs_backup),
		T(test_install_run_backup_file_unwritable_writes_nothing),
		T(test_install_run_damaged_stage_not_trusted),
		T(test_uninstall_run_restores_every_byte),
		T(test_uninstall_run_restores_foreign_mbr_code),
		T(test_uninstall_run_restores_from_backup_file),
		T(test_uninstall_run_not_installed),
		T(test_uninstall_run_no_backup),
		T(test_install_run_reinstall_replaces_first),
		T(test_install_run_default_partition_is_active_one),
		T(test_install_run_forced_despite_error),
		T(test_install_run_warning_does_not_block),
		T(test_install_run_summary_names_config_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
