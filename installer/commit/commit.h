/*
 * commit/ - the one writer: the only code in bootinst that opens the image for writing.
 * May touch: the image, read-write, in the ranges it is handed.  Must not: decide what to write.
 *
 * commit.h - the installer's one lock and its write steps, journalled.
 *
 * One installer at a time: commit_lock() takes an exclusive flock(2) on
 * the image before install reads anything and holds it to the end, so a
 * second install (or uninstall) waits, or with --no-wait gives up.
 *
 *
 * Before writing, the original bytes of every range are read into a journal.
 * The ranges are written in order; each is synced (fsync) and read back and
 * compared before the next one is written, so the installer's last range
 * (the MBR code, which points at the stage) never lands unless the stage
 * did.  If a write, a sync or a comparison fails, every range is put back
 * from the journal (and checked), so the image ends either fully installed
 * or byte-for-byte as it was.
 */
#ifndef BOOTINST_COMMIT_H
#define BOOTINST_COMMIT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct write_range {
	const char    *what;      /* for messages: "the stage", "the MBR boot code" */
	uint64_t       offset;    /* bytes from the start of the image */
	size_t         len;
	const uint8_t *bytes;     /* what to write */
};

/* pwrite(2)'s shape; tests pass one that fails on purpose. */
typedef ssize_t (*write_at_fn)(int fd, const void *buf, size_t len, off_t offset);

enum commit_status {
	COMMIT_DONE,            /* written, synced, read back equal */
	COMMIT_NOT_STARTED,     /* open or journal read failed: nothing written */
	COMMIT_UNDONE,          /* a step failed; every range restored and checked */
	COMMIT_UNDO_FAILED,     /* a step failed and so did restoring: image damaged */
};

/*
 * Write ranges[0..n-1] in order to path.  exclusive: open with O_EXCL, which
 * on Linux makes opening a block device fail with EBUSY while it is mounted.
 * write_at: NULL for pwrite.  Failures are reported on err, e2fsprogs style.
 */
enum commit_status commit_writes(const char *path, int exclusive,
				 const struct write_range *ranges, size_t n,
				 write_at_fn write_at, FILE *err);

/* The lock on an image: a read-only descriptor holding flock(2). */
struct commit_lock {
	int fd;                 /* -1: nothing locked (the image could not be
				 * opened, which image_open then reports) */
};

/*
 * Lock path: exclusively (install, uninstall) or shared (a dry run, which
 * only reads).  When another bootinst holds it, say so on err and wait for
 * it, or with no_wait fail.  Returns 0, or -1 reported on err.
 */
int commit_lock(struct commit_lock *l, const char *path, int shared, int no_wait, FILE *err);

void commit_unlock(struct commit_lock *l);

#endif
