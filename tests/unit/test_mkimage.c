/*
 * test_mkimage.c - mkimage's planning: the device table parser, and the
 * size estimate against what mke2fs really needs (a filesystem of the
 * estimated smallest size must take the tree: made here with mke2fs -d).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "disk_fixture.h"
#include "mkimage/devtable.h"
#include "mkimage/plan.h"

static int parse(const char *text, struct devtable *t, char *why)
{
	return devtable_parse(text, strlen(text), t, why, 200);
}

/* --- the device table ------------------------------------------------------------- */

static void test_devtable_parse_bad_field_count(void **state)
{
	struct devtable t;
	char why[200];

	assert_int_equal(parse("/dev/console c 600 0 0 5 1\n", &t, why), -1);
	assert_string_equal(why, "line 1: 7 fields; an entry has 10: name type mode uid gid major minor "
			    "start inc count ('-' where one does not apply)");
}

static void test_devtable_parse_bad_type_and_mode(void **state)
{
	struct devtable t;
	char why[200];

	assert_int_equal(parse("# devices\n\n/dev/x q 600 0 0 - - - - -\n", &t, why), -1);
	assert_string_equal(why, "line 3: the type 'q' is none of f (file), d (directory), c (character "
			    "device), b (block device), p (FIFO)");
	assert_int_equal(parse("/dev/x c 689 0 0 5 1 - - -\n", &t, why), -1);
	assert_string_equal(why, "line 1: the mode '689' is not an octal number up to 7777");
}

static void test_devtable_parse_bad_paths(void **state)
{
	struct devtable t;
	char why[200];

	assert_int_equal(parse("dev/console c 600 0 0 5 1 - - -\n", &t, why), -1);
	assert_string_equal(why, "line 1: the name 'dev/console' is not an absolute path inside the image");
	assert_int_equal(parse("/dev/../etc/shadow f 600 0 0 - - - - -\n", &t, why), -1);
	assert_string_equal(why, "line 1: the name '/dev/../etc/shadow' has a '.' or '..' in it: give the path itself");
}

static void test_devtable_parse_device_needs_numbers(void **state)
{
	struct devtable t;
	char why[200];

	assert_int_equal(parse("/dev/console c 600 0 0 - - - - -\n", &t, why), -1);
	assert_string_equal(why, "line 1: a device needs its major and minor numbers");
	assert_int_equal(parse("/dev/x c 600 0 0 5000 1 - - -\n", &t, why), -1);
	assert_int_equal(parse("/dev/tty c 600 0 0 4 1 0 1 9999\n", &t, why), -1);
}

static void test_devtable_parse_nul_byte(void **state)
{
	struct devtable t;
	char why[200];
	static const char text[] = "/dev d 755 0 0 - - - - -\n/dev/x\0 c 600 0 0 5 1 - - -\n";

	assert_int_equal(devtable_parse(text, sizeof(text) - 1, &t, why, sizeof(why)), -1);
	assert_string_equal(why, "line 2: a NUL byte: this is not a text file");
}

static void test_devtable_parse_good_table(void **state)
{
	struct devtable t;
	char why[200];

	assert_int_equal(parse("# name type mode uid gid major minor start inc count\r\n"
			       "/dev d 755 0 0 - - - - -\r\n"
			       "\t/dev/console  c 600 0 0 5 1 - - -\n"
			       "/dev/ttyS c 660 0 5 4 64 0 1 4\n"
			       "/dev/hda b 640 0 6 3 0 - - -\n"
			       "/run/initctl p 600 0 0 - - - - -\n"
			       "/etc/shadow f 640 0 42 - - - - -", &t, why), 0);
	assert_int_equal(t.count, 9);
	assert_string_equal(t.entry[0].path, "/dev");
	assert_int_equal(t.entry[0].type, 'd');
	assert_int_equal(t.entry[0].mode, 0755);
	assert_string_equal(t.entry[1].path, "/dev/console");
	assert_int_equal(t.entry[1].major, 5);
	assert_int_equal(t.entry[1].minor, 1);
	assert_int_equal(t.entry[1].line, 3);
	for (unsigned i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "/dev/ttyS%u", i);
		assert_string_equal(t.entry[2 + i].path, name);
		assert_int_equal(t.entry[2 + i].minor, 64 + i);
		assert_int_equal(t.entry[2 + i].gid, 5);
	}
	assert_int_equal(t.entry[6].type, 'b');
	assert_int_equal(t.entry[7].type, 'p');
	assert_int_equal(t.entry[8].gid, 42);
	devtable_free(&t);
}

