/* format.c - the helpers the views share (views.h). */
#include "views.h"

#include <inttypes.h>
#include <string.h>
#include "report.h"

int info_shown_length(const unsigned char *p)
{
	int n = report_utf8_length(p);

	return n == 0 || *p < 0x20 || *p == 0x7f ? 0 : n;
}

void info_put_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = info_shown_length(p);
		if (n == 0) {
			fprintf(out, "\\x%02x", *p++);
			continue;
		}
		fwrite(p, 1, (size_t)n, out);
		p += n;
	}
}

const char *info_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;
	uint64_t scale = 1024;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " byte%s", bytes, bytes == 1 ? "" : "s");
		return buf;
	}
	while (u + 1 < sizeof(unit) / sizeof(unit[0]) && bytes >= scale * 1024) {
		scale *= 1024;
		u++;
	}
	if (bytes % scale == 0)
		snprintf(buf, size, "%" PRIu64 " %s", bytes / scale, unit[u]);
	else
		snprintf(buf, size, "%.1f %s", (double)bytes / (double)scale, unit[u]);
	return buf;
}

const char *info_owner_key(enum info_owner owner)
{
	switch (owner) {
	case OWNER_ZEROS:       return "zeros";
	case OWNER_BOOTINST:    return "bootinst";
	case OWNER_GRUB2:       return "grub2";
	case OWNER_GRUB_LEGACY: return "grub-legacy";
	case OWNER_SYSLINUX:    return "syslinux";
	case OWNER_DOS:         return "dos";
	case OWNER_WINDOWS:     return "windows";
	case OWNER_UNKNOWN:     return "unknown";
	}
	return "unknown";
}

const char *info_content_words(const struct info_partition *p)
{
	switch (p->probe.content) {
	case CONTENT_EXT:
	case CONTENT_SWAP:
	case CONTENT_CRYPTO:
	case CONTENT_OTHER_FS:
	case CONTENT_OTHER:
		return p->probe.type[0] ? p->probe.type : "something";
	case CONTENT_EMPTY:
		return "zeros (no signature, and its first 64 KiB are zeros)";
	case CONTENT_UNKNOWN:
		return p->probe.type[0] ? p->probe.type : "nothing libblkid recognises";
	case CONTENT_UNREADABLE:
		return "unreadable: it lies (partly) past the image's end";
	}
	return "?";
}
