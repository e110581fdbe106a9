/* commit.c - see commit.h. */
#define _GNU_SOURCE
#include "commit.h"
#include "disk/image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

static int write_all(int fd, write_at_fn write_at, const uint8_t *p, size_t len, uint64_t offset)
{
	while (len) {
		ssize_t done = write_at(fd, p, len, (off_t)offset);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (done == 0)
			return EIO;
		p += done;
		len -= (size_t)done;
		offset += (uint64_t)done;
	}
	return 0;
}

/* Write one range, sync it, read it back.  Returns 0 or an errno value;
 * EILSEQ means it read back different bytes (reported here, with where). */
static int write_and_verify(int fd, write_at_fn write_at, const struct write_range *r,
			    const uint8_t *bytes, uint8_t *readback, const char *path,
			    const char *doing, FILE *err)
{
	int rc = write_all(fd, write_at, bytes, r->len, r->offset);
	if (!rc && fsync(fd) < 0)
		rc = errno;
	if (!rc)
		rc = fd_read_full(fd, readback, r->len, r->offset);
	if (rc) {
		fprintf(err, "bootinst: %s: while %s %s (bytes %llu..%llu): %s\n",
			path, doing, r->what, (unsigned long long)r->offset,
			(unsigned long long)(r->offset + r->len - 1), strerror(rc));
		if (rc == ENOSPC)
			fprintf(err, "  fix: free space on the filesystem that holds %s (df shows it), or "
				"make the image file whole, not sparse (cp --sparse=never)\n", path);
		return rc;
	}
	for (size_t i = 0; i < r->len; i++) {
		if (readback[i] != bytes[i]) {
			fprintf(err, "bootinst: %s: while %s %s: byte %llu reads back 0x%02x, "
				"0x%02x was written\n", path, doing, r->what,
				(unsigned long long)(r->offset + i), readback[i], bytes[i]);
			return EILSEQ;
		}
	}
	return 0;
}

/*
 * Put back the journalled bytes of ranges[0..n-1], only the 512-byte runs
 * that differ from the journal: a write that failed part-way (ENOSPC on a
 * sparse file, a dying disk) changed at most what it reached, and writing
 * back what it did not reach could only fail the same way.  Returns how
 * many runs could not be put back.
 */
static size_t undo(int fd, write_at_fn write_at, const struct write_range *ranges,
		   uint8_t *const *journal, uint8_t *readback, size_t n,
		   const char *path, FILE *err)
{
	const size_t unit = 512;
	size_t failed = 0;

	for (size_t i = n; i-- > 0;) {
		const struct write_range *r = &ranges[i];
		int unreadable = fd_read_full(fd, readback, r->len, r->offset) != 0;

		for (size_t at = 0; at < r->len;) {
			size_t run = 0;
			struct write_range part;

			while (at + run < r->len) {
				size_t len = r->len - (at + run) < unit ? r->len - (at + run) : unit;
				if (!unreadable && !memcmp(readback + at + run, journal[i] + at + run, len))
					break;
				run += len;
			}
			if (!run) {
				at += r->len - at < unit ? r->len - at : unit;
				continue;
			}
			part = (struct write_range){ r->what, r->offset + at, run, NULL };
			if (write_and_verify(fd, write_at, &part, journal[i] + at, readback + at,
					     path, "restoring", err))
				failed++;
			at += run;
		}
	}
	return failed;
}

/* What to do when opening the image for writing fails with err. */
static const char *open_fix(int err)
{
	switch (err) {
	case EACCES: case EPERM: case EROFS:
		return "make the image writable (chmod u+w IMAGE) or run bootinst as a user who may "
		       "write it; nothing was written";
	case EBUSY:
		return "something has the disk open exclusively (mounted, or in use by the system): "
		       "unmount it; --force writes anyway";
	default:
		return NULL;
	}
}

enum commit_status commit_writes(const char *path, int exclusive,
				 const struct write_range *ranges, size_t n,
				 write_at_fn write_at, FILE *err)
{
	enum commit_status status = COMMIT_NOT_STARTED;
	uint8_t **journal = calloc(n, sizeof(*journal));
	uint8_t *readback = NULL;
	size_t longest = 0, written = 0;
	int fd = -1, rc = 0;

	if (!write_at)
		write_at = pwrite;
	for (size_t i = 0; i < n; i++)
		if (ranges[i].len > longest)
			longest = ranges[i].len;
	readback = malloc(longest);
	if (!journal || !readback) {
		fprintf(err, "bootinst: %s: while preparing to write it: %s\n", path, strerror(ENOMEM));
		goto out;
	}

	fd = open(path, O_RDWR | O_CLOEXEC | (exclusive ? O_EXCL : 0));
	if (fd < 0) {
		rc = errno;
		fprintf(err, "bootinst: %s: while opening it for writing: %s\n", path, strerror(rc));
		if (open_fix(rc))
			fprintf(err, "  fix: %s\n", open_fix(rc));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		journal[i] = malloc(ranges[i].len);
		rc = journal[i] ? fd_read_full(fd, journal[i], ranges[i].len, ranges[i].offset) : ENOMEM;
		if (rc) {
			fprintf(err, "bootinst: %s: while saving the original bytes of %s: %s\n",
				path, ranges[i].what, strerror(rc));
			goto out;
		}
	}

	/* Every range from here on may have been touched, even the one that
	 * failed half-way: undo restores all of them. */
	for (written = 0; written < n; written++) {
		rc = write_and_verify(fd, write_at, &ranges[written], ranges[written].bytes,
				      readback, path, "writing", err);
		if (rc)
			break;
	}
	if (!rc) {
		status = COMMIT_DONE;
		goto out;
	}
	if (undo(fd, write_at, ranges, journal, readback, written + 1, path, err)) {
		fprintf(err, "bootinst: %s: could not restore every original byte: the image is "
			"damaged where the messages above say\n", path);
		status = COMMIT_UNDO_FAILED;
	} else {
		fprintf(err, "bootinst: %s: nothing was installed: every original byte was "
			"restored and checked\n", path);
		status = COMMIT_UNDONE;
	}
out:
	if (fd >= 0)
		close(fd);
	if (journal)
		for (size_t i = 0; i < n; i++)
			free(journal[i]);
	free(journal);
	free(readback);
	return status;
}

int commit_lock(struct commit_lock *l, const char *path, int shared, int no_wait, FILE *err)
{
	int op = shared ? LOCK_SH : LOCK_EX;
	struct stat st;

	/* O_NONBLOCK: a FIFO with no writer must not hang the open (image_open
	 * refuses what is neither a file nor a block device) */
	l->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (l->fd < 0)
		return 0;
	if (fstat(l->fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		close(l->fd);
		l->fd = -1;
		return 0;
	}
	if (flock(l->fd, op | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK) {
		fprintf(err, "bootinst: %s: while locking it: %s\n", path, strerror(errno));
		goto fail;
	}
	if (no_wait) {
		fprintf(err, "bootinst: %s: another bootinst is installing on it; not waiting (--no-wait)\n",
			path);
		goto fail;
	}
	fprintf(err, "bootinst: %s: waiting for another bootinst to finish with it\n", path);
	while (flock(l->fd, op) < 0) {
		if (errno != EINTR) {
			fprintf(err, "bootinst: %s: while locking it: %s\n", path, strerror(errno));
			goto fail;
		}
	}
	return 0;
fail:
	close(l->fd);
	l->fd = -1;
	return -1;
}

void commit_unlock(struct commit_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);       /* closing the descriptor lets the lock go */
	l->fd = -1;
}
