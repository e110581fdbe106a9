/*
 * config_file.h - /boot/bootinst.cfg read from a mounted filesystem: its
 * size limit, the read, the parse (config.h).  Portable: the stage reads
 * it at boot, `bootinst check` reads it offline through the same code.
 */
#ifndef BOOTINST_CONFIG_FILE_H
#define BOOTINST_CONFIG_FILE_H

#include "config.h"
#include "ext2.h"

/*
 * Read BOOTINST_CONFIG_PATH on fs into text (BOOTINST_CONFIG_MAX_BYTES
 * long) and parse it into *menu, which holds the install record's entry
 * (config_menu_of_record).  DIAG_FILE_NOT_FOUND if there is none, DIAG_OK,
 * or the failure to report: E41 for a file of BOOTINST_CONFIG_MAX_BYTES or
 * more or a bad line, the reader's (E16, E24 ...) for one that cannot be
 * read; *menu is unchanged on failure.
 */
enum diag_id config_file_read(struct ext2_fs *fs, char *text, struct boot_menu *menu,
			      struct diag *d);

#endif
