/*
 * test_config.c - config_parse(): every line form, both forms of the file
 * (the recorded entry changed, or entries of its own with default,
 * fallback and timeout), every error with its exact line number, and that
 * a failed parse leaves the menu (the install record's entry) untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

#define CFG_PATH BOOTINST_CONFIG_PATH

/* The menu of what the install record gave: a config file overrides some
 * of its one entry, or names entries of its own. */
static void install_record_defaults(struct boot_menu *m)
{
	struct boot_config recorded;

	memset(m, 0, sizeof *m);
	memset(&recorded, 0, sizeof recorded);
	strcpy(recorded.kernel, "/boot/vmlinuz");
	strcpy(recorded.initrd, "/boot/initrd.img");
	strcpy(recorded.cmdline, "root=/dev/sda1 console=ttyS0");
	config_menu_of_record(&recorded, 0, m);
}

static enum diag_id parse_text(const char *text, struct boot_menu *m, struct diag *d)
{
	return config_parse(text, (uint32_t)strlen(text), CFG_PATH, m, d);
}

/* 21 KiB each: not on the stack */
static struct boot_menu menu, before;
#define FIRST (menu.entry[0].cfg)   /* the recorded entry */

/* Parse text that must fail at line_no with reason; *cfg must not change. */
static void assert_syntax_error(const char *text, uint32_t len, unsigned line_no,
				const char *reason)
{
	struct diag d;

	install_record_defaults(&menu);
	before = menu;
	assert_int_equal(config_parse(text, len, CFG_PATH, &menu, &d), DIAG_CONFIG_SYNTAX);
	assert_int_equal(d.id, DIAG_CONFIG_SYNTAX);
	assert_string_equal(d.path, CFG_PATH);
	assert_int_equal(d.value, line_no);
	assert_string_equal(d.name, reason);
	assert_memory_equal(&menu, &before, sizeof menu);
}

/* A line "KEYWORD " followed by n copies of c (NUL-terminated, in buf). */
static const char *long_line(char *buf, const char *keyword, char first, char c, size_t n)
{
	size_t k = strlen(keyword);

	memcpy(buf, keyword, k);
	buf[k] = ' ';
	buf[k + 1] = first;
	memset(buf + k + 2, c, n - 1);
	buf[k + 1 + n] = 0;
	return buf;
}

/* --- errors -------------------------------------------------------------- */

static void test_config_parse_unknown_keyword(void **state)
{
	const char *text = "# bootinst\n\nkernal /boot/vmlinuz\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 3, "unknown keyword 'kernal'");
}

static void test_config_parse_unknown_keyword_long_is_shortened(void **state)
{
	const char *text = "abcdefghijklmnopqrstuvwxyz0123456789 x\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 1,
			    "unknown keyword 'abcdefghijklmnopqrstuvwxyz012345...'");
}

static void test_config_parse_keyword_is_case_sensitive(void **state)
{
	const char *text = "Kernel /boot/vmlinuz";
	assert_syntax_error(text, (uint32_t)strlen(text), 1, "unknown keyword 'Kernel'");
}

static void test_config_parse_kernel_path_not_absolute(void **state)
{
	const char *text = "kernel boot/vmlinuz\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 1,
			    "the path is not absolute (it must start with /)");
}

static void test_config_parse_initrd_path_not_absolute(void **state)
{
	const char *text = "kernel /boot/vmlinuz\r\n# initrd\r\ninitrd initrd.img\r\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 3,
			    "the path is not absolute (it must start with /)");
}

static void test_config_parse_kernel_without_path(void **state)
{
	const char *text = "cmdline quiet\nkernel   \n";
	assert_syntax_error(text, (uint32_t)strlen(text), 2, "'kernel' needs a path");
}

static void test_config_parse_path_too_long(void **state)
{
	static char line[BOOTINST_PATH_MAX + 16];

	/* BOOTINST_PATH_MAX counts the NUL: a path of that many bytes is too long */
	long_line(line, "initrd", '/', 'i', BOOTINST_PATH_MAX);
	assert_syntax_error(line, (uint32_t)strlen(line), 1, "the path is longer than 255 bytes");
}

static void test_config_parse_cmdline_too_long(void **state)
{
	static char text[BOOTINST_CMDLINE_MAX + 64];

	strcpy(text, "kernel /vmlinuz\n");
	long_line(text + strlen(text), "cmdline", 'x', 'x', BOOTINST_CMDLINE_MAX);
	assert_syntax_error(text, (uint32_t)strlen(text), 2,
			    "the command line is longer than 2047 bytes");
}

static void test_config_parse_keyword_repeated(void **state)
{
	const char *text = "kernel /a\ncmdline x\n\ncmdline y\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 4, "'cmdline' appears twice");
}

