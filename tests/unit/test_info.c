/*
 * test_info.c - `bootinst info`: the model (info_read) over real disk
 * images, each decoded field asserted, and the views over them (text,
 * --mbr, --map, --json checked by jq, --svg checked by xmllint, the verb's
 * file handling).
 *
 * The images are made as a user makes them (disk_fixture.c: sfdisk,
 * mke2fs -d, `bootinst install`), plus the tutorials' mistake (a
 * filesystem made to the image's end, past its partition), a GPT disk, an
 * all-zero image and a one-sector one.  Other loaders' boot code comes
 * from their packages where installed (GRUB 2's boot.img and diskboot.img,
 * grub-pc-bin; EXTLINUX's mbr.bin, syslinux-common) and is also built here
 * from the constants their sources document (loaders.c names them), so
 * the recognition is tested on a machine without them too.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "disk_fixture.h"
#include "info.h"
#include "install.h"
#include "mbr.h"
#include "stage_header.h"
#include "info/views.h"

#define GOOD_CMDLINE       "console=ttyS0 root=/dev/sda1"
#define GRUB2_BOOT_IMG     "/usr/lib/grub/i386-pc/boot.img"
#define GRUB2_DISKBOOT_IMG "/usr/lib/grub/i386-pc/diskboot.img"
#define EXTLINUX_MBR_BIN   "/usr/lib/EXTLINUX/mbr.bin"
/* the tutorials' disk: 32 MiB, partition 1 at 63 ending on cylinder 3 */
#define TUTORIAL_KIB       32768u
#define TUTORIAL_START     63u
#define TUTORIAL_SECTORS   64197u

struct fixture {
	struct disk_fixture disk;
	struct disk_image img;
	struct info_disk info;
	int opened, read;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || disk_fixture_create(&f->disk, "test_info"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->read)
		info_free(&f->info);
	if (f->opened)
		image_close(&f->img);
	disk_fixture_remove(&f->disk);
	free(f);
	return 0;
}

/* info_read over the fixture's image, which must succeed. */
static struct info_disk *read_info(struct fixture *f)
{
	struct image_failure why;

	assert_int_equal(image_open(&f->img, f->disk.image, &why), 0);
	f->opened = 1;
	assert_int_equal(info_read(&f->img, &f->info, stderr), 0);
	f->read = 1;
	return &f->info;
}

/* bootinst install of /boot/vmlinuz and /boot/initrd.img. */
static void install(struct fixture *f)
{
	char *out, *err;
	size_t out_len, err_len;
	struct install_options o = {
		.image = f->disk.image,
		.kernel = "/boot/vmlinuz",
		.initrd = "/boot/initrd.img",
		.cmdline = GOOD_CMDLINE,
		.out = open_memstream(&out, &out_len),
		.err = open_memstream(&err, &err_len),
	};
	struct install_result r;
	int status = install_run(&o, &r);

	fclose(o.out);
	fclose(o.err);
	if (status)
		fail_msg("install failed:\n%s", err);
	install_result_free(&r);
	free(out);
	free(err);
}

/* What a view prints, as a string (free it). */
typedef void (*view_fn)(FILE *out, const struct info_disk *d);
static char *view_text(view_fn view, const struct info_disk *d)
{
	char *text;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	view(out, d);
	fclose(out);
	return text;
}

/* The view into dir/name. */
static void view_file(const struct fixture *f, view_fn view, const char *name, char *path, size_t size)
{
	FILE *out;

	snprintf(path, size, "%s/%s", f->disk.dir, name);
	out = fopen(path, "w");
	assert_non_null(out);
	view(out, &f->info);
	assert_int_equal(fclose(out), 0);
}

/* jq -e FILTER over the --json view: the document parses and FILTER holds. */
static void assert_json(const struct fixture *f, const char *filter)
{
	char path[160];

	view_file(f, info_print_json, "info.json", path, sizeof(path));
	if (fixture_exit_status("jq -e '%s' %s >/dev/null", filter, path)) {
		fixture_run("cat %s >&2", path);
		fail_msg("jq -e '%s' is not true of the JSON above", filter);
	}
}

/* The --svg view is well-formed XML (xmllint --noout). */
static void assert_svg_valid(const struct fixture *f)
{
	char path[160];

	view_file(f, info_print_svg, "info.svg", path, sizeof(path));
	if (fixture_exit_status("xmllint --noout %s", path))
		fail_msg("xmllint refuses %s", path);
}

