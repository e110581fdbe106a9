/*
 * boot_partition.c - the boot partition as the stage will read it: its
 * filesystem (E17, E17F, E16, E24: libext2fs's view beside the stage's own
 * reader), /boot/bootinst.cfg (E41), the kernel and the initrd (E15, E02,
 * E26, E24, E14, E13, E13P, E07, E25), the command line (E40) and memory
 * (E28), decided by the stage's own code built for the host.
 */
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <et/com_err.h>
#include "linux_boot.h"
#include "linux_plan.h"
#include "disk/partfs.h"

/*
 * `qemu-system-x86_64` without -m gives the guest 128 MiB, of which the BIOS
 * reports 0x100000..0x7FDFFFF as usable (E820; the top 128 KiB is
 * reserved).  Every tutorial boots its image that way, so a loader that
 * needs more than this is worth a warning: it fails there with E28.
 */
#define QEMU_DEFAULT_RAM_TOP 0x7FE0000ull

void checks_qemu_default_memmap(struct memmap *mm)
{
	memset(mm, 0, sizeof(*mm));
	memmap_add(mm, 0, 0x9FC00);
	memmap_add(mm, LINUX_PM_LOAD_ADDR, QEMU_DEFAULT_RAM_TOP);
}

/* --- the filesystem: libext2fs's view and the stage's -------------------- */

/* The mke2fs command that makes a filesystem the size of the partition. */
static void fits_hint(const struct check *c, char *hint, size_t size)
{
	uint64_t part_bytes = c->res->part_sectors * IMAGE_SECTOR_SIZE;

	snprintf(hint, size,
		 "the partition holds %" PRIu64 " KiB: mke2fs -E offset=%" PRIu64 " %s %" PRIu64
		 "k makes one that fits (and erases this one)",
		 part_bytes / KIB, c->res->part_start * IMAGE_SECTOR_SIZE, c->img->path,
		 part_bytes / KIB);
}

/* The tutorials' mistake: mke2fs on the whole image or with the wrong size.
 * GRUB meets it at boot as Error 24, Linux as "attempt to access beyond end
 * of device" (or "bad geometry" at mount); here it is found before. */
int checks_fs_past_partition(uint64_t blocks, uint32_t block_size, uint64_t part_sectors,
			     struct diag *d, char *path, size_t path_size)
{
	uint64_t fs_sectors = blocks * block_size / IMAGE_SECTOR_SIZE;

	if (fs_sectors <= part_sectors)
		return 0;
	diag_set(d, DIAG_BLOCK_OUTSIDE_PARTITION);
	d->block = blocks - 1;
	d->value = fs_sectors - 1;
	d->limit = part_sectors - 1;
	snprintf(path, path_size, "the filesystem (%" PRIu64 " blocks of %u"
		 " bytes = %" PRIu64 " sectors)", blocks, block_size, fs_sectors);
	d->path = path;
	return 1;
}

static void check_filesystem_size(struct check *c)
{
	uint64_t blocks;
	uint32_t block_size;
	char path[128], hint[256];
	struct finding *item;
	struct diag d;

	stage_view_fs_size(c->sv, &blocks, &block_size);
	if (!checks_fs_past_partition(blocks, block_size, c->res->part_sectors, &d, path, sizeof(path)))
		return;
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", c->res->partition);
	fits_hint(c, hint, sizeof(hint));
	finding_hint(item, "%s", hint);
}

static void mount_filesystem(struct check *c)
{
	struct finding *item;
	struct diag d;

	c->lib_err = partfs_open(c->img, c->res->part_start, &c->lib_fs);
	if (c->lib_err)
		c->lib_fs = NULL;

	if (stage_view_mount(c->sv, &d) == DIAG_OK) {
		c->stage_mounted = 1;
		if (c->lib_err) {
			/* The stage boots it; only the predictions need libext2fs. */
			diag_set(&d, DIAG_NOT_EXT2);
			d.name = error_message(c->lib_err);
			item = findings_add(c->out, FINDING_WARNING, &d, "partition %u", c->res->partition);
			finding_hint(item, "only libext2fs (e2fsprogs) fails: the stage's own reader mounts it, "
				     "so it boots, but bootinst check cannot look past the loader");
		}
		check_filesystem_size(c);
		return;
	}
	item = findings_add(c->out, FINDING_ERROR, &d, "partition %u", c->res->partition);
	if (c->lib_fs)
		finding_hint(item, "libext2fs (e2fsprogs) opens it, but the stage's reader, which is "
			     "what boots, cannot");
	else
		finding_hint(item, "libext2fs says: %s", error_message(c->lib_err));
}

/* --- files, read as the stage reads them -------------------------------- */

/* How to see what a directory holds: libext2fs tools take the partition's
 * offset after a '?' in the device name (e2fsprogs lib/ext2fs/openfs.c). */
static void listing_hint(const struct check *c, struct finding *item, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dir_len = !slash || slash == path ? 1 : (int)(slash - path);

	finding_hint(item, "its directory holds: debugfs -R 'ls -l %.*s' '%s?offset=%" PRIu64 "'",
		     dir_len, path, c->img->path, c->res->part_start * IMAGE_SECTOR_SIZE);
}

