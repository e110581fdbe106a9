/*
 * test_config.c - config_parse(): every line form, every error with its
 * exact line number, and that a failed parse leaves the configuration (the
 * install record's values) untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

#define CFG_PATH BOOTINST_CONFIG_PATH

/* What the install record gave: a config file overrides some of it. */
static void install_record_defaults(struct boot_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	strcpy(cfg->kernel, "/boot/vmlinuz");
	strcpy(cfg->initrd, "/boot/initrd.img");
	strcpy(cfg->cmdline, "root=/dev/sda1 console=ttyS0");
}

static enum diag_id parse_text(const char *text, struct boot_config *cfg, struct diag *d)
{
	return config_parse(text, (uint32_t)strlen(text), CFG_PATH, cfg, d);
}

/* Parse text that must fail at line_no with reason; *cfg must not change. */
static void assert_syntax_error(const char *text, uint32_t len, unsigned line_no,
				const char *reason)
{
	struct boot_config cfg, before;
	struct diag d;

	install_record_defaults(&cfg);
	before = cfg;
	assert_int_equal(config_parse(text, len, CFG_PATH, &cfg, &d), DIAG_CONFIG_SYNTAX);
	assert_int_equal(d.id, DIAG_CONFIG_SYNTAX);
	assert_string_equal(d.path, CFG_PATH);
	assert_int_equal(d.value, line_no);
	assert_string_equal(d.name, reason);
	assert_memory_equal(&cfg, &before, sizeof cfg);
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
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("kernel /boot/vmlinuz-6.1\n"
				    "initrd /boot/initrd.img-6.1\n"
				    "cmdline root=/dev/sda1 quiet\n", &cfg, &d), DIAG_OK);
	assert_int_equal(d.id, DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/vmlinuz-6.1");
	assert_string_equal(cfg.initrd, "/boot/initrd.img-6.1");
	assert_string_equal(cfg.cmdline, "root=/dev/sda1 quiet");
}

static void test_config_parse_unnamed_fields_keep_install_values(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("cmdline single\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/vmlinuz");
	assert_string_equal(cfg.initrd, "/boot/initrd.img");
	assert_string_equal(cfg.cmdline, "single");
}

static void test_config_parse_only_comments(void **state)
{
	struct boot_config cfg, before;
	struct diag d;

	install_record_defaults(&cfg);
	before = cfg;
	assert_int_equal(parse_text("# bootinst.cfg\n   # indented comment\n#kernel /x\n\n",
				    &cfg, &d), DIAG_OK);
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_config_parse_empty_file(void **state)
{
	struct boot_config cfg, before;
	struct diag d;

	install_record_defaults(&cfg);
	before = cfg;
	assert_int_equal(config_parse("", 0, CFG_PATH, &cfg, &d), DIAG_OK);
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_config_parse_initrd_none(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("initrd none\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.initrd, "");
}

static void test_config_parse_initrd_alone(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("initrd\t \r\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.initrd, "");
}

static void test_config_parse_whitespace_and_crlf(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("\r\n"
				    "  \t kernel \t /boot/vmlinuz  \r\n"
				    "\t\r\n"
				    "   initrd   /boot/initrd.img-new\t\r\n"
				    "cmdline\tconsole=ttyS0 \r\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/vmlinuz");
	assert_string_equal(cfg.initrd, "/boot/initrd.img-new");
	assert_string_equal(cfg.cmdline, "console=ttyS0");
}

static void test_config_parse_last_line_without_newline(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("# no newline at the end\nkernel /boot/bzImage", &cfg, &d),
			 DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/bzImage");
}

static void test_config_parse_cmdline_verbatim(void **state)
{
	struct boot_config cfg;
	struct diag d;

	/* inner runs of blanks, '#', quotes and '=' are the kernel's business */
	install_record_defaults(&cfg);
	assert_int_equal(parse_text("cmdline  root=/dev/sda1  init=\"/bin/sh\" # not a comment\n",
				    &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.cmdline, "root=/dev/sda1  init=\"/bin/sh\" # not a comment");
}

static void test_config_parse_cmdline_empty(void **state)
{
	struct boot_config cfg;
	struct diag d;

	install_record_defaults(&cfg);
	assert_int_equal(parse_text("cmdline\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.cmdline, "");
}

static void test_config_parse_longest_values(void **state)
{
	static char text[BOOTINST_CMDLINE_MAX + BOOTINST_PATH_MAX + 64];
	struct boot_config cfg;
	struct diag d;

	long_line(text, "kernel", '/', 'k', BOOTINST_PATH_MAX - 1);
	strcat(text, "\n");
	long_line(text + strlen(text), "cmdline", 'c', 'c', BOOTINST_CMDLINE_MAX - 1);
	install_record_defaults(&cfg);
	assert_int_equal(parse_text(text, &cfg, &d), DIAG_OK);
	assert_int_equal(strlen(cfg.kernel), BOOTINST_PATH_MAX - 1);
	assert_int_equal(strlen(cfg.cmdline), BOOTINST_CMDLINE_MAX - 1);
}

static void test_config_parse_path_with_space(void **state)
{
	struct boot_config cfg;
	struct diag d;

	/* ext2 names may hold spaces: the path is the rest of the line */
	install_record_defaults(&cfg);
	assert_int_equal(parse_text("kernel /boot/my kernel\n", &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/my kernel");
}

static void test_config_parse_reads_only_len_bytes(void **state)
{
	struct boot_config cfg;
	struct diag d;

	/* the buffer is not NUL-terminated where len ends: the rest is ignored */
	const char text[] = "kernel /boot/a\nkernel /boot/b\n";
	install_record_defaults(&cfg);
	assert_int_equal(config_parse(text, 14, CFG_PATH, &cfg, &d), DIAG_OK);
	assert_string_equal(cfg.kernel, "/boot/a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