static void test_config_parse_initrd_repeated_after_none(void **state)
{
	const char *text = "initrd none\ninitrd /boot/initrd.img\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 2, "'initrd' appears twice");
}

static void test_config_parse_nul_byte(void **state)
{
	static const char text[] = "kernel /boot/vmlinuz\n# ok\ncmdline a\0b\n";
	assert_syntax_error(text, sizeof text - 1, 3, "a NUL byte: the file is binary or damaged");
}

static void test_config_parse_nul_byte_in_comment(void **state)
{
	static const char text[] = "# a\0comment\n";
	assert_syntax_error(text, sizeof text - 1, 1, "a NUL byte: the file is binary or damaged");
}

static void test_config_parse_error_after_good_lines_changes_nothing(void **state)
{
	/* lines 1-3 are good and would override everything; line 4 is not */
	const char *text = "kernel /new\ninitrd /new.img\ncmdline new\nbogus\n";
	assert_syntax_error(text, (uint32_t)strlen(text), 4, "unknown keyword 'bogus'");
}

/* --- accepted files ------------------------------------------------------ */

static void test_config_parse_all_keywords(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("kernel /boot/vmlinuz-6.1\n"
				    "initrd /boot/initrd.img-6.1\n"
				    "cmdline root=/dev/sda1 quiet\n", &menu, &d), DIAG_OK);
	assert_int_equal(d.id, DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/vmlinuz-6.1");
	assert_string_equal(FIRST.initrd, "/boot/initrd.img-6.1");
	assert_string_equal(FIRST.cmdline, "root=/dev/sda1 quiet");
}

static void test_config_parse_unnamed_fields_keep_install_values(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("cmdline single\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/vmlinuz");
	assert_string_equal(FIRST.initrd, "/boot/initrd.img");
	assert_string_equal(FIRST.cmdline, "single");
}

static void test_config_parse_only_comments(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	before = menu;
	assert_int_equal(parse_text("# bootinst.cfg\n   # indented comment\n#kernel /x\n\n",
				    &menu, &d), DIAG_OK);
	assert_memory_equal(&menu, &before, sizeof menu);
}

static void test_config_parse_empty_file(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	before = menu;
	assert_int_equal(config_parse("", 0, CFG_PATH, &menu, &d), DIAG_OK);
	assert_memory_equal(&menu, &before, sizeof menu);
}

