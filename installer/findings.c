/* findings.c - see findings.h. */
#include "findings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void findings_init(struct findings *f)
{
	f->list = NULL;
	f->count = 0;
	f->capacity = 0;
}

void findings_free(struct findings *f)
{
	free(f->list);
	findings_init(f);
}

/* diag.path and diag.name point into their own finding (or are NULL). */
static void point_strings_home(struct finding *item)
{
	if (item->diag.path)
		item->diag.path = item->path;
	if (item->diag.name)
		item->diag.name = item->name;
}

/* The list grows by doubling; a struct finding is ~750 bytes and a check
 * finds a handful, so this reallocates two or three times at most.  A
 * move leaves every diag's string pointers aiming at the old block: they
 * are set again. */
static struct finding *next_slot(struct findings *f)
{
	if (f->count == f->capacity) {
		size_t capacity = f->capacity ? 2 * f->capacity : 8;
		struct finding *list = realloc(f->list, capacity * sizeof(*list));
		if (!list) {
			fputs("bootinst: out of memory while collecting findings\n", stderr);
			exit(EXIT_FAILURE);
		}
		f->list = list;
		f->capacity = capacity;
		for (size_t i = 0; i < f->count; i++)
			point_strings_home(&f->list[i]);
	}
	return &f->list[f->count++];
}

struct finding *findings_add(struct findings *f, enum finding_severity severity,
			     const struct diag *d, const char *object_fmt, ...)
{
	struct finding *item = next_slot(f);
	va_list ap;

	memset(item, 0, sizeof(*item));
	item->severity = severity;
	va_start(ap, object_fmt);
	vsnprintf(item->object, sizeof(item->object), object_fmt, ap);
	va_end(ap);
	/* Copy the strings: d's often point into buffers the caller reuses
	 * (the stage reader's path, a libext2fs message). */
	item->diag = *d;
	if (d->path)
		snprintf(item->path, sizeof(item->path), "%.*s",
			 d->path_len ? (int)d->path_len : (int)sizeof(item->path), d->path);
	item->diag.path_len = 0;   /* the copy is exactly what was meant */
	if (d->name)
		snprintf(item->name, sizeof(item->name), "%s", d->name);
	point_strings_home(item);
	return item;
}

void finding_hint(struct finding *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item->hint, sizeof(item->hint), fmt, ap);
	va_end(ap);
}

void finding_kernel_says(struct finding *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item->kernel_says, sizeof(item->kernel_says), fmt, ap);
	va_end(ap);
}

size_t findings_count(const struct findings *f, enum finding_severity severity)
{
	size_t n = 0;

	for (size_t i = 0; i < f->count; i++)
		n += f->list[i].severity == severity;
	return n;
}
