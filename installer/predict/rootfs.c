/*
 * rootfs.c - what the root partition holds, and whether this kernel can
 * mount it (L03, N01).
 *
 * libblkid names what is there.  The kernel mounts the root by trying
 * every filesystem driver it has (init/do_mounts.c mount_block_root), read
 * and write, then read-only; when none takes it, it prints "No filesystem
 * could mount root, tried: ..." and panics "VFS: Unable to mount root fs
 * on ...".  So a partition with no filesystem, swap, or an encrypted
 * volume with nothing to unlock it cannot be the root, and an ext
 * filesystem only when the kernel's ext4 (or ext2) driver knows every
 * feature it marks incompatible.  A read-only-compatible feature the driver
 * lacks does not stop the mount: the read-only retry takes it.  Whether the
 * driver is built in at all is drivers.c's (L10).
 */
#include "parts.h"

#include <stdio.h>
#include <string.h>
#include "disk/partfs.h"

/*
 * The incompatible features the ext4 driver mounts, and since which
 * release (fs/ext4/ext4.h EXT4_FEATURE_INCOMPAT_SUPP as it grew).  Bits not
 * here (compression 0x1, journal_dev 0x8, dirdata 0x1000, and any new bit)
 * no mainline ext4 driver mounts.
 */
static const struct { uint32_t bit; const char *name; unsigned since; } ext4_incompat[] = {
	{ 0x0002, "filetype",    KERNEL_VERSION(2, 6, 0) },
	{ 0x0004, "needs_recovery", KERNEL_VERSION(2, 6, 0) },
	{ 0x0010, "meta_bg",     KERNEL_VERSION(2, 6, 0) },
	{ 0x0040, "extent",      KERNEL_VERSION(2, 6, 28) },
	{ 0x0080, "64bit",       KERNEL_VERSION(2, 6, 28) },
	{ 0x0200, "flex_bg",     KERNEL_VERSION(2, 6, 28) },
	{ 0x0100, "mmp",         KERNEL_VERSION(3, 0, 0) },
	{ 0x8000, "inline_data", KERNEL_VERSION(3, 8, 0) },
	{ 0x10000, "encrypt",    KERNEL_VERSION(4, 1, 0) },
	{ 0x2000, "metadata_csum_seed", KERNEL_VERSION(4, 4, 0) },
	{ 0x0400, "ea_inode",    KERNEL_VERSION(4, 13, 0) },
	{ 0x4000, "large_dir",   KERNEL_VERSION(4, 13, 0) },
	{ 0x20000, "casefold",   KERNEL_VERSION(5, 2, 0) },
};

/* The ext2 driver's own set (fs/ext2/ext2.h EXT2_FEATURE_INCOMPAT_SUPP). */
#define EXT2_DRIVER_INCOMPAT (0x0002u | 0x0010u)

/* L03: the kernel cannot mount what root= names, so it panics as if there
 * were no root (without an initramfs). */
static struct finding *not_mountable(const struct predict_input *in, struct findings *out,
				     const char *spec, const char *why, uint64_t partition,
				     const char *hint)
{
	return root_not_found(in, root_report(out, FINDING_ERROR, DIAG_ROOT_NOT_MOUNTABLE, spec, why,
					      partition, hint));
}

/* N01 about root=: what it holds, which the image cannot tell, with why. */
static struct finding *cannot_tell(struct findings *out, enum finding_severity severity,
				   const char *spec, const char *why, const char *hint)
{
	return root_cannot_tell(out, severity, "what", spec, "holds", why, hint);
}

void root_fs_open(const struct predict_input *in, struct root_fs *root)
{
	const struct image_partition *part = &in->img->part[root->partition - 1];

	probe_partition(in->img, root->partition, &root->probe);
	if (root->probe.content != CONTENT_EXT)
		return;
	root->kind = !strcmp(root->probe.type, "ext2") ? EXT_KIND_EXT2
		   : !strcmp(root->probe.type, "ext3") ? EXT_KIND_EXT3 : EXT_KIND_EXT4;
	if (root->partition == in->boot_partition && in->boot_fs) {
		root->fs = in->boot_fs;
		return;
	}
	root->open_error = partfs_open(in->img, part->start, &root->fs);
	if (root->open_error)
		root->fs = NULL;
	else
		root->fs_opened_here = 1;
}

void root_fs_close(struct root_fs *root)
{
	if (root->fs_opened_here)
		ext2fs_close_free(&root->fs);
	root->fs = NULL;
	root->fs_opened_here = 0;
}

/*
 * The incompatible features of the root's ext filesystem that no driver of
 * this kernel mounts: 0 when it mounts.  The ext4 driver is assumed when
 * the config does not say (every distribution kernel since 2.6.28 has it).
 */
