/*
 * text.c - `bootinst info IMAGE`: the disk in words, in the order the
 * machine meets it (LBA 0, the gap, the partitions, what boots and where
 * it goes in memory), then what `bootinst check` says of it in its own
 * words; and `--mbr`: LBA 0 field by field, each with its offset, its
 * bytes as they are on disk, and what they mean.
 */
#include "views.h"

#include <inttypes.h>
#include <string.h>
#include "report.h"

#define KEY "  %-15s "            /* the left column of the default view */
#define MORE "  %-15s "

/* --- LBA 0 ------------------------------------------------------------------------ */

static void print_chs(FILE *out, const struct info_chs *c)
{
	fprintf(out, "%u/%u/%u", c->cylinder, c->head, c->sector);
}

/* One end's CHS against its LBA, in words. */
static void print_chs_verdict(FILE *out, const char *end, const struct info_chs *have,
			      const struct info_chs *want, int ok, int beyond)
{
	fprintf(out, "%s ", end);
	print_chs(out, have);
	if (beyond)
		fputs(ok ? " (past CHS reach: the largest CHS, as it should be)"
			 : " (past CHS reach, which should hold the largest CHS)", out);
	else if (ok)
		fputs(" (agrees)", out);
	else {
		fputs(" (the LBA gives ", out);
		print_chs(out, want);
		fputs(": they disagree)", out);
	}
}

static void print_entry(FILE *out, const struct info_entry *e)
{
	char size[32], key[24];

	snprintf(key, sizeof(key), "partition %u", e->number);
	if (e->empty) {
		fprintf(out, KEY "empty\n", key);
		return;
	}
	fprintf(out, KEY "%s, type 0x%02X %s, LBA %u..%" PRIu64 " (%u sectors, %s)\n", key,
		e->status == 0x80 ? "active" : e->status ? "status byte invalid" : "not active",
		e->type, e->type_name, e->lba_first, info_last(e->lba_first, e->sectors), e->sectors,
		info_size((uint64_t)e->sectors * IMAGE_SECTOR_SIZE, size, sizeof(size)));
	if (!e->sectors)
		return;
	fprintf(out, MORE "CHS ", "");
	print_chs_verdict(out, "first", &e->chs_first, &e->want_first, e->first_ok, e->first_beyond);
	fputs(", ", out);
	print_chs_verdict(out, "last", &e->chs_last, &e->want_last, e->last_ok, e->last_beyond);
	fputc('\n', out);
}

static void print_signatures(FILE *out, const struct info_boot_code *c)
{
	if (!c->sigs)
		return;
	fprintf(out, MORE "recognised by", "");
	for (unsigned i = 0; i < c->sigs; i++)
		fprintf(out, "%s %s at 0x%03X", i ? "," : "", c->sig[i].text, c->sig[i].offset);
	fputc('\n', out);
}

static void print_lba0(FILE *out, const struct info_disk *d)
{
	const struct info_mbr *m = &d->mbr;
	const struct info_boot_code *c = &m->code;

	fprintf(out, "\nLBA 0: the MBR (--mbr shows it field by field, --disasm its code)\n");
	if (c->owner == OWNER_ZEROS)
		fprintf(out, KEY "none: bytes 0x000-0x1B7 are all zeros\n", "boot code");
	else
		fprintf(out, KEY "%s: bytes 0x000-0x%03X (%u bytes), run at 0000:%04X\n", "boot code",
			c->name, c->code_bytes - 1, c->code_bytes, c->origin);
	fprintf(out, MORE "%s\n", "", c->detail);
	print_signatures(out, c);
	if (m->patch_found)
		fprintf(out, KEY "0x1AE: \"BI\", stage LBA %u, %u sectors, stage version %u\n", "patch area",
			m->patch.stage_lba, m->patch.stage_sectors, m->patch.stage_version);
	fprintf(out, KEY "0x%08X (0x1B8)%s\n", "disk signature", m->disk_signature,
		m->disk_signature ? "" : ": none set");
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		print_entry(out, &m->entry[i]);
	fprintf(out, KEY "read as %u heads x %u sectors: %s\n", "CHS", m->heads, m->sectors_per_track,
		m->geometry_from);
	fprintf(out, KEY "%s\n", "55 AA", m->boot_signature ? "at 0x1FE: the BIOS runs this sector"
			  : "missing at 0x1FE: a BIOS does not boot this disk");
}

