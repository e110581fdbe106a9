/*
 * boot.c - what boots: the partition, kernel, initrd and command line the
 * check engine settled on (the installed record, overridden by
 * /boot/bootinst.cfg, as the stage takes them; install's defaults on a
 * disk without bootinst), each file's blocks as disk sectors (libext2fs:
 * every block, in file order, merged into runs), the kernel's setup header
 * (include/linux_boot.h, checked by the stage's own bzimage_parse) and
 * where the stage loads each piece (load_plan.c).
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <et/com_err.h>
#include "bzimage.h"
#include "disk/partfs.h"
#include "report.h"

/* The setup code is at most LINUX_SETUP_MAX_SECTS sectors after the boot
 * sector: the kernel_version string lies in it (boot.rst). */
#define SETUP_HEAD_BYTES ((LINUX_SETUP_MAX_SECTS + 1u) * IMAGE_SECTOR_SIZE)

struct extent_walk {
	struct info_file *f;
	uint64_t part_start, part_sectors;
	unsigned sectors_per_block;
	int failed;                      /* out of memory */
};

/* ext2fs_block_iterate3's callback: one data block, in file order. */
static int one_block(ext2_filsys fs, blk64_t *block, e2_blkcnt_t logical, blk64_t ref_block,
		     int ref_offset, void *priv)
{
	struct extent_walk *w = priv;
	struct info_file *f = w->f;
	uint64_t lba = w->part_start + *block * w->sectors_per_block;
	struct info_extent *last = f->extents ? &f->extent[f->extents - 1] : NULL;

	(void)fs, (void)logical, (void)ref_block, (void)ref_offset;
	if (!f->sectors || lba < f->first_lba)
		f->first_lba = lba;
	if (lba + w->sectors_per_block - 1 > f->last_lba)
		f->last_lba = lba + w->sectors_per_block - 1;
	f->sectors += w->sectors_per_block;
	if (*block * w->sectors_per_block + w->sectors_per_block > w->part_sectors)
		f->sectors_past += w->sectors_per_block;
	if (last && last->lba + last->sectors == lba) {
		last->sectors += w->sectors_per_block;
		return 0;
	}
	if (f->extents == INFO_EXTENTS_MAX) {
		f->extents_more++;
		return 0;
	}
	if (!f->extent) {
		f->extent = calloc(INFO_EXTENTS_MAX, sizeof(*f->extent));
		if (!f->extent) {
			w->failed = 1;
			return BLOCK_ABORT;
		}
	}
	f->extent[f->extents++] = (struct info_extent){ lba, w->sectors_per_block };
	return 0;
}

/* Find path on fs and map its blocks; *ino for the caller.  -1 only when
 * out of memory. */
static int map_file(ext2_filsys fs, const struct info_boot *b, struct info_file *f, ext2_ino_t *ino)
{
	struct extent_walk w = { .f = f, .part_start = b->part_start, .part_sectors = b->part_sectors,
				 .sectors_per_block = fs->blocksize / IMAGE_SECTOR_SIZE };
	struct partfs_file file;
	errcode_t err = partfs_lookup(fs, f->path, &file);

	if (err || !file.is_regular) {
		snprintf(f->problem, sizeof(f->problem), "%s",
			 err ? error_message(err) : "not a regular file");
		return 0;
	}
	f->found = 1;
	f->bytes = file.size;
	*ino = file.ino;
	/* the walk is bounded by the inode's own block map (libext2fs) */
	err = ext2fs_block_iterate3(fs, file.ino, BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY, NULL,
				    one_block, &w);
	if (w.failed)
		return -1;
	if (err)
		snprintf(f->problem, sizeof(f->problem), "its block map: %s", error_message(err));
	return 0;
}

