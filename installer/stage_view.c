/* stage_view.c - see stage_view.h. */
#include "stage_view.h"

#include <stdlib.h>
#include "ext2.h"

/* What the stage does at boot, mirrored here: the config file's size limit
 * (stage1/main.c CONFIG_MAX_BYTES) and the piece size it loads files in
 * (stage1/linux_load.c LOAD_PIECE_BYTES).  The piece size only decides
 * which block an E24 names when a run of blocks crosses the partition's
 * end. */
#define STAGE_CONFIG_MAX_BYTES 8192u
#define STAGE_LOAD_PIECE_BYTES (8u * 127u * 512u)

struct stage_view {
	struct blockdev dev;          /* partition-relative sectors, as at boot */
	const struct disk_image *img;
	uint64_t start;               /* LBA of the partition's first sector */
	struct ext2_fs fs;            /* ~36 KiB: why this lives on the heap */
	struct ext2_file file;        /* the file in hand */
	uint8_t piece[STAGE_LOAD_PIECE_BYTES];
	char config[STAGE_CONFIG_MAX_BYTES];
};

static enum diag_id read_partition_sectors(struct blockdev *dev, uint64_t sector,
					   uint32_t count, void *buf, struct diag *d)
{
	struct stage_view *sv = dev->ctx;
	uint64_t lba = sv->start + sector;

	if (image_read(sv->img, buf, (size_t)count * IMAGE_SECTOR_SIZE, lba * IMAGE_SECTOR_SIZE) == 0)
		return DIAG_OK;
	/* the image ends before the partition does: the BIOS's answer */
	diag_set(d, DIAG_DISK_READ);
	d->block = lba;
	d->value = BIOS_STATUS_PAST_DISK_END;
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

enum diag_id stage_view_read_config(struct stage_view *sv, struct boot_config *cfg, struct diag *d)
{
	struct ext2_file f;
	enum diag_id rc = ext2_open(&sv->fs, BOOTINST_CONFIG_PATH, &f, d);

	if (rc)
		return rc;
	if (f.size >= STAGE_CONFIG_MAX_BYTES) {
		diag_set(d, DIAG_CONFIG_SYNTAX);
		d->path = BOOTINST_CONFIG_PATH;
		d->name = "file larger than 8 KiB";
		return DIAG_CONFIG_SYNTAX;
	}
	rc = ext2_read(&sv->fs, &f, 0, (uint32_t)f.size, sv->config, d);
	if (rc)
		return rc;
	return config_parse(sv->config, (uint32_t)f.size, BOOTINST_CONFIG_PATH, cfg, d);
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
		uint32_t n = len < STAGE_LOAD_PIECE_BYTES ? (uint32_t)len : STAGE_LOAD_PIECE_BYTES;
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
