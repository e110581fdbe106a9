/*
 * fuzz_config.c - config_parse (stage1/config.c) on /boot/bootinst.cfg's
 * text, given as the stage gives it: not NUL-terminated, in a buffer of
 * exactly its length, at most BOOTINST_CONFIG_MAX_BYTES - 1 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct boot_config recorded = { "/boot/vmlinuz", "", "console=ttyS0" };
	static struct boot_menu menu;
	struct diag d;
	char *text;

	if (size >= BOOTINST_CONFIG_MAX_BYTES)
		return 0;   /* config_file_read refuses it before parsing */
	text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	config_menu_of_record(&recorded, 0, &menu);
	if (config_parse(text, (uint32_t)size, "/boot/bootinst.cfg", &menu, &d) == DIAG_OK) {
		/* a menu the stage can show and boot: entries in range, every
		 * field a string that fits */
		if (menu.count < 1 || menu.count > BOOTINST_MENU_ENTRIES || menu.default_entry >= menu.count ||
		    (menu.fallback != BOOT_MENU_NO_FALLBACK && menu.fallback >= menu.count) ||
		    menu.timeout > BOOTINST_TIMEOUT_MAX)
			abort();
		for (uint32_t i = 0; i < menu.count; i++) {
			const struct boot_entry *e = &menu.entry[i];

			if (!e->name[0] || !e->cfg.kernel[0] ||
			    strnlen(e->name, sizeof e->name) == sizeof e->name ||
			    strnlen(e->cfg.kernel, sizeof e->cfg.kernel) == sizeof e->cfg.kernel ||
			    strnlen(e->cfg.initrd, sizeof e->cfg.initrd) == sizeof e->cfg.initrd ||
			    strnlen(e->cfg.cmdline, sizeof e->cfg.cmdline) == sizeof e->cfg.cmdline)
				abort();
		}
	}
	free(text);
	return 0;
}
