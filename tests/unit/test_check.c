/*
 * test_check.c - the check engine (checks_run), `bootinst check`'s output
 * (text and JSON) and `bootinst explain`, against real disk images.
 *
 * Each test makes its image in a fresh temporary directory the way a user
 * would - a plain file, a DOS table from sfdisk, ext2 from `mke2fs -d` at
 * the partition's offset, files changed with debugfs - then breaks it the
 * way real images get broken, and checks the finding: its code, severity
 * and numbers, which are the ones the stage would print at boot.  The
 * kernel is a synthetic bzImage (a setup header bzimage_parse accepts, then
 * filler), varied per test.  disk_fixture.c makes the images.  Failures
 * first, then good images, then output.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "disk_fixture.h"
#include "explain.h"
#include "install.h"
#include "linux_boot.h"
#include "mbr.h"
#include "report.h"
#include "stage_header.h"
#include "checks/checks.h"
#include "payload/stage_image.h"

#define SUPERBLOCK_OFF   1024u                 /* in the partition */
#define SB_FEATURE_INCOMPAT_OFF 0x60
#define INCOMPAT_ENCRYPT 0x10000u
/* The root the images hold is partition 1 (without root= the kernel has
 * no root to mount: an L02 error after the loader). */
#define GOOD_CMDLINE     "console=ttyS0 root=/dev/sda1"

struct fixture {
	struct disk_fixture disk;
	struct captured_output cap;
	struct check_request req;
	struct check_result res;
	struct findings found;
};

/* bootinst install with the fixture's kernel/initrd/cmdline request. */
static void install(struct fixture *f)
{
	struct install_options o = {
		.image = f->disk.image,
		.kernel = f->req.kernel ? f->req.kernel : BOOTINST_DEFAULT_KERNEL,
		.initrd = f->req.initrd,
		.cmdline = f->req.cmdline ? f->req.cmdline : "",
	};
	struct install_result r;
	int status;

	capture_start(&f->cap);
	o.out = f->cap.out;
	o.err = f->cap.err;
	status = install_run(&o, &r);
	capture_stop(&f->cap);
	if (status)
		fail_msg("install failed:\n%s", f->cap.err_text);
	install_result_free(&r);
	/* check what is installed, not what the request would install */
	f->req.kernel = f->req.initrd = f->req.cmdline = NULL;
}

/* --- running the check ------------------------------------------------------ */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || disk_fixture_create(&f->disk, "test_check"))
		return -1;
	f->req.mode = CHECKS_AS_INSTALLED;
	f->req.cmdline = GOOD_CMDLINE;
	findings_init(&f->found);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	disk_fixture_remove(&f->disk);
	findings_free(&f->found);
	capture_free(&f->cap);
	free(f);
	return 0;
}

/* checks_run on the fixture's image; returns the number of errors. */
static size_t check(struct fixture *f)
{
	struct image_failure why;
	struct disk_image img;

	findings_free(&f->found);
	assert_int_equal(image_open(&img, f->disk.image, &why), 0);
	assert_int_equal(checks_run(&f->req, &img, &f->res, &f->found, stderr), 0);
	image_close(&img);
	return findings_count(&f->found, FINDING_ERROR);
}

static char *findings_text(const struct fixture *f)
{
	char *text;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	report_check_text(out, "disk.img", &f->found, NULL);   /* not installed */
	fclose(out);
	return text;
}

/* The first finding with id, which must be there with that severity. */
static const struct finding *expect(const struct fixture *f, enum diag_id id,
				    enum finding_severity severity)
{
	for (size_t i = 0; i < f->found.count; i++)
		if (f->found.list[i].diag.id == id) {
			assert_int_equal(f->found.list[i].severity, severity);
			return &f->found.list[i];
		}
	fail_msg("no %s finding in:\n%s", diag_catalog[id].code, findings_text(f));
	return NULL;
}

/* check() must find exactly n errors. */
static void check_expecting_errors(struct fixture *f, size_t n)
{
	size_t errors = check(f);

	if (errors != n)
		fail_msg("%zu errors, expected %zu:\n%s", errors, n, findings_text(f));
}

static void assert_message(const struct finding *item, const char *expected)
{
	char message[512];

	diag_format_message(&item->diag, message, sizeof(message));
	assert_string_equal(message, expected);
}

/* === failures ============================================================= */

static void test_check_request_problem_relative_initrd(void **state)
{
	struct fixture *f = *state;

	f->req.initrd = "boot/initrd.img";
	assert_non_null(check_request_problem(&f->req));
	assert_contains(check_request_problem(&f->req), "--initrd takes an absolute path");
}

/* A control character in the command line is a usage error, naming it
 * and where it is; so are bytes that are not UTF-8 (checks.c says why).
 * Too long is not: that is E40, the kernel's limit, a finding. */