static void put_at(uint8_t *sector, unsigned offset, const char *text)
{
	memcpy(sector + offset, text, strlen(text));
}

/* The first 440 bytes of file into LBA 0's boot code (the table stays). */
static void put_boot_code(const struct fixture *f, const char *file)
{
	fixture_run("dd if=%s of=%s bs=440 count=1 conv=notrunc status=none", file, f->disk.image);
}

/* --- a disk bootinst installed ------------------------------------------------ */

static void test_info_installed_lba0(void **state)
{
	struct fixture *f = *state;
	const struct info_mbr *m;
	const struct info_entry *e;
	uint8_t sig[4];

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	m = &read_info(f)->mbr;
	assert_int_equal(m->code.owner, OWNER_BOOTINST);
	assert_true(m->code.this_build);
	assert_int_equal(m->code.origin, 0x600);
	assert_true(m->code.code_bytes > 0 && m->code.code_bytes <= MBR_PATCH_OFF);
	assert_int_equal(m->code.sig[0].offset, MBR_PATCH_OFF);
	assert_true(m->patch_found);
	assert_int_equal(m->patch.stage_lba, BOOTINST_STAGE_LBA);
	assert_int_equal(m->patch.stage_version, BOOTINST_STAGE_VERSION);
	assert_int_equal(m->code.loads_lba, BOOTINST_STAGE_LBA);
	assert_int_equal(m->code.loads_sectors, m->patch.stage_sectors);
	disk_read(&f->disk, 0x1B8, sig, sizeof(sig));
	assert_int_equal(m->disk_signature, (uint32_t)(sig[0] | sig[1] << 8 | sig[2] << 16 | (uint32_t)sig[3] << 24));
	assert_true(m->boot_signature);
	assert_int_equal(m->heads, 255);
	assert_int_equal(m->sectors_per_track, 63);
	e = &m->entry[0];
	assert_false(e->empty);
	assert_int_equal(e->status, 0x80);
	assert_int_equal(e->type, 0x83);
	assert_string_equal(e->type_name, "Linux");
	assert_int_equal(e->lba_first, DISK_PART_START);
	assert_int_equal(e->sectors, DISK_PART_SECTORS);
	/* 2048 = 0/32/33 and 16383 = 1/5/4 under 255 x 63 */
	assert_int_equal(e->chs_first.cylinder, 0);
	assert_int_equal(e->chs_first.head, 32);
	assert_int_equal(e->chs_first.sector, 33);
	assert_true(e->first_ok);
	assert_int_equal(e->chs_last.cylinder, 1);
	assert_int_equal(e->chs_last.head, 5);
	assert_int_equal(e->chs_last.sector, 4);
	assert_true(e->last_ok);
	for (unsigned i = 1; i < MBR_PART_ENTRIES; i++)
		assert_true(m->entry[i].empty);
}

static void test_info_installed_gap(void **state)
{
	struct fixture *f = *state;
	const struct info_gap *g;
	const struct info_stage *st;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	g = &read_info(f)->gap;
	assert_int_equal(g->end, DISK_PART_START);
	assert_int_equal(g->scanned, DISK_PART_START - 1);
	assert_int_equal(g->stages, 1);
	st = &g->stage[0];
	assert_int_equal(st->lba, BOOTINST_STAGE_LBA);
	assert_int_equal(st->sectors, f->info.mbr.patch.stage_sectors);
	assert_true(st->mbr_boots && st->magic_ok && st->sizes_ok && st->crc_ok);
	assert_int_equal(st->crc, st->h.checksum);
	assert_int_equal(st->h.version, BOOTINST_STAGE_VERSION);
	assert_true(st->record_ok && st->record_matches);
	assert_int_equal(st->h.rec.partition, 1);
	assert_int_equal(st->h.rec.part_start_lba, DISK_PART_START);
	assert_int_equal(st->h.rec.part_sectors, DISK_PART_SECTORS);
	assert_string_equal(st->rec.kernel, "/boot/vmlinuz");
	assert_string_equal(st->rec.initrd, "/boot/initrd.img");
	assert_string_equal(st->rec.cmdline, GOOD_CMDLINE);
	assert_int_equal(st->backup, 1);
	assert_true(st->backup_bytes.head.flags & BOOTINST_BACKUP_MBR_ZERO);
	assert_string_equal(g->other, "");
	/* the stage, then zeros up to the partition */
	assert_int_equal(g->runs, 2);
	assert_int_equal(g->run[0].kind, RUN_STAGE);
	assert_int_equal(g->run[0].sectors, st->sectors);
	assert_int_equal(g->run[1].kind, RUN_ZERO);
	assert_int_equal(g->run[1].lba + g->run[1].sectors, DISK_PART_START);
}