/* --- the gap ------------------------------------------------------------------------ */

static void print_record(FILE *out, const struct info_stage *st)
{
	const struct bootinst_install_record *r = &st->h.rec;

	fprintf(out, "%-17s install record: partition %u (type 0x%02X, LBA %u, %u sectors), "
		"disk signature 0x%08X: %s\n", "", r->partition, r->partition_type, r->part_start_lba,
		r->part_sectors, r->disk_signature,
		st->record_matches ? "the table still says so" : st->record_problem);
	if (st->record_ok) {
		fprintf(out, "%-17s   kernel  ", "");
		info_put_text(out, st->rec.kernel);
		fprintf(out, "\n%-17s   initrd  ", "");
		info_put_text(out, st->rec.initrd[0] ? st->rec.initrd : "(none)");
		fprintf(out, "\n%-17s   cmdline ", "");
		info_put_text(out, st->rec.cmdline);
		fprintf(out, "\n%-17s   flags   0x%04X%s%s%s\n", "", r->flags,
			r->flags & BOOTINST_REC_HAVE_INITRD ? " (an initrd)" : "",
			r->flags & BOOTINST_REC_FORCE_CHS ? " (reads with CHS: --force-chs)" : "",
			r->flags & BOOTINST_REC_BIOS_DISK ? " (reads through the BIOS only: --bios-disk)" : "");
	} else {
		fprintf(out, "%-17s   its strings cannot be read (E06)\n", "");
	}
	if (st->backup == 1)
		fprintf(out, "%-17s uninstall backup: %s%s\n", "",
			st->backup_bytes.head.flags & BOOTINST_BACKUP_MBR_ZERO ? "the MBR's code was all zeros"
			: st->backup_bytes.head.flags & BOOTINST_BACKUP_UNKNOWN ? "unknown (installed over a bootinst that kept none)"
			: "the MBR's 440 bytes of code before bootinst",
			st->backup_bytes.head.flags & BOOTINST_BACKUP_FILE ? ", and sectors kept in a --backup file" : "");
	else
		fprintf(out, "%-17s uninstall backup: %s\n", "", st->backup ? "damaged" : "none (an older bootinst)");
}

static void print_stage(FILE *out, const struct info_stage *st)
{
	char where[40], size[32];

	snprintf(where, sizeof(where), "LBA %" PRIu64 "..%" PRIu64, st->lba, info_last(st->lba, st->sectors));
	if (!st->magic_ok) {
		fprintf(out, "  %-15s where the MBR loads the stage from: no stage (no \"%s\" magic): "
			"the MBR stops with M06\n", where, BOOTINST_STAGE_MAGIC);
		return;
	}
	fprintf(out, "  %-15s bootinst %s stage%s: version %u, %u bytes (%s), entry +0x%X\n", where,
		stage_release(&st->h) ? stage_release(&st->h) : "(a release from before 0.1.0)",
		st->mbr_boots ? " (the MBR boots it)" : " (stale: the MBR boots another)", st->h.version,
		st->h.image_size, info_size(st->h.image_size, size, sizeof(size)), st->h.entry_offset);
	if (!st->sizes_ok) {
		fprintf(out, "%-17s its header's sizes do not fit the sectors the MBR loads: E06 at boot\n", "");
		return;
	}
	fprintf(out, "%-17s CRC-32 0x%08X, computed 0x%08X: %s\n", "", st->h.checksum, st->crc,
		st->crc_ok ? "ok" : "damaged (the stage stops with E06)");
	if (st->crc_ok)
		print_record(out, st);
}