static void test_check_request_problem_cmdline_bytes(void **state)
{
	static const struct {
		const char *cmdline;
		const char *problem;     /* NULL: accepted */
	} cases[] = {
		{ "console=ttyS0\nroot=/dev/sda1", "--cmdline has a newline (byte 0x0a) at offset 13: the kernel splits" },
		{ "a\rb", "--cmdline has a carriage return (byte 0x0d) at offset 1" },
		{ "a\tb", "--cmdline has a tab (byte 0x09) at offset 1: the kernel splits the arguments there, as at a space" },
		{ "root=/dev/sda1\033[2J", "--cmdline has an escape (byte 0x1b) at offset 14" },
		{ "\x7f", "--cmdline has a control character (byte 0x7f) at offset 0" },
		{ "caf\xe9", "--cmdline is not UTF-8 text (byte 0xe9 at offset 3)" },
		{ "\xc0\xaf", "not UTF-8 text (byte 0xc0 at offset 0)" },            /* overlong '/' */
		{ "\xe0\x80\xaf", "not UTF-8 text (byte 0xe0 at offset 0)" },        /* overlong, 3 bytes */
		{ "\xed\xa0\x80", "not UTF-8 text (byte 0xed at offset 0)" },        /* a surrogate */
		{ "\xf4\x90\x80\x80", "not UTF-8 text (byte 0xf4 at offset 0)" },    /* past U+10FFFF */
		{ "x\xc3", "not UTF-8 text (byte 0xc3 at offset 1)" },               /* cut short */
		{ "\x80", "not UTF-8 text (byte 0x80 at offset 0)" },                /* a lone continuation */
		{ "name=caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", NULL },
		{ "", NULL },
	};
	struct fixture *f = *state;
	char *long_line = malloc(100 * 1024 + 1);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *problem;

		f->req.cmdline = cases[i].cmdline;
		problem = check_request_problem(&f->req);
		if (!cases[i].problem) {
			if (problem)
				fail_msg("case %zu refused: %s", i, problem);
			continue;
		}
		if (!problem)
			fail_msg("case %zu accepted, expected: %s", i, cases[i].problem);
		assert_contains(problem, cases[i].problem);
	}
	memset(long_line, 'x', 100 * 1024);
	long_line[100 * 1024] = 0;
	f->req.cmdline = long_line;
	assert_null(check_request_problem(&f->req));
	free(long_line);
}

static void test_check_request_problem_kernel_path(void **state)
{
	struct fixture *f = *state;
	char *long_path = malloc(5001);
	const char *problem;

	f->req.kernel = "";
	assert_contains(check_request_problem(&f->req),
			"--kernel is empty: it takes an absolute path inside the filesystem, such as /boot/vmlinuz");
	f->req.kernel = "boot/vmlinuz";
	assert_contains(check_request_problem(&f->req),
			"--kernel takes an absolute path inside the filesystem, such as /boot/vmlinuz, not 'boot/vmlinuz'");
	f->req.kernel = "/boot/a\nb";
	assert_contains(check_request_problem(&f->req), "--kernel has a newline (byte 0x0a) at offset 7");
	long_path[0] = '/';
	memset(long_path + 1, 'k', 4999);
	long_path[5000] = 0;
	f->req.kernel = long_path;
	problem = check_request_problem(&f->req);
	assert_contains(problem, "--kernel is 5000 bytes long; the install record holds a path of at most 255 bytes");
	assert_null(strstr(problem, "kkkkkkkkkkkkkkkk"));     /* not echoed whole */
	long_path[BOOTINST_PATH_MAX - 1] = 0;                 /* the longest that fits */
	assert_null(check_request_problem(&f->req));
	free(long_path);
}

/* image_open refuses what is not a disk, without waiting (a FIFO with no
 * writer once blocked open(2) for ever: SIGALRM ends the test if so), and
 * says what to do on the reason's second line. */
static void test_image_open_refuses_what_is_not_a_disk(void **state)
{
	static const char *const short_sizes[] = { "0", "1", "511" };
	struct fixture *f = *state;
	struct image_failure why;
	struct disk_image img;
	char path[160];

	snprintf(path, sizeof(path), "%s/missing.img", f->disk.dir);
	assert_int_equal(image_open(&img, path, &why), -1);
	assert_string_equal(why.doing, "opening");
	assert_contains(why.reason, "No such file or directory");
	assert_contains(why.fix, "check the path");
	assert_int_equal(access(path, F_OK), -1);             /* nothing created */

	assert_int_equal(image_open(&img, f->disk.dir, &why), -1);
	assert_contains(why.reason, "it is a directory, not a disk image");
	assert_non_null(why.fix);

	snprintf(path, sizeof(path), "%s/pipe", f->disk.dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(image_open(&img, path, &why), -1);
	alarm(0);
	assert_contains(why.reason, "it is a FIFO (named pipe), not a disk image");
	assert_contains(why.fix, "save the stream to a file first");

	assert_int_equal(image_open(&img, "/dev/null", &why), -1);
	assert_contains(why.reason, "it is a character device, not a disk image or a block device");
	assert_non_null(why.fix);

	for (size_t i = 0; i < sizeof(short_sizes) / sizeof(short_sizes[0]); i++) {
		char expected[96];

		snprintf(path, sizeof(path), "%s/short.img", f->disk.dir);
		fixture_run("truncate -s %s %s", short_sizes[i], path);
		snprintf(expected, sizeof(expected), "it is %s byte%s, shorter than the 512-byte MBR",
			 short_sizes[i], strcmp(short_sizes[i], "1") ? "s" : "");
		assert_int_equal(image_open(&img, path, &why), -1);
		assert_contains(why.reason, expected);
		assert_contains(why.fix, "give the whole disk image");
	}
}

static void test_check_image_partitions_overlap(void **state)
{
	struct fixture *f = *state;
	struct mbr_partition_entry second = { .type = 0x83, .lba_first = 4096, .sectors = 1024 };

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, MBR_PART_TABLE_OFF + sizeof(second), &second, sizeof(second));
	assert_true(check(f) >= 1);
	assert_message(expect(f, DIAG_PART_TABLE_INVALID, FINDING_ERROR),
		       "partitions 1 and 2 overlap (sectors 2048..16383 and 4096..5119): "
		       "bootinst boots only from a valid DOS (MBR) partition table");
}