static void test_info_installed_partition(void **state)
{
	struct fixture *f = *state;
	const struct info_partition *p;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	p = &read_info(f)->part[0];
	assert_true(p->used);
	assert_int_equal(p->number, 1);
	assert_int_equal(p->start, DISK_PART_START);
	assert_int_equal(p->sectors, DISK_PART_SECTORS);
	assert_true(p->bootable);
	assert_int_equal(p->probe.content, CONTENT_EXT);
	assert_string_equal(p->probe.type, "ext2");
	assert_int_equal(strlen(p->probe.uuid), 36);
	assert_true(p->ext);
	assert_int_equal(p->block_size, 1024);
	assert_int_equal(p->blocks, DISK_PART_SECTORS / 2);
	assert_true(p->inodes > 0);
	assert_true(p->inode_size == 128 || p->inode_size == 256);
	assert_non_null(strstr(p->features, "filetype"));
	assert_false(p->past_end);
	for (unsigned i = 1; i < MBR_PART_ENTRIES; i++)
		assert_false(f->info.part[i].used);
	assert_false(f->info.whole.used);
}

static void test_info_installed_boot(void **state)
{
	struct fixture *f = *state;
	const struct info_boot *b;

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	b = &read_info(f)->boot;
	assert_true(b->known);
	assert_int_equal(b->partition, 1);
	assert_string_equal(b->from, "the install record");
	assert_string_equal(b->kernel.path, "/boot/vmlinuz");
	assert_true(b->kernel.found);
	assert_int_equal(b->kernel.bytes, KERNEL_BYTES);
	/* 1 KiB blocks: each block is 2 sectors, all inside the partition
	 * (mke2fs -d leaves the filler's zero blocks as holes: no sectors) */
	assert_int_equal(b->kernel.sectors % 2, 0);
	assert_true(b->kernel.sectors > 0 && b->kernel.sectors <= (KERNEL_BYTES + 1023) / 1024 * 2);
	assert_true(b->kernel.extents >= 1);
	assert_true(b->kernel.first_lba >= DISK_PART_START);
	assert_true(b->kernel.last_lba < DISK_PART_START + DISK_PART_SECTORS);
	assert_int_equal(b->kernel.sectors_past, 0);
	assert_int_equal(b->kernel.extent[0].lba, b->kernel.first_lba);
	assert_true(b->initrd.found);
	assert_int_equal(b->initrd.bytes, INITRD_BYTES);
	assert_true(b->header_read);
	assert_int_equal(b->hdr.version, good_kernel.protocol);
	assert_int_equal(b->hdr.setup_sects, KERNEL_SETUP_SECTS);
	assert_int_equal(b->hdr.loadflags, good_kernel.loadflags);
	assert_int_equal(b->hdr.cmdline_size, good_kernel.cmdline_size);
	assert_int_equal(b->hdr.initrd_addr_max, good_kernel.initrd_addr_max);
	assert_int_equal(b->hdr.init_size, good_kernel.init_size);
	assert_string_equal(b->version, "");          /* good_kernel has no kernel_version */
	assert_true(b->bz_ok);
	assert_string_equal(b->cfg.cmdline, GOOD_CMDLINE);
	assert_true(b->plan.made && b->plan.ok);
	assert_int_equal(b->plan.setup_addr, 0x30000);
	assert_int_equal(b->plan.setup_bytes, (KERNEL_SETUP_SECTS + 1) * 512);
	assert_int_equal(b->plan.cmdline_addr, 0x3E000);
	assert_int_equal(b->plan.cmdline_bytes, strlen(GOOD_CMDLINE) + 1);
	assert_int_equal(b->plan.kernel_addr, 0x100000);
	assert_int_equal(b->plan.kernel_bytes, KERNEL_PM_BYTES);
	assert_int_equal(b->plan.initrd_bytes, INITRD_BYTES);
	assert_int_equal(b->plan.initrd_addr % 4096, 0);
	assert_true(b->plan.initrd_addr + INITRD_BYTES <= b->plan.ram_top);
	assert_int_equal(findings_count(&f->info.found, FINDING_ERROR), 0);
}

