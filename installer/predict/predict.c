/*
 * predict.c - the parts in the kernel's own order (parts.h): find the root
 * device and mount it (init/do_mounts.c prepare_namespace), open
 * /dev/console for init's stdio, then run init (init/main.c kernel_init).
 * With an initrd the kernel runs the initramfs's /init instead, and
 * everything about the root is the initramfs's business: those predictions
 * become warnings or notes.  Only a Linux kernel's steps are predicted.
 */
#include "parts.h"

static void not_linux(const struct predict_input *in, const struct kernel_identity *k, struct findings *out)
{
	char why[128];
	struct diag d;

	snprintf(why, sizeof(why), "its version string \"%.60s\" is not a Linux release", k->said);
	diag_set(&d, DIAG_CANNOT_TELL);
	d.name = "what the kernel does after the loader";
	d.path = why;
	finding_hint(findings_add(out, FINDING_NOTE, &d, "%s", in->kernel),
		     "the root filesystem, init and /dev/console are not checked");
}

void predict_after_loader(const struct predict_input *in, struct findings *out)
{
	struct kernel_identity k;
	struct kernel_args args;
	struct kernel_config cfg;
	struct root_fs root;

	kernel_identify(in, &k);
	if (!k.is_linux) {
		not_linux(in, &k, out);
		return;
	}
	parse_kernel_args(in->cmdline, &args);
	predict_root(in, &args, &root, out);
	if (root.partition)
		root_fs_open(in, &root);
	kconfig_load(in, root.fs, &cfg);
	if (root.partition)
		predict_root_fs(in, &args, &k, &cfg, &root, out);
	if (!in->initrd && (root.partition || root.disk != ROOT_DISK_UNKNOWN))
		predict_kernel_drivers(in, &cfg, &root, out);
	if (root.fs) {
		predict_init(in, &args, &cfg, &root, out);
		predict_console(in, &k, &cfg, &root, out);
	}
	kconfig_free(&cfg);
	root_fs_close(&root);
}