static void test_check_image_not_installed(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	check_expecting_errors(f, 1);
	item = expect(f, DIAG_NOT_INSTALLED, FINDING_ERROR);
	assert_string_equal(item->object, "MBR");
	assert_message(item, "bootinst is not installed on this disk: the MBR's boot code area is empty");
	/* and it checked what install would boot */
	assert_true(f->res.kernel_ok);
	assert_string_equal(f->res.boots.kernel, BOOTINST_DEFAULT_KERNEL);
}

static void test_check_image_record_vs_changed_signature(void **state)
{
	struct fixture *f = *state;
	const uint32_t signature = 0x12345678;
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	disk_write(&f->disk, MBR_DISK_SIGNATURE_OFF, &signature, sizeof(signature));
	check_expecting_errors(f, 1);
	item = expect(f, DIAG_NO_PARTITION, FINDING_ERROR);
	assert_int_equal(item->diag.value, 1);
	assert_int_equal(item->diag.block, DISK_PART_START);
	assert_int_equal(item->diag.limit, DISK_PART_SECTORS);
	assert_contains(item->hint, "the disk signature at 0x1B8 is now 0x12345678");
}

static void test_check_image_record_vs_resized_partition(void **state)
{
	struct fixture *f = *state;
	uint8_t sectors[4];
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	fixture_put_le32(sectors, DISK_PART_SECTORS + 64);   /* grown into free space: the fs still fits */
	fixture_run("truncate -s %uK %s", DISK_IMAGE_KIB + 32, f->disk.image);
	disk_write(&f->disk, MBR_PART_TABLE_OFF + 12, sectors, 4);
	check_expecting_errors(f, 1);
	item = expect(f, DIAG_NO_PARTITION, FINDING_ERROR);
	assert_message(item, "partition 1 is missing or has changed since install "
		       "(recorded start 2048, 14336 sectors)");
	assert_string_equal(item->hint, "the table now says start 2048, 14400 sectors");
}

static void test_check_image_stage_byte_corrupted(void **state)
{
	struct fixture *f = *state;
	struct bootinst_stage_header h;
	uint8_t byte;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	disk_read(&f->disk, BOOTINST_STAGE_LBA * 512, &h, sizeof(h));
	disk_read(&f->disk, 512 + h.image_size - 1, &byte, 1);
	byte ^= 0xff;
	disk_write(&f->disk, 512 + h.image_size - 1, &byte, 1);
	check_expecting_errors(f, 1);
	assert_message(expect(f, DIAG_STAGE_MISMATCH, FINDING_ERROR),
		       "the stage is damaged or does not match the MBR code: stage checksum does not match");
}

/* A damaged stage's record cannot say which kernel it boots: no guess at
 * the default path (an E15 for a file nobody asked for), a note instead. */
static void test_check_image_damaged_stage_no_kernel_guess(void **state)
{
	struct fixture *f = *state;
	struct bootinst_stage_header h;
	uint8_t byte;

	disk_make_standard(&f->disk, &good_kernel);
	fixture_run("debugfs -w -R 'ln /boot/vmlinuz /boot/vmlinuz-6.1' '%s?offset=%u' >/dev/null 2>&1 && "
		    "debugfs -w -R 'unlink /boot/vmlinuz' '%s?offset=%u' >/dev/null 2>&1",
		    f->disk.image, 2048 * 512, f->disk.image, 2048 * 512);
	f->req.kernel = "/boot/vmlinuz-6.1";
	install(f);
	disk_read(&f->disk, BOOTINST_STAGE_LBA * 512, &h, sizeof(h));
	disk_read(&f->disk, 512 + h.image_size - 1, &byte, 1);
	byte ^= 0xff;
	disk_write(&f->disk, 512 + h.image_size - 1, &byte, 1);
	check_expecting_errors(f, 1);
	expect(f, DIAG_STAGE_MISMATCH, FINDING_ERROR);
	assert_contains(expect(f, DIAG_CANNOT_TELL, FINDING_NOTE)->name, "which kernel the installed stage boots");
}

/* The MBR code checks the version before the stage runs: at boot this is
 * M06 (asm/mbr.asm check_stage), so it is M06 here too. */
