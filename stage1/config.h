/*
 * config.h - what to boot: kernel path, initrd path, command line.
 *
 * The install record in the stage header gives the defaults; a plain-text
 * /boot/bootinst.cfg on the partition, if present, overrides them:
 *
 *     # comment
 *     kernel /boot/vmlinuz
 *     initrd /boot/initrd.img      ("initrd" alone: boot without one)
 *     cmdline console=ttyS0 root=/dev/sda1
 *
 * Portable: the stage parses it at boot, the installer and tests on the host.
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

struct boot_config {
	char kernel[BOOTINST_PATH_MAX];
	char initrd[BOOTINST_PATH_MAX];     /* "" = no initrd */
	char cmdline[BOOTINST_CMDLINE_MAX];
};

/*
 * Parse len bytes of config text (need not be NUL-terminated) and override
 * the fields of *cfg that it sets.  Returns DIAG_OK, or DIAG_CONFIG_SYNTAX
 * with d->path = path, d->value = line number, d->name = what is wrong; on
 * failure *cfg is left unchanged.
 */
enum diag_id config_parse(const char *text, uint32_t len, const char *path,
			  struct boot_config *cfg, struct diag *d);

#endif