static uint32_t unmountable_features(const struct kernel_identity *k, const struct kernel_config *cfg,
				     uint32_t incompat, int *by_ext4)
{
	uint32_t supported = 0;

	*by_ext4 = cfg->found != KCONFIG_FILE || kconfig_value(cfg, "EXT4_FS") != 'n';
	if (*by_ext4) {
		for (size_t i = 0; i < sizeof(ext4_incompat) / sizeof(ext4_incompat[0]); i++)
			if (!k->version || k->version >= ext4_incompat[i].since)
				supported |= ext4_incompat[i].bit;
	}
	if (cfg->found == KCONFIG_FILE && kconfig_value(cfg, "EXT2_FS") != 'n')
		supported |= EXT2_DRIVER_INCOMPAT;
	return incompat & ~supported;
}

static void feature_names(uint32_t bits, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (uint32_t bit = 1; bit && used < size; bit <<= 1) {
		const char *name = NULL;

		if (!(bits & bit))
			continue;
		for (size_t i = 0; i < sizeof(ext4_incompat) / sizeof(ext4_incompat[0]); i++)
			if (ext4_incompat[i].bit == bit)
				name = ext4_incompat[i].name;
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
					 name ? name : bit == 0x1 ? "compression" : bit == 0x8 ? "journal_dev"
					 : bit == 0x1000 ? "dirdata" : "unknown");
		if (!name && used < size)
			used += (size_t)snprintf(out + used, size - used, " 0x%x", bit);
	}
}

static void judge_ext(const struct predict_input *in, const char *spec, const struct kernel_identity *k,
		      const struct kernel_config *cfg, struct root_fs *root, struct findings *out)
{
	uint32_t incompat = ext2fs_le32_to_cpu(root->probe.super.s_feature_incompat);
	char why[300], names[160];
	int by_ext4;
	uint32_t bad = unmountable_features(k, cfg, incompat, &by_ext4);
	struct finding *item;

	if (bad) {
		feature_names(bad, names, sizeof(names));
		snprintf(why, sizeof(why), "its %s filesystem has the incompatible feature%s %s (0x%x), which "
			 "the %s driver of Linux %s does not know", root->probe.type, bad & (bad - 1) ? "s" : "",
			 names, bad, by_ext4 ? "ext4" : "ext2", k->release[0] ? k->release : "(release unknown)");
		item = not_mountable(in, out, spec, why, root->partition,
			      "make the filesystem again without it (mke2fs -O ^FEATURE), or boot a kernel that knows it");
		/* ext4_feature_set_ok() names the bits the driver lacks, in hex;
		 * the initramfs's own mount meets the same message. */
		if (by_ext4)
			finding_kernel_says(item, "Couldn't mount because of unsupported optional features (%x)", bad);
		root_fs_close(root);
		return;
	}
	if (!root->fs) {
		snprintf(why, sizeof(why), "partition %u has an ext2/3/4 superblock that libext2fs cannot open (%s)",
			 root->partition, error_message(root->open_error));
		cannot_tell(out, FINDING_WARNING, spec, why, "run e2fsck -f on the partition");
	}
}

void predict_root_fs(const struct predict_input *in, const struct kernel_args *args,
		     const struct kernel_identity *k, const struct kernel_config *cfg,
		     struct root_fs *root, struct findings *out)
{
	const char *spec = args->root;
	const struct partition_probe *p = &root->probe;
	char why[200];

	switch (p->content) {
	case CONTENT_EXT:
		judge_ext(in, spec, k, cfg, root, out);
		return;
	case CONTENT_EMPTY:
		not_mountable(in, out, spec, "it is empty: all zeros",
		       root->partition, NULL);
		return;
	case CONTENT_UNKNOWN:
		snprintf(why, sizeof(why), "libblkid finds no filesystem on it (%s)",
			 p->type[0] ? p->type : "its bytes match no signature, and they are not zeros");
		not_mountable(in, out, spec, why, root->partition, NULL);
		return;
	case CONTENT_SWAP:
		not_mountable(in, out, spec, "it is a swap area",
		       root->partition, NULL);
		return;
	case CONTENT_UNREADABLE:
		not_mountable(in, out, spec, "it lies past the end of the image",
		       root->partition, NULL);
		return;
	case CONTENT_CRYPTO:
	case CONTENT_OTHER:
		if (!in->initrd) {
			if (p->content == CONTENT_CRYPTO)
				snprintf(why, sizeof(why), "it holds an encrypted volume (%s), which only an initramfs can open",
					 p->type);
			else
				snprintf(why, sizeof(why), "it holds a %s, no filesystem: only an initramfs can assemble it",
					 p->type);
			not_mountable(in, out, spec, why, root->partition, NULL);
			return;
		}
		snprintf(why, sizeof(why), "partition %u holds %s, opened by the initramfs", root->partition, p->type);
		cannot_tell(out, FINDING_NOTE, spec, why, "init and /dev/console are not checked");
		return;
	case CONTENT_OTHER_FS:
		/* drivers.c says whether the kernel has its driver */
		snprintf(why, sizeof(why), "partition %u holds %s, which bootinst does not read", root->partition, p->type);
		cannot_tell(out, FINDING_NOTE, spec, why, "init and /dev/console are not checked");
		return;
	}
}
