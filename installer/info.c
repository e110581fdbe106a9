/* info.c - `bootinst info` (see info.h). */
#include "info.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "commit/out_file.h"
#include "info/views.h"

/* The picture into its file (or out for "-"). */
static int write_svg(const struct info_options *o, const struct info_disk *d)
{
	struct out_file file;

	if (!strcmp(o->svg, "-")) {
		info_print_svg(o->out, d);
		return 0;
	}
	if (out_file_start(&file, o->svg, d->img->fd, o->err))
		return -1;
	info_print_svg(file.stream, d);
	return out_file_finish(&file, o->err);
}

static int show(const struct info_options *o, const struct info_disk *d)
{
	switch (o->view) {
	case INFO_VIEW_TEXT:   info_print_text(o->out, d); return 0;
	case INFO_VIEW_MBR:    info_print_mbr(o->out, d); return 0;
	case INFO_VIEW_DISASM: return info_print_disasm(o->out, o->err, d);
	case INFO_VIEW_SVG:    return write_svg(o, d);
	case INFO_VIEW_MAP:    info_print_map(o->out, d); return 0;
	case INFO_VIEW_JSON:   info_print_json(o->out, d); return 0;
	}
	return -1;
}

int info_run(const struct info_options *o)
{
	struct image_failure why;
	struct disk_image img;
	struct info_disk *d;
	int rc;

	if (image_open(&img, o->image, &why)) {
		report_image_failure(o->err, o->image, why.doing, why.reason, why.fix);
		return EXIT_FAILURE;
	}
	d = malloc(sizeof(*d));
	if (!d) {
		report_call_failed(o->err, o->image, "reading the image", "out of memory");
		image_close(&img);
		return EXIT_FAILURE;
	}
	rc = info_read(&img, d, o->err);
	if (rc == 0)
		rc = show(o, d);
	if (fflush(o->out) != 0 || ferror(o->out)) {
		report_call_failed(o->err, o->image, "printing the view", strerror(errno ? errno : EIO));
		rc = -1;
	}
	info_free(d);
	free(d);
	image_close(&img);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}
