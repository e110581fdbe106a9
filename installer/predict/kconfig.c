/*
 * kconfig.c - the kernel's build configuration, which says what is built
 * in (drivers.c) and what the kernel does by itself (console.c).
 *
 * Debian installs it next to the kernel as /boot/config-VERSION.  The
 * kernel can also carry it (CONFIG_IKCONFIG, between the markers IKCFG_ST
 * and IKCFG_ED, kernel/configs.c), but gzipped inside the compressed
 * vmlinux: only an uncompressed kernel shows the marker, and even then the
 * config is gzip data bootinst does not inflate.
 */
#define _GNU_SOURCE            /* memmem */
#include "parts.h"

#include <stdlib.h>
#include <string.h>
#include "disk/partfs.h"

#define KCONFIG_MAX_BYTES  (4u << 20)   /* Debian's is ~250 KiB */
#define KERNEL_SCAN_CHUNK  (1u << 20)
#define VERSION_MAX        128
#define IKCONFIG_MARKER    "IKCFG_ST"
#define KERNEL_NAME_PREFIX "vmlinuz-"   /* Debian, Fedora, Arch: /boot/vmlinuz-VERSION */

/* --- finding the config ---------------------------------------------------- */

/* Read the config at path on fs into cfg; 0 when there is none to read. */
static int read_config(ext2_filsys fs, const char *path, struct kernel_config *cfg)
{
	struct partfs_file file;
	unsigned got;

	if (!fs || partfs_lookup(fs, path, &file) || !file.is_regular || file.size > KCONFIG_MAX_BYTES)
		return 0;
	cfg->text = malloc(file.size + 1);
	if (!cfg->text || partfs_read_at(fs, file.ino, 0, cfg->text, (unsigned)file.size, &got)) {
		free(cfg->text);
		cfg->text = NULL;
		return 0;
	}
	cfg->text[got] = '\0';
	cfg->found = KCONFIG_FILE;
	snprintf(cfg->source, sizeof(cfg->source), "%s", path);
	return 1;
}

/* Look for config-version beside the kernel, in the boot filesystem's
 * /boot, and in the root filesystem's /boot. */
static int find_config(const struct predict_input *in, ext2_filsys root_fs,
		       const char *version, struct kernel_config *cfg)
{
	char dir[256], path[300];
	const char *slash = strrchr(in->kernel, '/');
	size_t dir_len = slash ? (size_t)(slash - in->kernel) : 0;

	snprintf(dir, sizeof(dir), "%.*s", (int)dir_len, in->kernel);
	snprintf(path, sizeof(path), "%s/config-%s", dir, version);
	if (read_config(in->boot_fs, path, cfg))
		return 1;
	snprintf(path, sizeof(path), "/boot/config-%s", version);
	return read_config(in->boot_fs, path, cfg) ||
	       (root_fs != in->boot_fs && read_config(root_fs, path, cfg));
}

/* The version in the kernel's file name or in a symlink's target on the
 * way to it: /boot/vmlinuz -> vmlinuz-6.1.0-56-cloud-amd64. */
static int find_config_by_name(const struct predict_input *in, ext2_filsys root_fs,
			       struct kernel_config *cfg)
{
	char path[256], target[256], next[256];
	int hops = 0;

	snprintf(path, sizeof(path), "%s", in->kernel);
	for (;;) {
		const char *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;

		if (strncmp(base, KERNEL_NAME_PREFIX, strlen(KERNEL_NAME_PREFIX)) == 0 &&
		    find_config(in, root_fs, base + strlen(KERNEL_NAME_PREFIX), cfg))
			return 1;
		if (++hops > PARTFS_SYMLINK_LIMIT || partfs_read_symlink(in->boot_fs, path, target, sizeof(target)))
			return 0;
		/* A relative target is relative to the link's directory. */
		if (target[0] == '/' || !slash)
			snprintf(next, sizeof(next), "%s", target);
		else
			snprintf(next, sizeof(next), "%.*s/%.200s", (int)(slash - path), path, target);
		memcpy(path, next, sizeof(path));
	}
}

/* Whether the kernel file holds the IKCONFIG marker uncompressed. */
static int kernel_has_ikconfig_marker(ext2_filsys fs, const struct partfs_file *kernel)
{
	const size_t overlap = strlen(IKCONFIG_MARKER) - 1;
	char *buf = malloc(KERNEL_SCAN_CHUNK + overlap);
	uint64_t offset = 0;
	unsigned got;
	size_t kept = 0;
	int found = 0;

	while (buf && !found && offset < kernel->size &&
	       !partfs_read_at(fs, kernel->ino, offset, buf + kept, KERNEL_SCAN_CHUNK, &got) && got) {
		size_t have = kept + got;

		found = memmem(buf, have, IKCONFIG_MARKER, strlen(IKCONFIG_MARKER)) != NULL;
		offset += got;
		/* Keep the tail: the marker may straddle two chunks. */
		kept = have < overlap ? have : overlap;
		memmove(buf, buf + have - kept, kept);
	}
	free(buf);
	return found;
}

void kconfig_load(const struct predict_input *in, ext2_filsys root_fs, struct kernel_config *cfg)
{
	struct partfs_file kernel;
	char version[VERSION_MAX];

	memset(cfg, 0, sizeof(*cfg));
	if (find_config_by_name(in, root_fs, cfg))
		return;
	if (!in->boot_fs || partfs_lookup(in->boot_fs, in->kernel, &kernel)) {
		snprintf(cfg->source, sizeof(cfg->source), "%s is not there to read", in->kernel);
		return;
	}
	if (kernel_release(in->boot_fs, in->kernel, version)) {
		if (find_config(in, root_fs, version, cfg))
			return;
		snprintf(cfg->source, sizeof(cfg->source),
			 "there is no config-%s beside the kernel or in /boot", version);
	} else {
		snprintf(cfg->source, sizeof(cfg->source),
			 "the kernel's name and header give no version to find its config-VERSION by");
	}
	if (kernel_has_ikconfig_marker(in->boot_fs, &kernel)) {
		cfg->found = KCONFIG_EMBEDDED_ONLY;
		snprintf(cfg->source + strlen(cfg->source), sizeof(cfg->source) - strlen(cfg->source),
			 ", and the config inside the kernel (IKCONFIG) is gzipped (scripts/extract-ikconfig reads it)");
	}
}

void kconfig_free(struct kernel_config *cfg)
{
	free(cfg->text);
	cfg->text = NULL;
}

char kconfig_value(const struct kernel_config *cfg, const char *option)
{
	size_t len = strlen(option);
	const char *line;

	if (cfg->found != KCONFIG_FILE)
		return 'n';
	/* Lines read "CONFIG_FOO=y", "CONFIG_FOO=m" or "# CONFIG_FOO is not set". */
	for (line = cfg->text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, "CONFIG_", 7) == 0 && strncmp(line + 7, option, len) == 0 &&
		    line[7 + len] == '=')
			return line[8 + len] == 'y' || line[8 + len] == 'm' ? line[8 + len] : 'n';
	}
	return 'n';
}
