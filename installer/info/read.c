/*
 * read.c - `bootinst info`'s reading, in the order the machine meets the
 * disk: LBA 0, the gap after it, the partitions, then the check engine
 * (what `bootinst check` finds, and which kernel it settles on) and what
 * boots.  Each part is its own file (model.h).
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include "report.h"

int info_read(const struct disk_image *img, struct info_disk *d, FILE *err)
{
	struct check_request req = { .mode = CHECKS_AS_INSTALLED };
	int rc;

	memset(d, 0, sizeof(*d));
	d->img = img;
	findings_init(&d->found);
	info_read_mbr(img, &d->mbr);
	rc = info_read_gap(img, &d->mbr, &d->gap);
	if (rc) {
		report_call_failed(err, img->path, "reading the sectors after the MBR", strerror(rc));
		return -1;
	}
	info_read_partitions(img, d);
	if (checks_run(&req, img, &d->check, &d->found, err))
		return -1;
	d->checked = 1;
	return info_read_boot(img, d, err);
}

void info_free(struct info_disk *d)
{
	findings_free(&d->found);
	free(d->boot.kernel.extent);
	free(d->boot.initrd.extent);
	d->boot.kernel.extent = d->boot.initrd.extent = NULL;
}
