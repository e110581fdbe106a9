/*
 * test_ext2.c - the stage's ext2/3/4 reader against images made by
 * e2fsprogs (tests/unit/ext2/make_images.sh), every file compared byte for
 * byte with what libext2fs reads, and the disk commands counted.
 *
 * Failure cases first, then the filesystems and files that must read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>
#include <ext2fs/ext2fs.h>
/* libext2fs' EXT2_MAX_BLOCK_SIZE is the format's 64 KiB bound; ext2.h
 * defines the reader's own. */
#undef EXT2_MAX_BLOCK_SIZE
#include "ext2.h"
#include "image_blockdev.h"

#define PART_OFFSET_SECTOR63 (63 * 512)

static char image_dir[256];
static struct ext2_fs fs;              /* 33 KiB: not on the stack */
static struct image_blockdev img;

/* ---- fixtures ----------------------------------------------------------- */

static const char *image(const char *name)
{
	static char path[2][512];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof path[which], "%s/%s", image_dir, name);
	return path[which];
}

static int make_images(void **state)
{
	char script[512], cmd[1024];
	const char *src = __FILE__;   /* tests/unit/test_ext2.c: the script is beside it */
	const char *slash = strrchr(src, '/');

	snprintf(image_dir, sizeof image_dir, "/tmp/test_ext2.XXXXXX");
	if (!mkdtemp(image_dir))
		return -1;
	snprintf(script, sizeof script, "%.*s/ext2/make_images.sh",
		 slash ? (int)(slash - src) : 1, slash ? src : ".");
	snprintf(cmd, sizeof cmd, "sh %s %s", script, image_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int remove_images(void **state)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf %s", image_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Open name's partition (at offset, part_sectors long; 0 = to the end). */
static void open_dev(const char *name, uint64_t offset, uint64_t part_sectors)
{
	assert_int_equal(image_blockdev_open(&img, image(name), offset, part_sectors), 0);
}

static void mount_image(const char *name, uint64_t offset)
{
	struct diag d;

	open_dev(name, offset, 0);
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_OK);
}

static int close_dev(void **state)
{
	if (img.fd >= 0)
		image_blockdev_close(&img);
	img.fd = -1;
	return 0;
}

/* A copy of image src to patch, named dst. */
static void copy_image(const char *src, const char *dst)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "cp %s %s", image(src), image(dst));
	assert_int_equal(system(cmd), 0);
}

static void patch_bytes(const char *name, off_t at, const void *bytes, size_t len)
{
	int fd = open(image(name), O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, at), (ssize_t)len);
	close(fd);
}

static void patch_u32(const char *name, off_t at, uint32_t value)
{
	patch_bytes(name, at, &value, sizeof value);
}

/* ---- libext2fs: the reference ------------------------------------------ */

static ext2_filsys lib_open(const char *name, uint64_t offset, int flags)
{
	char options[64];
	ext2_filsys lfs;

	snprintf(options, sizeof options, "offset=%llu", (unsigned long long)offset);
	assert_int_equal(ext2fs_open2(image(name), options, flags, 0, 0, unix_io_manager, &lfs), 0);
	return lfs;
}

static ext2_ino_t lib_lookup(ext2_filsys lfs, const char *path)
{
	ext2_ino_t ino;

	assert_int_equal(ext2fs_namei_follow(lfs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino), 0);
	return ino;
}

/* The whole file, read by libext2fs; *size its length. */
static uint8_t *lib_read(const char *name, uint64_t offset, const char *path, uint64_t *size)
{
	ext2_filsys lfs = lib_open(name, offset, 0);
	ext2_file_t file;
	uint8_t *buf;
	unsigned int got;

	assert_int_equal(ext2fs_file_open(lfs, lib_lookup(lfs, path), 0, &file), 0);
	assert_int_equal(ext2fs_file_get_lsize(file, (__u64 *)size), 0);
	buf = malloc(*size + 1);
	assert_non_null(buf);
	for (uint64_t done = 0; done < *size; done += got) {
		uint64_t chunk = *size - done > (1u << 24) ? (1u << 24) : *size - done;
		assert_int_equal(ext2fs_file_read(file, buf + done, (unsigned int)chunk, &got), 0);
		assert_true(got > 0);
	}
	ext2fs_file_close(file);
	ext2fs_close_free(&lfs);
	return buf;
}

/* Contiguous runs of data blocks and count of metadata blocks of a file. */
struct layout {
	blk64_t last;
	e2_blkcnt_t last_index;
	unsigned runs, metadata;
};

static int count_run(ext2_filsys lfs, blk64_t *block, e2_blkcnt_t index,
		     blk64_t ref_block, int ref_offset, void *priv)
{
	struct layout *l = priv;

	if (index < 0) {
		l->metadata++;
		return 0;
	}
	if (!l->runs || *block != l->last + 1 || index != l->last_index + 1)
		l->runs++;
	l->last = *block;
	l->last_index = index;
	return 0;
}

static struct layout lib_layout(const char *name, const char *path)
{
	ext2_filsys lfs = lib_open(name, 0, 0);
	struct layout l = { 0 };

	assert_int_equal(ext2fs_block_iterate3(lfs, lib_lookup(lfs, path), BLOCK_FLAG_READ_ONLY,
					       NULL, count_run, &l), 0);
	ext2fs_close_free(&lfs);
	return l;
}

/* Read path with our reader (fs mounted) and compare it with libext2fs'. */
static void assert_same_file(const char *name, uint64_t offset, const char *path)
{
	struct ext2_file f;
	struct diag d;
	uint64_t size;
	uint8_t *want = lib_read(name, offset, path, &size);
	uint8_t *got = malloc(size + 1);

	assert_non_null(got);
	assert_int_equal(ext2_open(&fs, path, &f, &d), DIAG_OK);
	assert_int_equal(f.size, size);
	assert_int_equal(ext2_read(&fs, &f, 0, (uint32_t)size, got, &d), DIAG_OK);
	assert_memory_equal(got, want, size);
	free(got);
	free(want);
}

static const char *const tree_files[] = {
	"/hello.txt", "/empty", "/one", "/dind.bin", "/dir/sub/hello.txt",
	"/dir/rel", "/link_abs", "/chain1", "/dirlink/sub/hello.txt", "/longlink",
};

static void assert_tree_reads(const char *name, uint64_t offset)
{
	for (size_t i = 0; i < sizeof tree_files / sizeof tree_files[0]; i++)
		assert_same_file(name, offset, tree_files[i]);
}

/* ---- mount failures ----------------------------------------------------- */

static void test_ext2_mount_bad_magic(void **state)
{
	struct diag d;

	copy_image("ext2-2k.img", "nomagic.img");
	patch_bytes("nomagic.img", 1080, "\0\0", 2);
	open_dev("nomagic.img", 0, 0);
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_NOT_EXT2);
	assert_string_equal(d.name, "no ext2 superblock magic (0xEF53) at byte 1080");
}

