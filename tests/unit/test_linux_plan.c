/*
 * test_linux_plan.c - the loader's decisions (stage1/linux_plan.c) and the
 * memory list they are made over (stage1/memmap.c): command line limit,
 * room for the kernel at 1 MiB, the initrd's place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "linux_plan.h"

#define MIB 0x100000ull

static struct bzimage_info kernel(uint32_t init_size, uint32_t initrd_addr_max)
{
	struct bzimage_info k = { 0 };

	k.protocol = 0x020f;
	k.cmdline_max = 2047;
	k.init_size = init_size;
	k.initrd_addr_max = initrd_addr_max;
	return k;
}

static struct boot_config config(const char *initrd)
{
	struct boot_config cfg = { 0 };

	strcpy(cfg.kernel, "/boot/vmlinuz");
	strcpy(cfg.initrd, initrd);
	return cfg;
}

/* A PC: 0..0x9FC00 and 1 MiB..top usable. */
static struct memmap pc(uint64_t top)
{
	struct memmap mm = { 0 };

	memmap_add(&mm, 0, 0x9FC00);
	memmap_add(&mm, MIB, top);
	return mm;
}

static void test_linux_plan_cmdline_one_byte_too_long(void **state)
{
	struct bzimage_info k = kernel(16 * MIB, 0x7fffffff);
	char line[2049];
	struct diag d;

	k.cmdline_max = 255;     /* protocol < 2.06 */
	memset(line, 'x', 256);
	line[256] = 0;
	assert_int_equal(linux_plan_cmdline(&k, line, &d), DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(d.value, 256);
	assert_int_equal(d.limit, 255);
	line[255] = 0;
	assert_int_equal(linux_plan_cmdline(&k, line, &d), DIAG_OK);
}

static void test_linux_plan_cmdline_record_bounds_a_generous_kernel(void **state)
{
	struct bzimage_info k = kernel(16 * MIB, 0x7fffffff);
	char line[2049];
	struct diag d;

	k.cmdline_max = 100000;
	memset(line, 'x', 2048);
	line[2048] = 0;
	assert_int_equal(linux_plan_cmdline(&k, line, &d), DIAG_CMDLINE_TOO_LONG);
	assert_int_equal(d.limit, BOOTINST_CMDLINE_MAX - 1);
}

static void test_linux_plan_memory_kernel_does_not_fit(void **state)
{
	struct bzimage_info k = kernel(64 * MIB, 0x7fffffff);
	struct boot_config cfg = config("");
	struct memmap mm = pc(32 * MIB);
	struct linux_plan plan;
	struct diag d;

	assert_int_equal(linux_plan_memory(&k, &cfg, 0, &mm, &plan, &d), DIAG_NO_MEMORY);
	assert_string_equal(d.path, "/boot/vmlinuz");
	assert_int_equal(d.value, 64 * MIB);
	assert_int_equal(d.limit, 31 * MIB);
}

static void test_linux_plan_memory_initrd_above_addr_max(void **state)
{
	/* initrd_addr_max 16 MiB: a 20 MiB initrd fits no machine */
	struct bzimage_info k = kernel(4 * MIB, 16 * MIB - 1);
	struct boot_config cfg = config("/boot/initrd.img");
	struct memmap mm = pc(1024 * MIB);
	struct linux_plan plan;
	struct diag d;

	assert_int_equal(linux_plan_memory(&k, &cfg, 20 * MIB, &mm, &plan, &d), DIAG_NO_MEMORY);
	assert_string_equal(d.path, "/boot/initrd.img");
	assert_int_equal(d.value, 20 * MIB);
	assert_int_equal(d.limit, 16 * MIB - 5 * MIB);   /* from the kernel's end to the max */
	assert_int_equal(plan.initrd_addr, 0);
}

static void test_linux_plan_memory_initrd_larger_than_4gib(void **state)
{
	struct bzimage_info k = kernel(4 * MIB, 0xffffffff);
	struct boot_config cfg = config("/boot/initrd.img");
	struct memmap mm = pc(0x100000000ull);
	struct linux_plan plan;
	struct diag d;

	assert_int_equal(linux_plan_memory(&k, &cfg, 0x100000000ull, &mm, &plan, &d), DIAG_NO_MEMORY);
}

static void test_linux_plan_memory_initrd_highest_page_below_top(void **state)
{
	struct bzimage_info k = kernel(16 * MIB, 0x7fffffff);
	struct boot_config cfg = config("/boot/initrd.img");
	struct memmap mm = pc(0x7FE0000);          /* QEMU -m 128 */
	struct linux_plan plan;
	struct diag d;

	assert_int_equal(linux_plan_memory(&k, &cfg, 3 * MIB + 5, &mm, &plan, &d), DIAG_OK);
	assert_int_equal(plan.initrd_addr, (0x7FE0000 - (3 * MIB + 5)) & ~0xFFFull);
}

static void test_linux_plan_memory_initrd_skips_a_hole(void **state)
{
	/* RAM with a hole: the top range is too small, the one below fits */
	struct bzimage_info k = kernel(16 * MIB, 0x7fffffff);
	struct boot_config cfg = config("/boot/initrd.img");
	struct memmap mm = { 0 };
	struct linux_plan plan;
	struct diag d;

	memmap_add(&mm, MIB, 100 * MIB);
	memmap_add(&mm, 200 * MIB, 201 * MIB);
	assert_int_equal(mm.count, 2);
	assert_int_equal(linux_plan_memory(&k, &cfg, 10 * MIB, &mm, &plan, &d), DIAG_OK);
	assert_int_equal(plan.initrd_addr, 90 * MIB);
}

static void test_memmap_add_merges_and_trims_to_pages(void **state)
{
	struct memmap mm = { 0 };

	memmap_add(&mm, 0x100800, 0x200000);       /* start rounds up to 0x101000 */
	memmap_add(&mm, 0x200000, 0x300fff);       /* touches: merged; end rounds down */
	memmap_add(&mm, 0x10, 0x20);               /* no whole page: dropped */
	assert_int_equal(mm.count, 1);
	assert_int_equal(mm.usable[0].start, 0x101000);
	assert_int_equal(mm.usable[0].end, 0x300000);
	assert_true(memmap_is_usable(&mm, 0x101000, 0x1ff000));
	assert_false(memmap_is_usable(&mm, 0x101000, 0x200000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_plan_cmdline_one_byte_too_long),
		cmocka_unit_test(test_linux_plan_cmdline_record_bounds_a_generous_kernel),
		cmocka_unit_test(test_linux_plan_memory_kernel_does_not_fit),
		cmocka_unit_test(test_linux_plan_memory_initrd_above_addr_max),
		cmocka_unit_test(test_linux_plan_memory_initrd_larger_than_4gib),
		cmocka_unit_test(test_linux_plan_memory_initrd_highest_page_below_top),
		cmocka_unit_test(test_linux_plan_memory_initrd_skips_a_hole),
		cmocka_unit_test(test_memmap_add_merges_and_trims_to_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
