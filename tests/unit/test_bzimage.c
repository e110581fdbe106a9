/*
 * test_bzimage.c - bzimage_parse() against synthetic setup headers (one
 * helper builds a minimal valid header of a given protocol version; each
 * test changes what it is about), and against a real kernel when
 * BOOTINST_TEST_KERNEL names one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bzimage.h"

#define KERNEL_PATH "/boot/vmlinuz"
#define SYSSIZE_PARAGRAPHS 0x1000u                  /* 64 KiB of protected-mode code */
#define SETUP_SECTS 4u
#define SETUP_BYTES ((SETUP_SECTS + 1) * 512u)
#define KERNEL_BYTES (SYSSIZE_PARAGRAPHS * 16u)
#define FILE_BYTES ((uint64_t)SETUP_BYTES + KERNEL_BYTES)

static void put_le16(uint8_t *head, size_t off, uint16_t v)
{
	head[off] = (uint8_t)v;
	head[off + 1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *head, size_t off, uint32_t v)
{
	put_le16(head, off, (uint16_t)v);
	put_le16(head, off + 2, (uint16_t)(v >> 16));
}

/*
 * A minimal header a loader should accept: boot flag, "HdrS", the given
 * protocol, LOADED_HIGH, 4 setup sectors, syssize for KERNEL_BYTES, and
 * every later field set to a recognisable value, so a test can see whether
 * the parser read it or used the default for older protocols.
 */
static void make_header(uint8_t head[BZIMAGE_HEAD_BYTES], uint16_t protocol)
{
	memset(head, 0, BZIMAGE_HEAD_BYTES);
	head[LINUX_HDR_OFF(setup_sects)] = SETUP_SECTS;
	put_le32(head, LINUX_HDR_OFF(syssize), SYSSIZE_PARAGRAPHS);
	put_le16(head, LINUX_HDR_OFF(boot_flag), LINUX_BOOT_FLAG);
	head[LINUX_HDR_OFF(jump)] = 0xeb;                  /* jmp short, as in header.S */
	head[LINUX_HDR_OFF(jump) + 1] = 0x66;
	memcpy(head + LINUX_HDR_OFF(header), "HdrS", 4);
	put_le16(head, LINUX_HDR_OFF(version), protocol);
	head[LINUX_HDR_OFF(loadflags)] = LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP;
	put_le32(head, LINUX_HDR_OFF(initrd_addr_max), 0x7fffffff);
	put_le32(head, LINUX_HDR_OFF(kernel_alignment), 0x200000);
	head[LINUX_HDR_OFF(relocatable_kernel)] = 1;
	put_le16(head, LINUX_HDR_OFF(xloadflags), 0x1f);
	put_le32(head, LINUX_HDR_OFF(cmdline_size), 2047);
	put_le32(head, LINUX_HDR_OFF(init_size), 0x01000000);
}

static enum diag_id parse(const uint8_t *head, uint64_t file_size, struct bzimage_info *info,
			  struct diag *d)
{
	uint32_t head_len = file_size < BZIMAGE_HEAD_BYTES ? (uint32_t)file_size : BZIMAGE_HEAD_BYTES;
	return bzimage_parse(head, head_len, file_size, KERNEL_PATH, info, d);
}

static void assert_message(const struct diag *d, const char *expected)
{
	char msg[256];

	diag_format_message(d, msg, sizeof msg);
	assert_string_equal(msg, expected);
}

/* --- failures ------------------------------------------------------------ */

static void test_bzimage_parse_file_too_short(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	assert_int_equal(parse(head, 600, &info, &d), DIAG_NOT_BZIMAGE);
	assert_int_equal(d.id, DIAG_NOT_BZIMAGE);
	assert_int_equal(d.value, 600);
	assert_int_equal(d.limit, 620);
	assert_message(&d, KERNEL_PATH " is not a Linux bzImage: "
		       "it is shorter than the 620 bytes that hold a setup header");
}

static void test_bzimage_parse_wrong_boot_flag(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	put_le16(head, LINUX_HDR_OFF(boot_flag), 0x55aa);  /* byte-swapped */
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_NOT_BZIMAGE);
	assert_string_equal(d.path, KERNEL_PATH);
	assert_string_equal(d.name, "no 0xAA55 boot flag at 0x1FE");
}

static void test_bzimage_parse_no_hdrs_signature(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	memcpy(head + LINUX_HDR_OFF(header), "HdrZ", 4);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_NOT_BZIMAGE);
	assert_non_null(strstr(d.name, "no \"HdrS\" signature at 0x202"));
}

static void test_bzimage_parse_elf_named(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* a vmlinux: ELF magic, class 64, little-endian; no boot flag */
	memset(head, 0, sizeof head);
	memcpy(head, "\x7f" "ELF\x02\x01\x01", 7);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_NOT_BZIMAGE);
	assert_non_null(strstr(d.name, "ELF"));
	assert_non_null(strstr(d.name, "vmlinux"));
}

