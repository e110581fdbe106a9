/*
 * fuzz_check.c - the whole of `bootinst check` but its printing
 * (installer/checks/checks.h, checks_run) on a disk image that is the fuzz
 * input: libfdisk's view of the partition table, the installed MBR code
 * and stage with its record, libext2fs's and the stage's reader's view of
 * the boot partition, the config file, the kernel and the initrd, the
 * memory plan, the predictions after the loader.
 *
 * The input goes to a memfd that image_open opens by its /proc/self/fd
 * name, as it would open an image file: the installer's own read path,
 * unchanged.  Seeds are small disks (tests/fuzz/make-seeds.sh: 128 KiB,
 * a 1 KiB-block ext2 at sector 63), so each run is short.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "checks/checks.h"
#include "findings.h"
#include "disk/image.h"

static FILE *devnull;

static void check_image(int fd, const struct check_request *req)
{
	char path[64];
	struct disk_image img;
	struct image_failure why;
	struct check_result res;
	struct findings found;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (image_open(&img, path, &why))
		return;
	findings_init(&found);
	checks_run(req, &img, &res, &found, devnull);
	findings_free(&found);
	image_close(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as `bootinst check IMAGE`, and as install's pre-check with options */
	static const struct check_request as_installed = { .mode = CHECKS_AS_INSTALLED };
	static const struct check_request before_install = {
		.mode = CHECKS_BEFORE_INSTALL, .kernel = "/boot/vmlinuz",
		.initrd = "/boot/initrd.img", .cmdline = "console=ttyS0 root=/dev/sda1",
	};
	int fd;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	fd = memfd_create("fuzz-disk", 0);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	check_image(fd, &as_installed);
	check_image(fd, &before_install);
	close(fd);
	return 0;
}
