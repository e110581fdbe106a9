/* mkimage.c - `bootinst mkimage` (see mkimage.h). */
#define _GNU_SOURCE
#include "mkimage.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bzimage.h"
#include "config.h"
#include "findings.h"
#include "install.h"
#include "linux_boot.h"
#include "report.h"
#include "checks/checks.h"
#include "commit/newfs.h"
#include "commit/newimage.h"
#include "disk/image.h"
#include "disk/partfs.h"
#include "mkimage/devtable.h"
#include "payload/stage_image.h"

#define MIB             UINT64_C(1048576)
#define SECTOR          512u
#define MARGIN_PERCENT  10u            /* room left for the user, of the content */
#define MARGIN_MIN      MIB
#define VERSION_MAX     128
#define KERNEL_NAME_PREFIX "vmlinuz-"  /* Debian's /boot/vmlinuz-VERSION */

struct mkimage {
	const struct mkimage_options *o;
	char config_host[4096];           /* the kernel's config-VERSION beside it, "" none */
	char config_path[VERSION_MAX + 16];
	struct newfs_file files[3];
	size_t nfiles;
	struct devtable table;
	struct mkimage_content content;
	struct mkimage_geometry geo;
	uint64_t image_bytes, part_sectors;
	struct newimage img;
	char *install_summary;            /* what install printed */
	size_t install_summary_len;
	struct findings found;            /* bootinst check on the new image */
};

static const char *const fs_names[] = { "ext2", "ext3", "ext4" };

static int problem(struct mkimage *m, const char *object, const char *message, const char *fix)
{
	report_problem(m->o->err, m->o->image, object, message, fix);
	return -1;
}

/* --- options ------------------------------------------------------------------ */

const char *mkimage_options_problem(const struct mkimage_options *o)
{
	static char why[160];

	if (!o->root)
		return "mkimage: --root DIR is needed: the tree that becomes the filesystem "
		       "(an empty folder makes a boot-only partition)";
	if (!o->kernel)
		return "mkimage: --kernel FILE is needed: the bzImage on the host to boot (one "
		       "already in the --root tree is named the same way: --kernel DIR/boot/vmlinuz)";
	if (o->block_size != 1024 && o->block_size != 2048 && o->block_size != 4096)
		return "mkimage: --block-size takes 1024, 2048 or 4096 (the block sizes the stage reads)";
	if (o->inode_size != 128 && o->inode_size != 256 && o->inode_size != 512 && o->inode_size != 1024)
		return "mkimage: --inode-size takes 128, 256, 512 or 1024";
	if (o->part_start < 2 || o->part_start > 1u << 30) {
		snprintf(why, sizeof(why), "mkimage: --part-start %" PRIu64 ": give a sector from 63 "
			 "(the tutorials' layout) up (2048 by default)", o->part_start);
		return why;
	}
	if ((o->kernel_path && o->kernel_path[0] != '/') || (o->initrd_path && o->initrd_path[0] != '/'))
		return "mkimage: --kernel-path and --initrd-path take absolute paths inside the image";
	if (o->label && strlen(o->label) > 16)
		return "mkimage: --label takes at most 16 bytes (an ext2 volume name)";
	{
		/* the settings install will record: install's own rules */
		struct install_options io = {
			.kernel = o->kernel_path, .initrd = o->initrd ? o->initrd_path : NULL,
			.cmdline = o->cmdline,
		};
		return install_options_problem(&io);
	}
}

/* --- what goes in ---------------------------------------------------------------- */

