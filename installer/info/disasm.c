/*
 * disasm.c - `bootinst info IMAGE --disasm`: the 440 bytes of boot code
 * disassembled as 16-bit code by ndisasm (Debian's nasm package), at the
 * address the code runs at: 0x600 for bootinst's MBR (and the DOS/Windows
 * ones), which move themselves there first, else 0x7C00, where the BIOS
 * puts it.
 *
 * Where the code is this bootinst's own, byte for byte, each line gets its
 * label and the one-line comment from asm/mbr.asm: the table
 * build/gen/mbr_labels.h, generated at build time from nasm's map and
 * listing (installer/info/mbr_labels.sh), never retyped.  Its data (the
 * messages, the patch area) is shown as bytes and text instead of as the
 * instructions ndisasm would make of them.
 *
 * ndisasm reads the bytes from the image itself: its standard input is the
 * image's own read-only descriptor, cut to 440 bytes by head(1), so
 * nothing is written anywhere, not even to a pipe.
 */
#define _GNU_SOURCE
#include "views.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

struct mbr_label {
	unsigned addr;
	const char *name;
	int data;              /* db/dw/dd/times: bytes, not instructions */
	const char *heading;   /* the comment block above it, first sentence */
};

struct mbr_comment {
	unsigned addr;
	const char *text;
};

#include "mbr_labels.h"       /* build/gen: the table, from nasm's map and listing */

#define LABELS (sizeof(mbr_labels) / sizeof(mbr_labels[0]))
#define COMMENTS (sizeof(mbr_comments) / sizeof(mbr_comments[0]))
#define NDISASM "ndisasm"
#define NDISASM_PACKAGE "nasm"
#define MAX_SKIPS 8

extern char **environ;