static void test_bzimage_parse_gzip_named(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* a gzip member header (RFC 1952): 1f 8b, CM=8 (deflate) */
	memset(head, 0, sizeof head);
	memcpy(head, "\x1f\x8b\x08\x00", 4);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_NOT_BZIMAGE);
	assert_non_null(strstr(d.name, "gzip"));
}

static void test_bzimage_parse_signature_checked_before_file_type(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* A real bzImage starts with "MZ" (its PE stub), never with these
	 * magics; but a valid header wins even if the first bytes look like
	 * gzip: only a file that fails the signatures is given a type. */
	make_header(head, 0x020f);
	memcpy(head, "\x1f\x8b", 2);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
}

static void test_bzimage_parse_protocol_too_old(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x0201);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_PROTOCOL_TOO_OLD);
	assert_int_equal(d.value, 0x0201);
	assert_message(&d, KERNEL_PATH " uses Linux boot protocol 0x0201; "
		       "bootinst needs 2.02 (0x0202) or newer");
}

static void test_bzimage_parse_zimage(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x0202);
	head[LINUX_HDR_OFF(loadflags)] &= (uint8_t)~LINUX_LOADED_HIGH;
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_LOADS_BELOW_1MB);
	assert_message(&d, KERNEL_PATH " is a zImage that must load below 1 MiB");
}

static void test_bzimage_parse_setup_sects_too_large(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	head[LINUX_HDR_OFF(setup_sects)] = LINUX_SETUP_MAX_SECTS + 1;
	assert_int_equal(parse(head, 1u << 20, &info, &d), DIAG_NOT_BZIMAGE);
	assert_int_equal(d.value, LINUX_SETUP_MAX_SECTS + 1);
	assert_int_equal(d.limit, LINUX_SETUP_MAX_SECTS);
	assert_non_null(strstr(d.name, "setup_sects"));
}

static void test_bzimage_parse_shorter_than_setup(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	/* the file ends inside the setup code: none of the kernel is there */
	assert_int_equal(parse(head, 2048, &info, &d), DIAG_SHORT_READ);
	assert_int_equal(d.value, 2048);
	assert_int_equal(d.limit, FILE_BYTES);
	assert_message(&d, "cannot read the whole of " KERNEL_PATH ": got 2048 of 68096 bytes");
}

static void test_bzimage_parse_shorter_than_syssize(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	assert_int_equal(parse(head, FILE_BYTES - 1, &info, &d), DIAG_SHORT_READ);
	assert_int_equal(d.value, FILE_BYTES - 1);
	assert_int_equal(d.limit, FILE_BYTES);
}

static void test_bzimage_parse_setup_only_before_2_04(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* Before 2.04 syssize is not to be trusted, but a file that is only
	 * setup code still has no kernel. */
	make_header(head, 0x0203);
	assert_int_equal(parse(head, SETUP_BYTES, &info, &d), DIAG_SHORT_READ);
	assert_int_equal(d.value, SETUP_BYTES);
	assert_int_equal(d.limit, SETUP_BYTES + 1);
}

static void test_bzimage_parse_larger_than_4gib(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	assert_int_equal(parse(head, (uint64_t)SETUP_BYTES + 0x100000000ull, &info, &d),
			 DIAG_NOT_BZIMAGE);
	assert_non_null(strstr(d.name, "4 GiB"));
}

/* --- accepted headers ---------------------------------------------------- */

static void test_bzimage_parse_good_header(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	/* the file may carry more than syssize says (e.g. a signature) */
	assert_int_equal(parse(head, FILE_BYTES + 512, &info, &d), DIAG_OK);
	assert_int_equal(d.id, DIAG_OK);
	assert_int_equal(info.protocol, 0x020f);
	assert_int_equal(info.loadflags, LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP);
	assert_int_equal(info.xloadflags, 0x1f);
	assert_int_equal(info.setup_bytes, SETUP_BYTES);
	assert_int_equal(info.kernel_bytes, KERNEL_BYTES + 512);
	assert_int_equal(info.cmdline_max, 2047);
	assert_int_equal(info.initrd_addr_max, 0x7fffffff);
	assert_int_equal(info.init_size, 0x01000000);
	assert_int_equal(info.kernel_alignment, 0x200000);
	assert_int_equal(info.relocatable, 1);
}

static void test_bzimage_parse_fields_little_endian(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	put_le32(head, LINUX_HDR_OFF(initrd_addr_max), 0x12345678);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.initrd_addr_max, 0x12345678);
}

static void test_bzimage_parse_setup_sects_zero_means_4(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	head[LINUX_HDR_OFF(setup_sects)] = 0;
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.setup_bytes, (LINUX_DEFAULT_SETUP_SECTS + 1) * 512);
}

static void test_bzimage_parse_largest_setup(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x020f);
	head[LINUX_HDR_OFF(setup_sects)] = LINUX_SETUP_MAX_SECTS;
	assert_int_equal(parse(head, 65 * 512 + KERNEL_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.setup_bytes, 65 * 512);
	assert_int_equal(info.kernel_bytes, KERNEL_BYTES);
}

