/*
 * json.c - `bootinst info IMAGE --json`: everything model.h holds, as one
 * JSON object, in the text view's order (image, mbr, gap, partitions,
 * boot, check).  The schema is docs/info-json.md: a change here changes
 * it.  Strings go through report_json_string, so the document is valid
 * JSON (UTF-8) for any file name: a byte that is not UTF-8 reads \xNN.
 * Numbers are plain integers (sector numbers, byte counts, addresses);
 * what the disk does not have is null, never left out.
 */
#include "views.h"

#include <inttypes.h>
#include <string.h>
#include "report.h"

#define DEPTH_MAX 16

/* A pretty-printer that knows where commas go. */
struct json {
	FILE *out;
	int depth;
	int items[DEPTH_MAX];          /* members written at each depth */
};

/* Before a member: the comma, the new line, the indent and the key. */
static void member(struct json *j, const char *key)
{
	if (j->items[j->depth]++)
		fputc(',', j->out);
	fprintf(j->out, "\n%*s", 2 * j->depth, "");
	if (key) {
		report_json_string(j->out, key);
		fputs(": ", j->out);
	}
}

static void open_(struct json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->out);
	j->items[++j->depth] = 0;
}

static void object(struct json *j, const char *key) { open_(j, key, '{'); }
static void array(struct json *j, const char *key) { open_(j, key, '['); }

static void close_(struct json *j, char bracket)
{
	if (j->items[j->depth--])
		fprintf(j->out, "\n%*s", 2 * j->depth, "");
	fputc(bracket, j->out);
}

static void end_object(struct json *j) { close_(j, '}'); }
static void end_array(struct json *j) { close_(j, ']'); }

static void str(struct json *j, const char *key, const char *value)
{
	member(j, key);
	report_json_string(j->out, value);
}

/* a string, or null when it is empty */
static void str_or_null(struct json *j, const char *key, const char *value)
{
	member(j, key);
	if (value && *value)
		report_json_string(j->out, value);
	else
		fputs("null", j->out);
}

static void num(struct json *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64, value);
}

static void boolean(struct json *j, const char *key, int value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->out);
}

static void null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->out);
}

/* bytes as hex digits, "55aa" */
static void hex(struct json *j, const char *key, const uint8_t *bytes, size_t n)
{
	member(j, key);
	fputc('"', j->out);
	for (size_t i = 0; i < n; i++)
		fprintf(j->out, "%02x", bytes[i]);
	fputc('"', j->out);
}

static void diag_object(struct json *j, const char *key, const struct diag *d)
{
	char message[512];

	diag_format_message(d, message, sizeof(message));
	object(j, key);
	str(j, "code", diag_catalog[d->id].code);
	str(j, "message", message);
	end_object(j);
}

/* --- image, mbr -------------------------------------------------------------------- */

static const char *label_key(const struct disk_image *img)
{
	switch (img->label) {
	case IMAGE_LABEL_DOS:   return "dos";
	case IMAGE_LABEL_NONE:  return "none";
	case IMAGE_LABEL_OTHER: return img->label_name;
	}
	return "none";
}

static void image(struct json *j, const struct disk_image *img)
{
	object(j, "image");
	str(j, "path", img->path);
	num(j, "bytes", img->bytes);
	num(j, "sectors", image_sectors(img));
	str(j, "partition_table", label_key(img));
	end_object(j);
}

static void chs(struct json *j, const char *key, const struct info_chs *have, const struct info_chs *want,
		int ok, int beyond)
{
	object(j, key);
	num(j, "cylinder", have->cylinder);
	num(j, "head", have->head);
	num(j, "sector", have->sector);
	object(j, "from_lba");
	num(j, "cylinder", want->cylinder);
	num(j, "head", want->head);
	num(j, "sector", want->sector);
	end_object(j);
	boolean(j, "agrees", ok);
	boolean(j, "past_chs_reach", beyond);
	end_object(j);
}

