/* config_file.c - see config_file.h. */
#include "config_file.h"

_Static_assert(BOOTINST_CONFIG_MAX_BYTES == 8192, "fix the '8 KiB or larger' reason");

enum diag_id config_file_read(struct ext2_fs *fs, char *text, struct boot_menu *menu,
			      struct diag *d)
{
	struct ext2_file f;
	enum diag_id rc = ext2_open(fs, BOOTINST_CONFIG_PATH, &f, d);

	if (rc)
		return rc;
	if (f.size >= BOOTINST_CONFIG_MAX_BYTES) {
		diag_set(d, DIAG_CONFIG_SYNTAX);
		d->path = BOOTINST_CONFIG_PATH;
		d->name = "the file is 8 KiB or larger";
		return DIAG_CONFIG_SYNTAX;
	}
	rc = ext2_read(fs, &f, 0, (uint32_t)f.size, text, d);
	if (rc)
		return rc;
	return config_parse(text, (uint32_t)f.size, BOOTINST_CONFIG_PATH, menu, d);
}