static void test_bzimage_parse_cmdline_size_by_protocol(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x0205);   /* cmdline_size is 2.06+: default 255 */
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.cmdline_max, LINUX_CMDLINE_SIZE_OLD);

	make_header(head, 0x0206);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.cmdline_max, 2047);
}

static void test_bzimage_parse_initrd_addr_max_by_protocol(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x0202);   /* initrd_addr_max is 2.03+ */
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.initrd_addr_max, LINUX_INITRD_ADDR_MAX_OLD);

	make_header(head, 0x0203);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.initrd_addr_max, 0x7fffffff);
}

static void test_bzimage_parse_init_size_fallback(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* 2.09 has no init_size (0x0210 would be 2.16: the minor is binary) */
	make_header(head, 0x0209);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.init_size, KERNEL_BYTES);

	/* 2.10 with an init_size smaller than what is copied: the larger wins */
	make_header(head, 0x020a);
	put_le32(head, LINUX_HDR_OFF(init_size), 4096);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.init_size, KERNEL_BYTES);

	make_header(head, 0x020a);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.init_size, 0x01000000);
}

static void test_bzimage_parse_relocation_fields_by_protocol(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	make_header(head, 0x0204);   /* kernel_alignment, relocatable_kernel: 2.05+ */
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.kernel_alignment, 0);
	assert_int_equal(info.relocatable, 0);
	assert_int_equal(info.xloadflags, 0);

	make_header(head, 0x0205);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.kernel_alignment, 0x200000);
	assert_int_equal(info.relocatable, 1);
	assert_int_equal(info.xloadflags, 0);   /* 2.12+ */
}

static void test_bzimage_parse_syssize_ignored_before_2_04(void **state)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	/* a 2.03 header whose 0x1F4..0x1F7 hold junk by today's reading */
	make_header(head, 0x0203);
	put_le32(head, LINUX_HDR_OFF(syssize), 0xffffffff);
	assert_int_equal(parse(head, FILE_BYTES, &info, &d), DIAG_OK);
	assert_int_equal(info.kernel_bytes, KERNEL_BYTES);
}

/* A real kernel, when the environment names one (never the only coverage). */
static void test_bzimage_parse_real_kernel(void **state)
{
	const char *path = getenv("BOOTINST_TEST_KERNEL");
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct diag d;

	if (!path || !*path)
		skip();
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t got = fread(head, 1, sizeof head, f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	fclose(f);
	assert_true(size > 0);

	assert_int_equal(bzimage_parse(head, (uint32_t)got, (uint64_t)size, path, &info, &d), DIAG_OK);
	assert_true(info.protocol >= LINUX_MIN_PROTOCOL);
	assert_true(info.loadflags & LINUX_LOADED_HIGH);
	assert_true(info.setup_bytes >= 5 * 512 && info.setup_bytes <= 65 * 512);
	assert_int_equal((uint64_t)info.setup_bytes + info.kernel_bytes, (uint64_t)size);
	assert_true(info.init_size >= info.kernel_bytes);
	assert_true(info.cmdline_max >= LINUX_CMDLINE_SIZE_OLD);
	assert_true(info.initrd_addr_max > LINUX_PM_LOAD_ADDR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage_parse_file_too_short),
		cmocka_unit_test(test_bzimage_parse_wrong_boot_flag),
		cmocka_unit_test(test_bzimage_parse_no_hdrs_signature),
		cmocka_unit_test(test_bzimage_parse_elf_named),
		cmocka_unit_test(test_bzimage_parse_gzip_named),
		cmocka_unit_test(test_bzimage_parse_signature_checked_before_file_type),
		cmocka_unit_test(test_bzimage_parse_protocol_too_old),
		cmocka_unit_test(test_bzimage_parse_zimage),
		cmocka_unit_test(test_bzimage_parse_setup_sects_too_large),
		cmocka_unit_test(test_bzimage_parse_shorter_than_setup),
		cmocka_unit_test(test_bzimage_parse_shorter_than_syssize),
		cmocka_unit_test(test_bzimage_parse_setup_only_before_2_04),
		cmocka_unit_test(test_bzimage_parse_larger_than_4gib),
		cmocka_unit_test(test_bzimage_parse_good_header),
		cmocka_unit_test(test_bzimage_parse_fields_little_endian),
		cmocka_unit_test(test_bzimage_parse_setup_sects_zero_means_4),
		cmocka_unit_test(test_bzimage_parse_largest_setup),
		cmocka_unit_test(test_bzimage_parse_cmdline_size_by_protocol),
		cmocka_unit_test(test_bzimage_parse_initrd_addr_max_by_protocol),
		cmocka_unit_test(test_bzimage_parse_init_size_fallback),
		cmocka_unit_test(test_bzimage_parse_relocation_fields_by_protocol),
		cmocka_unit_test(test_bzimage_parse_syssize_ignored_before_2_04),
		cmocka_unit_test(test_bzimage_parse_real_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