static void entry(struct json *j, const struct info_entry *e)
{
	object(j, NULL);
	num(j, "number", e->number);
	hex(j, "raw", e->raw, sizeof(e->raw));
	boolean(j, "empty", e->empty);
	num(j, "status", e->status);
	boolean(j, "active", e->status == 0x80);
	num(j, "type", e->type);
	str(j, "type_name", e->type_name);
	num(j, "lba_first", e->lba_first);
	num(j, "sectors", e->sectors);
	num(j, "lba_last", info_last(e->lba_first, e->sectors));
	num(j, "bytes", (uint64_t)e->sectors * IMAGE_SECTOR_SIZE);
	if (e->empty || !e->sectors) {
		null(j, "chs_first");
		null(j, "chs_last");
	} else {
		chs(j, "chs_first", &e->chs_first, &e->want_first, e->first_ok, e->first_beyond);
		chs(j, "chs_last", &e->chs_last, &e->want_last, e->last_ok, e->last_beyond);
	}
	end_object(j);
}

static void boot_code(struct json *j, const struct info_boot_code *c)
{
	object(j, "boot_code");
	str(j, "owner", info_owner_key(c->owner));
	str(j, "name", c->name);
	str(j, "detail", c->detail);
	num(j, "code_bytes", c->code_bytes);
	num(j, "origin", c->origin);
	boolean(j, "this_build", c->this_build);
	if (c->loads_lba) {
		num(j, "loads_lba", c->loads_lba);
		num(j, "loads_sectors", c->loads_sectors);
	} else {
		null(j, "loads_lba");
		null(j, "loads_sectors");
	}
	array(j, "signatures");
	for (unsigned i = 0; i < c->sigs; i++) {
		object(j, NULL);
		num(j, "offset", c->sig[i].offset);
		str(j, "text", c->sig[i].text);
		end_object(j);
	}
	end_array(j);
	end_object(j);
}

static void mbr(struct json *j, const struct info_mbr *m)
{
	object(j, "mbr");
	boot_code(j, &m->code);
	if (m->patch_found) {
		object(j, "patch_area");
		num(j, "stage_lba", m->patch.stage_lba);
		num(j, "stage_sectors", m->patch.stage_sectors);
		num(j, "stage_version", m->patch.stage_version);
		end_object(j);
	} else {
		null(j, "patch_area");
	}
	num(j, "disk_signature", m->disk_signature);
	num(j, "reserved", m->reserved);
	object(j, "chs_geometry");
	num(j, "heads", m->heads);
	num(j, "sectors_per_track", m->sectors_per_track);
	str(j, "from", m->geometry_from);
	end_object(j);
	array(j, "entries");
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		entry(j, &m->entry[i]);
	end_array(j);
	boolean(j, "boot_signature", m->boot_signature);
	end_object(j);
}

/* --- gap ------------------------------------------------------------------------------ */

static const char *run_key(enum info_run_kind kind)
{
	switch (kind) {
	case RUN_ZERO:         return "zeros";
	case RUN_STAGE:        return "stage";
	case RUN_OTHER_LOADER: return "other_loader";
	case RUN_DATA:         return "data";
	}
	return "data";
}

static void record(struct json *j, const struct info_stage *st)
{
	const struct bootinst_install_record *r = &st->h.rec;

	object(j, "record");
	num(j, "partition", r->partition);
	num(j, "partition_type", r->partition_type);
	num(j, "part_start_lba", r->part_start_lba);
	num(j, "part_sectors", r->part_sectors);
	num(j, "disk_signature", r->disk_signature);
	num(j, "flags", r->flags);
	boolean(j, "have_initrd", r->flags & BOOTINST_REC_HAVE_INITRD);
	boolean(j, "force_chs", r->flags & BOOTINST_REC_FORCE_CHS);
	boolean(j, "bios_disk", r->flags & BOOTINST_REC_BIOS_DISK);
	boolean(j, "matches_table", st->record_matches);
	str_or_null(j, "problem", st->record_matches ? NULL : st->record_problem);
	if (st->record_ok) {
		str(j, "kernel", st->rec.kernel);
		str_or_null(j, "initrd", st->rec.initrd);
		str(j, "cmdline", st->rec.cmdline);
	} else {
		null(j, "kernel");
		null(j, "initrd");
		null(j, "cmdline");
	}
	end_object(j);
	member(j, "uninstall_backup");
	if (st->backup == 1)
		fputs(st->backup_bytes.head.flags & BOOTINST_BACKUP_MBR_ZERO ? "\"mbr_was_zeros\""
		      : st->backup_bytes.head.flags & BOOTINST_BACKUP_UNKNOWN ? "\"unknown\"" : "\"mbr_code\"", j->out);
	else
		fputs(st->backup ? "\"damaged\"" : "null", j->out);
}

