/*
 * main.c - the stage's C entry.
 *
 * What asm/entry.asm leaves us: 32-bit protected mode, flat 4 GiB segments,
 * interrupts off, stack below 0x7000, .bss zeroed, the whole image at
 * 0x8000 as the MBR loaded it (its header first); stage_main(boot_drive,
 * a20_method), a20_method being how A20 was enabled or A20_FAILED.  The
 * BIOS is reachable only through bios_int() (stage1/bios.h).
 *
 * The boot: check our own image, check the install record against the live
 * partition table, mount the partition, read the config, load Linux.  Every
 * failure prints its catalog entry and waits for a key; none hangs.
 */
#include <string.h>
#include "bios.h"
#include "config_file.h"
#include "console.h"
#include "disk.h"
#include "ext2.h"
#include "io.h"
#include "linux_load.h"
#include "menu.h"
#include "mbr.h"
#include "record.h"
#include "memmap.h"
#include "stage_header.h"

#define FALLBACK_PAUSE_SECONDS 3   /* to read why the chosen entry failed */
#define CONFIG_PAUSE_SECONDS   3   /* to read why bootinst.cfg was ignored */
#define KBC_STATUS         0x64
#define KBC_PULSE_RESET    0xFE

/* The image as the MBR loaded it, header first (include/stage_header.h). */
static const struct bootinst_stage_header *const header =
	(const struct bootinst_stage_header *)BOOTINST_STAGE_LOAD_ADDR;

/* called by asm/entry.asm */
ASM_CALL __attribute__((noreturn)) void stage_main(uint32_t boot_drive, uint32_t a20_method);

static struct disk disk;
static struct disk_partition partition;
static struct ext2_fs fs;
static struct boot_config config;        /* what the install recorded */
static struct boot_menu menu;
static struct memmap memmap;
static struct mbr_sector mbr;
static char config_text[BOOTINST_CONFIG_MAX_BYTES];
static struct diag diag;

static __attribute__((noreturn)) void fail(const struct diag *d)
{
	disk_release(&disk);
	console_print_diag(d);
	console_puts("Press a key to reboot.\n");
	console_wait_key();
	outb(KBC_STATUS, KBC_PULSE_RESET);      /* keyboard controller reset */
	struct bios_regs r = { 0 };
	bios_int(0x19, &r);                     /* if that did nothing */
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Is the partition we were installed for still where it was? */
static enum diag_id check_install_record(const struct bootinst_install_record *rec,
					 struct diag *d)
{
	enum diag_id rc = disk_read(&disk, 0, 1, &mbr, d);

	return rc ? rc : record_check_partition(rec, &mbr, d);
}

/* /boot/bootinst.cfg overrides the install record, if it is there. */
static void read_config_file(void)
{
	struct diag d;
	enum diag_id rc = config_file_read(&fs, config_text, &menu, &d);

	if (rc == DIAG_FILE_NOT_FOUND)
		return;
	if (!rc) {
		console_puts("Using " BOOTINST_CONFIG_PATH "\n");
		return;
	}
	/* A broken config must not make the disk unbootable: say so, and boot
	 * what was recorded at install time. */
	console_print_diag(&d);
	console_puts("  (ignoring it: booting the settings recorded at install)\n");
	menu_pause(CONFIG_PAUSE_SECONDS);
}

/* Read the rest natively if the boot disk proves to be an IDE disk (and
 * nothing asks for the BIOS); say which path and why. */
static void choose_disk_path(const struct bootinst_install_record *rec)
{
	const char *why_bios =
		rec->flags & BOOTINST_REC_BIOS_DISK ? "installed with --bios-disk" :
		rec->flags & BOOTINST_REC_FORCE_CHS ? "installed with --force-chs" :
		menu.bios_disk ? "bootinst.cfg says 'disk bios'" : disk_use_native(&disk, &mbr);

	if (why_bios) {
		console_printf("disk: BIOS (%s)\n", why_bios);
		return;
	}
	console_printf("disk: native IDE DMA (PCI %02x:%02x.%u, channel %u, device %u)\n",
		       disk.ide.bdf >> 8, disk.ide.bdf >> 3 & 31, disk.ide.bdf & 7,
		       disk.ide.channel, disk.ide.slave);
}

/* Load and start entry i of the menu; returns (with diag set) only if it
 * fails before Linux starts. */
static void boot(uint32_t i)
{
	const struct boot_config *cfg = &menu.entry[i].cfg;

	if (menu.count > 1)
		console_printf("Booting '%s'\n", menu.entry[i].name);
	console_printf("Command line: %s\n", cfg->cmdline);
	linux_load_and_boot(&fs, &disk, cfg, &memmap, &diag);
}

ASM_CALL void stage_main(uint32_t boot_drive, uint32_t a20_method)
{
	const struct bootinst_install_record *rec = &header->rec;
	uint32_t chosen;

	console_init();
	console_printf("bootinst %s: stage %u, drive 0x%x\n", header->release, header->version, boot_drive);

	if (a20_method == A20_FAILED)
		fail(&(struct diag){ .id = DIAG_A20 });
	/* the image's checksum: asm/entry.asm check_image, before unpacking */
	if (disk_init(&disk, (uint8_t)boot_drive, rec->flags & BOOTINST_REC_FORCE_CHS, &diag))
		fail(&diag);
	if (!disk.edd)
		console_printf("CHS reads: %u cylinders, %u heads, %u sectors\n",
			       disk.cylinders, disk.heads, disk.spt);
	if (check_install_record(rec, &diag))
		fail(&diag);
	disk_partition_init(&partition, &disk, rec->part_start_lba, rec->part_sectors);
	if (ext2_mount(&fs, &partition.dev, &diag))
		fail(&diag);

	if (record_settings(header, &config, &diag))
		fail(&diag);
	config_menu_of_record(&config, rec->flags >> BOOTINST_REC_TIMEOUT_SHIFT, &menu);
	read_config_file();
	choose_disk_path(rec);

	if (!memmap_init(&memmap)) {
		diag_set(&diag, DIAG_NO_MEMORY);
		diag.path = menu.entry[menu.default_entry].cfg.kernel;
		diag.name = "the BIOS reported no usable RAM (E820h and E801h)";
		fail(&diag);
	}
	chosen = menu_choose(&menu);
	boot(chosen);
	/* It failed before Linux started: the fallback entry, once, if any,
	 * after a pause in which the diagnostic can be read. */
	if (menu.fallback != BOOT_MENU_NO_FALLBACK && menu.fallback != chosen) {
		console_print_diag(&diag);
		console_printf("Booting the fallback entry '%s' in %u seconds (a key: now)\n",
			       menu.entry[menu.fallback].name, FALLBACK_PAUSE_SECONDS);
		menu_pause(FALLBACK_PAUSE_SECONDS);
		boot(menu.fallback);
	}
	fail(&diag);
}