static void test_ext2_mount_block_size_unsupported(void **state)
{
	struct diag d;

	copy_image("ext2-2k.img", "bs8k.img");
	patch_u32("bs8k.img", 1024 + 0x18, 3);   /* s_log_block_size: 8 KiB */
	open_dev("bs8k.img", 0, 0);
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_NOT_EXT2);
	assert_string_equal(d.name, "block size 8192 unsupported");
}

static void test_ext2_mount_unsupported_incompat(void **state)
{
	struct diag d;
	char msg[200];
	ext2_filsys lfs = lib_open("ext2-2k.img", 0, 0);
	uint32_t incompat = lfs->super->s_feature_incompat;

	ext2fs_close_free(&lfs);
	copy_image("ext2-2k.img", "encrypt.img");
	patch_u32("encrypt.img", 1024 + 0x60, incompat | EXTFS_INCOMPAT_ENCRYPT);
	open_dev("encrypt.img", 0, 0);
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_UNSUPPORTED_FEATURE);
	assert_string_equal(d.name, "encrypt");
	assert_int_equal(d.value, EXTFS_INCOMPAT_ENCRYPT);
	diag_format_message(&d, msg, sizeof msg);
	assert_string_equal(msg, "cannot mount the partition: it uses the filesystem feature "
			    "encrypt (incompat 0x010000), which bootinst cannot read");
}

static void test_ext2_mount_unknown_incompat(void **state)
{
	struct diag d;

	copy_image("ext2-2k.img", "unknown.img");
	patch_u32("unknown.img", 1024 + 0x60, EXTFS_INCOMPAT_FILETYPE | 0x40000000);
	open_dev("unknown.img", 0, 0);
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_UNSUPPORTED_FEATURE);
	assert_string_equal(d.name, "unknown");
	assert_int_equal(d.value, 0x40000000);
}

static void test_ext2_mount_superblock_outside_partition(void **state)
{
	struct diag d;

	open_dev("ext2-2k.img", 0, 3);   /* the superblock is sectors 2 and 3 */
	assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(d.limit, 2);   /* the partition's last sector */
	assert_int_equal(img.calls, 0);
}

/* ---- lookup failures ---------------------------------------------------- */

static void test_ext2_open_missing_file(void **state)
{
	static const char path[] = "/dir/sub/nothing";
	struct ext2_file f;
	struct diag d;

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, path, &f, &d), DIAG_FILE_NOT_FOUND);
	assert_ptr_equal(d.path, path);
	assert_int_equal(ext2_open(&fs, "/nodir/hello.txt", &f, &d), DIAG_FILE_NOT_FOUND);
}

static void test_ext2_open_directory_at_end(void **state)
{
	struct ext2_file f;
	struct diag d;

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/dir/sub", &f, &d), DIAG_BAD_FILE_TYPE);
	assert_string_equal(d.name, "regular file");
	assert_string_equal(d.path, "/dir/sub");
	assert_int_equal(ext2_open(&fs, "/dirlink", &f, &d), DIAG_BAD_FILE_TYPE);
	assert_int_equal(ext2_open(&fs, "/", &f, &d), DIAG_BAD_FILE_TYPE);
}

static void test_ext2_open_file_in_middle(void **state)
{
	struct ext2_file f;
	struct diag d;

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt/x", &f, &d), DIAG_BAD_FILE_TYPE);
	assert_string_equal(d.name, "directory");
	assert_string_equal(d.path, "/hello.txt/x");
}

static void test_ext2_open_symlink_loop(void **state)
{
	struct ext2_file f;
	struct diag d;

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/loop_a", &f, &d), DIAG_TOO_MANY_SYMLINKS);
	assert_int_equal(d.limit, EXT2_MAX_SYMLINKS);
	assert_string_equal(d.path, "/loop_a");
}

static void test_ext2_open_symlink_chain_over_limit(void **state)
{
	struct ext2_file f;
	struct diag d;

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/c9_1", &f, &d), DIAG_TOO_MANY_SYMLINKS);
	/* Exactly EXT2_MAX_SYMLINKS links are followed. */
	assert_same_file("ext2-1k.img", 0, "/c8_1");
}

/* ---- corrupted structures (E16) and partition bounds (E24) ------------- */

/* Make a copy of src and rewrite the inode of path with edit(). */
static void patch_inode(const char *src, const char *dst, const char *path,
			void (*edit)(ext2_filsys, struct ext2_inode *))
{
	ext2_filsys lfs;
	ext2_ino_t ino;
	struct ext2_inode inode;

	copy_image(src, dst);
	lfs = lib_open(dst, 0, EXT2_FLAG_RW);
	ino = lib_lookup(lfs, path);
	assert_int_equal(ext2fs_read_inode(lfs, ino, &inode), 0);
	edit(lfs, &inode);
	assert_int_equal(ext2fs_write_inode(lfs, ino, &inode), 0);
	ext2fs_close_free(&lfs);
}

static void break_extent_magic(ext2_filsys lfs, struct ext2_inode *inode)
{
	inode->i_block[0] = 0x1234;   /* eh_magic, eh_entries = 0 */
}

static void point_extent_past_end(ext2_filsys lfs, struct ext2_inode *inode)
{
	struct extfs_extent_leaf *leaf = (struct extfs_extent_leaf *)&inode->i_block[3];

	assert_int_equal(((struct extfs_extent_header *)inode->i_block)->eh_depth, 0);
	leaf->ee_start_hi = 0;
	leaf->ee_start_lo = (uint32_t)ext2fs_blocks_count(lfs->super) + 10;
}