static void test_check_image_stage_wrong_version(void **state)
{
	struct fixture *f = *state;
	const uint16_t version = BOOTINST_STAGE_VERSION + 1;
	const struct finding *item;
	char expected[128];

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	disk_write(&f->disk, 512 + offsetof(struct bootinst_stage_header, version), &version, 2);
	check_expecting_errors(f, 1);
	item = expect(f, DIAG_MBR_NO_STAGE, FINDING_ERROR);
	snprintf(expected, sizeof(expected), "the stage at LBA 1 is version %u; the MBR code loads version %u",
		 BOOTINST_STAGE_VERSION + 1, BOOTINST_STAGE_VERSION);
	assert_string_equal(item->hint, expected);
}

static void test_check_image_not_ext2(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_make_table(&f->disk, DISK_IMAGE_KIB, DISK_STANDARD_TABLE);
	check(f);
	item = expect(f, DIAG_NOT_EXT2, FINDING_ERROR);
	assert_string_equal(item->object, "partition 1");
	assert_message(item, "cannot mount the partition: no ext2 superblock magic (0xEF53) at byte 1080");
	assert_string_equal(item->hint, "libext2fs says: Bad magic number in super-block");
	/* no filesystem: no file checks */
	assert_false(f->res.kernel_ok);
	for (size_t i = 0; i < f->found.count; i++)
		assert_int_not_equal(f->found.list[i].diag.id, DIAG_FILE_NOT_FOUND);
}

/* An incompat feature libext2fs reads and the stage does not: the stage's
 * view wins (it is what boots), libext2fs's is the hint. */
static void test_check_image_unsupported_feature(void **state)
{
	struct fixture *f = *state;
	uint64_t at = DISK_PART_START * 512ull + SUPERBLOCK_OFF + SB_FEATURE_INCOMPAT_OFF;
	const struct finding *item;
	uint32_t incompat;

	disk_make_standard(&f->disk, &good_kernel);
	disk_read(&f->disk, at, &incompat, 4);
	incompat |= INCOMPAT_ENCRYPT;
	disk_write(&f->disk, at, &incompat, 4);
	check(f);
	item = expect(f, DIAG_UNSUPPORTED_FEATURE, FINDING_ERROR);
	assert_int_equal(item->diag.value, INCOMPAT_ENCRYPT);
	assert_string_equal(item->diag.name, "encrypt");
	assert_contains(item->hint, "libext2fs (e2fsprogs) opens it");
}

static void test_check_image_block_number_out_of_range(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	disk_debugfs(&f->disk, DISK_PART_START, "sif /boot/vmlinuz-test block[0] 999999");
	check(f);
	item = expect(f, DIAG_FS_INCONSISTENT, FINDING_ERROR);
	assert_string_equal(item->object, BOOTINST_DEFAULT_KERNEL);
	assert_int_equal(item->diag.value, 999999);
	assert_int_equal(item->diag.limit, DISK_PART_SECTORS / 2);
	assert_message(item, "inconsistent filesystem structure: block number past the end of the "
		       "filesystem (999999, limit 7168) while reading /boot/vmlinuz");
}

static void test_check_image_kernel_missing(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	f->req.kernel = "/boot/bzImage";
	check(f);
	item = expect(f, DIAG_FILE_NOT_FOUND, FINDING_ERROR);
	assert_message(item, "file not found: /boot/bzImage");
	assert_contains(item->hint, "debugfs -R 'ls -l /boot' '");
	assert_contains(item->hint, "disk.img?offset=1048576'");
}

static void test_check_image_kernel_is_directory(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	f->req.kernel = "/boot";
	check(f);
	assert_message(expect(f, DIAG_BAD_FILE_TYPE, FINDING_ERROR), "/boot is not a regular file");
}

static void test_check_image_symlink_loop(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_populate_root(&f->disk, &good_kernel);
	fixture_put_symlink(f->disk.root, "loop-b", "/boot/loop-a");
	fixture_put_symlink(f->disk.root, "loop-a", "/boot/loop-b");
	disk_make_standard_from_root(&f->disk);
	f->req.kernel = "/boot/loop-a";
	check(f);
	item = expect(f, DIAG_TOO_MANY_SYMLINKS, FINDING_ERROR);
	assert_int_equal(item->diag.limit, 8);
	assert_message(item, "too many symbolic links (more than 8) while looking up /boot/loop-a");
}

/*
 * The tutorials' mistake: mke2fs at the partition's offset with no size, so
 * the filesystem runs to the end of the image, and the kernel written after
 * other files lands past the partition's end.  Partition: 4 MiB; image and
 * filesystem: 15 MiB from the partition's start.
 */