static void test_info_installed_views(void **state)
{
	struct fixture *f = *state;
	char *text, filter[400];

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	read_info(f);
	text = view_text(info_print_text, &f->info);
	assert_contains(text, "bootinst: bytes 0x000-");
	assert_contains(text, "the code is this bootinst's, byte for byte");
	assert_contains(text, "active, type 0x83 Linux, LBA 2048..16383 (14336 sectors, 7 MiB)");
	assert_contains(text, "CRC-32 0x");
	assert_contains(text, "the partition's size exactly");
	assert_contains(text, "What boots: partition 1, as the install record says");
	assert_contains(text, "it will boot");
	free(text);
	text = view_text(info_print_mbr, &f->info);
	assert_contains(text, "0x1AE  42 49                    patch magic");
	assert_contains(text, "0x1BE  80                         status         active");
	assert_contains(text, "0x1C6  00 08 00 00                LBA first      2048");
	assert_contains(text, "0x1FE  55 AA                    boot signature");
	free(text);
	text = view_text(info_print_map, &f->info);
	assert_contains(text, "disk     MMSS");
	assert_contains(text, "  1  LBA 2048..16383");
	free(text);
	snprintf(filter, sizeof(filter), ".mbr.boot_code.owner == \"bootinst\" and .mbr.entries[0].lba_first == 2048 "
		 "and .gap.stages[0].crc_ok and .partitions[0].ext.blocks == %u and .boot.kernel.bytes == %u "
		 "and .boot.memory.ok and .check.boots", DISK_PART_SECTORS / 2, KERNEL_BYTES);
	assert_json(f, filter);
	assert_svg_valid(f);
}

/* --- the tutorials' mistake: the filesystem past its partition ------------------------- */

static void test_info_fs_past_partition(void **state)
{
	struct fixture *f = *state;
	const struct info_partition *p;
	char *text;

	disk_populate_root(&f->disk, &good_kernel);
	/* mke2fs at the partition's offset sized as the rest of the disk */
	disk_make(&f->disk, TUTORIAL_KIB, "start=63, size=64197, type=83, bootable\\n", TUTORIAL_START,
		  (TUTORIAL_KIB * 2 - TUTORIAL_START) / 2);
	p = &read_info(f)->part[0];
	assert_int_equal(p->sectors, TUTORIAL_SECTORS);
	assert_true(p->ext);
	assert_int_equal(p->block_size, 1024);
	assert_int_equal(p->blocks, (TUTORIAL_KIB * 2 - TUTORIAL_START) / 2);
	assert_true(p->past_end);
	assert_int_equal(p->e24.id, DIAG_BLOCK_OUTSIDE_PARTITION);
	assert_int_equal(p->e24.block, p->blocks - 1);
	assert_int_equal(p->e24.value, p->blocks * 2 - 1);
	assert_int_equal(p->e24.limit, TUTORIAL_SECTORS - 1);
	/* CHS: the entry's end 3/254/63 is LBA 64259 under 255 x 63 */
	assert_true(f->info.mbr.entry[0].first_ok && f->info.mbr.entry[0].last_ok);
	assert_int_equal(f->info.mbr.entry[0].chs_last.cylinder, 3);
	/* not installed: what install would boot */
	assert_string_equal(f->info.boot.from, "bootinst install's defaults (bootinst is not installed)");
	assert_int_equal(f->info.mbr.code.owner, OWNER_ZEROS);
	text = view_text(info_print_text, &f->info);
	assert_contains(text, "32736 blocks of 1024 bytes = 33521664 bytes = 65472 sectors: 1275 sectors "
			"(637.5 KiB) MORE than the partition's 64197");
	assert_contains(text, "GRUB Legacy's Error 24 in the making");
	free(text);
	text = view_text(info_print_svg, &f->info);
	assert_contains(text, "1275 sectors past partition 1: Error 24");
	assert_contains(text, "fill=\"#e53935\"");
	free(text);
	text = view_text(info_print_map, &f->info);
	assert_contains(text, "!!!");
	assert_contains(text, "runs 1275 sectors (637.5 KiB) past its end (LBA 64259): E24");
	free(text);
	assert_json(f, ".partitions[0].ext.past_partition and .partitions[0].ext.sectors_past == 1275 and "
		    ".partitions[0].ext.finding.code == \"E24\" and (.check.boots | not)");
	assert_svg_valid(f);
}