static const char *run_words(enum info_run_kind kind)
{
	switch (kind) {
	case RUN_ZERO:         return "zeros";
	case RUN_STAGE:        return "bootinst stage";
	case RUN_OTHER_LOADER: return "another loader's code";
	case RUN_DATA:         return "data: non-zero bytes nothing here recognises";
	}
	return "?";
}

static void print_gap(FILE *out, const struct info_disk *d)
{
	const struct info_gap *g = &d->gap;
	char size[32], where[48];

	if (d->img->label != IMAGE_LABEL_DOS) {
		if (g->other[0])
			fprintf(out, "\nLBA 1: %s\n", g->other);
		return;
	}
	if (g->end <= BOOTINST_STAGE_LBA) {
		fprintf(out, "\nNo gap: partition 1 starts at LBA %" PRIu64 ", right after the MBR\n", g->end);
		return;
	}
	fprintf(out, "\nLBA 1..%" PRIu64 ": the gap before the first partition (%" PRIu64 " sectors, %s)\n",
		g->end - 1, g->end - 1, info_size((g->end - 1) * IMAGE_SECTOR_SIZE, size, sizeof(size)));
	if (g->scanned < g->end - 1)
		fprintf(out, "  (the first %" PRIu64 " sectors of it looked at)\n", g->scanned);
	for (unsigned i = 0; i < g->stages; i++)
		print_stage(out, &g->stage[i]);
	if (g->other[0])
		fprintf(out, "  LBA %-11" PRIu64 " %s\n", g->other_lba, g->other);
	for (unsigned i = 0; i < g->runs; i++) {
		const struct info_run *r = &g->run[i];
		if (r->kind == RUN_STAGE || r->kind == RUN_OTHER_LOADER)
			continue;             /* said above */
		snprintf(where, sizeof(where), "LBA %" PRIu64 "..%" PRIu64, r->lba, info_last(r->lba, r->sectors));
		fprintf(out, "  %-15s %s (%" PRIu64 " sector%s)\n", where, run_words(r->kind), r->sectors,
			r->sectors == 1 ? "" : "s");
	}
	if (g->runs_more)
		fprintf(out, "  ... and %" PRIu64 " more sectors in runs not listed\n", g->runs_more);
}

/* --- partitions ------------------------------------------------------------------------ */

static void print_fs_size(FILE *out, const struct info_partition *p)
{
	uint64_t fs_sectors = p->blocks * p->block_size / IMAGE_SECTOR_SIZE;
	char size[32], message[400];

	fprintf(out, KEY "%" PRIu64 " blocks of %u bytes = %" PRIu64 " bytes = %" PRIu64 " sectors", "filesystem",
		p->blocks, p->block_size, p->blocks * p->block_size, fs_sectors);
	if (fs_sectors == p->sectors)
		fputs(": the partition's size exactly\n", out);
	else if (fs_sectors < p->sectors)
		fprintf(out, ": %" PRIu64 " sectors (%s) less than the partition\n", p->sectors - fs_sectors,
			info_size((p->sectors - fs_sectors) * IMAGE_SECTOR_SIZE, size, sizeof(size)));
	else
		fprintf(out, ": %" PRIu64 " sectors (%s) MORE than the partition's %" PRIu64 "\n",
			fs_sectors - p->sectors,
			info_size((fs_sectors - p->sectors) * IMAGE_SECTOR_SIZE, size, sizeof(size)), p->sectors);
	if (p->past_end) {
		diag_format_message(&p->e24, message, sizeof(message));
		fprintf(out, KEY "%s\n" MORE "GRUB Legacy's Error 24 in the making: whatever lies in its last "
			"%" PRIu64 " sectors cannot be read at boot\n", "E24", message, "", fs_sectors - p->sectors);
	}
}

