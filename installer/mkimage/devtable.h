/*
 * mkimage/ - planning `bootinst mkimage`: what goes into the image and how big it must be.
 * May touch: the host's files it is given, read-only.  Must not: write anything (commit/ makes the image).
 *
 * devtable.h - the device table of `mkimage --device-table FILE`, in the
 * format genext2fs and busybox's makedevs read, one entry a line:
 *
 *   # name      type mode uid gid major minor start inc count
 *   /dev        d    755  0   0   -     -     -     -   -
 *   /dev/console c   600  0   0   5     1     -     -   -
 *   /dev/ttyS   c    660  0   0   4     64    0     1   4
 *
 * type: f a file (its mode and owner), d a directory (made if missing),
 * c / b a character or block device, p a FIFO.  mode in octal; '-' where a
 * field does not apply.  count N makes nameSTART .. name(START+N-1), the
 * minor going up by inc each time (/dev/ttyS0..3, minors 64..67).
 */
#ifndef BOOTINST_MKIMAGE_DEVTABLE_H
#define BOOTINST_MKIMAGE_DEVTABLE_H

#include <stddef.h>
#include <stdint.h>

#define DEVTABLE_PATH_MAX  256
#define DEVTABLE_COUNT_MAX 256        /* names one line may make */
#define DEVTABLE_ENTRIES_MAX 4096

struct devtable_entry {
	char     path[DEVTABLE_PATH_MAX];   /* absolute, inside the image */
	char     type;                      /* 'f', 'd', 'c', 'b', 'p' */
	unsigned mode;                      /* permission bits (07777) */
	unsigned uid, gid;
	unsigned major, minor;              /* 'c' and 'b' */
	unsigned line;                      /* where it came from */
};

struct devtable {
	struct devtable_entry *entry;
	size_t count;
};

/*
 * Parse len bytes of text into *t (free with devtable_free).  Returns 0,
 * or -1 with what is wrong and where in why ("line 3: the type 'x' is
 * none of f, d, c, b, p").
 */
int devtable_parse(const char *text, size_t len, struct devtable *t, char *why, size_t why_size);

void devtable_free(struct devtable *t);

#endif
