/*
 * test_diag.c - the diagnostic catalog and diag_format_message(): every
 * entry complete and its code unique, every placeholder kind expanded from
 * a real catalog template, and the edges the stage relies on (NULL strings,
 * small buffers, full 64-bit numbers without libgcc division).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"

static const char *format(const struct diag *d)
{
	static char out[512];

	diag_format_message(d, out, sizeof out);
	return out;
}

/* --- the catalog --------------------------------------------------------- */

static void test_diag_catalog_entries_complete(void **state)
{
	for (int id = 0; id < DIAG_COUNT; id++) {
		const struct diag_entry *e = &diag_catalog[id];
		assert_non_null(e->code);
		assert_non_null(e->grub);        /* "" when GRUB had no number */
		assert_non_null(e->message);
		assert_non_null(e->fix);
		assert_true(e->code[0] != 0);
		assert_true(e->message[0] != 0);
		assert_true(e->fix[0] != 0);
	}
}

static void test_diag_catalog_codes_unique(void **state)
{
	for (int a = 0; a < DIAG_COUNT; a++)
		for (int b = a + 1; b < DIAG_COUNT; b++)
			if (strcmp(diag_catalog[a].code, diag_catalog[b].code) == 0)
				fail_msg("entries %d and %d share code %s", a, b, diag_catalog[a].code);
}

/* The formatter prints "{?}" for a placeholder it does not know; no
 * template may contain one, or the stage would print that at boot. */
static void test_diag_catalog_placeholders_known(void **state)
{
	static const char *const known[] = { "path", "name", "value", "limit", "block", "hex", "status" };

	for (int id = 0; id < DIAG_COUNT; id++) {
		const char *t = diag_catalog[id].message;
		while ((t = strchr(t, '{')) != NULL) {
			const char *end = strchr(t, '}');
			assert_non_null(end);
			size_t len = (size_t)(end - t - 1);
			int found = 0;
			for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
				if (strlen(known[k]) == len && strncmp(t + 1, known[k], len) == 0)
					found = 1;
			if (!found)
				fail_msg("%s: unknown placeholder in \"%s\"", diag_catalog[id].code,
					 diag_catalog[id].message);
			t = end + 1;
		}

		struct diag d = { .id = (enum diag_id)id, .path = "/p", .name = "n" };
		assert_null(strstr(format(&d), "{?}"));
	}
}

/* --- placeholders -------------------------------------------------------- */

static void test_diag_format_message_unknown_id(void **state)
{
	struct diag d = { .id = DIAG_COUNT };
	assert_string_equal(format(&d), "unknown failure");
}

static void test_diag_format_message_null_strings(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_FILE_NOT_FOUND);
	assert_string_equal(format(&d), "file not found: ?");
	diag_set(&d, DIAG_NOT_BZIMAGE);
	d.path = "/boot/vmlinuz";
	assert_string_equal(format(&d), "/boot/vmlinuz is not a Linux bzImage: ?");
}

static void test_diag_format_message_path(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_FILE_NOT_FOUND);
	d.path = "/boot/vmlinuz";
	assert_string_equal(format(&d), "file not found: /boot/vmlinuz");
}

static void test_diag_format_message_name(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_NOT_EXT2);
	d.name = "no ext2 magic";
	assert_string_equal(format(&d), "cannot mount the partition: no ext2 magic");
}

static void test_diag_format_message_value_and_limit(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_CMDLINE_TOO_LONG);
	d.value = 300;
	d.limit = 255;
	assert_string_equal(format(&d), "the command line is 300 bytes; the kernel accepts at most 255");
}

static void test_diag_format_message_block_and_hex(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_DISK_READ);
	d.block = 2048;
	d.value = 0x80;     /* BIOS status: timeout */
	assert_string_equal(format(&d), "disk read error at sector 2048: BIOS status 0x80");
}

static void test_diag_format_message_zero(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_DISK_READ);
	/* status 0: offline, no BIOS answered: no status is claimed */
	assert_string_equal(format(&d), "disk read error at sector 0");
}

