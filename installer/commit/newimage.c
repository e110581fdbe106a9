/* newimage.c - see newimage.h. */
#define _GNU_SOURCE
#include "newimage.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <libfdisk/libfdisk.h>

#define MBR_TYPE_LINUX   0x83
#define TOOL_OUTPUT_MAX  8192      /* what of a tool's output a failure shows */

extern char **environ;

/* "bootinst: OUT: while DOING: REASON" (the message grammar of report.h) */
static int failed(FILE *err, const char *doing, const char *out, int rc)
{
	fprintf(err, "bootinst: %s: while %s: %s\n", out, doing, strerror(rc));
	return -1;
}

int newimage_create(struct newimage *n, const char *out, uint64_t bytes, FILE *err)
{
	char *copy = strdup(out), *base_copy = strdup(out);
	const char *dir, *base;
	mode_t mask;

	memset(n, 0, sizeof(*n));
	n->out = out;
	n->fd = -1;
	n->dirfd = -1;
	n->bytes = bytes;
	if (!copy || !base_copy) {
		free(copy);
		free(base_copy);
		return failed(err, "making", out, ENOMEM);
	}
	dir = dirname(copy);
	base = basename(base_copy);
	n->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (n->dirfd < 0) {
		int rc = errno;
		fprintf(err, "bootinst: %s: while opening its folder %s: %s\n", out, dir, strerror(rc));
		free(copy);
		free(base_copy);
		return -1;
	}
	/* unnamed until published: a killed mkimage leaves nothing behind */
	n->fd = openat(n->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
	if (n->fd < 0) {
		snprintf(n->tmpname, sizeof(n->tmpname), ".%.30s.bootinst-%d", base, (int)getpid());
		n->fd = openat(n->dirfd, n->tmpname, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	}
	free(copy);
	free(base_copy);
	if (n->fd < 0) {
		int rc = errno;
		n->tmpname[0] = '\0';
		return failed(err, "making a new image beside it", out, rc);
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(n->fd, 0666 & ~mask) < 0 || ftruncate(n->fd, (off_t)bytes) < 0) {
		int rc = errno;
		newimage_discard(n);
		return failed(err, "sizing the new image", out, rc);
	}
	snprintf(n->path, sizeof(n->path), "/proc/%d/fd/%d", (int)getpid(), n->fd);
	return 0;
}

int newimage_partition(struct newimage *n, uint64_t start, uint64_t sectors, FILE *err)
{
	struct fdisk_context *cxt = fdisk_new_context();
	struct fdisk_partition *pa = fdisk_new_partition();
	const char *doing = "writing the partition table";
	int rc = -ENOMEM;

	if (!cxt || !pa)
		goto out;
	fdisk_disable_dialogs(cxt, 1);
	rc = fdisk_assign_device_by_fd(cxt, n->fd, n->out, 0);
	if (!rc)
		rc = fdisk_create_disklabel(cxt, "dos");
	/* libfdisk aligns partitions to 1 MiB; the tutorials' sector 63 is
	 * the user's to ask for */
	if (!rc && start < fdisk_get_first_lba(cxt))
		fdisk_set_first_lba(cxt, start);
	if (!rc)
		rc = fdisk_partition_set_partno(pa, 0);
	if (!rc)
		rc = fdisk_partition_set_start(pa, start);
	if (!rc)
		rc = fdisk_partition_set_size(pa, sectors);
	if (!rc)
		rc = fdisk_partition_set_type(pa, fdisk_label_get_parttype_from_code(fdisk_get_label(cxt, NULL),
										     MBR_TYPE_LINUX));
	if (!rc)
		rc = fdisk_add_partition(cxt, pa, NULL);
	if (!rc)
		rc = fdisk_toggle_partition_flag(cxt, 0, DOS_FLAG_ACTIVE);
	if (!rc)
		rc = fdisk_write_disklabel(cxt);
	if (!rc)
		rc = fdisk_deassign_device(cxt, 0);
out:
	fdisk_unref_partition(pa);
	fdisk_unref_context(cxt);
	if (rc)
		return failed(err, doing, n->out, rc < 0 ? -rc : rc);
	return 0;
}

/* Run argv (a tool found on PATH) with its stdout and stderr in a pipe;
 * returns its exit status (-1: it could not run) and what it printed. */
static int run_tool(char *const argv[], char *output, size_t size)
{
	posix_spawn_file_actions_t actions;
	int pipefd[2], status = -1;
	size_t len = 0;
	pid_t pid;

	output[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ)) {
		snprintf(output, size, "%s could not be run: %s (e2fsprogs installs it)", argv[0], strerror(errno));
		posix_spawn_file_actions_destroy(&actions);
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&actions);
	close(pipefd[1]);
	for (;;) {
		char buf[512];
		ssize_t got = read(pipefd[0], buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got && len + 1 < size; i++)
			output[len++] = buf[i];
	}
	output[len] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int newimage_mkfs(struct newimage *n, const struct newimage_fs *fs, FILE *err)
{
	char block_size[16], inode_size[16], inodes[32], blocks[32], extended[80];
	char output[TOOL_OUTPUT_MAX];
	const char *argv[24];
	int argc = 0, status;

	snprintf(block_size, sizeof(block_size), "%u", fs->block_size);
	snprintf(inode_size, sizeof(inode_size), "%u", fs->inode_size);
	snprintf(inodes, sizeof(inodes), "%" PRIu64, fs->inodes);
	snprintf(blocks, sizeof(blocks), "%" PRIu64, fs->blocks);
	/* every file owned by root whoever runs this: root_owner for the root
	 * directory; newfs.c sets the rest */
	snprintf(extended, sizeof(extended), "offset=%" PRIu64 ",root_owner=0:0", fs->offset);
	argv[argc++] = "mke2fs";
	argv[argc++] = "-q";
	argv[argc++] = "-F";            /* the image holds a partition table: it is meant */
	argv[argc++] = "-t";
	argv[argc++] = fs->type;
	argv[argc++] = "-b";
	argv[argc++] = block_size;
	argv[argc++] = "-I";
	argv[argc++] = inode_size;
	argv[argc++] = "-N";
	argv[argc++] = inodes;
	argv[argc++] = "-E";
	argv[argc++] = extended;
	if (fs->label) {
		argv[argc++] = "-L";
		argv[argc++] = fs->label;
	}
	argv[argc++] = "-d";
	argv[argc++] = fs->root;
	argv[argc++] = n->path;
	argv[argc++] = blocks;
	argv[argc] = NULL;
	status = run_tool((char *const *)argv, output, sizeof(output));
	if (status == 0)
		return 0;
	fprintf(err, "bootinst: %s: while making the filesystem with mke2fs (exit status %d):\n",
		n->out, status);
	for (char *line = strtok(output, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(err, "  mke2fs: %s\n", line);
	return -1;
}

int newimage_publish(struct newimage *n, int replace, FILE *err)
{
	char *copy = strdup(n->out);
	const char *base = copy ? basename(copy) : NULL;
	char linked[64];
	int rc = 0;

	if (!copy)
		return failed(err, "publishing", n->out, ENOMEM);
	if (fsync(n->fd) < 0) {
		rc = errno;
		goto out;
	}
	if (!n->tmpname[0]) {
		/* the unnamed file gets a name: OUT itself when it must not be
		 * replaced (linkat fails if it exists), else a temporary one to
		 * rename over it */
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", n->fd);
		if (!replace) {
			if (linkat(AT_FDCWD, self, n->dirfd, base, AT_SYMLINK_FOLLOW) < 0)
				rc = errno;
			goto synced;
		}
		snprintf(linked, sizeof(linked), ".%.30s.bootinst-%d", base, (int)getpid());
		if (linkat(AT_FDCWD, self, n->dirfd, linked, AT_SYMLINK_FOLLOW) < 0) {
			rc = errno;
			goto out;
		}
		snprintf(n->tmpname, sizeof(n->tmpname), "%s", linked);
	}
	if (renameat2(n->dirfd, n->tmpname, n->dirfd, base, replace ? 0 : RENAME_NOREPLACE) < 0) {
		rc = errno;
		goto out;
	}
	n->tmpname[0] = '\0';
synced:
	if (!rc && fsync(n->dirfd) < 0)
		rc = errno;
out:
	free(copy);
	if (rc == EEXIST) {
		fprintf(err, "bootinst: %s: it appeared while the image was being made: not replaced "
			"(--force replaces it)\n", n->out);
		return -1;
	}
	return rc ? failed(err, "publishing", n->out, rc) : 0;
}

void newimage_discard(struct newimage *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	if (n->tmpname[0])
		unlinkat(n->dirfd, n->tmpname, 0);
	n->tmpname[0] = '\0';
	if (n->dirfd >= 0)
		close(n->dirfd);
	n->dirfd = -1;
}
