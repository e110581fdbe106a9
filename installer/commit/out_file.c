/* out_file.c - see out_file.h. */
#define _GNU_SOURCE
#include "out_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int out_file_start(struct out_file *o, const char *path, int image_fd, FILE *err)
{
	struct stat image, target;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (fstat(image_fd, &image) == 0 && stat(path, &target) == 0 &&
	    image.st_dev == target.st_dev && image.st_ino == target.st_ino) {
		fprintf(err, "bootinst: %s: is the disk image being read; the picture would "
			"overwrite it\n  fix: name another file (disk.svg)\n", path);
		return -1;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.XXXXXX", path) >= sizeof(o->tmp)) {
		fprintf(err, "bootinst: %s: the name is too long\n", path);
		return -1;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		fprintf(err, "bootinst: %s: while creating a file beside it: %s\n"
			"  fix: name a file in a folder you can write to\n", path, strerror(errno));
		return -1;
	}
	/* a picture to share: readable as umask allows, as a new file would be */
	fchmod(fd, 0666 & ~umask(umask(0)));
	o->stream = fdopen(fd, "w");
	if (!o->stream) {
		fprintf(err, "bootinst: %s: while writing it: %s\n", o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

int out_file_finish(struct out_file *o, FILE *err)
{
	int failed = fflush(o->stream) != 0 || ferror(o->stream) || fsync(fileno(o->stream)) != 0;
	int saved = errno;

	if (fclose(o->stream) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->stream = NULL;
	if (!failed && rename(o->tmp, o->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		fprintf(err, "bootinst: %s: while writing it: %s\n", o->path, strerror(saved));
		unlink(o->tmp);
		return -1;
	}
	return 0;
}
