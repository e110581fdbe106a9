/*
 * predict.c - the parts in the kernel's own order (parts.h): find the root
 * device and mount it (init/do_mounts.c prepare_namespace), open
 * /dev/console for init's stdio (init/main.c console_on_rootfs), then run
 * init (init/main.c kernel_init).  With an initrd the kernel runs the
 * initramfs's /init instead, and everything about the root is the
 * initramfs's business: those predictions become warnings or notes.
 */
#include "parts.h"

void predict_after_loader(const struct predict_input *in, struct findings *out)
{
	struct kernel_args args;
	struct kernel_config cfg;
	struct root_fs root;

	parse_kernel_args(in->cmdline, &args);
	predict_root(in, &args, &root, out);
	kconfig_load(in, root.fs, &cfg);
	if (!in->initrd && root.partition)
		predict_kernel_drivers(in, &cfg, &root, out);
	if (root.fs) {
		predict_init(in, &args, &cfg, &root, out);
		predict_console(in, &cfg, &root, out);
	}
	kconfig_free(&cfg);
	root_fs_close(&root);
}
