/*
 * fault_inject.c - an LD_PRELOAD shim that makes the Nth write-family call
 * of a program on a file or block device fail, or kills the program just
 * before it: how tests/e2e/cases/crash.sh proves that an install (or
 * uninstall) dying at any instant leaves a disk that boots.
 *
 *   BOOTINST_FAULT_AT=N     the call to act on (1-based); unset: none
 *   BOOTINST_FAULT=kill     SIGKILL before the call (the default); the
 *                           calls before it have happened, this one has not
 *   BOOTINST_FAULT=fail     return -1 with errno EIO instead of the call
 *   BOOTINST_FAULT=pause    sleep BOOTINST_FAULT_SECONDS (default 2) and
 *                           then make the call: another process's window
 *   BOOTINST_FAULT_LOG=F    append "N CALL OFFSET" to F at every counted
 *                           call (OFFSET: pwrite's, else -), so a clean run
 *                           tells how many calls there are and which is which
 *
 * Counted: write, pwrite, pwrite64, fsync, fdatasync, ftruncate on a
 * regular file or block device above stderr (not the terminal, not
 * pipes): what changes or commits what is on a disk; in the process that
 * was started with the shim only, not in the tools it runs (mke2fs), which
 * inherit LD_PRELOAD.
 *
 *   BOOTINST_FAULT_READ_AT=B  every pread that would read byte offset B of
 *                           a file or block device fails with EIO: a bad
 *                           sector, for the reads' error paths
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static unsigned calls;
static int active;         /* this is the process the shim was meant for */

#define OWNER "BOOTINST_FAULT_OWNER"

__attribute__((constructor)) static void claim(void)
{
	char pid[16];

	if (getenv(OWNER)) {
		active = strtol(getenv(OWNER), NULL, 10) == getpid();
		return;
	}
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv(OWNER, pid, 1);
	active = 1;
}

/* Is fd a disk-like target, and is this the call to act on?  Returns 1
 * when the call must fail (after setting errno); kills on "kill". */
static int fault_here(int fd, const char *call, long long offset)
{
	const char *at = getenv("BOOTINST_FAULT_AT");
	const char *log = getenv("BOOTINST_FAULT_LOG");
	struct stat st;

	if (!active || fd <= 2 || fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		return 0;
	calls++;
	if (log) {
		FILE *f = fopen(log, "a");
		if (f) {
			if (offset >= 0)
				fprintf(f, "%u %s %lld\n", calls, call, offset);
			else
				fprintf(f, "%u %s -\n", calls, call);
			fclose(f);
		}
	}
	if (!at || strtoul(at, NULL, 10) != calls)
		return 0;
	if (getenv("BOOTINST_FAULT") && !strcmp(getenv("BOOTINST_FAULT"), "pause")) {
		const char *secs = getenv("BOOTINST_FAULT_SECONDS");
		sleep(secs ? (unsigned)strtoul(secs, NULL, 10) : 2);
		return 0;
	}
	if (!getenv("BOOTINST_FAULT") || !strcmp(getenv("BOOTINST_FAULT"), "kill"))
		kill(getpid(), SIGKILL);
	errno = EIO;
	return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

/* Does a read of len bytes at offset on fd cover the bad byte? */
static int bad_read(int fd, size_t len, long long offset)
{
	const char *at = getenv("BOOTINST_FAULT_READ_AT");
	struct stat st;
	long long bad;

	if (!active || !at || fd <= 2 || fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		return 0;
	bad = strtoll(at, NULL, 10);
	if (bad < offset || bad >= offset + (long long)len)
		return 0;
	errno = EIO;
	return 1;
}

ssize_t pread(int fd, void *buf, size_t len, off_t offset)
{
	return bad_read(fd, len, offset) ? -1 : REAL(pread)(fd, buf, len, offset);
}

ssize_t pread64(int fd, void *buf, size_t len, off64_t offset)
{
	return bad_read(fd, len, offset) ? -1 : REAL(pread64)(fd, buf, len, offset);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return fault_here(fd, "write", -1) ? -1 : REAL(write)(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t offset)
{
	return fault_here(fd, "pwrite", offset) ? -1 : REAL(pwrite)(fd, buf, len, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t offset)
{
	return fault_here(fd, "pwrite", offset) ? -1 : REAL(pwrite64)(fd, buf, len, offset);
}

int fsync(int fd)
{
	return fault_here(fd, "fsync", -1) ? -1 : REAL(fsync)(fd);
}

int fdatasync(int fd)
{
	return fault_here(fd, "fdatasync", -1) ? -1 : REAL(fdatasync)(fd);
}

int ftruncate(int fd, off_t length)
{
	return fault_here(fd, "ftruncate", -1) ? -1 : REAL(ftruncate)(fd, length);
}
