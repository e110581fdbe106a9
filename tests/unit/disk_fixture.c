/*
 * disk_fixture.c - real disk images for the host tests (disk_fixture.h).
 *
 * Images come from the tools a user runs (truncate, sfdisk, mke2fs -d,
 * debugfs), never from hand-written structures: the tests then check the
 * installer against what those tools really write.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "disk_fixture.h"
#include "linux_boot.h"

/* kernel_version points 0x200 bytes before the string's offset (boot.rst);
 * 0x400 lies in the setup sectors, before the protected-mode filler. */
#define KERNEL_VERSION_AT 0x400u

const struct kernel_spec good_kernel = {
	.protocol = 0x020f,
	.loadflags = LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP,
	.cmdline_size = 2047,
	.initrd_addr_max = 0x7fffffff,
	.init_size = 0x100000,
	.syssize = KERNEL_PM_BYTES / 16,
};

/* --- the test's directory ----------------------------------------------------- */

int disk_fixture_create(struct disk_fixture *d, const char *name)
{
	snprintf(d->dir, sizeof(d->dir), "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(d->dir))
		return -1;
	snprintf(d->image, sizeof(d->image), "%s/disk.img", d->dir);
	snprintf(d->root, sizeof(d->root), "%s/root", d->dir);
	return mkdir(d->root, 0755);
}

void disk_fixture_remove(const struct disk_fixture *d)
{
	fixture_run("rm -rf %s", d->dir);
}

/* --- commands ----------------------------------------------------------------- */

/* fmt's command behind a PATH that has sbin, which a user's PATH may lack. */
static void format_command(char *cmd, size_t size, const char *fmt, va_list ap)
{
	int n = snprintf(cmd, size, "PATH=\"$PATH:/usr/sbin:/sbin\"; ");

	if (vsnprintf(cmd + n, size - (size_t)n, fmt, ap) >= (int)(size - (size_t)n))
		fail_msg("set-up command too long: %s", cmd);
}

void fixture_run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	format_command(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("set-up command failed: %s", cmd);
}

void fixture_run_capture(char *out, size_t size, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	format_command(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(out, (int)size, p))
		out[0] = 0;
	pclose(p);
}

int fixture_exit_status(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int status;

	va_start(ap, fmt);
	format_command(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		fail_msg("did not exit: %s", cmd);
	return WEXITSTATUS(status);
}

void capture_start(struct captured_output *c)
{
	capture_free(c);
	c->out = open_memstream(&c->out_text, &c->out_len);
	c->err = open_memstream(&c->err_text, &c->err_len);
	assert_non_null(c->out);
	assert_non_null(c->err);
}

void capture_stop(struct captured_output *c)
{
	assert_int_equal(fclose(c->out), 0);
	assert_int_equal(fclose(c->err), 0);
	c->out = c->err = NULL;
}

void capture_free(struct captured_output *c)
{
	free(c->out_text);
	free(c->err_text);
	c->out_text = c->err_text = NULL;
	c->out_len = c->err_len = 0;
}

/* --- the tree mke2fs copies ------------------------------------------------- */

static void fixture_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void fixture_put_le32(uint8_t *p, uint32_t v)
{
	fixture_put_le16(p, (uint16_t)v);
	fixture_put_le16(p + 2, (uint16_t)(v >> 16));
}

void fixture_put_file(const char *tree, const char *rel, const void *bytes, size_t len, mode_t mode)
{
	char path[256];
	FILE *out;

	fixture_run("mkdir -p \"$(dirname %s%s)\"", tree, rel);
	snprintf(path, sizeof(path), "%s%s", tree, rel);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(bytes, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(chmod(path, mode), 0);
}

void fixture_put_host_file(const char *tree, const char *host, const char *rel)
{
	fixture_run("mkdir -p \"$(dirname %s%s)\" && cp -L %s %s%s", tree, rel, host, tree, rel);
}

void fixture_put_symlink(const char *tree, const char *target, const char *rel)
{
	fixture_run("mkdir -p \"$(dirname %s%s)\" && ln -s %s %s%s", tree, rel, target, tree, rel);
}

void fixture_put_kernel(const char *tree, const char *rel, const struct kernel_spec *spec)
{
	uint8_t *k = calloc(1, KERNEL_BYTES);

	assert_non_null(k);
	k[LINUX_HDR_OFF(setup_sects)] = KERNEL_SETUP_SECTS;
	fixture_put_le32(k + LINUX_HDR_OFF(syssize), spec->syssize);
	fixture_put_le16(k + LINUX_HDR_OFF(boot_flag), LINUX_BOOT_FLAG);
	memcpy(k + LINUX_HDR_OFF(header), "HdrS", 4);
	fixture_put_le16(k + LINUX_HDR_OFF(version), spec->protocol);
	k[LINUX_HDR_OFF(loadflags)] = spec->loadflags;
	fixture_put_le32(k + LINUX_HDR_OFF(initrd_addr_max), spec->initrd_addr_max);
	fixture_put_le32(k + LINUX_HDR_OFF(kernel_alignment), 0x200000);
	k[LINUX_HDR_OFF(relocatable_kernel)] = 1;
	fixture_put_le32(k + LINUX_HDR_OFF(cmdline_size), spec->cmdline_size);
	fixture_put_le32(k + LINUX_HDR_OFF(init_size), spec->init_size);
	if (spec->version) {
		fixture_put_le16(k + LINUX_HDR_OFF(kernel_version), KERNEL_VERSION_AT - 0x200);
		snprintf((char *)k + KERNEL_VERSION_AT, 128, "%s (test@example) #1 SMP", spec->version);
	}
	/* not zeros: debugfs and mke2fs would store those as holes */
	for (uint32_t i = (KERNEL_SETUP_SECTS + 1) * 512; i < KERNEL_BYTES; i++)
		k[i] = (uint8_t)(i * 13);
	fixture_put_file(tree, rel, k, KERNEL_BYTES, 0644);
	free(k);
}

void fixture_put_busybox_root(const char *tree)
{
	fixture_put_host_file(tree, "/bin/busybox", "/bin/busybox");
	fixture_put_symlink(tree, "../bin/busybox", "/sbin/init");
	fixture_put_symlink(tree, "busybox", "/bin/sh");
	fixture_run("mkdir -p %s/dev", tree);
}

void disk_populate_root(const struct disk_fixture *d, const struct kernel_spec *spec)
{
	uint8_t initrd[INITRD_BYTES];

	fixture_put_kernel(d->root, "/boot/vmlinuz-test", spec);
	fixture_put_symlink(d->root, "vmlinuz-test", "/boot/vmlinuz");
	memset(initrd, 0x5a, sizeof(initrd));
	fixture_put_file(d->root, "/boot/initrd.img", initrd, sizeof(initrd), 0644);
	fixture_put_busybox_root(d->root);
}

/* --- the image ------------------------------------------------------------------ */

void disk_make_table(const struct disk_fixture *d, unsigned image_kib, const char *sfdisk_script)
{
	fixture_run("truncate -s %uK %s", image_kib, d->image);
	if (sfdisk_script)
		fixture_run("printf '%s' | sfdisk -q %s >/dev/null 2>&1", sfdisk_script, d->image);
}

void disk_make_fs(const struct disk_fixture *d, const char *tree, const char *type,
		  const char *options, uint64_t start_sector, unsigned kib)
{
	char size[16] = "";

	if (kib)
		snprintf(size, sizeof(size), "%uk", kib);
	fixture_run("mke2fs -q -F -t %s %s -d %s -E offset=%llu %s %s 2>/dev/null", type, options,
		    tree, (unsigned long long)(start_sector * 512), d->image, size);
}

void disk_debugfs(const struct disk_fixture *d, uint64_t fs_start, const char *commands)
{
	fixture_run("printf '%s\\n' | debugfs -w -f - '%s?offset=%llu' >/dev/null 2>&1",
		    commands, d->image, (unsigned long long)(fs_start * 512));
}

/* debugfs's mknod takes a name in the current directory: with a path it
 * allocates the inode but links it nowhere (e2fsprogs 1.47). */
void disk_add_console(const struct disk_fixture *d, uint64_t fs_start, unsigned major, unsigned minor)
{
	char commands[64];

	snprintf(commands, sizeof(commands), "cd /dev\\nmknod console c %u %u", major, minor);
	disk_debugfs(d, fs_start, commands);
}

void disk_make(const struct disk_fixture *d, unsigned image_kib, const char *sfdisk_script,
	       uint64_t fs_start, unsigned fs_kib)
{
	disk_make_table(d, image_kib, sfdisk_script);
	disk_make_fs(d, d->root, "ext2", "", fs_start, fs_kib);
	disk_add_console(d, fs_start, 5, 1);
}

void disk_make_standard_from_root(const struct disk_fixture *d)
{
	disk_make(d, DISK_IMAGE_KIB, DISK_STANDARD_TABLE, DISK_PART_START, DISK_PART_SECTORS / 2);
}

void disk_make_standard(const struct disk_fixture *d, const struct kernel_spec *spec)
{
	disk_populate_root(d, spec);
	disk_make_standard_from_root(d);
}

void disk_make_standard_with_file(const struct disk_fixture *d, const char *rel,
				  const void *bytes, size_t len)
{
	disk_populate_root(d, &good_kernel);
	fixture_put_file(d->root, rel, bytes, len, 0644);
	disk_make_standard_from_root(d);
}

void disk_make_small_gap(const struct disk_fixture *d)
{
	char table[64];

	snprintf(table, sizeof(table), "start=%u, type=83, bootable\\n", DISK_SMALL_GAP_START);
	disk_populate_root(d, &good_kernel);
	disk_make(d, DISK_IMAGE_KIB, table, DISK_SMALL_GAP_START,
		  (DISK_IMAGE_KIB * 2 - DISK_SMALL_GAP_START) / 2);
}

void disk_read(const struct disk_fixture *d, uint64_t offset, void *bytes, size_t len)
{
	int fd = open(d->image, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, bytes, len, (off_t)offset), (ssize_t)len);
	close(fd);
}

void disk_write(const struct disk_fixture *d, uint64_t offset, const void *bytes, size_t len)
{
	int fd = open(d->image, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, (off_t)offset), (ssize_t)len);
	close(fd);
}

struct disk_snapshot disk_snapshot_take(const struct disk_fixture *d)
{
	struct disk_snapshot s;
	struct stat st;

	assert_int_equal(stat(d->image, &st), 0);
	s.len = (size_t)st.st_size;
	s.bytes = malloc(s.len);
	assert_non_null(s.bytes);
	disk_read(d, 0, s.bytes, s.len);
	return s;
}

void disk_snapshot_free(struct disk_snapshot *s)
{
	free(s->bytes);
	s->bytes = NULL;
	s->len = 0;
}

void disk_assert_unchanged(const struct disk_fixture *d, struct disk_snapshot *before)
{
	struct disk_snapshot after = disk_snapshot_take(d);

	assert_int_equal(after.len, before->len);
	assert_memory_equal(after.bytes, before->bytes, before->len);
	disk_snapshot_free(&after);
	disk_snapshot_free(before);
}

/* --- assertions ------------------------------------------------------------------- */

void assert_contains(const char *text, const char *expected)
{
	if (!strstr(text, expected))
		fail_msg("expected \"%s\" in:\n%s", expected, text);
}