static void test_check_image_kernel_block_past_partition_end(void **state)
{
	struct fixture *f = *state;
	const struct finding *fs_item = NULL, *kernel_item = NULL;
	char answer[64], commands[256], expected[256], message[512];
	unsigned long first_block;

	fixture_run("mkdir -p %s/boot", f->disk.root);
	disk_make(&f->disk, 16384, "start=2048, size=8192, type=83, bootable\\n", DISK_PART_START, 0);
	/* not zeros: debugfs would write those as a hole */
	fixture_run("yes filler | head -c 5M > %s/filler", f->disk.dir);
	fixture_put_kernel(f->disk.dir, "/kernel", &good_kernel);
	snprintf(commands, sizeof(commands), "write %s/filler /filler\\nwrite %s/kernel /boot/vmlinuz",
		 f->disk.dir, f->disk.dir);
	disk_debugfs(&f->disk, DISK_PART_START, commands);
	fixture_run_capture(answer, sizeof(answer), "debugfs -R 'bmap /boot/vmlinuz 0' '%s?offset=1048576' 2>/dev/null",
		    f->disk.image);
	first_block = strtoul(answer, NULL, 10);
	assert_true(first_block >= 4096);   /* past the 4 MiB partition's 4096 blocks */

	assert_true(check(f) >= 2);
	for (size_t i = 0; i < f->found.count; i++)
		if (f->found.list[i].diag.id == DIAG_BLOCK_OUTSIDE_PARTITION) {
			if (!strcmp(f->found.list[i].object, "partition 1"))
				fs_item = &f->found.list[i];
			else if (!strcmp(f->found.list[i].object, "/boot/vmlinuz"))
				kernel_item = &f->found.list[i];
		}
	assert_non_null(fs_item);
	assert_string_equal(fs_item->diag.path, "the filesystem (15360 blocks of 1024 bytes = 30720 sectors)");
	assert_int_equal(fs_item->diag.block, 15359);
	assert_int_equal(fs_item->diag.value, 30719);
	assert_int_equal(fs_item->diag.limit, 8191);
	assert_non_null(kernel_item);
	assert_int_equal(kernel_item->severity, FINDING_ERROR);
	assert_string_equal(kernel_item->diag.path, "/boot/vmlinuz");
	assert_int_equal(kernel_item->diag.block, first_block);
	/* a sector of that block (1 KiB blocks: two sectors each) */
	assert_in_range(kernel_item->diag.value, first_block * 2, first_block * 2 + 1);
	assert_int_equal(kernel_item->diag.limit, 8191);
	snprintf(expected, sizeof(expected), "block %lu of /boot/vmlinuz lies past the end of its partition",
		 first_block);
	diag_format_message(&kernel_item->diag, message, sizeof(message));
	assert_contains(message, expected);
	assert_contains(kernel_item->hint, "mke2fs -E offset=1048576 ");
	assert_contains(kernel_item->hint, " 4096k makes one that fits");
}

static void test_check_image_kernel_truncated(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;
	const struct finding *item;

	spec.syssize = 2 * KERNEL_PM_BYTES / 16;   /* says twice what the file holds */
	disk_make_standard(&f->disk, &spec);
	check(f);
	item = expect(f, DIAG_SHORT_READ, FINDING_ERROR);
	assert_int_equal(item->diag.value, KERNEL_BYTES);
	assert_int_equal(item->diag.limit, KERNEL_BYTES + KERNEL_PM_BYTES);
}

static void test_check_image_kernel_not_bzimage(void **state)
{
	struct fixture *f = *state;
	char text[2048];

	memset(text, 'x', sizeof(text));
	disk_make_standard_with_file(&f->disk, "/boot/notes.txt", text, sizeof(text));
	f->req.kernel = "/boot/notes.txt";
	check(f);
	assert_string_equal(expect(f, DIAG_NOT_BZIMAGE, FINDING_ERROR)->diag.path, "/boot/notes.txt");
}

static void test_check_image_protocol_too_old(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;
	const struct finding *item;

	spec.protocol = 0x0201;
	disk_make_standard(&f->disk, &spec);
	check(f);
	item = expect(f, DIAG_PROTOCOL_TOO_OLD, FINDING_ERROR);
	assert_int_equal(item->diag.value, 0x0201);
	assert_string_equal(item->diag.path, "/boot/vmlinuz");
}

static void test_check_image_loads_below_1mb(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;

	spec.loadflags = LINUX_CAN_USE_HEAP;   /* no LOADED_HIGH: a zImage */
	disk_make_standard(&f->disk, &spec);
	check(f);
	assert_message(expect(f, DIAG_LOADS_BELOW_1MB, FINDING_ERROR),
		       "/boot/vmlinuz is a zImage that must load below 1 MiB");
}

/* The kernel ends at 2 MiB and takes an initrd only below 2 MiB + 2 KiB:
 * a 3000-byte initrd fits on no machine. */
static void test_check_image_initrd_above_addr_max(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;
	const struct finding *item;

	spec.initrd_addr_max = 0x2007ff;
	disk_make_standard(&f->disk, &spec);
	f->req.initrd = "/boot/initrd.img";
	check(f);
	item = expect(f, DIAG_NO_MEMORY, FINDING_ERROR);
	assert_int_equal(item->diag.value, INITRD_BYTES);
	assert_int_equal(item->diag.limit, 0x800);
	assert_message(item, "/boot/initrd.img does not fit in memory: needs 3000 bytes, 2048 available "
		       "(RAM above the kernel and below initrd_addr_max)");
}

