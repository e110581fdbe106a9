/*
 * config.h - what to boot: the boot menu's entries (kernel path, initrd
 * path, command line each), which is the default, which the fallback, and
 * how long the menu waits.
 *
 * The install record in the stage header gives one entry; a plain-text
 * /boot/bootinst.cfg on the partition, if present, overrides it, in one of
 * two forms.  Lines of kernel/initrd/cmdline alone change the recorded
 * entry, field by field (the form from before menus, still valid):
 *
 *     # comment
 *     kernel /boot/vmlinuz
 *     initrd /boot/initrd.img      ("initrd" alone or "initrd none": none)
 *     cmdline console=ttyS0 root=/dev/sda1
 *
 * Or named entries, each complete in itself (a kernel line is needed; no
 * initrd line: none; no cmdline line: empty), with menu settings:
 *
 *     timeout 3            seconds the menu waits; 0 (the default): no menu
 *                          unless a key is pressed at boot
 *     default rescue       an entry's name or number (1 is the first); the
 *                          default is the first entry
 *     fallback 2           booted when the chosen entry fails before Linux
 *                          starts (none by default)
 *     disk bios            read the disk through the BIOS only (INT 13h),
 *                          never natively (IDE DMA); `disk auto`, the
 *                          default: natively where the disk proves to be
 *                          the boot disk
 *
 *     entry linux
 *       kernel /boot/vmlinuz
 *       initrd /boot/initrd.img
 *       cmdline console=ttyS0 root=/dev/sda1
 *     entry rescue
 *       kernel /boot/vmlinuz
 *       cmdline console=ttyS0 root=/dev/sda1 init=/bin/sh
 *
 * timeout, default, fallback and disk may stand anywhere and set the
 * menu, in either form.  Portable: the stage parses it at boot, the installer and
 * tests on the host.
 */
#ifndef BOOTINST_CONFIG_H
#define BOOTINST_CONFIG_H

#include <stdint.h>
#include "diag.h"
#include "stage_header.h"

#define BOOTINST_CONFIG_PATH "/boot/bootinst.cfg"
/* The config file must be smaller than this; the stage reads it whole. */
#define BOOTINST_CONFIG_MAX_BYTES 8192u
/* What install records when no --kernel is given. */
#define BOOTINST_DEFAULT_KERNEL "/boot/vmlinuz"

#define BOOTINST_MENU_ENTRIES    8    /* entries a file may name */
#define BOOTINST_ENTRY_NAME_MAX  32   /* bytes of a name, NUL included */
#define BOOTINST_TIMEOUT_MAX     3600 /* seconds */
/* The name of the one entry a file without entry lines boots. */
#define BOOTINST_RECORDED_ENTRY  "recorded"

struct boot_config {
	char kernel[BOOTINST_PATH_MAX];
	char initrd[BOOTINST_PATH_MAX];     /* "" = no initrd */
	char cmdline[BOOTINST_CMDLINE_MAX];
};

struct boot_entry {
	char name[BOOTINST_ENTRY_NAME_MAX];
	struct boot_config cfg;
};

#define BOOT_MENU_NO_FALLBACK 0xFFFFFFFFu

struct boot_menu {
	uint32_t count;             /* entries, 1..BOOTINST_MENU_ENTRIES */
	uint32_t default_entry;     /* index of the default */
	uint32_t fallback;          /* index, or BOOT_MENU_NO_FALLBACK */
	uint32_t timeout;           /* seconds the menu waits; 0: only on a key */
	uint32_t bios_disk;         /* 'disk bios': no native reads */
	struct boot_entry entry[BOOTINST_MENU_ENTRIES];
};

/* The menu of the install record alone: its one entry, the timeout
 * install recorded (seconds). */
void config_menu_of_record(const struct boot_config *recorded, uint32_t timeout,
			   struct boot_menu *menu);

/*
 * Parse len bytes of config text (need not be NUL-terminated) into *menu,
 * whose one entry the install record gave (config_menu_of_record).
 * Returns DIAG_OK, or DIAG_CONFIG_SYNTAX with d->path = path, d->value =
 * the line number, d->name = what is wrong; on failure *menu is left
 * unchanged.
 */
enum diag_id config_parse(const char *text, uint32_t len, const char *path,
			  struct boot_menu *menu, struct diag *d);

#endif