/*
 * A file the stage cannot read: the stage's finding, and a hint from
 * libext2fs's view of the same path where that helps (the two agree on a
 * missing file; where they disagree, the stage is what boots).
 */
static void file_failed(struct check *c, const struct diag *d, const char *path)
{
	struct finding *item = findings_add(c->out, FINDING_ERROR, d, "%s", path);
	struct partfs_file lib_file;
	errcode_t err;
	char hint[256];

	if (d->id == DIAG_BLOCK_OUTSIDE_PARTITION) {
		fits_hint(c, hint, sizeof(hint));
		finding_hint(item, "%s", hint);
		return;
	}
	if (d->id == DIAG_DISK_READ) {
		/* offline no BIOS answered: say what the status stands for */
		finding_hint(item, "the image ends at sector %" PRIu64 ", before the partition table says "
			     "the disk does: the BIOS fails that read, with a status of its own choice",
			     image_sectors(c->img));
		return;
	}
	if (!c->lib_fs || d->id == DIAG_TOO_MANY_SYMLINKS || d->id == DIAG_BAD_FILE_TYPE)
		return;
	err = partfs_lookup(c->lib_fs, path, &lib_file);
	if (d->id == DIAG_FILE_NOT_FOUND && err == EXT2_ET_FILE_NOT_FOUND)
		listing_hint(c, item, path);
	else if (err)
		finding_hint(item, "libext2fs (e2fsprogs) says: %s", error_message(err));
	else if (d->id == DIAG_FILE_NOT_FOUND || d->id == DIAG_FS_INCONSISTENT)
		finding_hint(item, "libext2fs (e2fsprogs) finds it (%" PRIu64 " bytes), but the stage's "
			     "reader, which is what boots, does not", lib_file.size);
}

/* /boot/bootinst.cfg as stage1/main.c read_config_file() takes it: a broken
 * file is printed at boot and ignored, so it is a warning here. */
static void check_config(struct check *c)
{
	struct boot_menu *menu = &c->res->menu;
	struct finding *item;
	struct diag d;
	enum diag_id rc;

	config_menu_of_record(&c->res->boots, c->record_ok && c->req->mode == CHECKS_AS_INSTALLED
			      ? (uint32_t)c->stage.rec.flags >> BOOTINST_REC_TIMEOUT_SHIFT : 0, menu);
	rc = stage_view_read_config(c->sv, menu, &d);
	if (rc == DIAG_FILE_NOT_FOUND)
		return;
	if (!rc) {
		c->res->boots = menu->entry[menu->default_entry].cfg;
		c->res->config_used = 1;
		return;
	}
	item = findings_add(c->out, FINDING_WARNING, &d, "%s", BOOTINST_CONFIG_PATH);
	finding_hint(item, "the stage prints this at boot, ignores the file and boots what install "
		     "recorded%s", c->record_ok || c->req->mode == CHECKS_BEFORE_INSTALL ? "" :
		     " (bootinst is not installed: nothing is recorded yet)");
}

/*
 * The file in hand from offset on, as the stage will load it: `bootinst
 * check` reads every byte (a read error, E25, shows only then); install
 * maps and checks every block but reads only metadata, so it reads a few
 * KiB whatever the size of the kernel.
 */
static int file_body_fails(struct check *c, uint64_t offset, uint64_t len, struct diag *d)
{
	if (c->req->mode == CHECKS_BEFORE_INSTALL)
		return stage_view_check(c->sv, offset, len, d) != DIAG_OK;
	return stage_view_read(c->sv, offset, len, d) != DIAG_OK;
}

/* The kernel, as stage1/linux_load.c loads it: open, header, command line,
 * setup code, then the protected-mode part in pieces. */
static void check_kernel(struct check *c)
{
	const char *path = c->res->boots.kernel;
	const char *cmdline = c->res->boots.cmdline;
	uint8_t head[BZIMAGE_HEAD_BYTES];
	struct diag d;
	uint32_t head_len;
	uint64_t size;

	if (stage_view_open(c->sv, path, &size, &d)) {
		file_failed(c, &d, path);
		return;
	}
	head_len = size < BZIMAGE_HEAD_BYTES ? (uint32_t)size : BZIMAGE_HEAD_BYTES;
	if (stage_view_read_head(c->sv, head, head_len, &d) ||
	    bzimage_parse(head, head_len, size, path, &c->kernel, &d)) {
		file_failed(c, &d, path);
		return;
	}
	c->res->kernel_bytes = size;
	c->res->kernel_protocol = c->kernel.protocol;

	/* the stage's own rule (linux_plan.c) */
	if (linux_plan_cmdline(&c->kernel, cmdline, &d)) {
		findings_add(c->out, FINDING_ERROR, &d, "command line");
		c->cmdline_reported = c->req->cmdline && !strcmp(cmdline, c->req->cmdline);
	}

	if (file_body_fails(c, 0, c->kernel.setup_bytes, &d) ||
	    file_body_fails(c, c->kernel.setup_bytes, c->kernel.kernel_bytes, &d)) {
		file_failed(c, &d, path);
		return;
	}
	c->res->kernel_ok = 1;
}