static int is_file(const char *path, struct stat *st)
{
	return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

/* The kernel must be a bzImage the stage can boot: bootinst install's own
 * test (E13, E13P, E07, E14), before anything is made. */
static int check_kernel(struct mkimage *m)
{
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct bzimage_info info;
	struct stat st;
	struct diag d;
	ssize_t got;
	int fd;

	fd = open(m->o->kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int rc = fd < 0 ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		fprintf(m->o->err, "bootinst: %s: while opening the kernel: %s\n", m->o->kernel,
			rc == EINVAL ? "it is not a regular file" : strerror(rc));
		return -1;
	}
	got = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (got < 0)
		got = 0;
	if (bzimage_parse(head, (uint32_t)got, (uint64_t)st.st_size, m->o->kernel, &info, &d)) {
		struct findings f;
		findings_init(&f);
		report_finding(m->o->err, m->o->image, findings_add(&f, FINDING_ERROR, &d, "kernel"));
		findings_free(&f);
		return -1;
	}
	return 0;
}

/*
 * config-VERSION beside the kernel (Debian's layout): its version from the
 * file's name (vmlinuz-VERSION), else from the header's kernel_version
 * string (boot.rst: a pointer at 0x20e to the string, less 0x200).
 */
static void find_config(struct mkimage *m)
{
	const char *kernel = m->o->kernel;
	char dir_copy[4096], version[VERSION_MAX] = "";
	const char *base = strrchr(kernel, '/');
	struct stat st;

	base = base ? base + 1 : kernel;
	if (!strncmp(base, KERNEL_NAME_PREFIX, strlen(KERNEL_NAME_PREFIX))) {
		snprintf(version, sizeof(version), "%s", base + strlen(KERNEL_NAME_PREFIX));
	} else {
		uint8_t ptr[2];
		char text[VERSION_MAX];
		int fd = open(kernel, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && pread(fd, ptr, 2, LINUX_HDR_OFF(kernel_version)) == 2 && (ptr[0] | ptr[1]) &&
		    pread(fd, text, sizeof(text) - 1, (ptr[0] | ptr[1] << 8) + 0x200) > 0) {
			text[sizeof(text) - 1] = '\0';
			text[strcspn(text, " ")] = '\0';
			snprintf(version, sizeof(version), "%s", text);
		}
		if (fd >= 0)
			close(fd);
	}
	if (!version[0] || strchr(version, '/'))
		return;
	snprintf(dir_copy, sizeof(dir_copy), "%s", kernel);
	snprintf(m->config_host, sizeof(m->config_host), "%s/config-%s", dirname(dir_copy), version);
	if (!is_file(m->config_host, &st)) {
		m->config_host[0] = '\0';
		return;
	}
	snprintf(m->config_path, sizeof(m->config_path), "/boot/config-%s", version);
}

/* Is path (inside the image) already in the tree? */
static int tree_holds(const struct mkimage *m, const char *path)
{
	char host[8192];
	struct stat st;

	snprintf(host, sizeof(host), "%s%s", m->o->root, path);
	return lstat(host, &st) == 0;
}

/* Do two host files hold the same bytes?  1 yes, 0 no or unreadable. */
static int same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	char ba[65536], bb[65536];
	int same = fa && fb;

	while (same) {
		size_t na = fread(ba, 1, sizeof(ba), fa), nb = fread(bb, 1, sizeof(bb), fb);
		if (na != nb || memcmp(ba, bb, na))
			same = 0;
		else if (na < sizeof(ba))
			break;
	}
	if (same && (ferror(fa) || ferror(fb)))
		same = 0;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/*
 * host (--kernel, --initrd, the config) goes to path inside the image: added
 * to the files to copy, unless the tree already holds those very bytes
 * there.  A different file at that path is refused: one of the two would be
 * lost.  option names the option for the fix.
 */
static int place(struct mkimage *m, const char *host, const char *path, const char *option)
{
	char in_tree[8192];
	struct stat st;

	snprintf(in_tree, sizeof(in_tree), "%s%s", m->o->root, path);
	if (lstat(in_tree, &st) < 0) {
		m->files[m->nfiles++] = (struct newfs_file){ host, path };
		return 0;
	}
	if (S_ISREG(st.st_mode) && same_bytes(host, in_tree))
		return 0;
	snprintf(in_tree, sizeof(in_tree), "the --root tree holds another %s at this path, where %s "
		 "would go", S_ISREG(st.st_mode) ? "file" : "thing", host);
	return problem(m, path, in_tree, !strcmp(option, "--kernel")
		       ? "give --kernel-path another path, or --kernel the tree's own file"
		       : "give --initrd-path another path, or --initrd the tree's own file");
}

static int gather(struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	struct stat st;
	char why[512];

	if (stat(o->root, &st) < 0 || !S_ISDIR(st.st_mode))
		return problem(m, "--root", stat(o->root, &st) < 0 ? strerror(errno) : "it is not a directory",
			       "give the folder that becomes the filesystem (an empty one makes a boot-only partition)");
	if (check_kernel(m))
		return -1;
	if (place(m, o->kernel, o->kernel_path, "--kernel"))
		return -1;
	find_config(m);
	/* the tree's own config at that path wins: it is only for check */
	if (m->config_host[0] && !tree_holds(m, m->config_path))
		m->files[m->nfiles++] = (struct newfs_file){ m->config_host, m->config_path };
	if (o->initrd) {
		if (!is_file(o->initrd, &st))
			return problem(m, o->initrd, "--initrd is not a file", "give the initramfs file on the host");
		if (place(m, o->initrd, o->initrd_path, "--initrd"))
			return -1;
	}
	if (o->device_table) {
		FILE *f = fopen(o->device_table, "r");
		char *text = NULL;
		size_t len = 0, cap = 0;
		int rc;

		if (!f)
			return problem(m, o->device_table, strerror(errno), "give the device table file");
		for (int ch; (ch = fgetc(f)) != EOF && len < (1u << 20);) {
			if (len + 1 >= cap) {
				char *grown = realloc(text, cap = cap ? cap * 2 : 4096);
				if (!grown) {
					free(text);
					fclose(f);
					return problem(m, o->device_table, strerror(ENOMEM), "free some memory");
				}
				text = grown;
			}
			text[len++] = (char)ch;
		}
		if (len == (1u << 20) && fgetc(f) != EOF) {
			free(text);
			fclose(f);
			return problem(m, o->device_table, "the device table is larger than 1 MiB",
				       "give a table of device lines (a few KiB covers any /dev)");
		}
		fclose(f);
		rc = devtable_parse(text ? text : "", len, &m->table, why, sizeof(why));
		free(text);
		if (rc)
			return problem(m, o->device_table, why, "fix the line: name type mode uid gid major minor "
				       "start inc count, as genext2fs and makedevs read it");
	}
	return 0;
}

/* --- how big ------------------------------------------------------------------------ */

static int measure(struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	char why[4200];
	struct stat st;

	if (mkimage_measure_tree(o->root, o->block_size, o->fs, &m->content, why, sizeof(why)))
		return problem(m, "--root", why, "make the tree readable by the user running bootinst");
	for (size_t i = 0; i < m->nfiles; i++) {
		if (stat(m->files[i].host, &st) < 0)
			return problem(m, m->files[i].host, strerror(errno), "give a file that can be read");
		mkimage_measure_file(&m->content, (uint64_t)st.st_size, o->block_size, o->fs,
				     !tree_holds(m, "/boot") && i == 0);
	}
	m->content.entries += m->table.count;
	m->geo.block_size = o->block_size;
	m->geo.inode_size = o->inode_size;
	mkimage_fit(&m->content, o->fs, &m->geo);
	return 0;
}

/* Round up to a whole MiB. */
static uint64_t round_mib(uint64_t bytes)
{
	return (bytes + MIB - 1) / MIB * MIB;
}

static int size_image(struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	uint64_t bs = o->block_size, start_bytes = o->part_start * SECTOR;
	uint64_t min_image = round_mib(start_bytes + m->geo.min_blocks * bs);
	uint64_t margin = m->content.data_blocks * bs * MARGIN_PERCENT / 100;
	char message[400];
	uint32_t stage_sectors;
	struct record_backup zero_mbr;
	static const uint8_t zeros[BOOTINST_BACKUP_MBR_BYTES];

	/* the stage goes in the gap before the partition */
	stage_backup_of_mbr(&zero_mbr, zeros);
	stage_sectors = (uint32_t)(stage_image_bytes(o->kernel_path, o->initrd ? o->initrd_path : NULL,
						     o->cmdline, &zero_mbr) / SECTOR);
	if (o->part_start - 1 < stage_sectors) {
		snprintf(message, sizeof(message), "--part-start %" PRIu64 " leaves %" PRIu64 " sectors "
			 "after the MBR; the stage needs %u", o->part_start, o->part_start - 1, stage_sectors);
		return problem(m, "layout", message, "start the partition at sector 63 or later (2048 by default)");
	}
	if (!o->size) {
		if (margin < MARGIN_MIN)
			margin = MARGIN_MIN;
		m->image_bytes = round_mib(start_bytes + m->geo.min_blocks * bs + margin);
	} else if (o->size < min_image) {
		snprintf(message, sizeof(message), "--size %" PRIu64 " bytes is too small: the content is "
			 "%" PRIu64 " bytes (%" PRIu64 " %s blocks of %" PRIu64 " with its folders), and with the "
			 "filesystem's own blocks the smallest image that holds it is %" PRIu64 " MiB",
			 o->size, m->content.bytes, m->content.data_blocks + m->content.map_blocks,
			 fs_names[o->fs], bs, min_image / MIB);
		return problem(m, "size", message, "give --size of at least that, or leave --size out "
			       "to take what the content needs and a margin");
	} else {
		m->image_bytes = o->size / SECTOR * SECTOR;
	}
	/* the partition fills the image; the filesystem fills the partition,
	 * in whole blocks: never larger than it */
	m->part_sectors = m->image_bytes / SECTOR - o->part_start;
	m->geo.blocks = m->part_sectors * SECTOR / bs;
	if (m->geo.blocks > UINT32_MAX)
		return problem(m, "size", "the filesystem would have more than 2^32 blocks",
			       "give a smaller --size or a larger --block-size");
	return 0;
}

/* --- making it --------------------------------------------------------------------- */

/* The filesystem as e2fsprogs made it: never larger than its partition. */
static int verify_fs(struct mkimage *m)
{
	struct disk_image img;
	struct image_failure why;
	ext2_filsys fs;
	errcode_t rc;
	uint64_t fs_bytes;

	if (image_open(&img, m->img.path, &why)) {
		report_image_failure(m->o->err, m->o->image, why.doing, why.reason, why.fix);
		return -1;
	}
	rc = partfs_open(&img, m->o->part_start, &fs);
	image_close(&img);
	if (rc) {
		fprintf(m->o->err, "bootinst: %s: while reading back the new filesystem: %s\n",
			m->o->image, error_message(rc));
		return -1;
	}
	fs_bytes = ext2fs_blocks_count(fs->super) * EXT2_BLOCK_SIZE(fs->super);
	ext2fs_close_free(&fs);
	if (fs_bytes > m->part_sectors * SECTOR) {
		fprintf(m->o->err, "bootinst: %s: the new filesystem is %" PRIu64 " bytes, larger than its "
			"partition (%" PRIu64 "): a bug, nothing was made\n", m->o->image, fs_bytes,
			m->part_sectors * SECTOR);
		return -1;
	}
	return 0;
}

static int install_on_it(struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	FILE *summary = open_memstream(&m->install_summary, &m->install_summary_len);
	struct install_options io = {
		.image = m->img.path,
		.name = o->image,
		.partition = 1,
		.kernel = o->kernel_path,
		.initrd = o->initrd ? o->initrd_path : NULL,
		.cmdline = o->cmdline,
		.bus = o->bus,
		.out = summary,
		.err = o->err,
	};
	struct install_result r;
	int status;

	if (!summary)
		return problem(m, "install", strerror(ENOMEM), "free some memory");
	status = install_run(&io, &r);
	install_result_free(&r);
	fclose(summary);
	return status ? -1 : 0;
}

/* bootinst check on the new image: an error, and it is not published. */
static int check_it(struct mkimage *m)
{
	const struct check_request req = { .mode = CHECKS_AS_INSTALLED, .bus = m->o->bus };
	struct check_result res;
	struct image_failure why;
	struct disk_image img;
	size_t errors;

	if (image_open(&img, m->img.path, &why)) {
		report_image_failure(m->o->err, m->o->image, why.doing, why.reason, why.fix);
		return -1;
	}
	if (checks_run(&req, &img, &res, &m->found, m->o->err)) {
		image_close(&img);
		return -1;
	}
	image_close(&img);
	errors = findings_count(&m->found, FINDING_ERROR);
	for (size_t i = 0; i < m->found.count && !m->o->quiet; i++)
		report_finding(m->o->err, m->o->image, &m->found.list[i]);
	if (errors) {
		fprintf(m->o->err, "bootinst: %s: not made: bootinst check finds %zu error%s in it\n",
			m->o->image, errors, errors == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int make(struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	struct newimage_fs fs = {
		.type = fs_names[o->fs],
		.block_size = o->block_size,
		.inode_size = o->inode_size,
		.inodes = m->geo.inodes,
		.blocks = m->geo.blocks,
		.offset = o->part_start * SECTOR,
		.label = o->label,
		.root = o->root,
	};

	if (newimage_create(&m->img, o->image, m->image_bytes, o->err) ||
	    newimage_partition(&m->img, o->part_start, m->part_sectors, o->err) ||
	    newimage_mkfs(&m->img, &fs, o->err) ||
	    newfs_finish(m->img.path, o->image, fs.offset, m->files, m->nfiles,
			 m->table.count ? &m->table : NULL, o->err) ||
	    verify_fs(m) || install_on_it(m) || check_it(m))
		return -1;
	return newimage_publish(&m->img, o->force, o->err);
}

/* --- what was made --------------------------------------------------------------------- */

static void print_text(const struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	FILE *out = o->out;

	fprintf(out, o->dry_run ? "bootinst: %s: dry run, nothing made; mkimage would make:\n"
				: "bootinst: %s: made\n", o->image);
	fprintf(out, "  image      %" PRIu64 " MiB (%" PRIu64 " bytes)%s\n", m->image_bytes / MIB,
		m->image_bytes, o->size ? "" : ": the content, the filesystem's own blocks and a margin");
	fprintf(out, "  partition  1, type 0x83, bootable, sectors %" PRIu64 "..%" PRIu64 " (%" PRIu64
		" sectors)\n", o->part_start, o->part_start + m->part_sectors - 1, m->part_sectors);
	fprintf(out, "  filesystem %s, %" PRIu64 " blocks of %u bytes (%" PRIu64 " bytes: the partition's "
		"size or less), %" PRIu64 " inodes\n", fs_names[o->fs], m->geo.blocks, o->block_size,
		m->geo.blocks * o->block_size, m->geo.inodes);
	fprintf(out, "  content    %" PRIu64 " files, folders and links, %" PRIu64 " bytes; the smallest "
		"filesystem for it: %" PRIu64 " blocks\n", m->content.entries, m->content.bytes, m->geo.min_blocks);
	for (size_t i = 0; i < m->nfiles; i++)
		fprintf(out, "  copied     %s as %s\n", m->files[i].host, m->files[i].path);
	if (m->table.count)
		fprintf(out, "  devices    %zu entries from %s\n", m->table.count, o->device_table);
	if (o->dry_run)
		return;
	/* install's own lines, after its first */
	if (m->install_summary) {
		const char *rest = strchr(m->install_summary, '\n');
		if (rest)
			fputs(rest + 1, out);
	}
	fprintf(out, "  check      it will boot (%zu warning%s, %zu note%s)\n",
		findings_count(&m->found, FINDING_WARNING), findings_count(&m->found, FINDING_WARNING) == 1 ? "" : "s",
		findings_count(&m->found, FINDING_NOTE), findings_count(&m->found, FINDING_NOTE) == 1 ? "" : "s");
}

static void json_number(FILE *out, const char *key, uint64_t v, int last)
{
	report_json_string(out, key);
	fprintf(out, ": %" PRIu64 "%s", v, last ? "" : ", ");
}

static void print_json(const struct mkimage *m)
{
	const struct mkimage_options *o = m->o;
	FILE *out = o->out;

	fputs("{", out);
	report_json_string(out, "image");
	fputs(": ", out);
	report_json_string(out, o->image);
	fprintf(out, ", \"made\": %s, ", o->dry_run ? "false" : "true");
	json_number(out, "image_bytes", m->image_bytes, 0);
	json_number(out, "partition_start", o->part_start, 0);
	json_number(out, "partition_sectors", m->part_sectors, 0);
	report_json_string(out, "filesystem");
	fputs(": ", out);
	report_json_string(out, fs_names[o->fs]);
	fputs(", ", out);
	json_number(out, "block_size", o->block_size, 0);
	json_number(out, "blocks", m->geo.blocks, 0);
	json_number(out, "min_blocks", m->geo.min_blocks, 0);
	json_number(out, "inodes", m->geo.inodes, 0);
	json_number(out, "content_bytes", m->content.bytes, 0);
	json_number(out, "content_entries", m->content.entries, 0);
	json_number(out, "check_warnings", findings_count(&m->found, FINDING_WARNING), 0);
	json_number(out, "check_notes", findings_count(&m->found, FINDING_NOTE), 1);
	fputs("}\n", out);
}

int mkimage_run(const struct mkimage_options *o)
{
	struct mkimage m = { .o = o, .img = { .fd = -1, .dirfd = -1 } };
	struct stat st;
	int status = 1;

	findings_init(&m.found);
	if (!o->force && lstat(o->image, &st) == 0) {
		problem(&m, "output", "it exists already, and mkimage makes a new image",
			"give another name, or --force to replace it");
		goto out;
	}
	if (gather(&m) || measure(&m) || size_image(&m))
		goto out;
	if (!o->dry_run && make(&m)) {
		newimage_discard(&m.img);
		goto out;
	}
	newimage_discard(&m.img);
	if (o->json)
		print_json(&m);
	else if (!o->quiet)
		print_text(&m);
	status = 0;
out:
	devtable_free(&m.table);
	findings_free(&m.found);
	free(m.install_summary);
	return status;
}
