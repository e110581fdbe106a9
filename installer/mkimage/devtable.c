/* devtable.c - see devtable.h. */
#include "devtable.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS 10

__attribute__((format(printf, 4, 5)))
static int bad(char *why, size_t why_size, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, why_size, "line %u: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < why_size)
		vsnprintf(why + n, why_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A field as a number in base, or '-' as dash_value; -1 if neither. */
static long number(const char *field, int base, long dash_value, long max)
{
	char *end;
	long v;

	if (!strcmp(field, "-"))
		return dash_value;
	if (*field < '0' || *field > '9')
		return -1;
	v = strtol(field, &end, base);
	return *end || v > max ? -1 : v;
}

/* Split line (NUL-terminated, modified) into at most FIELDS fields at
 * blanks; returns how many. */
static int split(char *line, char **field)
{
	int n = 0;

	for (char *p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
		if (n == FIELDS)
			return FIELDS + 1;
		field[n++] = p;
	}
	return n;
}

/* Is one of path's components "." or ".."? */
static int has_dot_component(const char *path)
{
	for (const char *p = path; (p = strchr(p, '/')); p++)
		if ((p[1] == '.' && (p[2] == '/' || !p[2])) ||
		    (p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3])))
			return 1;
	return 0;
}

static int add(struct devtable *t, const struct devtable_entry *e, char *why, size_t why_size)
{
	struct devtable_entry *grown;

	if (t->count == DEVTABLE_ENTRIES_MAX)
		return bad(why, why_size, e->line, "more than %u entries in all", DEVTABLE_ENTRIES_MAX);
	grown = realloc(t->entry, (t->count + 1) * sizeof(*grown));
	if (!grown)
		return bad(why, why_size, e->line, "out of memory");
	t->entry = grown;
	t->entry[t->count++] = *e;
	return 0;
}

static int parse_line(char *text, unsigned line, struct devtable *t, char *why, size_t why_size)
{
	char *f[FIELDS + 1];
	int n = split(text, f);
	struct devtable_entry e = { .line = line };
	long mode, uid, gid, major, minor, start, inc, count;

	if (n == 0 || f[0][0] == '#')
		return 0;
	if (n != FIELDS)
		return bad(why, why_size, line, "%d fields; an entry has 10: name type mode uid gid "
			   "major minor start inc count ('-' where one does not apply)", n > FIELDS ? FIELDS + 1 : n);
	if (f[0][0] != '/')
		return bad(why, why_size, line, "the name '%.64s' is not an absolute path inside the image", f[0]);
	if (has_dot_component(f[0]))
		return bad(why, why_size, line, "the name '%.64s' has a '.' or '..' in it: give the "
			   "path itself", f[0]);
	if (strlen(f[0]) + 4 >= DEVTABLE_PATH_MAX)
		return bad(why, why_size, line, "the name is longer than %d bytes", DEVTABLE_PATH_MAX - 5);
	if (strlen(f[1]) != 1 || !strchr("fdcbp", f[1][0]))
		return bad(why, why_size, line, "the type '%.8s' is none of f (file), d (directory), "
			   "c (character device), b (block device), p (FIFO)", f[1]);
	e.type = f[1][0];
	mode = number(f[2], 8, -1, 07777);
	uid = number(f[3], 10, 0, 0xFFFFFFFE);
	gid = number(f[4], 10, 0, 0xFFFFFFFE);
	major = number(f[5], 10, 0, 4095);
	minor = number(f[6], 10, 0, 1048575);
	start = number(f[7], 10, 0, 1000000);
	inc = number(f[8], 10, 0, 1048575);
	count = number(f[9], 10, 0, DEVTABLE_COUNT_MAX);
	if (mode < 0)
		return bad(why, why_size, line, "the mode '%.16s' is not an octal number up to 7777", f[2]);
	if (uid < 0 || gid < 0)
		return bad(why, why_size, line, "the uid or gid is not a number");
	if (major < 0 || minor < 0)
		return bad(why, why_size, line, "the major or minor number is not a number the kernel "
			   "takes (major up to 4095, minor up to 1048575)");
	if (start < 0 || inc < 0 || count < 0)
		return bad(why, why_size, line, "start, inc and count are numbers (count up to %u) or '-'",
			   DEVTABLE_COUNT_MAX);
	if ((e.type == 'c' || e.type == 'b') && (!strcmp(f[5], "-") || !strcmp(f[6], "-")))
		return bad(why, why_size, line, "a device needs its major and minor numbers");
	e.mode = (unsigned)mode;
	e.uid = (unsigned)uid;
	e.gid = (unsigned)gid;
	e.major = (unsigned)major;
	if (count == 0) {
		snprintf(e.path, sizeof(e.path), "%s", f[0]);
		e.minor = (unsigned)minor;
		return add(t, &e, why, why_size);
	}
	for (long i = 0; i < count; i++) {
		snprintf(e.path, sizeof(e.path), "%s%ld", f[0], start + i);
		e.minor = (unsigned)(minor + i * inc);
		if (e.minor > 1048575)
			return bad(why, why_size, line, "the minor numbers go past 1048575");
		if (add(t, &e, why, why_size))
			return -1;
	}
	return 0;
}

int devtable_parse(const char *text, size_t len, struct devtable *t, char *why, size_t why_size)
{
	char buf[1024];
	unsigned line = 0;
	size_t at = 0;

	memset(t, 0, sizeof(*t));
	while (at < len) {
		size_t end = at;

		while (end < len && text[end] != '\n')
			end++;
		line++;
		if (end - at >= sizeof(buf)) {
			devtable_free(t);
			return bad(why, why_size, line, "longer than %zu bytes", sizeof(buf) - 1);
		}
		memcpy(buf, text + at, end - at);
		buf[end - at] = '\0';
		if (memchr(buf, '\0', end - at)) {
			devtable_free(t);
			return bad(why, why_size, line, "a NUL byte: this is not a text file");
		}
		if (end - at && buf[end - at - 1] == '\r')
			buf[end - at - 1] = '\0';
		if (parse_line(buf, line, t, why, why_size)) {
			devtable_free(t);
			return -1;
		}
		at = end + 1;
	}
	return 0;
}

void devtable_free(struct devtable *t)
{
	free(t->entry);
	t->entry = NULL;
	t->count = 0;
}