static void print_partition(FILE *out, const struct info_partition *p)
{
	char size[32];

	if (p->number)
		fprintf(out, "\nPartition %u: LBA %" PRIu64 "..%" PRIu64 " (%" PRIu64 " sectors, %s)%s\n",
			p->number, p->start, info_last(p->start, p->sectors), p->sectors,
			info_size(p->sectors * IMAGE_SECTOR_SIZE, size, sizeof(size)), p->bootable ? ", active" : "");
	else
		fprintf(out, "\nThe whole disk, with no partition table (LBA 0..%" PRIu64 ")\n",
			info_last(0, p->sectors));
	fprintf(out, KEY "%s (libblkid)", "holds", info_content_words(p));
	if (p->probe.uuid[0]) {
		fputs(", UUID ", out);
		info_put_text(out, p->probe.uuid);
	}
	if (p->probe.label[0]) {
		fputs(", label \"", out);
		info_put_text(out, p->probe.label);
		fputc('"', out);
	}
	fputc('\n', out);
	if (!p->ext)
		return;
	print_fs_size(out, p);
	fprintf(out, KEY "%u, %u bytes each\n", "inodes", p->inodes, p->inode_size);
	fprintf(out, KEY "%s\n", "features", p->features[0] ? p->features : "(none)");
}

/* --- what boots ----------------------------------------------------------------------- */

static void print_runs(FILE *out, const struct info_file *f)
{
	unsigned shown = f->extents < 6 ? f->extents : 6;

	fprintf(out, MORE "blocks at LBA ", "");
	for (unsigned i = 0; i < shown; i++)
		fprintf(out, "%s%" PRIu64 "..%" PRIu64, i ? ", " : "", f->extent[i].lba,
			info_last(f->extent[i].lba, f->extent[i].sectors));
	if (f->extents > shown || f->extents_more)
		fprintf(out, ", ... (%" PRIu64 " runs in all)", f->extents + f->extents_more);
	fputc('\n', out);
}

static void print_file(FILE *out, const struct info_boot *b, const struct info_file *f)
{
	fprintf(out, KEY, f->role);
	info_put_text(out, f->path);
	if (!f->found) {
		fprintf(out, ": not found (%s)\n", f->problem);
		return;
	}
	fprintf(out, ": %" PRIu64 " bytes in %" PRIu64 " run%s of blocks, LBA %" PRIu64 "..%" PRIu64 "\n",
		f->bytes, f->extents + f->extents_more, f->extents + f->extents_more == 1 ? "" : "s",
		f->first_lba, f->last_lba);
	if (f->extents)
		print_runs(out, f);
	if (f->sectors_past)
		fprintf(out, MORE "%" PRIu64 " of its %" PRIu64 " sectors lie past the partition's end (LBA %" PRIu64
			"): the stage stops with E24 there\n", "", f->sectors_past, f->sectors,
			info_last(b->part_start, b->part_sectors));
	if (f->problem[0])
		fprintf(out, MORE "%s\n", "", f->problem);
}

static void print_header(FILE *out, const struct info_boot *b)
{
	const struct linux_setup_header *h = &b->hdr;
	char message[400];

	if (!b->header_read)
		return;
	if (h->header != LINUX_HDRS_MAGIC) {
		fprintf(out, KEY "no \"HdrS\" at 0x202: not a Linux boot protocol image\n", "setup header");
	} else {
		fprintf(out, KEY "boot protocol %u.%02u, setup_sects %u, loadflags 0x%02X%s%s, syssize 0x%X\n",
			"setup header", h->version >> 8, h->version & 0xff, h->setup_sects, h->loadflags,
			h->loadflags & LINUX_LOADED_HIGH ? " (LOADED_HIGH" : " (loads low",
			h->loadflags & LINUX_CAN_USE_HEAP ? ", CAN_USE_HEAP)" : ")", h->syssize);
		if (b->version[0]) {
			fprintf(out, MORE "kernel_version \"", "");
			info_put_text(out, b->version);
			fputs("\"\n", out);
		}
		fprintf(out, MORE "cmdline_size %u, initrd_addr_max 0x%08X, init_size 0x%X, pref_address 0x%"
			PRIX64 ", relocatable %u\n", "", h->cmdline_size, h->initrd_addr_max, h->init_size,
			h->pref_address, h->relocatable_kernel);
	}
	if (!b->bz_ok) {
		diag_format_message(&b->bz_diag, message, sizeof(message));
		fprintf(out, MORE "%s %s: the stage stops here\n", "", diag_catalog[b->bz_diag.id].code, message);
	}
}