static void test_check_image_cmdline_too_long(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;
	char line[101];

	spec.cmdline_size = 64;
	disk_make_standard(&f->disk, &spec);
	memset(line, 'c', 100);
	line[100] = 0;
	f->req.cmdline = line;
	check(f);
	assert_message(expect(f, DIAG_CMDLINE_TOO_LONG, FINDING_ERROR),
		       "the command line is 100 bytes; the kernel accepts at most 64");
}

static void test_check_image_gap_too_small(void **state)
{
	struct fixture *f = *state;
	const struct finding *item;

	disk_make_small_gap(&f->disk);
	check(f);
	item = expect(f, DIAG_GAP_TOO_SMALL, FINDING_ERROR);
	assert_int_equal(item->diag.value, 7);
	/* the stage install would write: the default kernel, this command line */
	{
		static const uint8_t zero_mbr[MBR_BOOT_CODE_MAX];
		struct record_backup backup;

		stage_backup_of_mbr(&backup, zero_mbr);
		assert_int_equal(item->diag.limit,
				 stage_image_bytes(BOOTINST_DEFAULT_KERNEL, "", GOOD_CMDLINE, &backup) / 512);
	}
	assert_int_equal(item->diag.block, 8);
}

static void test_check_image_gap_foreign(void **state)
{
	struct fixture *f = *state;
	static const char loader[] = "another loader's core image";
	const struct finding *item;

	disk_make_standard(&f->disk, &good_kernel);
	disk_write(&f->disk, 5 * 512 + 3, loader, sizeof(loader));
	check(f);
	item = expect(f, DIAG_GAP_FOREIGN, FINDING_ERROR);
	assert_int_equal(item->diag.block, 5);
	assert_contains(item->hint, "from byte 3 of sector 5");
}

static void test_check_image_no_boot_partition(void **state)
{
	struct fixture *f = *state;

	disk_make_table(&f->disk, DISK_IMAGE_KIB, "start=2048, type=c\\n");
	check(f);
	expect(f, DIAG_NO_BOOT_PARTITION, FINDING_ERROR);
	assert_int_equal(f->res.partition, 0);
}

/* --partition N the table does not have: bad input, not "changed since
 * install" (E22 is about the record). */
static void test_check_image_partition_number_not_in_table(void **state)
{
	struct fixture *f = *state;
	struct image_failure why;
	struct disk_image img;

	disk_make_standard(&f->disk, &good_kernel);
	f->req.partition = 3;
	assert_int_equal(image_open(&img, f->disk.image, &why), 0);
	capture_start(&f->cap);
	assert_int_equal(checks_run(&f->req, &img, &f->res, &f->found, f->cap.err), -1);
	capture_stop(&f->cap);
	image_close(&img);
	assert_contains(f->cap.err_text, "--partition 3: the partition table has no partition 3 (it has 1)");
	assert_contains(f->cap.err_text, "fix: give --partition one that sfdisk --list ");
	for (size_t i = 0; i < f->found.count; i++)
		assert_int_not_equal(f->found.list[i].diag.id, DIAG_NO_PARTITION);
}

/* === warnings and good images ============================================ */

/* A broken /boot/bootinst.cfg: the stage prints it and boots the record,
 * so the disk still boots. */
static void test_check_image_config_syntax_is_warning(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "kernel /boot/vmlinuz\nbogus line\n";
	const struct finding *item;

	disk_make_standard_with_file(&f->disk, "/boot/bootinst.cfg", config, sizeof(config) - 1);
	install(f);
	check_expecting_errors(f, 0);
	item = expect(f, DIAG_CONFIG_SYNTAX, FINDING_WARNING);
	assert_int_equal(item->diag.value, 2);
	assert_string_equal(item->diag.path, BOOTINST_CONFIG_PATH);
	assert_false(f->res.config_used);
	assert_string_equal(f->res.boots.cmdline, "console=ttyS0 root=/dev/sda1");
}

/* A loader that needs more than QEMU's default 128 MiB: a warning with the
 * numbers the stage would print there (init_size 200 MiB; RAM from 1 MiB up
 * to the top of a 128 MiB machine). */
static void test_check_image_needs_more_than_qemu_default_ram(void **state)
{
	struct fixture *f = *state;
	struct kernel_spec spec = good_kernel;
	const struct finding *item;

	spec.init_size = 200u << 20;
	disk_make_standard(&f->disk, &spec);
	install(f);
	check_expecting_errors(f, 0);
	item = expect(f, DIAG_NO_MEMORY, FINDING_WARNING);
	assert_int_equal(item->diag.value, 200u << 20);
	assert_int_equal(item->diag.limit, 0x7FE0000 - (1u << 20));
	assert_contains(item->hint, "-m 256 or more");
}

static void test_check_image_good_installed_image(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	if (check(f) != 0 || findings_count(&f->found, FINDING_WARNING))
		fail_msg("a good image has findings:\n%s", findings_text(f));
	assert_true(f->res.installed);
	assert_true(f->res.kernel_ok);
	assert_int_equal(f->res.partition, 1);
	assert_int_equal(f->res.kernel_bytes, KERNEL_BYTES);
	assert_string_equal(f->res.boots.cmdline, "console=ttyS0 root=/dev/sda1");
}

