/*
 * disk_fixture.h - real disk images for the host tests of bootinst install,
 * check and the after-loader prediction, made the way a user makes them.
 *
 * A test gets a fresh temporary directory holding disk.img and root/, the
 * tree `mke2fs -d` copies into the filesystem.  It fills the tree (a
 * synthetic bzImage, an initrd, a busybox root, its own files), then makes
 * the image: a plain file, a DOS table from sfdisk, ext2 at the partition's
 * offset, /dev/console from debugfs.  Then it breaks the image the way real
 * images get broken (disk_read/disk_write, debugfs) and calls the code under
 * test.  Helpers that set up assert with cmocka, so a broken set-up fails
 * the test that needed it, with the command that failed.
 *
 * Links with cmocka; no installer code (test_predict links only a part).
 */
#ifndef BOOTINST_DISK_FIXTURE_H
#define BOOTINST_DISK_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The standard disk: 8 MiB, one bootable Linux partition from sfdisk's
 * default first sector to the end, ext2 filling it (1 KiB blocks). */
#define DISK_IMAGE_KIB       8192u
#define DISK_PART_START      2048u
#define DISK_PART_SECTORS    (DISK_IMAGE_KIB * 2u - DISK_PART_START)
#define DISK_STANDARD_TABLE  "start=2048, type=83, bootable\\n"
#define DISK_SMALL_GAP_START 8u

/* The synthetic bzImage: 4 setup sectors, the boot sector, then a
 * protected-mode part of filler (boot.rst's layout). */
#define KERNEL_SETUP_SECTS   4u
#define KERNEL_PM_BYTES      (64u * 1024u)
#define KERNEL_BYTES         ((KERNEL_SETUP_SECTS + 1u) * 512u + KERNEL_PM_BYTES)
/* /boot/initrd.img as disk_populate_root writes it */
#define INITRD_BYTES         3000u

/* The setup header fields a test may vary (boot.rst), and the version
 * string the prediction reads to find the kernel's config. */
struct kernel_spec {
	uint16_t protocol;
	uint8_t  loadflags;
	uint32_t cmdline_size;
	uint32_t initrd_addr_max;
	uint32_t init_size;
	uint32_t syssize;          /* 16-byte paragraphs of the protected-mode part */
	const char *version;       /* kernel_version's "VERSION (...) #1 SMP"; NULL: none */
};

/* Protocol 2.15, loads high, relocatable, takes a 2047-byte command line
 * and an initrd anywhere below 2 GiB, syssize matching the file. */
extern const struct kernel_spec good_kernel;

struct disk_fixture {
	char dir[64];              /* the test's temporary directory */
	char image[96];            /* dir/disk.img */
	char root[96];             /* dir/root: what mke2fs -d copies */
};

/* --- the test's directory (for cmocka set-up and tear-down) --------------- */

/* A fresh /tmp/NAME.XXXXXX.  Returns 0, or -1 (set-up cannot assert). */
int disk_fixture_create(struct disk_fixture *d, const char *name);
/* Removes the directory and all in it. */
void disk_fixture_remove(const struct disk_fixture *d);

/* --- commands ----------------------------------------------------------------- */

/* Run a shell command (sbin on PATH: sfdisk, mke2fs, debugfs live there);
 * the test fails, naming the command, unless it exits 0. */