/* The initrd: found and read whole (linux_load.c); 0 if it cannot be. */
static int check_initrd(struct check *c)
{
	const char *path = c->res->boots.initrd;
	struct diag d;
	uint64_t size;

	if (stage_view_open(c->sv, path, &size, &d)) {
		file_failed(c, &d, path);
		return 0;
	}
	/* past 4 GiB the stage stops at its memory plan, before reading:
	 * check_memory reports it */
	if (size <= 0xFFFFFFFFu && file_body_fails(c, 0, size, &d)) {
		file_failed(c, &d, path);
		return 0;
	}
	c->res->initrd_bytes = size;
	return 1;
}

/*
 * Memory (E28), decided by the stage's own rule (linux_plan.c) over two
 * machines, since the real one's RAM is unknown here:
 *   - error: it fits no machine: all of the address space from 1 MiB up as
 *     RAM, and still the initrd cannot lie above the kernel and below
 *     initrd_addr_max;
 *   - warning: it does not fit a QEMU machine started without -m
 *     (QEMU_DEFAULT_RAM_TOP): such a boot stops with E28.
 */
static void check_memory(struct check *c, int have_initrd)
{
	const struct bzimage_info *k = &c->kernel;
	struct boot_config cfg = c->res->boots;
	uint64_t initrd_bytes = have_initrd ? c->res->initrd_bytes : 0;
	struct memmap any_machine = { 0 }, qemu_default;
	struct linux_plan plan;
	struct finding *item;
	struct diag d;

	if (!have_initrd)
		cfg.initrd[0] = 0;
	memmap_add(&any_machine, LINUX_PM_LOAD_ADDR, 0x100000000ull);
	if (linux_plan_memory(k, &cfg, initrd_bytes, &any_machine, &plan, &d)) {
		item = findings_add(c->out, FINDING_ERROR, &d, "%s", d.path);
		finding_hint(item, "the kernel ends at 0x%" PRIx64 " and takes an initrd only below 0x%"
			     PRIx64 " (its initrd_addr_max): use a smaller initrd",
			     LINUX_PM_LOAD_ADDR + (uint64_t)k->init_size, (uint64_t)k->initrd_addr_max + 1);
		return;
	}
	checks_qemu_default_memmap(&qemu_default);
	if (linux_plan_memory(k, &cfg, initrd_bytes, &qemu_default, &plan, &d)) {
		uint64_t need = ((LINUX_PM_LOAD_ADDR + (uint64_t)k->init_size + 0xFFF) & ~0xFFFull) +
				initrd_bytes;
		unsigned mib = (unsigned)((need + MIB - 1) / MIB);
		item = findings_add(c->out, FINDING_WARNING, &d, "%s", d.path);
		finding_hint(item, "that is in a QEMU machine started without -m (%u MiB): start it "
			     "with -m %u or more (the kernel then needs RAM of its own to run)",
			     QEMU_DEFAULT_RAM_MIB, (mib + 63) / 64 * 64);
	}
}

/* --- the whole partition ------------------------------------------------ */

int check_boot_partition(struct check *c)
{
	if (c->img->is_block_device && check_not_mounted(c))
		return -1;
	c->sv = stage_view_new(c->img, c->res->part_start, c->res->part_sectors);
	if (!c->sv)
		return check_call_failed(c, "checking", strerror(ENOMEM));
	mount_filesystem(c);
	if (!c->stage_mounted)
		return 0;
	check_config(c);
	if (!c->res->boots.kernel[0]) {
		struct diag d;

		diag_set(&d, DIAG_CANNOT_TELL);
		d.name = "which kernel the installed stage boots";
		d.path = "its install record cannot be read (the stage is damaged) and /boot/bootinst.cfg names none";
		finding_hint(findings_add(c->out, FINDING_NOTE, &d, "stage"),
			     "bootinst check --kernel PATH checks one; bootinst install records it again");
		return 0;
	}
	check_boot_files(c);
	return 0;
}

void check_boot_files(struct check *c)
{
	int have_initrd;

	c->res->kernel_ok = 0;
	c->res->kernel_bytes = c->res->initrd_bytes = 0;
	check_kernel(c);
	have_initrd = c->res->boots.initrd[0] && check_initrd(c);
	if (c->res->kernel_ok && (have_initrd || !c->res->boots.initrd[0]))
		check_memory(c, have_initrd);
}

/* The command line asked for must fit the install record, whatever the
 * kernel (unchecked, or overridden by /boot/bootinst.cfg) takes. */
void check_cmdline_fits_record(struct check *c)
{
	struct diag d;

	if (!c->req->cmdline || strlen(c->req->cmdline) < BOOTINST_CMDLINE_MAX || c->cmdline_reported)
		return;
	diag_set(&d, DIAG_CMDLINE_TOO_LONG);
	d.value = strlen(c->req->cmdline);
	d.limit = BOOTINST_CMDLINE_MAX - 1;
	findings_add(c->out, FINDING_ERROR, &d, "command line");
}