static void stage(struct json *j, const struct info_stage *st)
{
	object(j, NULL);
	num(j, "lba", st->lba);
	num(j, "sectors", st->sectors);
	boolean(j, "mbr_boots", st->mbr_boots);
	boolean(j, "magic_ok", st->magic_ok);
	boolean(j, "sizes_ok", st->sizes_ok);
	boolean(j, "crc_ok", st->crc_ok);
	if (st->magic_ok) {
		num(j, "version", st->h.version);
		str_or_null(j, "release", stage_release(&st->h));
		num(j, "image_size", st->h.image_size);
		num(j, "entry_offset", st->h.entry_offset);
		num(j, "checksum", st->h.checksum);
	} else {
		null(j, "version");
		null(j, "release");
		null(j, "image_size");
		null(j, "entry_offset");
		null(j, "checksum");
	}
	if (st->sizes_ok)
		num(j, "crc_computed", st->crc);
	else
		null(j, "crc_computed");
	if (st->crc_ok) {
		record(j, st);
	} else {
		null(j, "record");
		null(j, "uninstall_backup");
	}
	end_object(j);
}

static void gap(struct json *j, const struct info_disk *d)
{
	const struct info_gap *g = &d->gap;

	if (d->img->label != IMAGE_LABEL_DOS && !g->other[0]) {
		null(j, "gap");
		return;
	}
	object(j, "gap");
	num(j, "first_lba", BOOTINST_STAGE_LBA);
	num(j, "end_lba", g->end);
	num(j, "scanned", g->scanned);
	array(j, "stages");
	for (unsigned i = 0; i < g->stages; i++)
		stage(j, &g->stage[i]);
	end_array(j);
	if (g->other[0]) {
		object(j, "other_loader");
		num(j, "lba", g->other_lba);
		num(j, "sectors", g->other_sectors);
		str(j, "what", g->other);
		end_object(j);
	} else {
		null(j, "other_loader");
	}
	array(j, "runs");
	for (unsigned i = 0; i < g->runs; i++) {
		object(j, NULL);
		num(j, "lba", g->run[i].lba);
		num(j, "sectors", g->run[i].sectors);
		str(j, "kind", run_key(g->run[i].kind));
		end_object(j);
	}
	end_array(j);
	num(j, "runs_more_sectors", g->runs_more);
	end_object(j);
}

/* --- partitions --------------------------------------------------------------------------- */

static const char *content_key(enum partition_content c)
{
	switch (c) {
	case CONTENT_EXT:        return "ext";
	case CONTENT_EMPTY:      return "zeros";
	case CONTENT_SWAP:       return "swap";
	case CONTENT_CRYPTO:     return "crypto";
	case CONTENT_OTHER_FS:   return "other_fs";
	case CONTENT_OTHER:      return "other";
	case CONTENT_UNKNOWN:    return "unknown";
	case CONTENT_UNREADABLE: return "unreadable";
	}
	return "unknown";
}