/* --- other disks --------------------------------------------------------------------- */

static void test_info_gpt(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;
	char *text;

	disk_make_table(&f->disk, 4096, "label: gpt\\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n");
	d = read_info(f);
	assert_int_equal(f->img.label, IMAGE_LABEL_OTHER);
	assert_string_equal(f->img.label_name, "gpt");
	/* LBA 0 is the protective MBR: one entry of type 0xEE over the disk */
	assert_true(d->mbr.boot_signature);
	assert_int_equal(d->mbr.entry[0].type, 0xEE);
	assert_int_equal(d->mbr.entry[0].lba_first, 1);
	assert_int_equal(d->mbr.code.owner, OWNER_ZEROS);
	assert_string_equal(d->gap.other, "a GPT header (\"EFI PART\")");
	assert_false(d->part[0].used);
	assert_false(d->whole.used);
	assert_int_equal(d->boot.partition, 0);
	text = view_text(info_print_text, d);
	assert_contains(text, "a GPT partition table (LBA 0 is its protective MBR)");
	free(text);
	assert_json(f, ".image.partition_table == \"gpt\" and .mbr.entries[0].type == 238 and .boot == null");
	assert_svg_valid(f);
}

static void test_info_all_zeros(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;
	char *text;

	disk_make_table(&f->disk, 1024, NULL);
	d = read_info(f);
	assert_int_equal(f->img.label, IMAGE_LABEL_NONE);
	assert_int_equal(d->mbr.code.owner, OWNER_ZEROS);
	assert_int_equal(d->mbr.code.code_bytes, 0);
	assert_false(d->mbr.boot_signature);
	assert_false(d->mbr.patch_found);
	for (unsigned i = 0; i < MBR_PART_ENTRIES; i++)
		assert_true(d->mbr.entry[i].empty);
	assert_true(d->whole.used);
	assert_int_equal(d->whole.number, 0);
	assert_int_equal(d->whole.sectors, 2048);
	assert_int_equal(d->whole.probe.content, CONTENT_EMPTY);
	assert_false(d->whole.ext);
	assert_int_equal(d->gap.stages, 0);
	text = view_text(info_print_text, d);
	assert_contains(text, "none: bytes 0x000-0x1B7 are all zeros");
	assert_contains(text, "missing at 0x1FE: a BIOS does not boot this disk");
	free(text);
	text = view_text(info_print_mbr, d);
	assert_contains(text, "0x000  00 x 440");
	free(text);
	assert_json(f, ".mbr.boot_code.owner == \"zeros\" and .mbr.boot_signature == false and "
		    ".partitions[0].number == null and .partitions[0].content == \"zeros\"");
	assert_svg_valid(f);
}

static void test_info_one_sector(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;
	char *text;

	fixture_run("head -c 512 /dev/zero > %s", f->disk.image);
	d = read_info(f);
	assert_int_equal(image_sectors(&f->img), 1);
	assert_int_equal(d->mbr.code.owner, OWNER_ZEROS);
	assert_int_equal(d->gap.scanned, 0);
	assert_string_equal(d->gap.other, "");
	text = view_text(info_print_map, d);
	assert_contains(text, "disk     MM");
	free(text);
	assert_json(f, ".image.sectors == 1");
	assert_svg_valid(f);
}

/* --- other loaders ------------------------------------------------------------------ */