static void test_config_parse_initrd_none(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("initrd none\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.initrd, "");
}

static void test_config_parse_initrd_alone(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("initrd\t \r\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.initrd, "");
}

static void test_config_parse_whitespace_and_crlf(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("\r\n"
				    "  \t kernel \t /boot/vmlinuz  \r\n"
				    "\t\r\n"
				    "   initrd   /boot/initrd.img-new\t\r\n"
				    "cmdline\tconsole=ttyS0 \r\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/vmlinuz");
	assert_string_equal(FIRST.initrd, "/boot/initrd.img-new");
	assert_string_equal(FIRST.cmdline, "console=ttyS0");
}

static void test_config_parse_last_line_without_newline(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("# no newline at the end\nkernel /boot/bzImage", &menu, &d),
			 DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/bzImage");
}

static void test_config_parse_cmdline_verbatim(void **state)
{
	struct diag d;

	/* inner runs of blanks, '#', quotes and '=' are the kernel's business */
	install_record_defaults(&menu);
	assert_int_equal(parse_text("cmdline  root=/dev/sda1  init=\"/bin/sh\" # not a comment\n",
				    &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.cmdline, "root=/dev/sda1  init=\"/bin/sh\" # not a comment");
}

static void test_config_parse_cmdline_empty(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text("cmdline\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.cmdline, "");
}

static void test_config_parse_longest_values(void **state)
{
	static char text[BOOTINST_CMDLINE_MAX + BOOTINST_PATH_MAX + 64];
	struct diag d;

	long_line(text, "kernel", '/', 'k', BOOTINST_PATH_MAX - 1);
	strcat(text, "\n");
	long_line(text + strlen(text), "cmdline", 'c', 'c', BOOTINST_CMDLINE_MAX - 1);
	install_record_defaults(&menu);
	assert_int_equal(parse_text(text, &menu, &d), DIAG_OK);
	assert_int_equal(strlen(FIRST.kernel), BOOTINST_PATH_MAX - 1);
	assert_int_equal(strlen(FIRST.cmdline), BOOTINST_CMDLINE_MAX - 1);
}

static void test_config_parse_path_with_space(void **state)
{
	struct diag d;

	/* ext2 names may hold spaces: the path is the rest of the line */
	install_record_defaults(&menu);
	assert_int_equal(parse_text("kernel /boot/my kernel\n", &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/my kernel");
}

static void test_config_parse_reads_only_len_bytes(void **state)
{
	struct diag d;

	/* the buffer is not NUL-terminated where len ends: the rest is ignored */
	const char text[] = "kernel /boot/a\nkernel /boot/b\n";
	install_record_defaults(&menu);
	assert_int_equal(config_parse(text, 14, CFG_PATH, &menu, &d), DIAG_OK);
	assert_string_equal(FIRST.kernel, "/boot/a");
}

/* --- menus: entries, default, fallback, timeout ------------------------------ */

static const char two_entries[] =
	"timeout 3\n"
	"default rescue\n"
	"fallback 1\n"
	"\n"
	"entry linux\n"
	"  kernel /boot/vmlinuz\n"
	"  initrd /boot/initrd.img\n"
	"  cmdline console=ttyS0 root=/dev/sda1\n"
	"entry rescue\n"
	"  kernel /boot/vmlinuz\n"
	"  cmdline console=ttyS0 root=/dev/sda1 init=/bin/sh\n";

static void test_config_menu_two_entries(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(parse_text(two_entries, &menu, &d), DIAG_OK);
	assert_int_equal(menu.count, 2);
	assert_int_equal(menu.timeout, 3);
	assert_int_equal(menu.default_entry, 1);     /* by name */
	assert_int_equal(menu.fallback, 0);          /* by number */
	assert_string_equal(menu.entry[0].name, "linux");
	assert_string_equal(menu.entry[0].cfg.initrd, "/boot/initrd.img");
	assert_string_equal(menu.entry[1].name, "rescue");
	assert_string_equal(menu.entry[1].cfg.kernel, "/boot/vmlinuz");
	assert_string_equal(menu.entry[1].cfg.initrd, "");   /* no line: none, not the record's */
	assert_string_equal(menu.entry[1].cfg.cmdline, "console=ttyS0 root=/dev/sda1 init=/bin/sh");
}

static void test_config_menu_defaults(void **state)
{
	struct diag d;

	/* no default: the first; no fallback; no timeout; no cmdline: empty */
	install_record_defaults(&menu);
	assert_int_equal(parse_text("entry a\nkernel /a\nentry b\nkernel /b\n", &menu, &d), DIAG_OK);
	assert_int_equal(menu.count, 2);
	assert_int_equal(menu.default_entry, 0);
	assert_int_equal(menu.fallback, BOOT_MENU_NO_FALLBACK);
	assert_int_equal(menu.timeout, 0);
	assert_string_equal(menu.entry[1].cfg.cmdline, "");
}

static void test_config_menu_recorded_form_takes_settings(void **state)
{
	struct diag d;

	/* the one-entry form with a timeout: the recorded entry, changed */
	install_record_defaults(&menu);
	assert_int_equal(parse_text("timeout 5\ncmdline single\ndefault recorded\n", &menu, &d), DIAG_OK);
	assert_int_equal(menu.count, 1);
	assert_int_equal(menu.timeout, 5);
	assert_string_equal(menu.entry[0].name, BOOTINST_RECORDED_ENTRY);
	assert_string_equal(menu.entry[0].cfg.kernel, "/boot/vmlinuz");
	assert_string_equal(menu.entry[0].cfg.cmdline, "single");
}

/* 'disk bios' forces the BIOS path, 'disk auto' (the default) allows the
 * native one; either form of the file takes it. */
static void test_config_disk_setting(void **state)
{
	struct diag d;

	install_record_defaults(&menu);
	assert_int_equal(menu.bios_disk, 0);
	assert_int_equal(parse_text("disk bios\ncmdline x\n", &menu, &d), DIAG_OK);
	assert_int_equal(menu.bios_disk, 1);
	assert_string_equal(menu.entry[0].cfg.cmdline, "x");
	install_record_defaults(&menu);
	assert_int_equal(parse_text("entry a\nkernel /a\n  disk auto\n", &menu, &d), DIAG_OK);
	assert_int_equal(menu.bios_disk, 0);
	assert_int_equal(menu.count, 1);
}

static void test_config_menu_eight_entries(void **state)
{
	char text[512] = "";
	struct diag d;

	for (int i = 0; i < BOOTINST_MENU_ENTRIES; i++)
		sprintf(text + strlen(text), "entry e%d\nkernel /k%d\n", i, i);
	strcat(text, "default 8\n");
	install_record_defaults(&menu);
	assert_int_equal(parse_text(text, &menu, &d), DIAG_OK);
	assert_int_equal(menu.count, 8);
	assert_int_equal(menu.default_entry, 7);
	assert_string_equal(menu.entry[7].cfg.kernel, "/k7");
}

static void test_config_menu_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *reason;
	} cases[] = {
		{ "entry a\ncmdline x\nentry b\nkernel /b\n", 1, "this entry has no 'kernel' line" },
		{ "entry a\nkernel /a\n\nentry b\n", 4, "this entry has no 'kernel' line" },
		{ "kernel /a\nentry b\nkernel /b\n", 2,
		  "an 'entry' line after kernel, initrd or cmdline lines outside any entry: put those inside an entry" },
		{ "entry a\nkernel /a\nentry a\nkernel /b\n", 3, "two entries have this name" },
		{ "entry\nkernel /a\n", 1, "an entry needs a name of 1 to 31 bytes" },
		{ "entry 0123456789012345678901234567890123\nkernel /a\n", 1,
		  "an entry needs a name of 1 to 31 bytes" },
		{ "entry a\nkernel /a\nkernel /b\n", 3, "'kernel' appears twice" },
		{ "default b\nentry a\nkernel /a\n", 1, "'default' names no entry (a name, or a number from 1)" },
		{ "entry a\nkernel /a\nfallback 2\n", 3, "'fallback' names no entry (a name, or a number from 1)" },
		{ "default 0\ncmdline x\n", 1, "'default' names no entry (a name, or a number from 1)" },
		{ "timeout soon\n", 1, "'timeout' takes seconds, 0 to 3600" },
		{ "timeout 3601\n", 1, "'timeout' takes seconds, 0 to 3600" },
		{ "timeout 1\ntimeout 2\n", 2, "'timeout' appears twice" },
		{ "default 1\nentry a\nkernel /a\ndefault a\n", 4, "'default' appears twice" },
		{ "entry a\nkernel relative\n", 2, "the path is not absolute (it must start with /)" },
		{ "disk\n", 1, "'disk' takes 'bios' or 'auto'" },
		{ "disk native\n", 1, "'disk' takes 'bios' or 'auto'" },
		{ "disk BIOS\n", 1, "'disk' takes 'bios' or 'auto'" },
		{ "disk bios\ndisk auto\n", 2, "'disk' appears twice" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_syntax_error(cases[i].text, (uint32_t)strlen(cases[i].text), cases[i].line,
				    cases[i].reason);
}

static void test_config_menu_nine_entries(void **state)
{
	char text[512] = "";

	for (int i = 0; i < BOOTINST_MENU_ENTRIES + 1; i++)
		sprintf(text + strlen(text), "entry e%d\nkernel /k%d\n", i, i);
	assert_syntax_error(text, (uint32_t)strlen(text), 17, "more than 8 entries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_menu_two_entries),
		cmocka_unit_test(test_config_menu_defaults),
		cmocka_unit_test(test_config_menu_recorded_form_takes_settings),
		cmocka_unit_test(test_config_disk_setting),
		cmocka_unit_test(test_config_menu_eight_entries),
		cmocka_unit_test(test_config_menu_errors),
		cmocka_unit_test(test_config_menu_nine_entries),
		cmocka_unit_test(test_config_parse_unknown_keyword),
		cmocka_unit_test(test_config_parse_unknown_keyword_long_is_shortened),
		cmocka_unit_test(test_config_parse_keyword_is_case_sensitive),
		cmocka_unit_test(test_config_parse_kernel_path_not_absolute),
		cmocka_unit_test(test_config_parse_initrd_path_not_absolute),
		cmocka_unit_test(test_config_parse_kernel_without_path),
		cmocka_unit_test(test_config_parse_path_too_long),
		cmocka_unit_test(test_config_parse_cmdline_too_long),
		cmocka_unit_test(test_config_parse_keyword_repeated),
		cmocka_unit_test(test_config_parse_initrd_repeated_after_none),
		cmocka_unit_test(test_config_parse_nul_byte),
		cmocka_unit_test(test_config_parse_nul_byte_in_comment),
		cmocka_unit_test(test_config_parse_error_after_good_lines_changes_nothing),
		cmocka_unit_test(test_config_parse_all_keywords),
		cmocka_unit_test(test_config_parse_unnamed_fields_keep_install_values),
		cmocka_unit_test(test_config_parse_only_comments),
		cmocka_unit_test(test_config_parse_empty_file),
		cmocka_unit_test(test_config_parse_initrd_none),
		cmocka_unit_test(test_config_parse_initrd_alone),
		cmocka_unit_test(test_config_parse_whitespace_and_crlf),
		cmocka_unit_test(test_config_parse_last_line_without_newline),
		cmocka_unit_test(test_config_parse_cmdline_verbatim),
		cmocka_unit_test(test_config_parse_cmdline_empty),
		cmocka_unit_test(test_config_parse_longest_values),
		cmocka_unit_test(test_config_parse_path_with_space),
		cmocka_unit_test(test_config_parse_reads_only_len_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