static void ext(struct json *j, const struct info_partition *p)
{
	uint64_t fs_sectors = p->blocks * p->block_size / IMAGE_SECTOR_SIZE;
	const char *f = p->features;

	object(j, "ext");
	num(j, "block_size", p->block_size);
	num(j, "blocks", p->blocks);
	num(j, "bytes", p->blocks * p->block_size);
	num(j, "sectors", fs_sectors);
	num(j, "inodes", p->inodes);
	num(j, "inode_size", p->inode_size);
	str_or_null(j, "label", p->label);
	array(j, "features");
	while (*f) {
		char name[64];
		size_t n = strcspn(f, " ");
		snprintf(name, sizeof(name), "%.*s", (int)n, f);
		str(j, NULL, name);
		f += n + (f[n] == ' ');
	}
	end_array(j);
	boolean(j, "past_partition", p->past_end);
	if (p->past_end) {
		num(j, "sectors_past", fs_sectors - p->sectors);
		diag_object(j, "finding", &p->e24);
	} else {
		num(j, "sectors_past", 0);
		null(j, "finding");
	}
	end_object(j);
}

static void partition(struct json *j, const struct info_partition *p)
{
	object(j, NULL);
	member(j, "number");
	if (p->number)
		fprintf(j->out, "%u", p->number);
	else
		fputs("null", j->out);
	num(j, "start", p->start);
	num(j, "sectors", p->sectors);
	num(j, "end", info_last(p->start, p->sectors));
	num(j, "bytes", p->sectors * IMAGE_SECTOR_SIZE);
	boolean(j, "bootable", p->bootable);
	num(j, "type", p->type);
	str(j, "content", content_key(p->probe.content));
	str_or_null(j, "blkid_type", p->probe.type);
	str_or_null(j, "uuid", p->probe.uuid);
	str_or_null(j, "label", p->probe.label);
	if (p->ext)
		ext(j, p);
	else
		null(j, "ext");
	end_object(j);
}

static void partitions(struct json *j, const struct info_disk *d)
{
	array(j, "partitions");
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		if (d->part[i].used)
			partition(j, &d->part[i]);
	if (d->whole.used)
		partition(j, &d->whole);
	end_array(j);
}

/* --- what boots ----------------------------------------------------------------------------- */

static void file(struct json *j, const char *key, const struct info_file *f)
{
	if (!f->path[0]) {
		null(j, key);
		return;
	}
	object(j, key);
	str(j, "path", f->path);
	boolean(j, "found", f->found);
	str_or_null(j, "problem", f->problem);
	if (f->found) {
		num(j, "bytes", f->bytes);
		num(j, "first_lba", f->first_lba);
		num(j, "last_lba", f->last_lba);
		num(j, "sectors", f->sectors);
		num(j, "sectors_past_partition", f->sectors_past);
		num(j, "runs", f->extents + f->extents_more);
		array(j, "extents");
		for (unsigned i = 0; i < f->extents; i++) {
			object(j, NULL);
			num(j, "lba", f->extent[i].lba);
			num(j, "sectors", f->extent[i].sectors);
			end_object(j);
		}
		end_array(j);
	}
	end_object(j);
}

static void setup_header(struct json *j, const struct info_boot *b)
{
	const struct linux_setup_header *h = &b->hdr;

	if (!b->header_read || h->header != LINUX_HDRS_MAGIC) {
		null(j, "setup_header");
		return;
	}
	object(j, "setup_header");
	member(j, "protocol");
	fprintf(j->out, "\"%u.%02u\"", h->version >> 8, h->version & 0xff);
	num(j, "setup_sects", h->setup_sects);
	num(j, "loadflags", h->loadflags);
	num(j, "syssize", h->syssize);
	str_or_null(j, "kernel_version", b->version);
	num(j, "cmdline_size", h->cmdline_size);
	num(j, "initrd_addr_max", h->initrd_addr_max);
	num(j, "init_size", h->init_size);
	num(j, "pref_address", h->pref_address);
	num(j, "relocatable_kernel", h->relocatable_kernel);
	end_object(j);
}