static void print_plan(FILE *out, const struct info_boot *b)
{
	const struct info_plan *p = &b->plan;
	char size[32];

	if (!p->made)
		return;
	fprintf(out, KEY "where the stage puts it (stage1/linux_plan.c), in a machine with %s of RAM "
		"(QEMU without -m)\n", "in memory", info_size(p->ram_top, size, sizeof(size)));
	if (!p->ok) {
		fprintf(out, MORE "%s %s\n", "", diag_catalog[p->d.id].code, p->d_text);
		return;
	}
	fprintf(out, "    0x%08X-0x%08X  the boot sector and setup code (%u bytes)\n", p->setup_addr,
		p->setup_addr + p->setup_bytes - 1, p->setup_bytes);
	fprintf(out, "    0x%08X-0x%08X  its heap and stack\n", p->setup_addr + p->setup_bytes, p->heap_end - 1);
	fprintf(out, "    0x%08X-0x%08X  the command line (%u bytes with its NUL)\n", p->cmdline_addr,
		p->cmdline_addr + p->cmdline_bytes - 1, p->cmdline_bytes);
	fprintf(out, "    0x%08X-0x%08X  the protected-mode kernel (%u bytes; init_size keeps 0x%X free from 0x%X)\n",
		p->kernel_addr, p->kernel_addr + p->kernel_bytes - 1, p->kernel_bytes, p->init_size, p->kernel_addr);
	if (p->initrd_addr)
		fprintf(out, "    0x%08X-0x%08" PRIX64 "  the initrd (%" PRIu64 " bytes): the highest 4 KiB-aligned "
			"place below initrd_addr_max and the top of RAM\n", p->initrd_addr,
			p->initrd_addr + p->initrd_bytes - 1, p->initrd_bytes);
}

/* The entries the stage chooses from, when there is a choice or a menu. */
static void print_menu(FILE *out, const struct boot_menu *m)
{
	if (m->count <= 1 && !m->timeout)
		return;
	fprintf(out, KEY "%u entr%s, the menu waits %u s:", "menu", m->count, m->count == 1 ? "y" : "ies",
		m->timeout);
	for (uint32_t i = 0; i < m->count; i++) {
		fprintf(out, "%s %u ", i ? "," : "", i + 1);
		info_put_text(out, m->entry[i].name);
		fprintf(out, "%s%s", i == m->default_entry ? " (default: what is shown here)" : "",
			i == m->fallback ? " (fallback)" : "");
	}
	fputc('\n', out);
}

static void print_boot(FILE *out, const struct info_disk *d)
{
	const struct info_boot *b = &d->boot;

	if (!b->partition)
		return;
	fprintf(out, "\nWhat boots: partition %u, as %s says\n", b->partition, b->from);
	if (!b->known)
		return;
	print_file(out, b, &b->kernel);
	print_header(out, b);
	if (b->initrd.path[0])
		print_file(out, b, &b->initrd);
	else
		fprintf(out, KEY "none\n", "initrd");
	fprintf(out, KEY "\"", "cmdline");
	info_put_text(out, b->cfg.cmdline);
	fprintf(out, "\" (%zu bytes)\n", strlen(b->cfg.cmdline));
	print_menu(out, &d->check.menu);
	if (d->check.menu.bios_disk)
		fprintf(out, KEY "read through the BIOS only ('disk bios' in %s)\n", "disk",
			BOOTINST_CONFIG_PATH);
	print_plan(out, b);
}