static void test_ext2_read_bad_extent_header(void **state)
{
	struct ext2_file f;
	struct diag d;
	char buf[16];

	patch_inode("ext4.img", "badmagic.img", "/hello.txt", break_extent_magic);
	mount_image("badmagic.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(ext2_read(&fs, &f, 0, 4, buf, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "extent header magic");
	assert_int_equal(d.value, 0x1234);
	assert_int_equal(d.limit, EXTFS_EXT_MAGIC);
	assert_string_equal(d.path, "/hello.txt");
}

static void test_ext2_read_block_past_filesystem(void **state)
{
	struct ext2_file f;
	struct diag d;
	char buf[16];

	patch_inode("ext4.img", "pastend.img", "/hello.txt", point_extent_past_end);
	mount_image("pastend.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(ext2_read(&fs, &f, 0, 4, buf, &d), DIAG_FS_INCONSISTENT);
	assert_int_equal(d.value, fs.blocks_count + 10);
	assert_int_equal(d.limit, fs.blocks_count);
}

/* d's {path} is `what`: the message says "... while reading WHAT" (E16)
 * or "block N of WHAT lies past ..." (E24); a directory on the way ends in
 * a slash. */
static void assert_diag_names(const struct diag *d, const char *what)
{
	char msg[400], quoted[300];

	assert_int_equal(d->path_len ? d->path_len : strlen(d->path), strlen(what));
	assert_memory_equal(d->path, what, strlen(what));
	diag_format_message(d, msg, sizeof msg);
	snprintf(quoted, sizeof quoted, d->id == DIAG_BLOCK_OUTSIDE_PARTITION ? " of %s lies past "
		 : "while reading %s", what);
	assert_non_null(strstr(msg, quoted));
	if (d->id != DIAG_BLOCK_OUTSIDE_PARTITION)   /* the message's end */
		assert_string_equal(strstr(msg, quoted), quoted);
}

/* Copy src and overwrite 4 bytes at `at` in the first block of directory dir. */
static void patch_dir_block(const char *src, const char *dst, const char *dir, unsigned at,
			    uint32_t value)
{
	ext2_filsys lfs;
	blk64_t block;
	uint64_t offset;

	copy_image(src, dst);
	lfs = lib_open(dst, 0, 0);
	assert_int_equal(ext2fs_bmap2(lfs, lib_lookup(lfs, dir), NULL, NULL, 0, 0, NULL, &block), 0);
	offset = block * lfs->blocksize + at;
	ext2fs_close_free(&lfs);
	patch_u32(dst, (off_t)offset, value);
}

static void test_ext2_open_bad_rec_len(void **state)
{
	struct ext2_file f;
	struct diag d;

	/* The first entry (".") gets rec_len 6 and name_len 1. */
	patch_dir_block("ext2-1k.img", "reclen.img", "/dir", 4, 0x00010006);
	mount_image("reclen.img", 0);
	assert_int_equal(ext2_open(&fs, "/dir/sub/hello.txt", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "directory entry length (rec_len)");
	assert_int_equal(d.value, 6);
	assert_diag_names(&d, "/dir/");   /* the directory it was reading */
}

static void test_ext2_open_inode_out_of_range(void **state)
{
	struct ext2_file f;
	struct diag d;

	/* "/dir"'s first entry "." is the one looked up by "/dir/." */
	patch_dir_block("ext2-1k.img", "badino.img", "/dir", 0, 0x7fffffff);
	mount_image("badino.img", 0);
	assert_int_equal(ext2_open(&fs, "/dir/./sub/hello.txt", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "inode number");
	assert_int_equal(d.value, 0x7fffffff);
	assert_int_equal(d.limit, fs.inodes_count);
}

/*
 * The filesystem is larger than its partition: open /big.bin, then end the
 * partition just before its first block (after the lookup, which reads
 * directory and inode blocks that mke2fs -d placed after it).  Returns that
 * block; *sectors_per_block is the block size in sectors.
 */
static blk64_t open_big_bin_cut_before_it(struct ext2_file *f, uint64_t *sectors_per_block)
{
	struct diag d;
	ext2_filsys lfs = lib_open("ext4.img", 0, 0);
	blk64_t first;

	*sectors_per_block = lfs->blocksize / 512;
	assert_int_equal(ext2fs_bmap2(lfs, lib_lookup(lfs, "/big.bin"), NULL, NULL, 0, 0, NULL, &first), 0);
	ext2fs_close_free(&lfs);
	mount_image("ext4.img", 0);
	assert_int_equal(ext2_open(&fs, "/big.bin", f, &d), DIAG_OK);
	img.dev.part_sectors = first * *sectors_per_block;
	img.calls = 0;
	return first;
}

static void test_ext2_read_block_outside_partition(void **state)
{
	struct ext2_file f;
	struct diag d;
	char msg[200], expect[200];
	uint8_t buf[4096];
	uint64_t sectors_per_block;
	blk64_t first = open_big_bin_cut_before_it(&f, &sectors_per_block);

	assert_int_equal(ext2_read(&fs, &f, 0, sizeof buf, buf, &d), DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(d.block, first);
	assert_int_equal(d.value, (first + 1) * sectors_per_block - 1);   /* its last sector */
	assert_int_equal(d.limit, first * sectors_per_block - 1);
	assert_string_equal(d.path, "/big.bin");
	assert_int_equal(img.calls, 0);   /* refused before read_sectors */
	diag_format_message(&d, msg, sizeof msg);
	snprintf(expect, sizeof expect, "block %llu of /big.bin lies past the end of its partition "
		 "(it reaches sector %llu of the partition; the last is %llu)",
		 (unsigned long long)first, (unsigned long long)((first + 1) * sectors_per_block - 1),
		 (unsigned long long)(first * sectors_per_block - 1));
	assert_string_equal(msg, expect);
}

/* ext2_check_range finds what ext2_read finds, reading nothing here. */
static void test_ext2_check_range_block_outside_partition(void **state)
{
	struct ext2_file f;
	struct diag d;
	uint64_t sectors_per_block;
	blk64_t first = open_big_bin_cut_before_it(&f, &sectors_per_block);

	assert_int_equal(ext2_check_range(&fs, &f, 0, (uint32_t)f.size, &d), DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(d.block, first);
	assert_string_equal(d.path, "/big.bin");
	assert_int_equal(img.calls, 0);
}

static void test_ext2_read_past_end_of_file(void **state)
{
	struct ext2_file f;
	struct diag d;
	char buf[32];

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(ext2_read(&fs, &f, 4, 10, buf, &d), DIAG_SHORT_READ);
	assert_int_equal(d.value, 9);
	assert_int_equal(d.limit, 10);
	assert_int_equal(ext2_read(&fs, &f, 100, 1, buf, &d), DIAG_SHORT_READ);
	assert_int_equal(d.value, 0);
}

/* ---- bounds a crafted filesystem must not get past ---------------------- *
 * Each of these once made the reader write outside its buffer or spin for
 * minutes; each must now end in a diagnostic, with few disk reads (counted,
 * not timed).
 */

/* Open name's copy dst read-write and rewrite the inode of path (not
 * following a symlink at its end), with a filesystem handle to allocate
 * blocks through (craft_block). */
static void craft_inode(const char *src, const char *dst, const char *path,
			void (*edit)(ext2_filsys, ext2_ino_t, struct ext2_inode *))
{
	ext2_filsys lfs;
	ext2_ino_t ino;
	struct ext2_inode inode;

	copy_image(src, dst);
	lfs = lib_open(dst, 0, EXT2_FLAG_RW);
	assert_int_equal(ext2fs_read_bitmaps(lfs), 0);
	assert_int_equal(ext2fs_namei(lfs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino), 0);
	assert_int_equal(ext2fs_read_inode(lfs, ino, &inode), 0);
	edit(lfs, ino, &inode);
	assert_int_equal(ext2fs_write_inode(lfs, ino, &inode), 0);
	ext2fs_close_free(&lfs);
}

/* A newly allocated block holding data (one block's worth). */
static blk64_t craft_block(ext2_filsys lfs, const void *data)
{
	blk64_t block;

	assert_int_equal(ext2fs_new_block2(lfs, 0, NULL, &block), 0);
	ext2fs_block_alloc_stats2(lfs, block, +1);
	assert_int_equal(io_channel_write_blk64(lfs->io, block, 1, data), 0);
	return block;
}

/* A newly allocated block of pointers, each `value`. */
static blk64_t craft_pointers(ext2_filsys lfs, uint32_t value)
{
	uint32_t *ptrs = malloc(lfs->blocksize);
	blk64_t block;

	assert_non_null(ptrs);
	for (unsigned i = 0; i < lfs->blocksize / 4; i++)
		ptrs[i] = value;
	block = craft_block(lfs, ptrs);
	free(ptrs);
	return block;
}

/* Every logical block the block map can hold (direct, single, double and
 * triple indirect) maps to physical block b. */
static void map_all_to(ext2_filsys lfs, struct ext2_inode *inode, uint32_t b)
{
	blk64_t ind = craft_pointers(lfs, b);
	blk64_t dind = craft_pointers(lfs, (uint32_t)ind);

	for (int i = 0; i < EXT2_NDIR_BLOCKS; i++)
		inode->i_block[i] = b;
	inode->i_block[EXT2_IND_BLOCK] = (uint32_t)ind;
	inode->i_block[EXT2_DIND_BLOCK] = (uint32_t)dind;
	inode->i_block[EXT2_TIND_BLOCK] = (uint32_t)craft_pointers(lfs, (uint32_t)dind);
}

static void set_size(struct ext2_inode *inode, uint64_t size)
{
	inode->i_size = (uint32_t)size;
	inode->i_size_high = (uint32_t)(size >> 32);
}

static void size_max(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	set_size(inode, UINT64_MAX);
}

static void size_max_less_9(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	set_size(inode, UINT64_MAX - 9);
}

/*
 * A damaged filesystem, not a path naming the wrong kind of file: an inode
 * an entry names that is free (mode 0), or not of the entry's type, or a
 * root inode that is no directory - what a wrong inode table pointer reads
 * - is E16 with the inode's number, never E02 "is not a directory" (whose
 * fix points away from e2fsck).
 */
static void mode_zero(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	inode->i_mode = 0;
}

static void mode_regular(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	inode->i_mode = LINUX_S_IFREG | 0644;
}

static void assert_inode_e16(const char *img_name, const char *path, ext2_ino_t ino)
{
	struct ext2_file f;
	struct diag d;

	mount_image(img_name, 0);
	assert_int_equal(ext2_open(&fs, path, &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "inode free or not of its directory entry's type: inode");
	assert_int_equal(d.value, ino);
	assert_int_equal(d.limit, fs.inodes_count);
}

static ext2_ino_t ino_of(const char *name, const char *path)
{
	ext2_filsys lfs = lib_open(name, 0, 0);
	ext2_ino_t ino = lib_lookup(lfs, path);

	ext2fs_close_free(&lfs);
	return ino;
}

static void test_ext2_open_free_inode(void **state)
{
	ext2_ino_t ino = ino_of("ext2-1k.img", "/dir/sub/hello.txt");

	craft_inode("ext2-1k.img", "freeino.img", "/dir/sub/hello.txt", mode_zero);
	assert_inode_e16("freeino.img", "/dir/sub/hello.txt", ino);
}

static void test_ext2_open_entry_type_not_inode_type(void **state)
{
	/* "sub"'s entry says directory, its inode says regular file: E02
	 * "/dir/sub/hello.txt: /dir/sub is not a directory" before */
	craft_inode("ext2-1k.img", "mistyped.img", "/dir/sub", mode_regular);
	assert_inode_e16("mistyped.img", "/dir/sub/hello.txt", ino_of("mistyped.img", "/dir/sub"));
}

static void test_ext2_open_inode_table_pointer_wrong(void **state)
{
	static const uint8_t zeros[4096];
	ext2_filsys lfs;

	/* group 0's inode table moved to a block of zeros: every inode of
	 * the group, the root's first, reads as free */
	copy_image("ext2-1k.img", "itable.img");
	lfs = lib_open("itable.img", 0, EXT2_FLAG_RW);
	assert_int_equal(ext2fs_read_bitmaps(lfs), 0);
	ext2fs_inode_table_loc_set(lfs, 0, craft_block(lfs, zeros));
	ext2fs_group_desc_csum_set(lfs, 0);
	ext2fs_mark_super_dirty(lfs);
	ext2fs_close_free(&lfs);
	assert_inode_e16("itable.img", "/dir/sub/hello.txt", EXTFS_ROOT_INO);
}

/* E24 in a directory on the way names that directory, not the file the
 * lookup never reached (the tutorials' image: /boot's block past the
 * partition, blamed on /boot/vmlinuz and a bootinst.cfg that may not be). */
static void test_ext2_open_directory_block_outside_partition(void **state)
{
	struct ext2_file f;
	struct diag d;
	ext2_filsys lfs = lib_open("ext2-1k.img", 0, 0);
	blk64_t dir_block;

	assert_int_equal(ext2fs_bmap2(lfs, lib_lookup(lfs, "/dir/sub"), NULL, NULL, 0, 0, NULL, &dir_block), 0);
	ext2fs_close_free(&lfs);
	mount_image("ext2-1k.img", 0);
	img.dev.part_sectors = dir_block * 2;   /* 1 KiB blocks: ends just before it */
	assert_int_equal(ext2_open(&fs, "/dir/sub/hello.txt", &f, &d), DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(d.block, dir_block);
	assert_diag_names(&d, "/dir/sub/");
}

/* s_log_block_size past 31 made `1024 << log` undefined (the shift ran
 * before the range check); 22 and up overflow 32 bits. */
static void test_ext2_mount_log_block_size_out_of_range(void **state)
{
	static const struct { uint32_t log; const char *reason; } cases[] = {
		{ 0xFFFFFFFF, "block size field out of range" },
		{ 32, "block size field out of range" },
		{ 22, "block size field out of range" },
		{ 21, "block size 2147483648 unsupported" },
	};
	struct diag d;

	copy_image("ext2-2k.img", "bslog.img");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		patch_u32("bslog.img", 1024 + 0x18, cases[i].log);
		open_dev("bslog.img", 0, 0);
		assert_int_equal(ext2_mount(&fs, &img.dev, &d), DIAG_NOT_EXT2);
		assert_string_equal(d.name, cases[i].reason);
		close_dev(state);
	}
}

/* A slow symlink claiming 2^64 - 1 bytes: the old bound (size + rest + 1 >
 * 512) wrapped to 0 and passed, and read_range wrote 4 GiB from the lookup
 * buffer. */
static void test_ext2_splice_symlink_huge_size(void **state)
{
	struct ext2_file f;
	struct diag d;

	craft_inode("ext2-1k.img", "hugelink.img", "/longlink", size_max);
	mount_image("hugelink.img", 0);
	img.calls = 0;
	assert_int_equal(ext2_open(&fs, "/longlink", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "symlink target plus the rest of the path too long");
	assert_int_equal(d.value, UINT64_MAX);
	assert_int_equal(d.limit, EXT2_LOOKUP_BYTES);
	assert_string_equal(d.path, "/longlink");
	assert_true(img.calls <= 4);
}

/* The same with the rest of the path making the sum wrap past zero to a
 * small number: (2^64 - 10) + 14 + 1 = 5. */
static void test_ext2_splice_symlink_size_wraps_with_rest(void **state)
{
	struct ext2_file f;
	struct diag d;

	craft_inode("ext2-1k.img", "wraplink.img", "/dirlink", size_max_less_9);
	mount_image("wraplink.img", 0);
	assert_int_equal(ext2_open(&fs, "/dirlink/sub/hello.txt", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "symlink target plus the rest of the path too long");
	assert_int_equal(d.value, UINT64_MAX);
	assert_int_equal(d.limit, EXT2_LOOKUP_BYTES);
	/* the longest target that fits still resolves */
	assert_same_file("ext2-1k.img", 0, "/longlink");
}

/* A regular file claiming 2^64 - 1 bytes, read at logical block 2^32: the
 * reader kept block numbers in 32 bits and read block 0 instead.  (An
 * extent-mapped file: past its one extent, every block up to 2^32 - 2 is
 * a hole.) */
static void test_ext2_read_range_block_past_32_bits(void **state)
{
	struct ext2_file f;
	struct diag d;
	char buf[16];

	craft_inode("ext4.img", "hugefile.img", "/hello.txt", size_max);
	mount_image("hugefile.img", 0);
	assert_int_equal(fs.block_shift, 10);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(f.size, UINT64_MAX);
	img.calls = 0;
	assert_int_equal(ext2_read(&fs, &f, 1ull << 42, sizeof buf, buf, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "logical block number past 32 bits");
	assert_int_equal(d.value, 1ull << 32);
	assert_int_equal(d.limit, 0xFFFFFFFEu);
	/* a range that ends in the last block there is, and one that crosses it */
	assert_int_equal(ext2_check_range(&fs, &f, (0xFFFFFFFFull << 10) - 1, 1, &d), DIAG_OK);
	assert_int_equal(ext2_check_range(&fs, &f, (0xFFFFFFFFull << 10) - 1, 2, &d), DIAG_FS_INCONSISTENT);
	assert_int_equal(d.value, 0xFFFFFFFFu);
	assert_int_equal(img.calls, 0);
}

/* A directory claiming 2^42 bytes whose every block, direct and indirect,
 * is one block holding one empty entry: with 4 KiB blocks the lookup
 * scanned 2^30 blocks from the cache, minutes of spinning. */
static void dir_huge_all_one_block(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	uint8_t *block = calloc(1, lfs->blocksize);
	struct ext2_dir_entry *e = (struct ext2_dir_entry *)block;

	assert_non_null(block);
	e->inode = 0;
	e->rec_len = (uint16_t)lfs->blocksize;
	map_all_to(lfs, inode, (uint32_t)craft_block(lfs, block));
	set_size(inode, 1ull << 42);
	free(block);
}

static void test_ext2_dir_find_size_over_limit(void **state)
{
	struct ext2_file f;
	struct diag d;

	craft_inode("ext3-4k-i128.img", "hugedir.img", "/dir", dir_huge_all_one_block);
	mount_image("hugedir.img", 0);
	img.calls = 0;
	assert_int_equal(ext2_open(&fs, "/dir/sub/hello.txt", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "directory size");
	assert_int_equal(d.value, 1ull << 42);
	assert_int_equal(d.limit, EXT2_MAX_DIR_BYTES);
	assert_diag_names(&d, "/dir/");
	assert_true(img.calls <= 4);
}

/* A directory of 1 MiB that holds one block (i_blocks): the size is a lie. */
static void dir_size_1mib(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	set_size(inode, 1u << 20);
}

static void test_ext2_dir_find_blocks_past_i_blocks(void **state)
{
	struct ext2_file f;
	struct diag d;

	craft_inode("ext2-1k.img", "sizelie.img", "/dir", dir_size_1mib);
	mount_image("sizelie.img", 0);
	assert_int_equal(ext2_open(&fs, "/dir/sub/hello.txt", &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "directory blocks past the inode's i_blocks");
	assert_int_equal(d.value, 1024);
	assert_int_equal(d.limit, 1);
}

/*
 * A directory of 16 MiB (1 KiB blocks; i_blocks says so too) that is all
 * holes - indirect blocks of zeros, one hole per block - but for its last
 * block, which holds one entry, "d", naming the directory itself.  Each
 * "d" of a path looks through 16,384 blocks: a few dozen of them would keep
 * the stage busy for minutes, so one lookup may look through
 * EXT2_LOOKUP_DIR_BYTES of directory blocks, each directory charged whole.
 */
static void dir_sparse_self_at_end(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	uint32_t per_block = lfs->blocksize / 4, blocks = 16384;
	uint32_t last = blocks - 1 - EXT2_NDIR_BLOCKS - per_block;   /* offset in the double-indirect tree */
	uint8_t *dirblock = calloc(1, lfs->blocksize);
	uint32_t *ptrs = calloc(1, lfs->blocksize);
	struct ext2_dir_entry *e = (struct ext2_dir_entry *)dirblock;
	uint32_t zeros, leaf;

	assert_int_equal(lfs->blocksize, 1024);
	e->inode = ino;
	e->rec_len = (uint16_t)lfs->blocksize;
	e->name_len = 1 | EXT2_FT_DIR << 8;
	e->name[0] = 'd';
	ptrs[last % per_block] = (uint32_t)craft_block(lfs, dirblock);
	leaf = (uint32_t)craft_block(lfs, ptrs);
	zeros = (uint32_t)craft_pointers(lfs, 0);
	memset(ptrs, 0, lfs->blocksize);
	for (uint32_t i = 0; i < last / per_block; i++)
		ptrs[i] = zeros;
	ptrs[last / per_block] = leaf;
	memset(inode->i_block, 0, sizeof inode->i_block);
	inode->i_block[EXT2_IND_BLOCK] = zeros;
	inode->i_block[EXT2_DIND_BLOCK] = (uint32_t)craft_block(lfs, ptrs);
	set_size(inode, (uint64_t)blocks * lfs->blocksize);
	inode->i_blocks = blocks * (lfs->blocksize / 512);
	free(ptrs);
	free(dirblock);
}

static void test_ext2_dir_find_lookup_budget(void **state)
{
	struct ext2_file f;
	struct diag d;
	char path[128] = "/dir";
	uint32_t budget = EXT2_LOOKUP_DIR_BYTES >> 10;

	craft_inode("ext2-1k.img", "selfdir.img", "/dir", dir_sparse_self_at_end);
	mount_image("selfdir.img", 0);
	/* a few passes are fine */
	assert_int_equal(ext2_open(&fs, "/dir/d/d/d", &f, &d), DIAG_BAD_FILE_TYPE);
	/* each pass is charged whole, the root's one block first: the
	 * sixteenth pass over /dir finds 16,383 blocks left */
	for (uint32_t i = 0; i < budget / 16384 + 1; i++)
		strcat(path, "/d");
	strcat(path, "/x");
	img.calls = 0;
	assert_int_equal(ext2_open(&fs, path, &f, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "directory blocks past what one lookup may read");
	assert_int_equal(d.value, 16384);
	assert_int_equal(d.limit, budget - 1 - 15 * 16384);
	/* the indirect blocks take turns in the caches: a few reads a pass */
	assert_true(img.calls <= 5 * 16);
}

/* A file whose every logical block maps to its first data block, claiming
 * the whole 64 MiB the block map holds below the triple-indirect tree: a
 * read of it read that one block 65,804 times.  It holds (i_blocks) 303
 * blocks, and a read may map no more than that. */
static void file_all_first_block(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	map_all_to(lfs, inode, inode->i_block[0]);
	set_size(inode, (uint64_t)(12 + 256 + 65536) * lfs->blocksize);
}

static void test_ext2_read_range_blocks_past_i_blocks(void **state)
{
	struct ext2_file f;
	struct diag d;
	uint8_t *buf;
	ext2_filsys lfs;
	struct ext2_inode inode;
	uint64_t holds;

	craft_inode("ext2-1k.img", "onemap.img", "/dind.bin", file_all_first_block);
	lfs = lib_open("onemap.img", 0, 0);
	assert_int_equal(ext2fs_read_inode(lfs, lib_lookup(lfs, "/dind.bin"), &inode), 0);
	holds = inode.i_blocks / 2;   /* 512-byte units: 301 data blocks and 3 indirect */
	ext2fs_close_free(&lfs);
	assert_int_equal(holds, 304);
	mount_image("onemap.img", 0);
	assert_int_equal(ext2_open(&fs, "/dind.bin", &f, &d), DIAG_OK);
	buf = malloc(f.size);
	assert_non_null(buf);
	img.calls = 0;
	assert_int_equal(ext2_read(&fs, &f, 0, (uint32_t)f.size, buf, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "blocks past the inode's i_blocks");
	assert_int_equal(d.value, holds + 1);
	assert_int_equal(d.limit, holds);
	assert_true(img.calls <= holds + 4);
	/* in pieces, as the stage loads a kernel: the count goes on */
	mount_image("onemap.img", 0);
	img.calls = 0;
	for (uint32_t at = 0; at < f.size; at += 65536) {
		if (ext2_read(&fs, &f, at, 65536, buf, &d))
			break;
	}
	assert_int_equal(d.id, DIAG_FS_INCONSISTENT);
	assert_int_equal(d.value, holds + 1);
	assert_true(img.calls <= holds + 8);
	/* and checking the range finds it too, reading metadata only */
	mount_image("onemap.img", 0);
	img.calls = 0;
	assert_int_equal(ext2_check_range(&fs, &f, 0, (uint32_t)f.size, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "blocks past the inode's i_blocks");
	assert_true(img.calls <= 3);
	free(buf);
}

/* With huge_file, EXT4_HUGE_FILE_FL makes i_blocks count filesystem blocks:
 * such a file is bounded by the filesystem, not by i_blocks read as 512-byte
 * units (which would be half its blocks here). */
static void huge_file_units(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	ext2fs_set_feature_huge_file(lfs->super);
	ext2fs_mark_super_dirty(lfs);
	inode->i_flags |= EXT4_HUGE_FILE_FL;
	inode->i_blocks /= lfs->blocksize / 512;
}

static void test_ext2_read_range_huge_file_blocks(void **state)
{
	craft_inode("ext2-1k.img", "hugeflag.img", "/dind.bin", huge_file_units);
	mount_image("hugeflag.img", 0);
	assert_true(fs.ro_compat & EXTFS_RO_COMPAT_HUGE_FILE);
	assert_same_file("hugeflag.img", 0, "/dind.bin");
}

/* More entries than eh_max, or an eh_max past the node's room: refused
 * before any entry is read. */
static void extent_entries_past_max(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	struct extfs_extent_header *h = (struct extfs_extent_header *)inode->i_block;

	assert_int_equal(h->eh_max, 4);
	h->eh_entries = 5;
}

static void extent_max_past_room(ext2_filsys lfs, ext2_ino_t ino, struct ext2_inode *inode)
{
	struct extfs_extent_header *h = (struct extfs_extent_header *)inode->i_block;

	h->eh_max = 0xFFFF;
}

static void test_ext2_map_extents_entries_past_eh_max(void **state)
{
	struct ext2_file f;
	struct diag d;
	char buf[4];

	craft_inode("ext4.img", "ehentries.img", "/hello.txt", extent_entries_past_max);
	mount_image("ehentries.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(ext2_read(&fs, &f, 0, sizeof buf, buf, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "extent node entries");
	assert_int_equal(d.value, 5);
	assert_int_equal(d.limit, 4);
	close_dev(state);

	craft_inode("ext4.img", "ehmax.img", "/hello.txt", extent_max_past_room);
	mount_image("ehmax.img", 0);
	assert_int_equal(ext2_open(&fs, "/hello.txt", &f, &d), DIAG_OK);
	assert_int_equal(ext2_read(&fs, &f, 0, sizeof buf, buf, &d), DIAG_FS_INCONSISTENT);
	assert_string_equal(d.name, "extent node entries");
	assert_int_equal(d.value, 0xFFFF);
	assert_int_equal(d.limit, 4);
}

/* ---- filesystems that must read ---------------------------------------- */

static void test_ext2_read_ext2_1k_blocks(void **state)
{
	mount_image("ext2-1k.img", 0);
	assert_int_equal(fs.block_shift, 10);
	assert_tree_reads("ext2-1k.img", 0);
}

static void test_ext2_read_ext2_2k_blocks(void **state)
{
	mount_image("ext2-2k.img", 0);
	assert_int_equal(fs.block_shift, 11);
	assert_tree_reads("ext2-2k.img", 0);
}

static void test_ext2_read_ext3_128_byte_inodes(void **state)
{
	mount_image("ext3-4k-i128.img", 0);
	assert_int_equal(fs.inode_shift, 7);
	assert_tree_reads("ext3-4k-i128.img", 0);
}

static void test_ext2_read_ext4_64bit_metadata_csum(void **state)
{
	mount_image("ext4.img", 0);
	assert_int_equal(fs.block_shift, 10);   /* mke2fs' "small" type below 512 MiB */
	assert_true(fs.incompat & EXTFS_INCOMPAT_64BIT);
	assert_true(fs.incompat & EXTFS_INCOMPAT_CSUM_SEED);
	assert_int_equal(fs.desc_shift, 6);
	assert_int_equal(fs.inode_shift, 8);
	assert_tree_reads("ext4.img", 0);
}

static void test_ext2_read_partition_at_sector_63(void **state)
{
	mount_image("part.img", PART_OFFSET_SECTOR63);
	assert_int_equal(fs.block_shift, 12);
	assert_int_equal(img.dev.part_sectors, (24u << 20) / 512 - 63);
	assert_tree_reads("part.img", PART_OFFSET_SECTOR63);
}

static void test_ext2_read_sparse_triple_indirect(void **state)
{
	struct ext2_file f;
	struct diag d;
	uint8_t zeros[1024] = { 0 }, buf[1024];

	mount_image("ext2-1k.img", 0);
	assert_same_file("ext2-1k.img", 0, "/sparse.bin");
	/* A hole inside the triple-indirect range reads as zeros, with no
	 * data block read for it. */
	assert_int_equal(ext2_open(&fs, "/sparse.bin", &f, &d), DIAG_OK);
	img.calls = 0;
	assert_int_equal(ext2_read(&fs, &f, 67000u * 1024, sizeof buf, buf, &d), DIAG_OK);
	assert_memory_equal(buf, zeros, sizeof buf);
	assert_true(img.calls <= 3);   /* at most the three indirect blocks */
}

static void test_ext2_open_symlinks(void **state)
{
	struct ext2_file target, f;
	struct diag d;
	static const char *const links[] = {
		"/link_abs", "/dir/rel", "/chain1", "/dirlink/sub/hello.txt", "/longlink",
		"/dirlink/../dir/rel",
	};

	mount_image("ext4.img", 0);
	assert_int_equal(ext2_open(&fs, "/dir/sub/hello.txt", &target, &d), DIAG_OK);
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		assert_int_equal(ext2_open(&fs, links[i], &f, &d), DIAG_OK);
		assert_int_equal(f.ino, target.ino);
		assert_ptr_equal(f.path, links[i]);
	}
}

static void test_ext2_open_htree_directory(void **state)
{
	ext2_filsys lfs = lib_open("ext4.img", 0, 0);
	struct ext2_inode inode;

	assert_int_equal(ext2fs_read_inode(lfs, lib_lookup(lfs, "/many"), &inode), 0);
	ext2fs_close_free(&lfs);
	assert_true(inode.i_flags & EXTFS_INDEX_FL);

	mount_image("ext4.img", 0);
	assert_same_file("ext4.img", 0, "/many/f2999");
	assert_same_file("ext4.img", 0, "/many/f0000");
	assert_same_file("ext4.img", 0, "/many/f1234");
}

/* ---- disk commands ------------------------------------------------------ */

static void test_ext2_read_contiguous_file_few_reads(void **state)
{
	struct ext2_file f;
	struct diag d;
	uint64_t size;
	uint8_t *want = lib_read("ext4.img", 0, "/big.bin", &size);
	uint8_t *got = malloc(size);
	struct layout l = lib_layout("ext4.img", "/big.bin");

	mount_image("ext4.img", 0);
	assert_int_equal(ext2_open(&fs, "/big.bin", &f, &d), DIAG_OK);
	img.calls = 0;
	assert_int_equal(ext2_read(&fs, &f, 0, (uint32_t)size, got, &d), DIAG_OK);
	assert_memory_equal(got, want, size);
	assert_int_equal(img.calls, l.runs);   /* mke2fs -d lays 8 MiB in a run or two */
	assert_true(img.calls <= 3);

	/* The same in 1 MiB pieces: one more read at most per piece. */
	img.calls = 0;
	for (uint32_t at = 0; at < size; at += 1u << 20)
		assert_int_equal(ext2_read(&fs, &f, at, 1u << 20, got + at, &d), DIAG_OK);
	assert_memory_equal(got, want, size);
	assert_true(img.calls <= l.runs + size / (1u << 20));
	free(got);
	free(want);
}

/* Read a fragmented file whole and in 1 MiB pieces; count the reads. */
static void assert_fragmented_reads(const char *name, unsigned min_runs)
{
	struct ext2_file f;
	struct diag d;
	uint64_t size;
	uint8_t *want = lib_read(name, 0, "/frag.bin", &size);
	uint8_t *got = malloc(size);
	struct layout l = lib_layout(name, "/frag.bin");

	assert_true(l.runs >= min_runs);   /* really fragmented */
	assert_int_equal(size % 512, 0);   /* no partial edge sector to bounce */
	mount_image(name, 0);
	assert_int_equal(ext2_open(&fs, "/frag.bin", &f, &d), DIAG_OK);
	img.calls = 0;
	assert_int_equal(ext2_read(&fs, &f, 0, (uint32_t)size, got, &d), DIAG_OK);
	assert_memory_equal(got, want, size);
	assert_true(img.calls <= l.runs + l.metadata);

	img.calls = 0;
	memset(got, 0, size);
	for (uint32_t at = 0; at < size; at += 1u << 20) {
		uint32_t n = size - at < (1u << 20) ? (uint32_t)(size - at) : 1u << 20;
		assert_int_equal(ext2_read(&fs, &f, at, n, got + at, &d), DIAG_OK);
	}
	assert_memory_equal(got, want, size);
	/* Metadata stays cached across calls; a piece boundary splits a run. */
	assert_true(img.calls <= l.runs + l.metadata + size / (1u << 20));

	/* Checking the whole range reads the metadata only, no data run. */
	mount_image(name, 0);
	assert_int_equal(ext2_open(&fs, "/frag.bin", &f, &d), DIAG_OK);
	img.calls = 0;
	assert_int_equal(ext2_check_range(&fs, &f, 0, (uint32_t)size, &d), DIAG_OK);
	assert_true(img.calls <= l.metadata);
	free(got);
	free(want);
}

static void test_ext2_read_fragmented_extent_tree(void **state)
{
	struct ext2_file f;
	struct diag d;

	mount_image("frag-ext4.img", 0);
	assert_int_equal(ext2_open(&fs, "/frag.bin", &f, &d), DIAG_OK);
	assert_true(f.flags & EXTFS_EXTENTS_FL);
	assert_true(((const struct extfs_extent_header *)f.i_block)->eh_depth >= 1);
	assert_fragmented_reads("frag-ext4.img", 100);
}

static void test_ext2_read_fragmented_indirect(void **state)
{
	assert_fragmented_reads("frag-ext2.img", 100);
}

static void test_ext2_read_unaligned_ranges(void **state)
{
	static const struct { uint64_t offset; uint32_t len; } ranges[] = {
		{ 0, 1 }, { 1, 511 }, { 100, 600 }, { 511, 2 }, { 1000, 5000 },
		{ 12 * 1024 - 7, 280 * 1024 }, { 267 * 1024 + 3, 4096 }, { 307323 - 10, 10 },
	};
	struct ext2_file f;
	struct diag d;
	uint64_t size;
	uint8_t *want = lib_read("ext2-1k.img", 0, "/dind.bin", &size);
	uint8_t *got = malloc(size);

	mount_image("ext2-1k.img", 0);
	assert_int_equal(ext2_open(&fs, "/dind.bin", &f, &d), DIAG_OK);
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		memset(got, 0xAA, size);
		assert_int_equal(ext2_read(&fs, &f, ranges[i].offset, ranges[i].len, got, &d), DIAG_OK);
		assert_memory_equal(got, want + ranges[i].offset, ranges[i].len);
		/* Nothing past len is written. */
		if (ranges[i].len < size)
			assert_int_equal(got[ranges[i].len], 0xAA);
	}
	free(got);
	free(want);
}

/* ---- the format header against libext2fs' ------------------------------ */

static void test_ext2_format_matches_libext2fs(void **state)
{
	assert_int_equal(offsetof(struct extfs_superblock, s_desc_size),
			 offsetof(struct ext2_super_block, s_desc_size));
	assert_int_equal(offsetof(struct extfs_superblock, s_first_meta_bg),
			 offsetof(struct ext2_super_block, s_first_meta_bg));
	assert_int_equal(offsetof(struct extfs_superblock, s_blocks_count_hi),
			 offsetof(struct ext2_super_block, s_blocks_count_hi));
	assert_int_equal(offsetof(struct extfs_superblock, s_backup_bgs),
			 offsetof(struct ext2_super_block, s_backup_bgs));
	assert_int_equal(offsetof(struct extfs_superblock, s_checksum_seed),
			 offsetof(struct ext2_super_block, s_checksum_seed));
	assert_int_equal(offsetof(struct extfs_superblock, s_encoding),
			 offsetof(struct ext2_super_block, s_encoding));
	assert_int_equal(offsetof(struct extfs_group_desc, bg_inode_table_hi),
			 offsetof(struct ext4_group_desc, bg_inode_table_hi));
	assert_int_equal(offsetof(struct extfs_inode, i_size_high),
			 offsetof(struct ext2_inode, i_size_high));
	assert_int_equal(offsetof(struct extfs_inode, i_blocks_high),
			 offsetof(struct ext2_inode, osd2.linux2.l_i_blocks_hi));
	assert_int_equal(EXTFS_HUGE_FILE_FL, EXT4_HUGE_FILE_FL);
	assert_int_equal(EXTFS_RO_COMPAT_HUGE_FILE, EXT4_FEATURE_RO_COMPAT_HUGE_FILE);
	assert_int_equal(EXTFS_INCOMPAT_ENCRYPT, EXT4_FEATURE_INCOMPAT_ENCRYPT);
	assert_int_equal(EXTFS_INCOMPAT_INLINE_DATA, EXT4_FEATURE_INCOMPAT_INLINE_DATA);
	assert_int_equal(EXTFS_INCOMPAT_CASEFOLD, EXT4_FEATURE_INCOMPAT_CASEFOLD);
	assert_int_equal(EXTFS_INCOMPAT_LARGEDIR, EXT4_FEATURE_INCOMPAT_LARGEDIR);
	assert_int_equal(EXTFS_EXTENTS_FL, EXT4_EXTENTS_FL);
	assert_int_equal(EXTFS_INDEX_FL, EXT2_INDEX_FL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, close_dev)
	const struct CMUnitTest tests[] = {
		T(test_ext2_mount_bad_magic),
		T(test_ext2_mount_block_size_unsupported),
		T(test_ext2_mount_unsupported_incompat),
		T(test_ext2_mount_unknown_incompat),
		T(test_ext2_mount_superblock_outside_partition),
		T(test_ext2_open_missing_file),
		T(test_ext2_open_directory_at_end),
		T(test_ext2_open_file_in_middle),
		T(test_ext2_open_symlink_loop),
		T(test_ext2_open_symlink_chain_over_limit),
		T(test_ext2_open_bad_rec_len),
		T(test_ext2_open_inode_out_of_range),
		T(test_ext2_open_free_inode),
		T(test_ext2_open_entry_type_not_inode_type),
		T(test_ext2_open_inode_table_pointer_wrong),
		T(test_ext2_open_directory_block_outside_partition),
		T(test_ext2_read_bad_extent_header),
		T(test_ext2_read_block_past_filesystem),
		T(test_ext2_read_block_outside_partition),
		T(test_ext2_check_range_block_outside_partition),
		T(test_ext2_read_past_end_of_file),
		T(test_ext2_mount_log_block_size_out_of_range),
		T(test_ext2_splice_symlink_huge_size),
		T(test_ext2_splice_symlink_size_wraps_with_rest),
		T(test_ext2_read_range_block_past_32_bits),
		T(test_ext2_dir_find_size_over_limit),
		T(test_ext2_dir_find_blocks_past_i_blocks),
		T(test_ext2_dir_find_lookup_budget),
		T(test_ext2_read_range_blocks_past_i_blocks),
		T(test_ext2_read_range_huge_file_blocks),
		T(test_ext2_map_extents_entries_past_eh_max),
		T(test_ext2_read_ext2_1k_blocks),
		T(test_ext2_read_ext2_2k_blocks),
		T(test_ext2_read_ext3_128_byte_inodes),
		T(test_ext2_read_ext4_64bit_metadata_csum),
		T(test_ext2_read_partition_at_sector_63),
		T(test_ext2_read_sparse_triple_indirect),
		T(test_ext2_open_symlinks),
		T(test_ext2_open_htree_directory),
		T(test_ext2_read_contiguous_file_few_reads),
		T(test_ext2_read_fragmented_extent_tree),
		T(test_ext2_read_fragmented_indirect),
		T(test_ext2_read_unaligned_ranges),
		T(test_ext2_format_matches_libext2fs),
	};
#undef T
	img.fd = -1;
	/* TEST_EXT2_FILTER=test_ext2_dir_find_* runs some of them only */
	if (getenv("TEST_EXT2_FILTER"))
		cmocka_set_test_filter(getenv("TEST_EXT2_FILTER"));
	return cmocka_run_group_tests_name("ext2", tests, make_images, remove_images);
}