/* What boots is the record overridden by /boot/bootinst.cfg, as the stage
 * takes it (stage1/main.c): the config's kernel and initrd are the ones
 * checked, the record's command line stays. */
static void test_check_image_config_overrides_record(void **state)
{
	struct fixture *f = *state;
	static const char config[] = "kernel /boot/vmlinuz-test\ninitrd /boot/initrd.img\n";

	disk_make_standard_with_file(&f->disk, "/boot/bootinst.cfg", config, sizeof(config) - 1);
	install(f);
	check_expecting_errors(f, 0);
	assert_true(f->res.config_used);
	assert_string_equal(f->res.boots.kernel, "/boot/vmlinuz-test");
	assert_string_equal(f->res.boots.initrd, "/boot/initrd.img");
	assert_int_equal(f->res.initrd_bytes, INITRD_BYTES);
	assert_string_equal(f->res.boots.cmdline, "console=ttyS0 root=/dev/sda1");
}

/* === output ================================================================ */

/* The `bootinst` command itself: exit 0 on a good image, 1 on errors. */
static void test_bootinst_check_exit_status(void **state)
{
	struct fixture *f = *state;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	assert_int_equal(fixture_exit_status("./bootinst check %s >/dev/null", f->disk.image), 0);
	assert_int_equal(fixture_exit_status("./bootinst check %s --kernel /boot/none >/dev/null",
					     f->disk.image), 1);
	assert_int_equal(fixture_exit_status("./bootinst check >/dev/null 2>&1"), 2);
}

static void test_report_check_text_lines_and_summary(void **state)
{
	struct fixture *f = *state;
	char *text;

	disk_make_standard(&f->disk, &good_kernel);
	f->req.kernel = "/boot/bzImage";
	check(f);
	text = findings_text(f);
	assert_contains(text, "bootinst: disk.img: MBR: I03: bootinst is not installed on this disk: "
			"the MBR's boot code area is empty\n  fix: run bootinst install IMAGE\n");
	assert_contains(text, "bootinst: disk.img: /boot/bzImage: E15: file not found: /boot/bzImage\n"
			"  fix: copy the file into the filesystem");
	assert_contains(text, "\n       its directory holds: debugfs -R 'ls -l /boot'");
	assert_contains(text, "bootinst: disk.img: 2 errors, 0 warnings, 0 notes: it will not boot\n");
	free(text);
}

/* Outside strings, braces and brackets balance and never close below
 * zero; strings end before the text does. */
static void assert_json_balanced(const char *json)
{
	int depth = 0, in_string = 0;

	for (const char *p = json; *p; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = 0;
			else
				assert_true((unsigned char)*p >= 0x20);
			continue;
		}
		if (*p == '"')
			in_string = 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			assert_true(--depth >= 0);
	}
	assert_false(in_string);
	assert_int_equal(depth, 0);
}

static void test_report_check_json_structure(void **state)
{
	struct fixture *f = *state;
	size_t codes = 0;
	const char *json;

	disk_make_standard(&f->disk, &good_kernel);
	f->req.kernel = "/boot/a\"b";   /* a quote the JSON must escape */
	check(f);
	capture_start(&f->cap);
	report_check_json(f->cap.out, "disk.img", &f->found, "0.1.0");
	capture_stop(&f->cap);
	json = f->cap.out_text;

	assert_true(json[0] == '{');
	assert_string_equal(json + f->cap.out_len - 3, "]}\n");
	assert_json_balanced(json);
	for (const char *p = json; (p = strstr(p, "\"code\": ")); p++)
		codes++;
	assert_int_equal(codes, f->found.count);
	assert_contains(json, "{\"image\": \"disk.img\", \"installed_release\": \"0.1.0\", \"boots\": false, \"findings\": [");
	assert_contains(json, "\"code\": \"E15\", \"grub\": \"15\", \"severity\": \"error\", "
			"\"object\": \"/boot/a\\\"b\", \"message\": \"file not found: /boot/a\\\"b\"");
	assert_contains(json, "\"numbers\": {}, \"words\": {\"path\": \"/boot/a\\\"b\"}");
}

/* bootinst explain WHAT, its output in f->cap; returns its exit status. */
static int explain(struct fixture *f, const char *what)
{
	int status;

	capture_start(&f->cap);
	status = explain_lookup(f->cap.out, f->cap.err, what);
	capture_stop(&f->cap);
	return status;
}

static void test_explain_lookup_unknown_code(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(explain(f, "E99"), 1);
	assert_string_equal(f->cap.out_text, "");
	assert_contains(f->cap.err_text, "'E99' is not a catalog code");
	assert_contains(f->cap.err_text, "The codes are: E05 E22 ");
	assert_contains(f->cap.err_text, " E24 ");
}

static void test_explain_lookup_grub_number_not_met(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(explain(f, "23"), 0);
	assert_contains(f->cap.out_text, "GRUB Legacy error 23, \"Error while parsing number\": bootinst cannot meet it: ");
	assert_int_equal(explain(f, "21"), 0);
	assert_contains(f->cap.out_text, "L02");
}