void fixture_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first line of a command's output (e.g. debugfs's answer); "" if none. */
void fixture_run_capture(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A command's exit status; the test fails if it did not exit (a signal). */
int fixture_exit_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What a function under test prints on its two streams, as strings. */
struct captured_output {
	FILE *out, *err;           /* hand these to the code under test */
	char *out_text, *err_text; /* after capture_stop: all it printed */
	size_t out_len, err_len;
};
/* Opens out and err, dropping what an earlier capture held. */
void capture_start(struct captured_output *c);
/* Closes out and err; out_text and err_text are then complete. */
void capture_stop(struct captured_output *c);
void capture_free(struct captured_output *c);

/* --- the tree mke2fs copies ------------------------------------------------- */

/* v at p, little-endian as the x86 formats store it. */
void fixture_put_le32(uint8_t *p, uint32_t v);

/* tree/rel with len bytes and mode, its folders made first. */
void fixture_put_file(const char *tree, const char *rel, const void *bytes, size_t len, mode_t mode);
/* tree/rel, a copy of the host's file (symlinks followed). */
void fixture_put_host_file(const char *tree, const char *host, const char *rel);
/* tree/rel, a symlink to target. */
void fixture_put_symlink(const char *tree, const char *target, const char *rel);
/* A bzImage as far as a loader can tell, with spec's header fields, at
 * tree/rel (KERNEL_BYTES long). */
void fixture_put_kernel(const char *tree, const char *rel, const struct kernel_spec *spec);
/* A root the kernel can start: the host's static busybox as /bin/busybox,
 * /sbin/init and /bin/sh the symlinks Debian's busybox-static makes, and an
 * empty /dev. */
void fixture_put_busybox_root(const char *tree);

/* d->root as Debian makes it: /boot/vmlinuz a symlink to
 * /boot/vmlinuz-test (spec's kernel), /boot/initrd.img (INITRD_BYTES), and
 * a busybox root. */
void disk_populate_root(const struct disk_fixture *d, const struct kernel_spec *spec);

/* --- the image ------------------------------------------------------------------ */

/* d->image as an empty file of image_kib, with sfdisk_script's table
 * (NULL: no table). */
void disk_make_table(const struct disk_fixture *d, unsigned image_kib, const char *sfdisk_script);
/* A filesystem of type ("ext2", "ext4", ...) made by mke2fs with options
 * from tree, at start_sector, kib long (0: to the end of the image, as
 * mke2fs does at an offset with no size). */
void disk_make_fs(const struct disk_fixture *d, const char *tree, const char *type,
		  const char *options, uint64_t start_sector, unsigned kib);
/* debugfs, writable, on the filesystem at fs_start; one command a line
 * ("\\n" between them, as printf reads it). */
void disk_debugfs(const struct disk_fixture *d, uint64_t fs_start, const char *commands);
/* /dev/console as character device major:minor in the filesystem at fs_start. */
void disk_add_console(const struct disk_fixture *d, uint64_t fs_start, unsigned major, unsigned minor);
/* The table, then ext2 from d->root at fs_start, fs_kib long (0: to the
 * end), with /dev/console (5:1) in it. */
void disk_make(const struct disk_fixture *d, unsigned image_kib, const char *sfdisk_script,
	       uint64_t fs_start, unsigned fs_kib);
/* The standard disk (DISK_*) from d->root as it is. */
void disk_make_standard_from_root(const struct disk_fixture *d);
/* The standard disk, its root populated with spec's kernel. */
void disk_make_standard(const struct disk_fixture *d, const struct kernel_spec *spec);
/* The standard disk with the good kernel and one more file, root-relative
 * rel holding len bytes (a config, a file that is not a kernel). */
void disk_make_standard_with_file(const struct disk_fixture *d, const char *rel,
				  const void *bytes, size_t len);
/* The standard disk but for its partition, which starts at sector
 * DISK_SMALL_GAP_START and fills the disk: the gap after the MBR is too
 * small for the stage. */
void disk_make_small_gap(const struct disk_fixture *d);

/* len bytes of the image at byte offset. */
void disk_read(const struct disk_fixture *d, uint64_t offset, void *bytes, size_t len);
void disk_write(const struct disk_fixture *d, uint64_t offset, const void *bytes, size_t len);

/* The whole image, to compare with later. */
struct disk_snapshot {
	uint8_t *bytes;
	size_t len;
};
struct disk_snapshot disk_snapshot_take(const struct disk_fixture *d);
void disk_snapshot_free(struct disk_snapshot *s);
/* The image is byte for byte what before holds; frees before. */
void disk_assert_unchanged(const struct disk_fixture *d, struct disk_snapshot *before);

/* --- assertions ------------------------------------------------------------------- */

/* text holds expected; on failure the message shows the whole text. */
void assert_contains(const char *text, const char *expected);

#endif
