/*
 * bootclock - run a command (QEMU) and note when given texts first appear
 * on its standard output (the guest's serial port), measured from the
 * moment just before the command is started.
 *
 *   bootclock LOG NAME=TEXT... -- COMMAND [ARG...]
 *
 * Prints one line per mark NAME, in the order first given: "NAME MS"
 * (milliseconds, three decimals) or "NAME -" when TEXT never appeared.  A
 * NAME given more than once takes whichever of its TEXTs came first (SeaBIOS
 * says "Booting from 0000:7c00" for a disk, "Booting from c000:0054" for
 * QEMU's -kernel option ROM).  Everything the command printed is copied to
 * LOG.  Exits with the command's status
 * (128 + signal when it was killed).
 *
 * Why a program of its own: the benchmark's timings are "QEMU start -> a
 * line on serial", and taking them while reading the pipe, rather than from
 * a log written with timestamps afterwards, is what makes them exact: QEMU
 * writes each serial byte to the pipe as the guest sends it (chardev
 * "stdio"), and a read() blocked on the pipe returns within microseconds.
 * A mark's time is the time of the read() that delivered its last byte.
 * Texts are matched anywhere in the stream, not only at line starts:
 * SeaBIOS's and the kernel's output can share a line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MARKS 16
/* The longest text a mark may have: the window of recent bytes it is
 * compared against. */
#define WINDOW 256

struct mark {
	const char *name;
	const char *text;
	size_t len;
	double ms;		/* < 0 until seen */
};

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1e3 + (now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: bootclock LOG NAME=TEXT... -- COMMAND [ARG...]\n");
	exit(2);
}

/* Child side: stdin from /dev/null (the benchmark runs unattended; QEMU
 * must never wait on a terminal), stdout into the pipe, stderr as is. */
static void exec_command(int pipe_write, char **argv)
{
	int null_fd = open("/dev/null", O_RDONLY);

	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(pipe_write, 1) < 0) {
		perror("bootclock: redirecting the command's stdin/stdout");
		_exit(127);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "bootclock: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	struct mark marks[MAX_MARKS];
	size_t mark_count = 0;
	char window[WINDOW];
	size_t window_fill = 0;
	struct timespec t0;
	int pipe_fds[2], status;
	FILE *log;
	pid_t child;
	int i;

	if (argc < 4)
		usage();
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i] || eq[1] == '\0' || mark_count == MAX_MARKS ||
		    strlen(eq + 1) > WINDOW)
			usage();
		*eq = '\0';
		marks[mark_count++] = (struct mark){ argv[i], eq + 1, strlen(eq + 1), -1 };
	}
	if (i + 1 >= argc || mark_count == 0)
		usage();

	log = fopen(argv[1], "w");
	if (!log) {
		fprintf(stderr, "bootclock: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (pipe(pipe_fds) < 0) {
		perror("bootclock: pipe");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	if (child < 0) {
		perror("bootclock: fork");
		return 2;
	}
	if (child == 0) {
		close(pipe_fds[0]);
		exec_command(pipe_fds[1], argv + i + 1);
	}
	close(pipe_fds[1]);

	for (;;) {
		char buf[4096];
		ssize_t got = read(pipe_fds[0], buf, sizeof buf);
		double now;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		now = ms_since(&t0);
		fwrite(buf, 1, (size_t)got, log);
		for (ssize_t b = 0; b < got; b++) {
			/* Slide the window by one byte, then test whether any
			 * mark not yet seen ends exactly here. */
			if (window_fill == WINDOW) {
				memmove(window, window + 1, WINDOW - 1);
				window_fill--;
			}
			window[window_fill++] = buf[b];
			for (size_t m = 0; m < mark_count; m++) {
				struct mark *mk = &marks[m];

				if (mk->ms < 0 && window_fill >= mk->len &&
				    memcmp(window + window_fill - mk->len, mk->text, mk->len) == 0)
					mk->ms = now;
			}
		}
	}
	fclose(log);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("bootclock: waitpid");
			return 2;
		}
	}

	for (size_t m = 0; m < mark_count; m++) {
		double first = -1;
		size_t earlier;

		for (earlier = 0; earlier < m; earlier++)
			if (strcmp(marks[earlier].name, marks[m].name) == 0)
				break;
		if (earlier < m)
			continue;	/* this name was printed already */
		for (size_t alt = m; alt < mark_count; alt++)
			if (strcmp(marks[alt].name, marks[m].name) == 0 && marks[alt].ms >= 0 &&
			    (first < 0 || marks[alt].ms < first))
				first = marks[alt].ms;
		if (first < 0)
			printf("%s -\n", marks[m].name);
		else
			printf("%s %.3f\n", marks[m].name, first);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