/* Every GRUB Legacy error, 1 to 34, has an answer: entries or a reason;
 * 0 and 35 are not GRUB Legacy error numbers, and say so. */
static void test_explain_answers_every_grub_number(void **state)
{
	struct fixture *f = *state;
	char number[8];

	for (int n = 1; n <= 34; n++) {
		snprintf(number, sizeof(number), "%d", n);
		if (explain(f, number) != 0)
			fail_msg("explain %d: %s", n, f->cap.err_text);
	}
	assert_int_equal(explain(f, "34"), 0);
	assert_contains(f->cap.out_text, "I01:");
	assert_contains(f->cap.out_text, "I02:");
	assert_int_equal(explain(f, "27"), 0);
	assert_contains(f->cap.out_text, "E41:");
	assert_int_equal(explain(f, "0"), 1);
	assert_contains(f->cap.err_text, "0 is not a GRUB Legacy error number");
	assert_int_equal(explain(f, "35"), 1);
	assert_contains(f->cap.err_text, "35 is not a GRUB Legacy error number");
}

static void test_explain_lookup_by_code(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(explain(f, "e24"), 0);
	assert_true(!strncmp(f->cap.out_text, "E24: block BLOCK of PATH lies past the end of its partition (", 61));
	assert_contains(f->cap.out_text, " sector N of the partition; the last is LIMIT)\n"
			"  GRUB Legacy error: 24\n"
			"  reported by: the stage at boot; bootinst check and install find it before\n"
			"  fix: the filesystem is larger than its partition: ");
}

static void test_explain_lookup_by_grub_number(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(explain(f, "17"), 0);
	assert_contains(f->cap.out_text, "E17: cannot mount the partition: WHAT\n");
	assert_contains(f->cap.out_text, "\n\nE17F: cannot mount the partition: it uses the filesystem feature WHAT "
			"(incompat 0xHEX)");
	assert_int_equal(explain(f, "grub24"), 0);
	assert_true(!strncmp(f->cap.out_text, "E24: ", 5));
}

/* The README's catalog section is `bootinst explain --markdown`, byte for
 * byte (`make docs` rewrites it); the tests run from the repository root. */
static void test_explain_markdown_matches_readme(void **state)
{
	static const char begin[] = "<!-- catalog:begin -->\n", end[] = "<!-- catalog:end -->";
	char *readme, *table, *from, *to;
	size_t len, table_len;
	FILE *in = fopen("README.md", "r"), *out;

	assert_non_null(in);
	readme = calloc(1, 1 << 20);
	len = fread(readme, 1, (1 << 20) - 1, in);
	fclose(in);
	assert_true(len > 0);
	from = strstr(readme, begin);
	assert_non_null(from);
	from += sizeof(begin) - 1;
	to = strstr(from, end);
	assert_non_null(to);
	*to = 0;

	out = open_memstream(&table, &table_len);
	explain_markdown(out);
	fclose(out);
	if (strcmp(from, table))
		fail_msg("README.md's catalog section differs from bootinst explain --markdown: run make docs");
	free(table);
	free(readme);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_check_request_problem_relative_initrd),
		T(test_check_request_problem_cmdline_bytes),
		T(test_check_request_problem_kernel_path),
		T(test_image_open_refuses_what_is_not_a_disk),
		T(test_check_image_partitions_overlap),
		T(test_check_image_not_installed),
		T(test_check_image_record_vs_changed_signature),
		T(test_check_image_record_vs_resized_partition),
		T(test_check_image_stage_byte_corrupted),
		T(test_check_image_damaged_stage_no_kernel_guess),
		T(test_check_image_stage_wrong_version),
		T(test_check_image_not_ext2),
		T(test_check_image_unsupported_feature),
		T(test_check_image_block_number_out_of_range),
		T(test_check_image_kernel_missing),
		T(test_check_image_kernel_is_directory),
		T(test_check_image_symlink_loop),
		T(test_check_image_kernel_block_past_partition_end),
		T(test_check_image_kernel_truncated),
		T(test_check_image_kernel_not_bzimage),
		T(test_check_image_protocol_too_old),
		T(test_check_image_loads_below_1mb),
		T(test_check_image_initrd_above_addr_max),
		T(test_check_image_cmdline_too_long),
		T(test_check_image_gap_too_small),
		T(test_check_image_gap_foreign),
		T(test_check_image_no_boot_partition),
		T(test_check_image_partition_number_not_in_table),
		T(test_check_image_config_syntax_is_warning),
		T(test_check_image_needs_more_than_qemu_default_ram),
		T(test_check_image_good_installed_image),
		T(test_check_image_config_overrides_record),
		T(test_bootinst_check_exit_status),
		T(test_report_check_text_lines_and_summary),
		T(test_report_check_json_structure),
		T(test_explain_lookup_unknown_code),
		T(test_explain_lookup_grub_number_not_met),
		T(test_explain_answers_every_grub_number),
		T(test_explain_lookup_by_code),
		T(test_explain_lookup_by_grub_number),
		T(test_explain_markdown_matches_readme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
