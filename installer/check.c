/* check.c - `bootinst check` (see check.h). */
#include "check.h"

#include <stdlib.h>
#include "findings.h"
#include "report.h"
#include "verbose.h"

static struct check_request request_of(const struct check_options *o)
{
	struct check_request req = {
		.mode = CHECKS_AS_INSTALLED,
		.partition = o->partition,
		.kernel = o->kernel,
		.initrd = o->initrd,
		.cmdline = o->cmdline,
		.bus = o->bus,
	};
	return req;
}

const char *check_options_problem(const struct check_options *o)
{
	const struct check_request req = request_of(o);

	return check_request_problem(&req);
}

int check_run(const struct check_options *o)
{
	const struct check_request req = request_of(o);
	struct check_result result;
	struct image_failure why;
	struct disk_image img;
	struct findings found;
	int rc;

	if (image_open(&img, o->image, &why)) {
		report_image_failure(o->err, o->image, why.doing, why.reason, why.fix);
		return EXIT_FAILURE;
	}
	findings_init(&found);
	rc = checks_run(&req, &img, &result, &found, o->err);
	if (rc == 0 && !o->json)
		verbose_read_and_decided(o->out, o->image, &img, &result);
	image_close(&img);
	if (rc == 0) {
		const char *release = result.installed ? result.release : NULL;

		if (o->json)
			report_check_json(o->out, o->image, &found, release);
		else
			report_check_text(o->out, o->image, &found, release);
		rc = findings_count(&found, FINDING_ERROR) ? EXIT_FAILURE : EXIT_SUCCESS;
	} else {
		rc = EXIT_FAILURE;
	}
	findings_free(&found);
	return rc;
}
