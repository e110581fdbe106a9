/* verbose.c - see verbose.h. */
#include "verbose.h"

#include <inttypes.h>
#include "report.h"

static void read_table(FILE *out, const char *name, const struct disk_image *img)
{
	fprintf(out, "bootinst: %s: read: %" PRIu64 " sectors; the partition table: %s\n", name,
		image_sectors(img), img->label == IMAGE_LABEL_NONE ? "none"
		: img->label == IMAGE_LABEL_DOS ? "DOS (MBR)" : img->label_name);
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++) {
		const struct image_partition *p = &img->part[i];

		if (p->used)
			fprintf(out, "bootinst: %s: read:   partition %u: type 0x%02x%s, LBA %" PRIu64 "..%"
				PRIu64 " (%" PRIu64 " sectors)\n", name, i + 1, p->type,
				p->bootable ? ", active" : "", p->start, p->start + p->sectors - 1, p->sectors);
	}
}

/* The gap as runs of zeros, our stages and other data, from LBA 1. */
static void read_gap(FILE *out, const char *name, const struct gap_map *g)
{
	static const char *const what[] = {
		[GAP_ZERO] = "zeros", [GAP_OURS] = "a bootinst stage", [GAP_FOREIGN] = "other data",
	};
	uint32_t i = 0;

	fprintf(out, "bootinst: %s: read: the gap after the MBR, LBA 1..%" PRIu64 " (%" PRIu64
		" sectors); the %u where install may write:\n", name, g->end - 1, gap_sectors(g), g->scanned);
	while (i < g->scanned) {
		uint32_t run = i;

		while (run < g->scanned && g->state[run] == g->state[i])
			run++;
		fprintf(out, "bootinst: %s: read:   LBA %u..%u: %s\n", name, i + 1, run, what[g->state[i]]);
		i = run;
	}
	if (g->active >= 0)
		fprintf(out, "bootinst: %s: read: the MBR boots the stage at LBA %" PRIu64 " (%u sectors)\n",
			name, g->stage[g->active].lba, g->stage[g->active].sectors);
}

static void decided(FILE *out, const char *name, const struct check_result *res)
{
	const struct boot_config *b = &res->boots;

	if (!res->partition)
		return;
	if (res->config_used && res->menu.count > 1) {
		fprintf(out, "bootinst: %s: read: %s: %u entries,", name, BOOTINST_CONFIG_PATH, res->menu.count);
		for (uint32_t i = 0; i < res->menu.count; i++)
			fprintf(out, "%s %s%s%s", i ? "," : "", res->menu.entry[i].name,
				i == res->menu.default_entry ? " (default)" : "",
				i == res->menu.fallback ? " (fallback)" : "");
		fprintf(out, "; timeout %u s\n", res->menu.timeout);
	}
	if (res->menu.bios_disk)
		fprintf(out, "bootinst: %s: read: %s: disk bios (the stage reads through the BIOS only)\n",
			name, BOOTINST_CONFIG_PATH);
	fprintf(out, "bootinst: %s: decided: boot partition %u (type 0x%02x, LBA %" PRIu64 ", %" PRIu64
		" sectors)\n", name, res->partition, res->partition_type, res->part_start, res->part_sectors);
	fprintf(out, "bootinst: %s: decided: kernel %s", name, b->kernel);
	if (res->kernel_ok)
		fprintf(out, " (%" PRIu64 " bytes, boot protocol %u.%02u)", res->kernel_bytes,
			res->kernel_protocol >> 8, res->kernel_protocol & 0xff);
	fprintf(out, ", initrd %s", b->initrd[0] ? b->initrd : "none");
	if (b->initrd[0] && res->initrd_bytes)
		fprintf(out, " (%" PRIu64 " bytes)", res->initrd_bytes);
	fprintf(out, ", command line \"%s\"%s\n", b->cmdline,
		res->config_used ? " (with " BOOTINST_CONFIG_PATH "'s lines over them)" : "");
	if (res->stage_sectors)
		fprintf(out, "bootinst: %s: decided: the stage is %u sectors; install puts it at LBA %"
			PRIu64 "..%" PRIu64 "%s\n", name, res->stage_sectors, res->plan.lba,
			res->plan.lba + res->stage_sectors - 1,
			res->gap.active < 0 ? "" : res->plan.crash_safe ? ", beside the stage the MBR boots now"
			: ", over the stage the MBR boots now");
}

void verbose_read_and_decided(FILE *out, const char *name, const struct disk_image *img,
			      const struct check_result *res)
{
	if (!report_get_style()->verbose)
		return;
	read_table(out, name, img);
	read_gap(out, name, &res->gap);
	decided(out, name, res);
}
