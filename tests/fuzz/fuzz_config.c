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
	struct boot_config cfg = { "/boot/vmlinuz", "", "console=ttyS0" };
	struct diag d;
	char *text;

	if (size >= BOOTINST_CONFIG_MAX_BYTES)
		return 0;   /* config_file_read refuses it before parsing */
	text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	if (config_parse(text, (uint32_t)size, "/boot/bootinst.cfg", &cfg, &d) == DIAG_OK) {
		/* every field stays a string that fits */
		if (strnlen(cfg.kernel, sizeof cfg.kernel) == sizeof cfg.kernel ||
		    strnlen(cfg.initrd, sizeof cfg.initrd) == sizeof cfg.initrd ||
		    strnlen(cfg.cmdline, sizeof cfg.cmdline) == sizeof cfg.cmdline)
			abort();
	}
	free(text);
	return 0;
}
