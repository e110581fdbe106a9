/*
 * stage_view.h - the boot partition as the stage sees it at boot: the
 * stage's own ext2 reader (stage1/ext2.c, built for the host) reading the
 * image through a struct blockdev that, like the stage's INT 13h disk,
 * knows only the partition's sectors.
 *
 * `bootinst check` runs this so that a failure is found offline with the
 * code, and the numbers, that the stage would print at boot.  The type is
 * opaque: stage1/ext2.h and libext2fs's headers define some of the same
 * names, so no file includes both.
 */
#ifndef BOOTINST_DISK_STAGE_VIEW_H
#define BOOTINST_DISK_STAGE_VIEW_H

#include <stdint.h>
#include "config.h"
#include "diag.h"
#include "image.h"

struct stage_view;

/* The partition at LBA start, sectors long; NULL if out of memory. */
struct stage_view *stage_view_new(const struct disk_image *img, uint64_t start, uint64_t sectors);
void stage_view_free(struct stage_view *sv);

/* Mount as the stage does (E17, E17F, E24, E25). */
enum diag_id stage_view_mount(struct stage_view *sv, struct diag *d);

/* The mounted filesystem's size: blocks and bytes per block. */
void stage_view_fs_size(const struct stage_view *sv, uint64_t *blocks, uint32_t *block_size);

/*
 * /boot/bootinst.cfg as stage1/main.c reads it: DIAG_FILE_NOT_FOUND if
 * there is none, DIAG_OK with *menu parsed over the recorded entry it
 * held, or the failure the stage would print before ignoring the file
 * (E41, E16, E24 ...).
 */
enum diag_id stage_view_read_config(struct stage_view *sv, struct boot_menu *menu, struct diag *d);

/*
 * Open path as the file in hand (E15, E02, E26, E16, E24); path must stay
 * alive while it is used.  *size gets its size in bytes.
 */
enum diag_id stage_view_open(struct stage_view *sv, const char *path, uint64_t *size,
			     struct diag *d);

/* Read the first len bytes of the file in hand into buf (E14, E16, E24). */
enum diag_id stage_view_read_head(struct stage_view *sv, void *buf, uint32_t len, struct diag *d);

/* Read len bytes from offset of the file in hand in the pieces the stage
 * loads files in, and drop them (E14, E16, E24, E25). */
enum diag_id stage_view_read(struct stage_view *sv, uint64_t offset, uint64_t len, struct diag *d);

/* The same checks without reading the file's data: every block mapped and
 * bounds-checked (E14, E16, E24), only metadata read.  What install uses,
 * so that it reads a few KiB however large the kernel is. */
enum diag_id stage_view_check(struct stage_view *sv, uint64_t offset, uint64_t len, struct diag *d);

#endif