/* The setup header, the version string, and bzimage_parse's verdict. */
static int read_header(ext2_filsys fs, ext2_ino_t ino, struct info_boot *b)
{
	uint32_t want = b->kernel.bytes < SETUP_HEAD_BYTES ? (uint32_t)b->kernel.bytes : SETUP_HEAD_BYTES;
	uint8_t *head = malloc(SETUP_HEAD_BYTES);
	unsigned got = 0;
	uint16_t pointer;

	if (!head)
		return -1;
	if (partfs_read_at(fs, ino, 0, head, want, &got) == 0 &&
	    got >= LINUX_SETUP_HEADER_OFF + sizeof(b->hdr)) {
		b->header_read = 1;
		memcpy(&b->hdr, head + LINUX_SETUP_HEADER_OFF, sizeof(b->hdr));
		/* kernel_version: the string's offset - 0x200 (protocol 2.00+) */
		pointer = b->hdr.kernel_version;
		if (b->hdr.header == LINUX_HDRS_MAGIC && pointer && pointer + 0x200u < got) {
			const char *s = (const char *)head + pointer + 0x200u;
			size_t n = 0;

			while (n < sizeof(b->version) - 1 && pointer + 0x200u + n < got &&
			       s[n] >= 0x20 && s[n] < 0x7f)
				n++;
			memcpy(b->version, s, n);
			b->version[n] = '\0';
		}
	}
	b->bz_ok = got && bzimage_parse(head, got < BZIMAGE_HEAD_BYTES ? got : BZIMAGE_HEAD_BYTES,
				       b->kernel.bytes, b->kernel.path, &b->bz, &b->bz_diag) == DIAG_OK;
	if (!got)
		diag_set(&b->bz_diag, DIAG_SHORT_READ);
	b->bz_diag.path = b->kernel.path;
	free(head);
	return 0;
}

/* Where the settings came from, in words. */
static const char *settings_source(const struct info_disk *d)
{
	if (d->check.config_used)
		return BOOTINST_CONFIG_PATH " (it overrides what install recorded)";
	if (d->check.installed && d->check.boots.kernel[0])
		return "the install record";
	if (d->check.installed)
		return "nothing: the install record cannot be read";
	return "bootinst install's defaults (bootinst is not installed)";
}

int info_read_boot(const struct disk_image *img, struct info_disk *d, FILE *err)
{
	struct info_boot *b = &d->boot;
	ext2_filsys fs = NULL;
	ext2_ino_t kernel_ino = 0, initrd_ino = 0;
	struct memmap mm;
	int rc = 0;

	memset(b, 0, sizeof(*b));
	b->kernel.role = "kernel";
	b->initrd.role = "initrd";
	if (!d->checked || !d->check.partition)
		return 0;
	b->partition = d->check.partition;
	b->part_start = d->check.part_start;
	b->part_sectors = d->check.part_sectors;
	b->cfg = d->check.boots;
	b->from = settings_source(d);
	b->known = b->cfg.kernel[0] != '\0';
	snprintf(b->kernel.path, sizeof(b->kernel.path), "%s", b->cfg.kernel);
	snprintf(b->initrd.path, sizeof(b->initrd.path), "%s", b->cfg.initrd);
	if (!b->known)
		return 0;
	if (partfs_open(img, b->part_start, &fs)) {
		snprintf(b->kernel.problem, sizeof(b->kernel.problem),
			 "libext2fs cannot open the partition's filesystem");
		return 0;
	}
	rc = map_file(fs, b, &b->kernel, &kernel_ino);
	if (!rc && b->initrd.path[0])
		rc = map_file(fs, b, &b->initrd, &initrd_ino);
	if (!rc && b->kernel.found)
		rc = read_header(fs, kernel_ino, b);
	ext2fs_close_free(&fs);
	if (rc) {
		report_call_failed(err, img->path, "reading the boot files", strerror(ENOMEM));
		return -1;
	}
	if (b->bz_ok && (!b->initrd.path[0] || b->initrd.found)) {
		checks_qemu_default_memmap(&mm);
		info_plan_load(&b->bz, &b->cfg, b->initrd.bytes, &mm, &b->plan);
	}
	return 0;
}
