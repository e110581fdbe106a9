/* stage_view.c - see stage_view.h. */
#include "stage_view.h"

#include <stdlib.h>
#include "config_file.h"
#include "ext2.h"
#include "linux_plan.h"

struct stage_view {
	struct blockdev dev;          /* partition-relative sectors, as at boot */
	const struct disk_image *img;
	uint64_t start;               /* LBA of the partition's first sector */
	struct ext2_fs fs;            /* ~36 KiB: why this lives on the heap */
	struct ext2_file file;        /* the file in hand */
	uint8_t piece[LINUX_LOAD_PIECE_BYTES]; /* as the stage loads files */
	char config[BOOTINST_CONFIG_MAX_BYTES];
};

static enum diag_id read_partition_sectors(struct blockdev *dev, uint64_t sector,
					   uint32_t count, void *buf, struct diag *d)
{
	struct stage_view *sv = dev->ctx;
	uint64_t lba = sv->start + sector;

	if (image_read(sv->img, buf, (size_t)count * IMAGE_SECTOR_SIZE, lba * IMAGE_SECTOR_SIZE) == 0)
		return DIAG_OK;
	/* the image ends before the partition does: a read the BIOS fails,
	 * with a status of its own choice (none is stated: value 0) */
	diag_set(d, DIAG_DISK_READ);
	d->block = lba;
	return DIAG_DISK_READ;
}

struct stage_view *stage_view_new(const struct disk_image *img, uint64_t start, uint64_t sectors)
{
	struct stage_view *sv = calloc(1, sizeof(*sv));

	if (!sv)
		return NULL;
	sv->dev.read_sectors = read_partition_sectors;
	sv->dev.part_sectors = sectors;
	sv->dev.ctx = sv;
	sv->img = img;
	sv->start = start;
	return sv;
}

void stage_view_free(struct stage_view *sv)
{
	free(sv);
}

enum diag_id stage_view_mount(struct stage_view *sv, struct diag *d)
{
	return ext2_mount(&sv->fs, &sv->dev, d);
}

void stage_view_fs_size(const struct stage_view *sv, uint64_t *blocks, uint32_t *block_size)
{
	*blocks = sv->fs.blocks_count;
	*block_size = 1u << sv->fs.block_shift;
}

enum diag_id stage_view_read_config(struct stage_view *sv, struct boot_menu *menu, struct diag *d)
{
	return config_file_read(&sv->fs, sv->config, menu, d);
}

enum diag_id stage_view_open(struct stage_view *sv, const char *path, uint64_t *size,
			     struct diag *d)
{
	enum diag_id rc = ext2_open(&sv->fs, path, &sv->file, d);

	*size = rc ? 0 : sv->file.size;
	return rc;
}

enum diag_id stage_view_read_head(struct stage_view *sv, void *buf, uint32_t len, struct diag *d)
{
	return ext2_read(&sv->fs, &sv->file, 0, len, buf, d);
}

enum diag_id stage_view_read(struct stage_view *sv, uint64_t offset, uint64_t len, struct diag *d)
{
	while (len) {
		uint32_t n = len < LINUX_LOAD_PIECE_BYTES ? (uint32_t)len : LINUX_LOAD_PIECE_BYTES;
		if (ext2_read(&sv->fs, &sv->file, offset, n, sv->piece, d)) {
			/* as linux_load.c: name the file if the reader did not */
			if (!d->path)
				d->path = sv->file.path;
			return d->id;
		}
		offset += n;
		len -= n;
	}
	return DIAG_OK;
}

enum diag_id stage_view_check(struct stage_view *sv, uint64_t offset, uint64_t len, struct diag *d)
{
	if (len > 0xFFFFFFFFu) {
		diag_set(d, DIAG_NO_MEMORY);      /* the stage plans before it reads */
		d->path = sv->file.path;
		d->value = len;
		d->limit = 0xFFFFFFFFu;
		d->name = "larger than 4 GiB";
		return DIAG_NO_MEMORY;
	}
	enum diag_id rc = ext2_check_range(&sv->fs, &sv->file, offset, (uint32_t)len, d);

	if (rc && !d->path)
		d->path = sv->file.path;
	return rc;
}
