/* backup_file.c - see backup_file.h. */
#define _GNU_SOURCE
#include "backup_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crc32.h"
#include "mbr.h"

#define HEAD_BYTES  (16u + BOOTINST_BACKUP_MBR_BYTES)   /* 0x1C8 */
#define RUN_BYTES   16u
#define FILE_MAX    (1u << 20)     /* far more than the sectors install may use */

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static size_t file_bytes(const struct backup_file *b)
{
	size_t n = HEAD_BYTES + (size_t)b->runs * RUN_BYTES;

	for (unsigned i = 0; i < b->runs; i++)
		n += (size_t)b->run[i].sectors * MBR_SECTOR_SIZE;
	return n;
}

/* b as the file's bytes, in a buffer of file_bytes(b) (NULL: no memory). */
static uint8_t *serialize(const struct backup_file *b)
{
	size_t len = file_bytes(b), at = HEAD_BYTES + (size_t)b->runs * RUN_BYTES;
	uint8_t *buf = calloc(1, len);

	if (!buf)
		return NULL;
	memcpy(buf, BACKUP_FILE_MAGIC, 8);
	put_le(buf + 8, BACKUP_FILE_VERSION, 2);
	put_le(buf + 10, b->runs, 2);
	put_le(buf + 12, b->disk_signature, 4);
	memcpy(buf + 16, b->mbr_code, BOOTINST_BACKUP_MBR_BYTES);
	for (unsigned i = 0; i < b->runs; i++) {
		uint8_t *r = buf + HEAD_BYTES + (size_t)i * RUN_BYTES;
		size_t n = (size_t)b->run[i].sectors * MBR_SECTOR_SIZE;

		put_le(r, b->run[i].lba, 8);
		put_le(r + 8, b->run[i].sectors, 4);
		memcpy(buf + at, b->run[i].bytes, n);
		at += n;
	}
	return buf;
}

void backup_file_measure(const struct backup_file *b, uint32_t *bytes, uint32_t *crc)
{
	uint8_t *buf = serialize(b);

	*bytes = (uint32_t)file_bytes(b);
	*crc = buf ? crc32_ieee(0, buf, *bytes) : 0;
	free(buf);
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int backup_file_write(const char *path, const struct backup_file *b, FILE *err)
{
	uint8_t *buf = serialize(b);
	char *dir_copy = strdup(path);
	int fd = -1, dir = -1, rc = ENOMEM;

	if (!buf || !dir_copy)
		goto fail;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = errno;
		if (rc == EEXIST) {
			fprintf(err, "bootinst: %s: the backup file exists already (it may hold an earlier "
				"backup): give --backup a new file name\n", path);
			free(buf);
			free(dir_copy);
			return -1;
		}
		goto fail;
	}
	rc = write_all(fd, buf, file_bytes(b));
	if (!rc && fsync(fd) < 0)
		rc = errno;
	if (close(fd) < 0 && !rc)
		rc = errno;
	fd = -1;
	/* the new name must survive a power cut too */
	dir = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!rc && (dir < 0 || fsync(dir) < 0))
		rc = errno;
	if (dir >= 0)
		close(dir);
	if (rc) {
		unlink(path);
		goto fail;
	}
	free(buf);
	free(dir_copy);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	fprintf(err, "bootinst: %s: while writing the backup file: %s\n", path, strerror(rc));
	free(buf);
	free(dir_copy);
	return -1;
}

static int bad_file(const char *path, const char *why, FILE *err)
{
	fprintf(err, "bootinst: %s: %s\n", path, why);
	return -1;
}

int backup_file_read(const char *path, uint32_t want_bytes, uint32_t want_crc,
		     struct backup_file *b, FILE *err)
{
	uint8_t *buf = NULL;
	size_t len = 0, at;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	memset(b, 0, sizeof(*b));
	if (fd < 0) {
		fprintf(err, "bootinst: %s: while opening the backup file: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(FILE_MAX + 1);
	while (buf && len <= FILE_MAX) {
		ssize_t n = read(fd, buf + len, FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? errno : 0;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (!buf || rc) {
		fprintf(err, "bootinst: %s: while reading the backup file: %s\n", path,
			strerror(buf ? rc : ENOMEM));
		free(buf);
		return -1;
	}
	if (len != want_bytes || crc32_ieee(0, buf, len) != want_crc) {
		free(buf);
		return bad_file(path, "this is not the backup file this install wrote (its size or "
				"CRC-32 differs from what the stage recorded)", err);
	}
	if (len < HEAD_BYTES || memcmp(buf, BACKUP_FILE_MAGIC, 8) ||
	    get_le(buf + 8, 2) != BACKUP_FILE_VERSION || get_le(buf + 10, 2) > BACKUP_FILE_MAX_RUNS) {
		free(buf);
		return bad_file(path, "not a bootinst backup file of version 1", err);
	}
	b->runs = (unsigned)get_le(buf + 10, 2);
	if (HEAD_BYTES + (size_t)b->runs * RUN_BYTES > len) {
		b->runs = 0;
		free(buf);
		return bad_file(path, "its list of runs does not fit the file", err);
	}
	b->disk_signature = (uint32_t)get_le(buf + 12, 4);
	memcpy(b->mbr_code, buf + 16, BOOTINST_BACKUP_MBR_BYTES);
	at = HEAD_BYTES + (size_t)b->runs * RUN_BYTES;
	for (unsigned i = 0; i < b->runs; i++) {
		const uint8_t *r = buf + HEAD_BYTES + (size_t)i * RUN_BYTES;
		size_t n;

		b->run[i].lba = get_le(r, 8);
		b->run[i].sectors = (uint32_t)get_le(r + 8, 4);
		n = (size_t)b->run[i].sectors * MBR_SECTOR_SIZE;
		if (at > len || n > len - at || !(b->run[i].bytes = malloc(n ? n : 1))) {
			backup_file_free(b);
			free(buf);
			return bad_file(path, "its runs of sectors do not fit the file", err);
		}
		memcpy(b->run[i].bytes, buf + at, n);
		at += n;
	}
	free(buf);
	return 0;
}

void backup_file_free(struct backup_file *b)
{
	for (unsigned i = 0; i < b->runs; i++) {
		free(b->run[i].bytes);
		b->run[i].bytes = NULL;
	}
	b->runs = 0;
}