static void plan(struct json *j, const struct info_plan *p)
{
	if (!p->made) {
		null(j, "memory");
		return;
	}
	object(j, "memory");
	num(j, "ram_top", p->ram_top);
	boolean(j, "ok", p->ok);
	if (!p->ok) {
		object(j, "failure");
		str(j, "code", diag_catalog[p->d.id].code);
		str(j, "message", p->d_text);
		end_object(j);
	} else {
		null(j, "failure");
	}
	num(j, "setup_addr", p->setup_addr);
	num(j, "setup_bytes", p->setup_bytes);
	num(j, "heap_end", p->heap_end);
	num(j, "cmdline_addr", p->cmdline_addr);
	num(j, "cmdline_bytes", p->cmdline_bytes);
	num(j, "kernel_addr", p->kernel_addr);
	num(j, "kernel_bytes", p->kernel_bytes);
	num(j, "init_size", p->init_size);
	if (p->ok && p->initrd_addr) {
		num(j, "initrd_addr", p->initrd_addr);
		num(j, "initrd_bytes", p->initrd_bytes);
	} else {
		null(j, "initrd_addr");
		null(j, "initrd_bytes");
	}
	end_object(j);
}

static void boot(struct json *j, const struct info_boot *b)
{
	if (!b->partition) {
		null(j, "boot");
		return;
	}
	object(j, "boot");
	num(j, "partition", b->partition);
	str(j, "settings_from", b->from);
	if (!b->known) {
		null(j, "kernel");
		null(j, "initrd");
		null(j, "cmdline");
	} else {
		file(j, "kernel", &b->kernel);
		file(j, "initrd", &b->initrd);
		str(j, "cmdline", b->cfg.cmdline);
	}
	setup_header(j, b);
	if (b->header_read && !b->bz_ok)
		diag_object(j, "kernel_problem", &b->bz_diag);
	else
		null(j, "kernel_problem");
	plan(j, &b->plan);
	end_object(j);
}

/* The entries the stage chooses from: /boot/bootinst.cfg's, or the
 * recorded one alone. */
static void menu(struct json *j, const struct boot_menu *m)
{
	object(j, "menu");
	num(j, "timeout", m->timeout);
	boolean(j, "bios_disk", m->bios_disk);
	num(j, "default", m->default_entry + 1);
	if (m->fallback == BOOT_MENU_NO_FALLBACK)
		null(j, "fallback");
	else
		num(j, "fallback", m->fallback + 1);
	array(j, "entries");
	for (uint32_t i = 0; i < m->count; i++) {
		object(j, NULL);
		str(j, "name", m->entry[i].name);
		str(j, "kernel", m->entry[i].cfg.kernel);
		str(j, "initrd", m->entry[i].cfg.initrd);
		str(j, "cmdline", m->entry[i].cfg.cmdline);
		end_object(j);
	}
	end_array(j);
	end_object(j);
}

/* --- what check says ---------------------------------------------------------------------------- */

static void check(struct json *j, const struct findings *found)
{
	char message[512];

	object(j, "check");
	boolean(j, "boots", !findings_count(found, FINDING_ERROR));
	array(j, "findings");
	for (size_t i = 0; i < found->count; i++) {
		const struct finding *f = &found->list[i];
		diag_format_message(&f->diag, message, sizeof(message));
		object(j, NULL);
		str(j, "code", diag_catalog[f->diag.id].code);
		str(j, "severity", report_severity_name(f->severity));
		str(j, "object", f->object);
		str(j, "message", message);
		str(j, "fix", diag_catalog[f->diag.id].fix);
		str_or_null(j, "hint", f->hint);
		end_object(j);
	}
	end_array(j);
	end_object(j);
}

void info_print_json(FILE *out, const struct info_disk *d)
{
	struct json j = { .out = out, .depth = 1 };

	fputc('{', out);
	num(&j, "info_version", 1);
	image(&j, d->img);
	mbr(&j, &d->mbr);
	gap(&j, d);
	partitions(&j, d);
	boot(&j, &d->boot);
	if (d->check.menu.count)
		menu(&j, &d->check.menu);
	else
		null(&j, "menu");
	check(&j, &d->found);
	end_object(&j);
	fputc('\n', out);
}