/* Is prog on PATH? */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s/%s", (int)(n ? n : 1), n ? path : ".", prog);
		if (access(dir, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

static const struct mbr_label *label_at(unsigned addr)
{
	for (size_t i = 0; i < LABELS; i++)
		if (mbr_labels[i].addr == addr)
			return &mbr_labels[i];
	return NULL;
}

static const char *comment_at(unsigned addr)
{
	for (size_t i = 0; i < COMMENTS; i++)
		if (mbr_comments[i].addr == addr)
			return mbr_comments[i].text;
	return NULL;
}

/* The address after label i's bytes: the next label's, or the code's end. */
static unsigned label_end(size_t i, unsigned end)
{
	for (size_t j = i + 1; j < LABELS; j++)
		if (mbr_labels[j].addr > mbr_labels[i].addr)
			return mbr_labels[j].addr < end ? mbr_labels[j].addr : end;
	return end;
}

/* Every label at addr, each with its heading. */
static void print_labels(FILE *out, unsigned addr)
{
	for (size_t i = 0; i < LABELS; i++) {
		if (mbr_labels[i].addr != addr)
			continue;
		fprintf(out, "%s:", mbr_labels[i].name);
		if (mbr_labels[i].heading[0])
			fprintf(out, "%*s; %s", (int)(28 - strlen(mbr_labels[i].name)) > 1
				? (int)(28 - strlen(mbr_labels[i].name)) : 1, "", mbr_labels[i].heading);
		fputc('\n', out);
	}
}

/* A data label's bytes: hex, then as text where they are text, as a
 * number where they are one (1, 2 or 4 bytes, little-endian), or as the
 * zeros they are. */
static void print_data(FILE *out, const uint8_t *code, unsigned origin, size_t i, unsigned end)
{
	unsigned from = mbr_labels[i].addr, to = label_end(i, end), n = to - from;
	const uint8_t *p = code + (from - origin);
	int text = 1, zeros = 1;

	for (unsigned a = 0; a < n; a++) {
		if (p[a] && (p[a] < 0x20 || p[a] > 0x7e) && p[a] != '\r' && p[a] != '\n')
			text = 0;
		if (p[a])
			zeros = 0;
	}
	fprintf(out, "    %08X  ", from);
	for (unsigned a = 0; a < n && a < 12; a++)
		fprintf(out, "%02X", p[a]);
	fprintf(out, "%s%*s", n > 12 ? "..." : "   ", (int)(n > 12 ? 0 : 2 * (12 - n)), "");
	if (zeros) {
		fprintf(out, "  times %u db 0\n", n);
		return;
	}
	if (!text && (n == 1 || n == 2 || n == 4)) {
		uint32_t v = 0;
		for (unsigned a = n; a-- > 0;)
			v = v << 8 | p[a];
		fprintf(out, "  %s %u\n", n == 1 ? "db" : n == 2 ? "dw" : "dd", v);
		return;
	}
	if (!text) {
		fprintf(out, "  %u bytes of data\n", n);
		return;
	}
	fputs("  db \"", out);
	for (unsigned a = 0; a < n; a++) {
		if (p[a] == 0)
			fputs("\\0", out);
		else if (p[a] == '\r')
			fputs("\\r", out);
		else if (p[a] == '\n')
			fputs("\\n", out);
		else
			fputc(p[a], out);
	}
	fprintf(out, "\"  (%u bytes)\n", n);
}

/* ndisasm's line "0000075A  B401              mov ah,0x1" with bootinst's
 * names: the label's address as its name, and the source's comment. */
static void print_line(FILE *out, const char *line, int ours, unsigned origin)
{
	unsigned long addr;
	char *end;
	const char *comment = NULL;
	const char *insn;
	char text[256];

	addr = strtoul(line, &end, 16);
	if (end == line || *end != ' ') {        /* a continuation of long bytes */
		fprintf(out, "    %s\n", line);
		return;
	}
	if (ours) {
		print_labels(out, (unsigned)addr);
		comment = comment_at((unsigned)addr);
	}
	snprintf(text, sizeof(text), "%s", line);
	insn = strlen(text) > 28 ? text + 28 : "";
	if (ours) {
		/* jump and memory targets that are bootinst's labels */
		const char *hex = strstr(insn, "0x");
		const struct mbr_label *target = hex ? label_at((unsigned)strtoul(hex, NULL, 16)) : NULL;
		if (target && target->addr != origin) {
			fprintf(out, "    %-56s ; -> %s%s%s\n", text, target->name, comment ? ": " : "",
				comment ? comment : "");
			return;
		}
	}
	if (comment)
		fprintf(out, "    %-56s ; %s\n", text, comment);
	else
		fprintf(out, "    %s\n", text);
}

/* Run ndisasm over the image's first 440 bytes at origin, skipping the
 * data ranges, and print its lines through print_line. */
static int run_ndisasm(FILE *out, FILE *err, const struct info_disk *d, int ours, unsigned origin)
{
	char org[16], skip[MAX_SKIPS][32];
	char *argv[8 + 2 * MAX_SKIPS];
	unsigned argc = 0, skips = 0;
	posix_spawn_file_actions_t actions;
	int pipefd[2], status, rc;
	pid_t pid;
	FILE *in;
	char line[256];

	argv[argc++] = (char *)"sh";
	argv[argc++] = (char *)"-c";
	argv[argc++] = (char *)"head -c 440 | exec " NDISASM " \"$@\" -";
	argv[argc++] = (char *)"sh";
	argv[argc++] = (char *)"-b";
	argv[argc++] = (char *)"16";
	snprintf(org, sizeof(org), "0x%X", origin);
	argv[argc++] = (char *)"-o";
	argv[argc++] = org;
	for (size_t i = 0; ours && i < LABELS && skips < MAX_SKIPS; i++) {
		unsigned end = origin + MBR_BOOT_CODE_MAX;
		if (!mbr_labels[i].data || (i && mbr_labels[i - 1].data && mbr_labels[i - 1].addr < mbr_labels[i].addr))
			continue;             /* only where a run of data starts */
		size_t j = i;
		while (j + 1 < LABELS && mbr_labels[j + 1].data)
			j++;
		snprintf(skip[skips], sizeof(skip[skips]), "0x%X,%u", mbr_labels[i].addr,
			 label_end(j, end) - mbr_labels[i].addr);
		argv[argc++] = (char *)"-k";
		argv[argc++] = skip[skips++];
	}
	argv[argc] = NULL;

	if (pipe(pipefd))
		return -errno;
	/* ndisasm reads the image's own descriptor from its start */
	if (lseek(d->img->fd, 0, SEEK_SET) < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return rc;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, d->img->fd, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&actions, pipefd[0]);
	rc = posix_spawn(&pid, "/bin/sh", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return -rc;
	}
	in = fdopen(pipefd[0], "r");
	if (!in) {
		rc = -errno;
		close(pipefd[0]);
		waitpid(pid, &status, 0);
		return rc;
	}
	while (fgets(line, sizeof(line), in)) {
		unsigned long addr;
		char *end;

		line[strcspn(line, "\n")] = '\0';
		addr = strtoul(line, &end, 16);
		if (ours && end != line && strstr(line, "skipping 0x")) {
			unsigned long len = strtoul(strstr(line, "skipping 0x") + 9, NULL, 16);
			unsigned stop = origin + MBR_BOOT_CODE_MAX;

			for (size_t i = 0; i < LABELS; i++)
				if (mbr_labels[i].data && mbr_labels[i].addr >= addr &&
				    mbr_labels[i].addr < addr + len && label_end(i, stop) > mbr_labels[i].addr) {
					print_labels(out, mbr_labels[i].addr);
					print_data(out, d->mbr.sector, origin, i, stop);
				}
			continue;
		}
		print_line(out, line, ours, origin);
	}
	fclose(in);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(err, "bootinst: %s: --disasm: ndisasm failed (exit status %d)\n", d->img->path,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

int info_print_disasm(FILE *out, FILE *err, const struct info_disk *d)
{
	const struct info_boot_code *c = &d->mbr.code;
	int ours = c->owner == OWNER_BOOTINST && c->this_build;
	int rc;

	info_put_text(out, d->img->path);
	fprintf(out, ": the boot code of LBA 0 (bytes 0x000-0x1B7), %s\n", c->name);
	if (c->owner == OWNER_ZEROS) {
		fprintf(out, "nothing to disassemble: the 440 bytes are all zeros\n");
		return 0;
	}
	if (!on_path(NDISASM)) {
		fprintf(err, "bootinst: %s: --disasm needs %s, which is not on PATH\n"
			"  fix: install Debian's %s package (apt-get install %s), which provides it\n",
			d->img->path, NDISASM, NDISASM_PACKAGE, NDISASM_PACKAGE);
		return -1;
	}
	if (ours)
		fprintf(out, "bootinst's own MBR code (asm/mbr.asm), byte for byte: its labels and comments are "
			"from the build's map and listing\nrun at 0x%X: it moves itself there from 0x7C00 first\n\n",
			c->origin);
	else if (c->owner == OWNER_BOOTINST)
		fprintf(out, "bootinst's MBR from another version: its code differs from this bootinst's, so "
			"its labels are not shown\n\n");
	else
		fprintf(out, "disassembled at 0x%X%s; ndisasm cannot tell code from data, so messages show "
			"as instructions\n\n", c->origin, c->origin == 0x7C00 ? ", where the BIOS loads it"
			: ", where it moves itself");
	rc = run_ndisasm(out, err, d, ours, ours ? MBR_LABELS_ORG : c->origin);
	if (rc < -1) {
		fprintf(err, "bootinst: %s: --disasm: cannot run %s: %s\n", d->img->path, NDISASM, strerror(-rc));
		return -1;
	}
	return rc;
}