/* --- all of it -------------------------------------------------------------------------- */

static const char *label_words(const struct disk_image *img)
{
	switch (img->label) {
	case IMAGE_LABEL_DOS:   return "a DOS partition table";
	case IMAGE_LABEL_NONE:  return "no partition table";
	case IMAGE_LABEL_OTHER: return strcmp(img->label_name, "gpt") ? "a partition table bootinst does not use"
								       : "a GPT partition table (LBA 0 is its protective MBR)";
	}
	return "?";
}

void info_print_text(FILE *out, const struct info_disk *d)
{
	char size[32];

	info_put_text(out, d->img->path);
	fprintf(out, ": %" PRIu64 " bytes = %" PRIu64 " sectors of 512 bytes (%s), %s\n", d->img->bytes,
		image_sectors(d->img), info_size(d->img->bytes, size, sizeof(size)), label_words(d->img));
	if (d->img->bytes % IMAGE_SECTOR_SIZE)
		fprintf(out, "  (and %" PRIu64 " bytes after the last whole sector)\n",
			d->img->bytes % IMAGE_SECTOR_SIZE);
	print_lba0(out, d);
	print_gap(out, d);
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (d->part[i].used)
			print_partition(out, &d->part[i]);
	if (d->whole.used)
		print_partition(out, &d->whole);
	print_boot(out, d);
	fprintf(out, "\nWhat bootinst check says\n");
	report_check_text(out, d->img->path, &d->found, NULL);   /* the release: shown above */
}

/* --- --mbr: field by field --------------------------------------------------------------- */

