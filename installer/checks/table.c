/*
 * table.c - the partition table as libfdisk reads it (E05), the partition
 * to boot (E22 for --partition, I05), and whether it is mounted (I04).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <et/com_err.h>
#include <libfdisk/libfdisk.h>

#define MBR_TYPE_LINUX 0x83

static void table_invalid(struct check *c, const char *reason, const char *hint)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, DIAG_PART_TABLE_INVALID);
	d.name = reason;
	item = findings_add(c->out, FINDING_ERROR, &d, "partition table");
	if (hint)
		finding_hint(item, "%s", hint);
}

void check_partition_table(struct check *c)
{
	const struct disk_image *img = c->img;
	uint64_t image_end = image_sectors(img);
	char reason[192];

	if (img->label == IMAGE_LABEL_NONE) {
		table_invalid(c, "this disk has no partition table",
			      "make one: printf 'start=2048, type=83, bootable\\n' | sfdisk --label dos IMAGE, "
			      "then make the filesystem");
		return;
	}
	if (img->label != IMAGE_LABEL_DOS) {
		/* libfdisk's names are lower case: "gpt", "sun", "sgi", "bsd" */
		snprintf(reason, sizeof(reason), "this disk has a%s %s partition table",
			 strcmp(img->label_name, "sgi") ? "" : "n", strcmp(img->label_name, "gpt") ? img->label_name : "GPT");
		table_invalid(c, reason,
			      "to keep its partitions, convert the table (gdisk IMAGE, then r, then g: GPT "
			      "to MBR); or make a new DOS table: printf 'start=2048, type=83, bootable\\n' | "
			      "sfdisk --label dos IMAGE, then make the filesystem");
		return;
	}
	if (img->sector_size != IMAGE_SECTOR_SIZE) {
		snprintf(reason, sizeof(reason),
			 "the disk has %lu-byte sectors; the MBR code and stage read 512-byte ones",
			 img->sector_size);
		table_invalid(c, reason, "install on a disk with 512-byte logical sectors");
		return;
	}
	c->table_ok = 1;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct image_partition *p = &img->part[i];
		if (!p->used)
			continue;
		if (p->start == 0) {
			snprintf(reason, sizeof(reason), "partition %u starts at sector 0, over the MBR", i + 1);
			table_invalid(c, reason, NULL);
		} else if (p->start + p->sectors > image_end) {
			snprintf(reason, sizeof(reason),
				 "partition %u (sectors %" PRIu64 "..%" PRIu64 ") ends past the end of "
				 "the disk (%" PRIu64 " sectors)", i + 1, p->start,
				 p->start + p->sectors - 1, image_end);
			table_invalid(c, reason, NULL);
		}
		for (unsigned j = i + 1; j < MBR_PART_ENTRIES; j++) {
			const struct image_partition *q = &img->part[j];
			if (!q->used || q->start >= p->start + p->sectors ||
			    p->start >= q->start + q->sectors)
				continue;
			snprintf(reason, sizeof(reason),
				 "partitions %u and %u overlap (sectors %" PRIu64 "..%" PRIu64
				 " and %" PRIu64 "..%" PRIu64 ")", i + 1, j + 1,
				 p->start, p->start + p->sectors - 1,
				 q->start, q->start + q->sectors - 1);
			table_invalid(c, reason, NULL);
		}
	}
}

/* --partition N that the table does not have: bad input, said as such. */
static int no_such_partition(struct check *c, unsigned n)
{
	char have[64] = "";
	size_t used = 0;

	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (c->img->part[i].used)
			used += (size_t)snprintf(have + used, sizeof(have) - used, "%s%u", used ? ", " : "", i + 1);
	fprintf(c->err, "bootinst: %s: --partition %u: the partition table has no partition %u (%s%s)\n",
		c->img->path, n, n, used ? "it has " : "it has none", have);
	fprintf(c->err, "  fix: give --partition one that sfdisk --list %s shows\n", c->img->path);
	return -1;
}

/* --partition N, else the installed one, else the active one, else the
 * first Linux one: the partition a tutorial's fdisk session makes is both. */
int check_choose_partition(struct check *c)
{
	const struct image_partition *part = c->img->part;
	unsigned n = c->req->partition;
	unsigned chosen = 0;
	struct diag d;

	if (!n && c->record_ok && c->req->mode == CHECKS_AS_INSTALLED)
		n = c->stage.rec.partition;
	if (n) {
		/* (a recorded partition that is gone is E22 already) */
		if (part[n - 1].used)
			chosen = n;
		else if (c->req->partition)
			return no_such_partition(c, n);
		if (chosen && c->req->partition && c->record_ok && c->req->mode == CHECKS_AS_INSTALLED &&
		    c->stage.rec.partition != chosen) {
			char why[160];

			snprintf(why, sizeof(why), "bootinst is installed for partition %u; what follows is what "
				 "install --partition %u would boot", c->stage.rec.partition, chosen);
			diag_set(&d, DIAG_CANNOT_TELL);
			d.name = "what this disk boots now from the partition asked for";
			d.path = why;
			findings_add(c->out, FINDING_NOTE, &d, "partition %u", chosen);
		}
	} else {
		for (unsigned i = 0; i < MBR_PART_ENTRIES && !chosen; i++)
			if (part[i].used && part[i].bootable)
				chosen = i + 1;
		for (unsigned i = 0; i < MBR_PART_ENTRIES && !chosen; i++)
			if (part[i].used && part[i].type == MBR_TYPE_LINUX)
				chosen = i + 1;
		if (!chosen) {
			diag_set(&d, DIAG_NO_BOOT_PARTITION);
			findings_add(c->out, FINDING_ERROR, &d, "partition table");
		}
	}
	if (!chosen)
		return 0;
	c->res->partition = chosen;
	c->res->partition_type = part[chosen - 1].type;
	c->res->part_start = part[chosen - 1].start;
	c->res->part_sectors = part[chosen - 1].sectors;
	return 0;
}

/* A mounted filesystem may be rewritten under us, or cache the old bytes:
 * refuse unless forced, like mke2fs and e2fsck do.  The disk and its
 * partition's node (where one exists: not without udev) are asked. */
int check_not_mounted(struct check *c)
{
	char *part_dev = fdisk_partname(c->img->path, c->res->partition);
	const char *devices[] = { c->img->path, part_dev };
	int forced = c->req->mode == CHECKS_BEFORE_INSTALL && c->req->force;

	for (unsigned i = 0; i < 2; i++) {
		struct finding *item;
		struct diag d;
		int flags = 0;
		errcode_t err;

		if (!devices[i] || access(devices[i], F_OK))
			continue;
		err = ext2fs_check_if_mounted(devices[i], &flags);
		if (err) {
			free(part_dev);
			return check_call_failed(c, "checking whether a filesystem is mounted from it",
						 error_message(err));
		}
		if (!(flags & EXT2_MF_MOUNTED))
			continue;
		diag_set(&d, DIAG_DEVICE_MOUNTED);
		d.path = devices[i];
		item = findings_add(c->out, forced ? FINDING_WARNING : FINDING_ERROR, &d, "%s", devices[i]);
		if (forced)
			finding_hint(item, "writing anyway (--force)");
	}
	free(part_dev);
	return 0;
}
