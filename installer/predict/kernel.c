/*
 * kernel.c - which kernel the bzImage is.  The setup header's
 * kernel_version field (protocol 2.00+) points to a NUL-terminated string
 * 0x200 bytes before its file offset (Documentation/arch/x86/boot.rst):
 * "6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP ..." for
 * Linux, whose release is the first word.  Other programs use the Linux
 * boot protocol too (memtest86+, test kernels): what they do after the
 * loader is not Linux's, and nothing after the loader is predicted for them.
 */
#include "parts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "disk/partfs.h"
#include "linux_boot.h"

#define VERSION_TEXT_MAX 128

/* The version string of the kernel at path into text (VERSION_TEXT_MAX). */
static int version_text(ext2_filsys fs, const char *path, char *text)
{
	uint8_t head[LINUX_HDR_OFF(kernel_version) + 2];
	struct partfs_file kernel;
	unsigned got, pointer;

	if (!fs || partfs_lookup(fs, path, &kernel) ||
	    partfs_read_at(fs, kernel.ino, 0, head, sizeof(head), &got) || got < sizeof(head) ||
	    memcmp(head + LINUX_HDR_OFF(header), "HdrS", 4) != 0)
		return 0;
	pointer = head[LINUX_HDR_OFF(kernel_version)] | head[LINUX_HDR_OFF(kernel_version) + 1] << 8;
	if (!pointer || partfs_read_at(fs, kernel.ino, pointer + 0x200u, text, VERSION_TEXT_MAX - 1, &got) ||
	    !got)
		return 0;
	text[got] = '\0';
	for (unsigned i = 0; text[i]; i++)
		if (!isprint((unsigned char)text[i]))
			text[i] = '\0';
	return text[0] != '\0';
}

int kernel_release(ext2_filsys fs, const char *path, char *version)
{
	char text[VERSION_TEXT_MAX];

	if (!version_text(fs, path, text))
		return 0;
	text[strcspn(text, " ")] = '\0';
	snprintf(version, VERSION_TEXT_MAX, "%s", text);
	return 1;
}

/* "6.1.0-56-cloud-amd64", "2.6.22.9", "5.10.0": the numbers before the
 * first character that is neither a digit nor a dot. */
static unsigned parse_release(const char *release)
{
	unsigned part[3] = { 0, 0, 0 }, n = 0;
	const char *p = release;

	if (!isdigit((unsigned char)*p))
		return 0;
	while (n < 3 && isdigit((unsigned char)*p)) {
		unsigned long v = strtoul(p, (char **)&p, 10);
		part[n++] = v > 255 ? 255 : (unsigned)v;
		if (*p != '.')
			break;
		p++;
	}
	return n >= 2 ? KERNEL_VERSION(part[0], part[1], part[2]) : 0;
}

void kernel_identify(const struct predict_input *in, struct kernel_identity *k)
{
	char text[VERSION_TEXT_MAX];

	memset(k, 0, sizeof(*k));
	if (!version_text(in->boot_fs, in->kernel, text)) {
		snprintf(k->said, sizeof(k->said), "(no version string)");
		return;
	}
	snprintf(k->said, sizeof(k->said), "%.63s", text);
	text[strcspn(text, " ")] = '\0';
	snprintf(k->release, sizeof(k->release), "%s", text);
	k->version = parse_release(k->release);
	k->is_linux = k->version != 0;
}