static void test_diag_format_message_64bit_values(void **state)
{
	struct diag d;

	diag_set(&d, DIAG_SHORT_READ);
	d.path = "/f";
	d.value = UINT64_MAX;
	d.limit = 10000000000000000000ull;
	assert_string_equal(format(&d), "cannot read the whole of /f: got 18446744073709551615 "
				       "of 10000000000000000000 bytes");

	diag_set(&d, DIAG_UNSUPPORTED_FEATURE);
	d.name = "x";
	d.value = 0xfedcba9876543210ull;
	assert_non_null(strstr(format(&d), "(incompat 0xfedcba9876543210)"));
}

/* --- output buffer ------------------------------------------------------- */

static void test_diag_format_message_truncates(void **state)
{
	struct diag d;
	char out[8];

	diag_set(&d, DIAG_FILE_NOT_FOUND);
	d.path = "/boot/vmlinuz";
	memset(out, 'X', sizeof out);
	assert_int_equal(diag_format_message(&d, out, sizeof out), 7);
	assert_string_equal(out, "file no");
}

static void test_diag_format_message_truncates_inside_number(void **state)
{
	struct diag d;
	char out[36];

	diag_set(&d, DIAG_SHORT_READ);
	d.path = "/f";
	d.value = 123456;
	/* "cannot read the whole of /f: got " is 33 bytes; the number is cut */
	assert_int_equal(diag_format_message(&d, out, sizeof out), 35);
	assert_string_equal(out, "cannot read the whole of /f: got 12");
}

static void test_diag_format_message_one_byte_buffer(void **state)
{
	struct diag d;
	char out[1] = { 'X' };

	diag_set(&d, DIAG_OK);
	assert_int_equal(diag_format_message(&d, out, 1), 0);
	assert_int_equal(out[0], 0);
}

static void test_diag_format_message_zero_size_buffer(void **state)
{
	struct diag d;
	char out[1] = { 'X' };

	diag_set(&d, DIAG_OK);
	assert_int_equal(diag_format_message(&d, out, 0), 0);
	assert_int_equal(out[0], 'X');   /* nothing written, not even a NUL */
}

static void test_diag_format_message_exact_fit(void **state)
{
	struct diag d;
	char out[sizeof "no error"];

	diag_set(&d, DIAG_OK);
	assert_int_equal(diag_format_message(&d, out, sizeof out), strlen("no error"));
	assert_string_equal(out, "no error");
}

static void test_diag_set_clears_numbers(void **state)
{
	struct diag d = { .id = DIAG_OK, .path = "p", .name = "n", .value = 1, .limit = 2, .block = 3 };

	assert_int_equal(diag_set(&d, DIAG_NO_MEMORY), DIAG_NO_MEMORY);
	assert_int_equal(d.id, DIAG_NO_MEMORY);
	assert_null(d.path);
	assert_null(d.name);
	assert_int_equal(d.value, 0);
	assert_int_equal(d.limit, 0);
	assert_int_equal(d.block, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_catalog_entries_complete),
		cmocka_unit_test(test_diag_catalog_codes_unique),
		cmocka_unit_test(test_diag_catalog_placeholders_known),
		cmocka_unit_test(test_diag_format_message_unknown_id),
		cmocka_unit_test(test_diag_format_message_null_strings),
		cmocka_unit_test(test_diag_format_message_path),
		cmocka_unit_test(test_diag_format_message_name),
		cmocka_unit_test(test_diag_format_message_value_and_limit),
		cmocka_unit_test(test_diag_format_message_block_and_hex),
		cmocka_unit_test(test_diag_format_message_zero),
		cmocka_unit_test(test_diag_format_message_64bit_values),
		cmocka_unit_test(test_diag_format_message_truncates),
		cmocka_unit_test(test_diag_format_message_truncates_inside_number),
		cmocka_unit_test(test_diag_format_message_one_byte_buffer),
		cmocka_unit_test(test_diag_format_message_zero_size_buffer),
		cmocka_unit_test(test_diag_format_message_exact_fit),
		cmocka_unit_test(test_diag_set_clears_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
