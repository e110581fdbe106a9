/*
 * test_record.c - the install record's strings (stage1/record.c): read
 * back as written, and refused (E06) when an offset or a terminator is
 * wrong, as a damaged or foreign image would have them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "crc32.h"
#include "record.h"

#define CODE_SIZE 1024

static union {
	struct bootinst_stage_header h;
	char bytes[CODE_SIZE + 512];
} image;

/* An image of CODE_SIZE bytes of "code" and a string area holding the
 * three strings, as installer/stage_image.c lays it out. */
static void make_image(const char *kernel, const char *initrd, const char *cmdline)
{
	size_t at = CODE_SIZE;

	memset(&image, 0, sizeof(image));
	image.h.image_size = sizeof(image);
	image.h.rec.code_size = CODE_SIZE;
	image.h.rec.kernel_off = (uint16_t)at;
	strcpy(image.bytes + at, kernel);
	at += strlen(kernel) + 1;
	image.h.rec.initrd_off = (uint16_t)at;
	strcpy(image.bytes + at, initrd);
	at += strlen(initrd) + 1;
	image.h.rec.cmdline_off = (uint16_t)at;
	strcpy(image.bytes + at, cmdline);
}

static void expect_damaged(void)
{
	struct boot_config cfg = { .kernel = "unchanged" };
	struct diag d;

	assert_int_equal(record_settings(&image.h, &cfg, &d), DIAG_STAGE_MISMATCH);
	assert_string_equal(cfg.kernel, "unchanged");
	assert_string_equal(d.name, "its install record's strings are damaged");
}

static void test_record_settings_offset_inside_code(void **state)
{
	make_image("/boot/vmlinuz", "", "console=ttyS0");
	image.h.rec.kernel_off = CODE_SIZE - 1;
	expect_damaged();
}

static void test_record_settings_offset_past_image(void **state)
{
	make_image("/boot/vmlinuz", "", "console=ttyS0");
	image.h.rec.cmdline_off = (uint16_t)image.h.image_size;
	expect_damaged();
}

static void test_record_settings_no_terminator_before_image_end(void **state)
{
	make_image("/boot/vmlinuz", "", "x");
	memset(image.bytes + image.h.rec.cmdline_off, 'x', sizeof(image) - image.h.rec.cmdline_off);
	expect_damaged();
}

static void test_record_settings_path_longer_than_record(void **state)
{
	char path[BOOTINST_PATH_MAX + 1];

	memset(path, 'k', BOOTINST_PATH_MAX);
	path[0] = '/';
	path[BOOTINST_PATH_MAX] = 0;
	make_image("/boot/vmlinuz", "", "");
	/* a kernel path with no NUL within BOOTINST_PATH_MAX bytes */
	image.h.rec.kernel_off = CODE_SIZE + 100;
	memcpy(image.bytes + CODE_SIZE + 100, path, sizeof(path));
	expect_damaged();
}

static void test_record_settings_reads_what_was_written(void **state)
{
	struct boot_config cfg;
	struct diag d;

	make_image("/boot/vmlinuz-6.1", "/boot/initrd.img", "console=ttyS0 root=/dev/sda1");
	assert_int_equal(record_settings(&image.h, &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/vmlinuz-6.1");
	assert_string_equal(cfg.initrd, "/boot/initrd.img");
	assert_string_equal(cfg.cmdline, "console=ttyS0 root=/dev/sda1");
}

static void test_record_settings_empty_initrd_and_cmdline(void **state)
{
	struct boot_config cfg;
	struct diag d;

	make_image("/vmlinuz", "", "");
	assert_int_equal(record_settings(&image.h, &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.initrd, "");
	assert_string_equal(cfg.cmdline, "");
}

/* The checksum field does not count: whatever it holds, the CRC is that of
 * the image with the field zero. */
static void test_stage_image_crc_ignores_checksum_field(void **state)
{
	uint32_t with_zero;

	make_image("/boot/vmlinuz", "", "console=ttyS0");
	image.h.checksum = 0;
	with_zero = crc32_ieee(0, &image, sizeof(image));
	assert_int_equal(stage_image_crc(&image.h), with_zero);
	image.h.checksum = 0xdeadbeef;
	assert_int_equal(stage_image_crc(&image.h), with_zero);
	image.bytes[CODE_SIZE - 1] ^= 1;
	assert_int_not_equal(stage_image_crc(&image.h), with_zero);
}

/* A stage from before the release field (header_size 0x30) is still a
 * bootinst stage, with no release; other sizes are not. */
static void test_stage_header_size_known_old_and_new(void **state)
{
	struct bootinst_stage_header h = { .header_size = sizeof(h) };

	assert_true(stage_header_size_known(&h));
	h.header_size = 0x30;
	assert_true(stage_header_size_known(&h));
	assert_null(stage_release(&h));
	h.header_size = 0x20;
	assert_false(stage_header_size_known(&h));
	h.header_size = sizeof(h) + 4;
	assert_false(stage_header_size_known(&h));
}

static void test_stage_release_read_and_refused(void **state)
{
	struct bootinst_stage_header h = { .header_size = sizeof(h) };

	memcpy(h.release, "0.1.0", 6);
	assert_string_equal(stage_release(&h), "0.1.0");
	memset(h.release, 'x', sizeof(h.release));   /* no NUL: damaged */
	assert_null(stage_release(&h));
	memset(h.release, 0, sizeof(h.release));     /* empty */
	assert_null(stage_release(&h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_header_size_known_old_and_new),
		cmocka_unit_test(test_stage_release_read_and_refused),
		cmocka_unit_test(test_record_settings_offset_inside_code),
		cmocka_unit_test(test_record_settings_offset_past_image),
		cmocka_unit_test(test_record_settings_no_terminator_before_image_end),
		cmocka_unit_test(test_record_settings_path_longer_than_record),
		cmocka_unit_test(test_record_settings_reads_what_was_written),
		cmocka_unit_test(test_record_settings_empty_initrd_and_cmdline),
		cmocka_unit_test(test_stage_image_crc_ignores_checksum_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