/* --- the size estimate ---------------------------------------------------------------- */

/* A tree of many small files, a few large ones and deep folders; mke2fs
 * -d must take it in a filesystem of the estimated smallest size. */
static void estimate_fits(const struct disk_fixture *d, enum mkimage_fs fs, const char *type,
			  uint32_t block_size)
{
	struct mkimage_content c = { 0 };
	struct mkimage_geometry g = { .block_size = block_size, .inode_size = 256 };
	char why[200];

	assert_int_equal(mkimage_measure_tree(d->root, block_size, fs, &c, why, sizeof(why)), 0);
	mkimage_fit(&c, fs, &g);
	fixture_run("rm -f %s && truncate -s %llu %s", d->image,
		    (unsigned long long)g.min_blocks * block_size, d->image);
	if (fixture_exit_status("mke2fs -q -F -t %s -b %u -I 256 -N %llu -d %s %s %llu >%s/mke2fs.log 2>&1",
				type, block_size, (unsigned long long)g.inodes, d->root, d->image,
				(unsigned long long)g.min_blocks, d->dir))
		fail_msg("%s, %u-byte blocks: mke2fs -d does not fit the estimate of %llu blocks "
			 "(%llu content blocks, %llu entries); see %s/mke2fs.log", type, block_size,
			 (unsigned long long)g.min_blocks, (unsigned long long)(c.data_blocks + c.map_blocks),
			 (unsigned long long)c.entries, d->dir);
	/* and it is not wildly above what the content takes */
	assert_true(g.min_blocks < (c.data_blocks + c.map_blocks) * 2 + 4096);
}

static void test_mkimage_fit_estimate_holds_the_tree(void **state)
{
	struct disk_fixture *d = *state;
	static const struct { enum mkimage_fs fs; const char *type; } kinds[] = {
		{ MKIMAGE_EXT2, "ext2" }, { MKIMAGE_EXT3, "ext3" }, { MKIMAGE_EXT4, "ext4" },
	};
	static const uint32_t sizes[] = { 1024, 2048, 4096 };

	fixture_run("mkdir -p %s/a/b/c/d && for i in $(seq 1 300); do echo $i >%s/a/f$i; done", d->root, d->root);
	fixture_run("head -c 3000000 /dev/urandom >%s/a/b/big && head -c 70000 /dev/urandom >%s/a/b/c/mid",
		    d->root, d->root);
	fixture_run("for i in $(seq 1 40); do ln -s /a/b/c/%s_$i %s/a/b/c/d/l$i; done",
		    "a-long-target-name-that-does-not-fit-in-the-inode-itself-at-all", d->root);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			estimate_fits(d, kinds[k].fs, kinds[k].type, sizes[s]);
}

static int setup(void **state)
{
	struct disk_fixture *d = calloc(1, sizeof(*d));

	if (!d || disk_fixture_create(d, "test_mkimage"))
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	disk_fixture_remove(*state);
	free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devtable_parse_bad_field_count),
		cmocka_unit_test(test_devtable_parse_bad_type_and_mode),
		cmocka_unit_test(test_devtable_parse_bad_paths),
		cmocka_unit_test(test_devtable_parse_device_needs_numbers),
		cmocka_unit_test(test_devtable_parse_nul_byte),
		cmocka_unit_test(test_devtable_parse_good_table),
		cmocka_unit_test_setup_teardown(test_mkimage_fit_estimate_holds_the_tree, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