/* "offset  bytes  field  meaning" with the bytes in hex. */
static void field(FILE *out, unsigned offset, const uint8_t *bytes, unsigned n, const char *name,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void field(FILE *out, unsigned offset, const uint8_t *bytes, unsigned n, const char *name,
		  const char *fmt, ...)
{
	char hex[64] = "";
	va_list ap;

	for (unsigned i = 0; i < n && strlen(hex) + 4 < sizeof(hex); i++)
		snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%s%02X", i ? " " : "", bytes[i]);
	fprintf(out, "0x%03X  %-24s %-16s ", offset, hex, name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* The code area as a hex dump, with each row's printable bytes. */
static void dump(FILE *out, const uint8_t *s, unsigned from, unsigned to)
{
	for (unsigned row = from; row < to; row += 16) {
		unsigned n = to - row < 16 ? to - row : 16;
		fprintf(out, "0x%03X  ", row);
		for (unsigned i = 0; i < 16; i++)
			fprintf(out, i < n ? "%02X " : "   ", s[row + i]);
		fputs(" |", out);
		for (unsigned i = 0; i < n; i++)
			fputc(s[row + i] >= 0x20 && s[row + i] < 0x7f ? s[row + i] : '.', out);
		fputs("|\n", out);
	}
}

static void mbr_entry(FILE *out, const struct info_entry *e)
{
	unsigned at = MBR_PART_TABLE_OFF + (e->number - 1) * 16;
	char name[24];

	snprintf(name, sizeof(name), "partition %u", e->number);
	if (e->empty) {
		field(out, at, e->raw, 0, name, "empty (16 zero bytes)");
		return;
	}
	fprintf(out, "0x%03X  %s:\n", at, name);
	field(out, at + 0, e->raw + 0, 1, "  status", "%s", e->status == 0x80 ? "active (the DOS MBR boots it)"
	      : e->status ? "invalid (only 0x00 and 0x80 mean anything)" : "not active");
	field(out, at + 1, e->raw + 1, 3, "  CHS first", "cylinder %u, head %u, sector %u; the LBA gives %u/%u/%u%s",
	      e->chs_first.cylinder, e->chs_first.head, e->chs_first.sector, e->want_first.cylinder,
	      e->want_first.head, e->want_first.sector,
	      e->first_beyond ? " (past CHS reach)" : e->first_ok ? ": agrees" : ": DISAGREES");
	field(out, at + 4, e->raw + 4, 1, "  type", "0x%02X, %s", e->type, e->type_name);
	field(out, at + 5, e->raw + 5, 3, "  CHS last", "cylinder %u, head %u, sector %u; the LBA gives %u/%u/%u%s",
	      e->chs_last.cylinder, e->chs_last.head, e->chs_last.sector, e->want_last.cylinder,
	      e->want_last.head, e->want_last.sector,
	      e->last_beyond ? " (past CHS reach)" : e->last_ok ? ": agrees" : ": DISAGREES");
	field(out, at + 8, e->raw + 8, 4, "  LBA first", "%u", e->lba_first);
	field(out, at + 12, e->raw + 12, 4, "  sectors", "%u: ends at LBA %" PRIu64, e->sectors,
	      info_last(e->lba_first, e->sectors));
}

void info_print_mbr(FILE *out, const struct info_disk *d)
{
	const struct info_mbr *m = &d->mbr;
	const struct info_boot_code *c = &m->code;
	const uint8_t *s = m->sector;
	unsigned code_end = m->patch_found ? MBR_PATCH_OFF : MBR_BOOT_CODE_MAX;

	info_put_text(out, d->img->path);
	fprintf(out, ": LBA 0, the 512 bytes the BIOS loads at 0000:7C00 and runs\n\n");
	fprintf(out, "offset bytes                    field            meaning\n");
	if (c->owner == OWNER_ZEROS)
		fprintf(out, "0x000  00 x 440                 boot code        none: all zeros\n");
	else {
		fprintf(out, "0x000  (%u bytes below)        boot code        %s; %s\n", c->code_bytes, c->name, c->detail);
		for (unsigned i = 0; i < c->sigs; i++)
			fprintf(out, "0x%03X  %-24s %-16s %s, %s's\n", c->sig[i].offset, "", "  signature",
				c->sig[i].text, c->name);
		dump(out, s, 0, (c->code_bytes + 15) / 16 * 16 < code_end ? (c->code_bytes + 15) / 16 * 16 : code_end);
		if ((c->code_bytes + 15) / 16 * 16 < code_end)
			fprintf(out, "0x%03X  00 x %-19u (unused)\n", (c->code_bytes + 15) / 16 * 16,
				code_end - (c->code_bytes + 15) / 16 * 16);
	}
	if (m->patch_found) {
		field(out, 0x1AE, s + 0x1AE, 2, "patch magic", "\"BI\": bootinst's patch area (include/mbr.h)");
		field(out, 0x1B0, s + 0x1B0, 4, "stage_lba", "%u: the stage's first sector", m->patch.stage_lba);
		field(out, 0x1B4, s + 0x1B4, 2, "stage_sectors", "%u: sectors the MBR code loads to 0000:8000",
		      m->patch.stage_sectors);
		field(out, 0x1B6, s + 0x1B6, 2, "stage_version", "%u: the stage's header must say the same",
		      m->patch.stage_version);
	}
	field(out, 0x1B8, s + 0x1B8, 4, "disk signature", "0x%08X (Linux: PARTUUID=%08x-NN)", m->disk_signature,
	      m->disk_signature);
	field(out, 0x1BC, s + 0x1BC, 2, "reserved", "0x%04X%s", m->reserved,
	      m->reserved == 0x5A5A ? " (copy-protected, Windows)" : "");
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		mbr_entry(out, &m->entry[i]);
	field(out, 0x1FE, s + 0x1FE, 2, "boot signature", "%s", m->boot_signature
	      ? "55 AA: the BIOS runs this sector" : "not 55 AA: a BIOS does not boot this disk");
	fprintf(out, "\nThe CHS fields are read as %u heads x %u sectors: %s.\n", m->heads,
		m->sectors_per_track, m->geometry_from);
}