/* GRUB 2's boot.img as grub-install leaves it: core.img at LBA 1. */
static void test_info_grub2_boot_img(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;
	uint8_t sector[512], lba1[8] = { 1 };

	if (access(GRUB2_BOOT_IMG, R_OK) || access(GRUB2_DISKBOOT_IMG, R_OK))
		skip();
	disk_make_table(&f->disk, 4096, DISK_STANDARD_TABLE);
	put_boot_code(f, GRUB2_BOOT_IMG);
	disk_write(&f->disk, 0x5C, lba1, sizeof(lba1));          /* GRUB_BOOT_MACHINE_KERNEL_SECTOR */
	fixture_run("dd if=%s of=%s bs=512 seek=1 conv=notrunc status=none", GRUB2_DISKBOOT_IMG, f->disk.image);
	/* the blocklist grub-install writes: 60 sectors from LBA 2 */
	disk_read(&f->disk, 512, sector, sizeof(sector));
	sector[0x1F4] = 2;
	sector[0x1FC] = 60;
	disk_write(&f->disk, 512, sector, sizeof(sector));
	d = read_info(f);
	assert_int_equal(d->mbr.code.owner, OWNER_GRUB2);
	assert_string_equal(d->mbr.code.name, "GRUB 2 (boot.img)");
	assert_int_equal(d->mbr.code.loads_lba, 1);
	assert_int_equal(d->gap.other_lba, 1);
	assert_int_equal(d->gap.other_sectors, 61);
	assert_non_null(strstr(d->gap.other, "GRUB 2's core.img"));
	assert_int_equal(d->gap.run[0].kind, RUN_OTHER_LOADER);
	assert_int_equal(d->gap.run[0].sectors, 61);
	assert_json(f, ".mbr.boot_code.owner == \"grub2\" and .gap.other_loader.sectors == 61");
}

/* The same from the constants of boot.S and diskboot.S alone. */
static void test_info_grub2_constants(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;
	uint8_t mbr[440] = { 0 }, core[512] = { 0 }, legacy[512] = { 0 };

	disk_make_table(&f->disk, 4096, DISK_STANDARD_TABLE);
	mbr[0] = 0xEB, mbr[1] = 0x63, mbr[2] = 0x90;                /* jmp over the BPB */
	mbr[0x5C] = 1;                                             /* core.img at LBA 1 */
	mbr[0x64] = 0xFF;                                          /* the drive in DL */
	put_at(mbr, 0x17C, "GRUB ");
	put_at(mbr, 0x182, "Geom");
	put_at(mbr, 0x187, "Hard Disk");
	put_at(mbr, 0x191, "Read");
	put_at(mbr, 0x196, " Error");
	disk_write(&f->disk, 0, mbr, sizeof(mbr));
	put_at(core, 0x100, "loading");                            /* with its NUL */
	put_at(core, 0x10A, " Error");
	core[0x1F4] = 2, core[0x1FC] = 40, core[0x1FE] = 0x20, core[0x1FF] = 0x08;
	disk_write(&f->disk, 512, core, sizeof(core));
	d = read_info(f);
	assert_int_equal(d->mbr.code.owner, OWNER_GRUB2);
	assert_int_equal(d->mbr.code.loads_lba, 1);
	assert_int_equal(d->mbr.code.sigs, 5);
	assert_int_equal(d->mbr.code.sig[0].offset, 0x17C);
	assert_int_equal(d->gap.other_sectors, 41);
	/* GRUB Legacy's stage1: the same messages, and version 3.2 at 0x3E */
	memcpy(legacy, mbr, sizeof(mbr));
	legacy[0x3E] = 3, legacy[0x3F] = 2;
	info_identify_boot_code(legacy, &d->mbr.code);
	assert_int_equal(d->mbr.code.owner, OWNER_GRUB_LEGACY);
}

static void test_info_extlinux_mbr_bin(void **state)
{
	struct fixture *f = *state;
	struct info_disk *d;

	if (access(EXTLINUX_MBR_BIN, R_OK))
		skip();
	disk_make_table(&f->disk, 4096, DISK_STANDARD_TABLE);
	put_boot_code(f, EXTLINUX_MBR_BIN);
	d = read_info(f);
	assert_int_equal(d->mbr.code.owner, OWNER_SYSLINUX);
	assert_string_equal(d->mbr.code.name, "SYSLINUX/EXTLINUX (mbr.bin)");
	assert_json(f, ".mbr.boot_code.owner == \"syslinux\"");
}

/* mbr/mbr.S's messages, at the ends of its 440 bytes */
static void test_info_extlinux_constants(void **state)
{
	struct info_boot_code c;
	uint8_t sector[512] = { 0xFA, 0x31, 0xC0 };

	(void)state;
	put_at(sector, 0x160, "Missing operating system.\r\n");
	put_at(sector, 0x17C, "Operating system load error.\r\n");
	put_at(sector, 0x19B, "Multiple active partitions.\r\n");
	info_identify_boot_code(sector, &c);
	assert_int_equal(c.owner, OWNER_SYSLINUX);
	assert_string_equal(c.name, "SYSLINUX/EXTLINUX (mbr.bin)");
	assert_int_equal(c.sig[0].offset, 0x160);
	memset(sector + 0x19B, 0, 30);                             /* altmbr.bin has no third */
	info_identify_boot_code(sector, &c);
	assert_string_equal(c.name, "SYSLINUX/EXTLINUX (altmbr.bin)");
}

