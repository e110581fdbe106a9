/*
 * fuzz_ext2.c - the stage's ext2 reader (stage1/ext2*.c, and config_file.c
 * over it) on a filesystem image that is the fuzz input, through a struct
 * blockdev over memory: mount, look up paths (symlinks, deep ones, the
 * kernel's and the config file's), read files and check their ranges.
 *
 * The oracle, besides the sanitizers: the reader promises to refuse (E24)
 * any read past the partition before it asks the disk, and never to ask
 * for zero sectors; the blockdev aborts when either promise is broken.
 * Byte 510 of the image (in the boot block, which ext2 leaves alone) cuts
 * that many sectors off the partition, so the E24 paths are fuzzed too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config_file.h"
#include "ext2.h"

#define SECTOR_BYTES 512u
#define READ_MAX (64u << 10)   /* bytes read per file: bounded work per input */

struct mem_dev {
	struct blockdev dev;
	const uint8_t *data;
	size_t size;
};

static enum diag_id mem_read_sectors(struct blockdev *dev, uint64_t sector, uint32_t count,
				     void *buf, struct diag *d)
{
	struct mem_dev *m = (struct mem_dev *)dev;

	if (count == 0 || sector >= dev->part_sectors || count > dev->part_sectors - sector)
		abort();   /* the reader must have refused this read (E24) */
	memcpy(buf, m->data + sector * SECTOR_BYTES, (size_t)count * SECTOR_BYTES);
	return DIAG_OK;
}

static const char *const paths[] = {
	"/boot/vmlinuz", "/boot/initrd.img", "/hello.txt", "/dir/sub/hello.txt",
	"/link_abs", "/dir/rel", "/chain1", "/dirlink/sub/hello.txt", "/longlink",
	"/loop_a", "/big", "dir/../dir/./sub//hello.txt", "/a/b/c/d/e/f/g/h/i/j/deep",
	"/dirlink/../dirlink/../dirlink/sub/../sub/hello.txt",
};

static struct ext2_fs fs;   /* 36 KiB: not on the stack */

/* Read n bytes at offset into a buffer of exactly n bytes (so that ASan
 * sees a byte written past it). */
static void read_exact(const struct ext2_file *f, uint64_t offset, uint32_t n)
{
	uint8_t *buf = malloc(n ? n : 1);
	struct diag d;

	if (!buf)
		abort();
	ext2_read(&fs, f, offset, n, buf, &d);
	free(buf);
}

static void read_file(const struct ext2_file *f)
{
	struct diag d;
	uint64_t size = f->size;
	uint32_t head = size < READ_MAX ? (uint32_t)size : READ_MAX;

	ext2_check_range(&fs, f, 0, size > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)size, &d);
	read_exact(f, 0, head);
	if (size > head) {
		uint32_t tail = size - head < 4096 ? (uint32_t)(size - head) : 4096;
		read_exact(f, size - tail, tail);
		read_exact(f, size / 2, size - size / 2 < 100 ? (uint32_t)(size - size / 2) : 100);
	}
	/* past the end: E14, nothing read */
	read_exact(f, size, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_dev m = { .dev = { .read_sectors = mem_read_sectors }, .data = data, .size = size };
	uint64_t sectors = size / SECTOR_BYTES;
	uint8_t cut = size > 510 ? data[510] : 0;
	static char config_text[BOOTINST_CONFIG_MAX_BYTES];
	struct boot_config cfg = { "/boot/vmlinuz", "", "" };
	struct ext2_file f;
	struct diag d;

	m.dev.part_sectors = cut < sectors ? sectors - cut : 0;
	m.dev.ctx = &m;
	if (ext2_mount(&fs, &m.dev, &d))
		return 0;
	config_file_read(&fs, config_text, &cfg, &d);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (ext2_open(&fs, paths[i], &f, &d) == DIAG_OK)
			read_file(&f);
	return 0;
}