static void test_info_unknown_code(void **state)
{
	struct info_boot_code c;
	uint8_t sector[512] = { 0xEB, 0xFE };

	(void)state;
	info_identify_boot_code(sector, &c);
	assert_int_equal(c.owner, OWNER_UNKNOWN);
	assert_int_equal(c.code_bytes, 2);
	assert_int_equal(c.sigs, 0);
}

/* --- the verb ------------------------------------------------------------------------ */

/* Any file name: bytes that are not UTF-8, and XML's and JSON's own
 * characters, still give a valid SVG and valid JSON (which reads back
 * as the documented mapping: \xNN for such a byte, \\ for a backslash). */
static void test_info_any_file_name(void **state)
{
	struct fixture *f = *state;
	char image[192], svg[192], json[192], *err;
	size_t err_len;
	struct info_options o = { .view = INFO_VIEW_SVG, .out = stdout };

	disk_make_standard(&f->disk, &good_kernel);
	install(f);
	snprintf(image, sizeof(image), "%s/bad\xff\xc3<&\"\\ name.img", f->disk.dir);
	assert_int_equal(rename(f->disk.image, image), 0);
	snprintf(svg, sizeof(svg), "%s/picture.svg", f->disk.dir);
	o.image = image;
	o.svg = svg;
	o.err = open_memstream(&err, &err_len);
	assert_int_equal(info_run(&o), 0);
	fclose(o.err);
	free(err);
	if (fixture_exit_status("xmllint --noout %s", svg))
		fail_msg("xmllint refuses the picture of a disk with a name that is not UTF-8");
	snprintf(json, sizeof(json), "%s/info.json", f->disk.dir);
	o.view = INFO_VIEW_JSON;
	o.out = fopen(json, "w");
	assert_non_null(o.out);
	o.err = stderr;
	assert_int_equal(info_run(&o), 0);
	fclose(o.out);
	if (fixture_exit_status("jq -e '.image.path | endswith(\"/bad\\\\xff\\\\xc3<&\\\"\\\\\\\\ name.img\")' %s >/dev/null", json))
		fail_msg("jq does not read the image's name back from %s", json);
	assert_int_equal(rename(image, f->disk.image), 0);
}

/* --svg naming the image itself is refused, and the image kept. */
static void test_info_svg_refuses_the_image(void **state)
{
	struct fixture *f = *state;
	struct disk_snapshot before;
	char *err;
	size_t err_len;
	struct info_options o = { .image = f->disk.image, .view = INFO_VIEW_SVG, .out = stdout };

	disk_make_standard(&f->disk, &good_kernel);
	before = disk_snapshot_take(&f->disk);
	o.svg = f->disk.image;
	o.err = open_memstream(&err, &err_len);
	assert_int_equal(info_run(&o), EXIT_FAILURE);
	fclose(o.err);
	assert_contains(err, "is the disk image being read; the picture would overwrite it");
	free(err);
	disk_assert_unchanged(&f->disk, &before);
}

static void test_info_missing_image(void **state)
{
	struct fixture *f = *state;
	char path[160], *err;
	size_t err_len;
	struct info_options o = { .image = path, .view = INFO_VIEW_TEXT, .out = stdout };

	snprintf(path, sizeof(path), "%s/none.img", f->disk.dir);
	o.err = open_memstream(&err, &err_len);
	assert_int_equal(info_run(&o), EXIT_FAILURE);
	fclose(o.err);
	assert_contains(err, "none.img");
	free(err);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_info_missing_image),
		T(test_info_svg_refuses_the_image),
		T(test_info_all_zeros),
		T(test_info_one_sector),
		T(test_info_gpt),
		T(test_info_fs_past_partition),
		T(test_info_unknown_code),
		T(test_info_grub2_constants),
		T(test_info_grub2_boot_img),
		T(test_info_extlinux_constants),
		T(test_info_extlinux_mbr_bin),
		T(test_info_installed_lba0),
		T(test_info_installed_gap),
		T(test_info_installed_partition),
		T(test_info_installed_boot),
		T(test_info_installed_views),
		T(test_info_any_file_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
