/*
 * main.c - the bootinst command: parse the command line, run one verb.
 *
 *   bootinst install IMAGE [options]
 *   bootinst check IMAGE [options] [--json]
 *   bootinst explain CODE|NUMBER | --all | --markdown
 *   bootinst info IMAGE [--mbr | --disasm | --svg FILE | --map | --json]
 *
 * Options and verbs only: each verb's work is its *_run function.  Usage
 * errors print what is wrong and the "Try 'bootinst --help'" line and exit
 * 2, kept apart from a verb that ran and failed, which exits 1 (as grep,
 * diff and cmp keep "trouble" apart from "no").
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "explain.h"
#include "info.h"
#include "install.h"
#include "mkimage.h"
#include "release.h"
#include "report.h"
#include "uninstall.h"

#define EXIT_USAGE 2
/* long-only options */
#define OPT_FORCE_CHS 0x100
#define OPT_NO_WAIT   0x101
#define OPT_BACKUP    0x102
#define OPT_TIMEOUT   0x103
#define OPT_BIOS_DISK 0x104
#define OPT_ROOT        0x110
#define OPT_KERNEL_PATH 0x111
#define OPT_INITRD_PATH 0x112
#define OPT_SIZE        0x113
#define OPT_PART_START  0x114
#define OPT_FS          0x115
#define OPT_BLOCK_SIZE  0x116
#define OPT_INODE_SIZE  0x117
#define OPT_LABEL       0x118
#define OPT_DEVICE_TABLE 0x119
#define OPT_JSON        0x11a
#define OPT_BUS         0x11b
#define OPT_MBR         0x120
#define OPT_DISASM      0x121
#define OPT_SVG         0x122
#define OPT_MAP         0x123

__attribute__((format(printf, 1, 2), noreturn))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bootinst: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'bootinst --help' for more information.\n");
	va_end(ap);
	exit(EXIT_USAGE);
}

static void print_help(void)
{
	printf("Usage: bootinst VERB IMAGE [options]\n"
	       "\n"
	       "Make a disk image (or disk) with a DOS partition table boot a Linux\n"
	       "bzImage from an ext2/3/4 partition, with no root and no loop device.\n"
	       "\n"
	       "Verbs:\n"
	       "  mkimage IMAGE     make a disk image that boots from a folder and a\n"
	       "                    kernel: table, filesystem, loader (see below)\n"
	       "  install IMAGE     check, then write the MBR boot code and the stage\n"
	       "  check IMAGE       find offline what would stop IMAGE from booting;\n"
	       "                    reads only (exit 0: it boots, 1: errors)\n"
	       "  uninstall IMAGE   put back what the first install replaced: the MBR's\n"
	       "                    boot code and the sectors after it, byte for byte\n"
	       "  explain CODE      what a diagnostic code (E24), or every one GRUB Legacy\n"
	       "                    called by a number (24, grub24), means and how to fix it;\n"
	       "                    --all lists the whole catalog, --markdown as a table\n"
	       "  info IMAGE        study any disk image: every byte of the boot path\n"
	       "                    named and decoded (LBA 0, the gap after it, each\n"
	       "                    partition, the kernel and initrd, where they go in\n"
	       "                    memory, what check says); reads only\n"
	       "\n"
	       "Options of install and check:\n"
	       "  -p, --partition N   boot partition, 1-4 (default: the active one, else\n"
	       "                      the first of type 0x83)\n"
	       "  -k, --kernel PATH   kernel inside that filesystem (default: %s)\n"
	       "  -i, --initrd PATH   initrd inside that filesystem (default: none)\n"
	       "  -c, --cmdline TEXT  kernel command line (default: empty)\n"
	       "  (check of a disk bootinst is installed on takes each default from what\n"
	       "   install recorded; install records exactly the options given)\n"
	       "      --bus BUS       the controller the machine attaches the disk to: ide,\n"
	       "                      sata, scsi, virtio or nvme; it decides the name the\n"
	       "                      kernel gives the disk and the driver it needs (default:\n"
	       "                      the one root='s name implies; mkimage takes it too)\n"
	       "  -q, --quiet         print errors only: no warnings, notes or summary\n"
	       "  -v, --verbose       also print what was read (the partition table, the\n"
	       "                      gap after the MBR) and decided (the boot partition,\n"
	       "                      kernel, initrd, command line, where the stage goes)\n"
	       "  (findings are coloured on a terminal, unless NO_COLOR is set)\n"
	       "\n"
	       "Options of install:\n"
	       "  -f, --force         install even when the checks find errors: the disk\n"
	       "                      then stops at boot with the first of them; overwrite\n"
	       "                      another loader's data after the MBR (that loader stops\n"
	       "                      booting; needs --backup); write to a mounted disk (the\n"
	       "                      running system may undo or corrupt the change)\n"
	       "      --backup FILE   keep in FILE (a new file) the sectors after the MBR\n"
	       "                      that --force overwrites, for uninstall to put back\n"
	       "      --no-wait       if another bootinst is installing on IMAGE, fail\n"
	       "                      instead of waiting for it\n"
	       "  -n, --dry-run       check everything and show what would be written,\n"
	       "                      write nothing\n"
	       "      --timeout N     at boot, show the menu N seconds (0-3600) before the\n"
	       "                      recorded entry boots (default 0: only on a key);\n"
	       "                      /boot/bootinst.cfg's timeout line overrides it\n"
	       "      --force-chs     make the stage read with CHS (INT 13h AH=02h) even\n"
	       "                      where the BIOS has the extensions: to see what a\n"
	       "                      BIOS without them does (sectors past CHS reach fail)\n"
	       "      --bios-disk     make the stage read through the BIOS only, never\n"
	       "                      natively (IDE DMA): for a machine where the native\n"
	       "                      path misbehaves (as 'disk bios' in bootinst.cfg)\n"
	       "\n"
	       "Options of check:\n"
	       "  -j, --json          print the findings as one JSON object\n"
	       "\n"
	       "Options of info (one view; the default is the layout in words):\n"
	       "      --mbr           LBA 0 field by field: offset, bytes, meaning\n"
	       "      --disasm        the MBR's boot code disassembled (ndisasm, from the\n"
	       "                      nasm package), with bootinst's own labels where the\n"
	       "                      code is this bootinst's\n"
	       "      --svg FILE      the disk drawn to scale, as SVG, into FILE (- for\n"
	       "                      standard output)\n"
	       "      --map           the same picture in the terminal\n"
	       "      --json          all of it as one JSON object (docs/info-json.md)\n"
	       "\n"
	       "Options of mkimage (IMAGE is made new; --root and --kernel are needed):\n"
	       "      --root DIR          the tree that becomes the filesystem: modes,\n"
	       "                          links, sparse files and times kept, every file\n"
	       "                          owned by root whoever runs it\n"
	       "  -k, --kernel FILE       a bzImage on the host, put at --kernel-path\n"
	       "                          (with its config-VERSION, if one is beside it);\n"
	       "                          the tree's own file there is used, not copied\n"
	       "      --kernel-path PATH  where the kernel goes (default %s)\n"
	       "  -i, --initrd FILE       an initramfs on the host, put at --initrd-path\n"
	       "      --initrd-path PATH  where it goes (default %s)\n"
	       "  -c, --cmdline TEXT      kernel command line\n"
	       "      --size SIZE         image size (64M, 2G...; default auto: the content,\n"
	       "                          the filesystem's own blocks and a margin)\n"
	       "      --part-start N      the partition's first sector (default %u; 63 is\n"
	       "                          the tutorials' layout)\n"
	       "      --fs ext2|ext3|ext4 the filesystem (default ext2)\n"
	       "      --block-size N      1024, 2048 or 4096 (default %u)\n"
	       "      --inode-size N      128, 256, 512 or 1024 (default %u)\n"
	       "      --label L           the filesystem's label\n"
	       "      --device-table FILE device nodes, folders, modes and owners, in the\n"
	       "                          genext2fs / makedevs table format\n"
	       "  -f, --force             replace an existing IMAGE\n"
	       "  -n, --dry-run           say what would be made, make nothing\n"
	       "      --json              the summary as one JSON object\n"
	       "  -q, --quiet             print nothing but failures\n"
	       "\n"
	       "Options of uninstall:\n"
	       "      --backup FILE   the file install --force --backup wrote\n"
	       "  -n, --dry-run       say what would be written, write nothing\n"
	       "      --no-wait       as for install\n"
	       "\n"
	       "Options without a verb:\n"
	       "  -h, --help          show this help and exit\n"
	       "  -V, --version       show the release and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0   done (check: nothing stops the image from booting)\n"
	       "  1   check found errors; install, mkimage or uninstall refused or\n"
	       "      failed (nothing written), or a file could not be read\n"
	       "  2   usage: an unknown verb or option, a missing or bad argument\n"
	       "\n"
	       "install writes only LBA 0 bytes 0-439 and sectors after the MBR that hold\n"
	       "zeros or its own stages (a new stage goes beside the one the disk boots\n"
	       "now, so an install killed at any instant leaves a disk that boots); the\n"
	       "disk signature and the partition table are kept byte for byte.\n",
	       BOOTINST_DEFAULT_KERNEL, BOOTINST_DEFAULT_KERNEL, MKIMAGE_DEFAULT_INITRD,
	       MKIMAGE_DEFAULT_START, MKIMAGE_DEFAULT_BLOCK_SIZE, MKIMAGE_DEFAULT_INODE_SIZE);
}

static unsigned parse_partition(const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || n < 1)
		usage_error("--partition takes a primary partition number, 1 to 4, not '%s'", arg);
	/* DOS numbers the logical partitions in an extended one from 5 */
	if (n > 4)
		usage_error("--partition %s: partitions from 5 on are logical ones, inside an extended "
			    "partition, and the stage boots from a primary one: give 1 to 4 (sfdisk "
			    "--list IMAGE shows them), and put the kernel's filesystem on a primary "
			    "partition", arg);
	return (unsigned)n;
}

static enum disk_bus parse_bus(const char *arg)
{
	enum disk_bus bus;

	if (disk_bus_parse(arg, &bus))
		usage_error("--bus takes ide, sata, scsi, virtio or nvme (the controller the machine "
			    "attaches the disk to), not '%s'", arg);
	return bus;
}

static unsigned long parse_number(const char *option, const char *arg, unsigned long max)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || n > max)
		usage_error("%s takes a number up to %lu, not '%s'", option, max, arg);
	return n;
}

/* -q and -v: one, not both. */
static void set_style(const struct report_style *style)
{
	if (style->quiet && style->verbose)
		usage_error("-q (errors only) and -v (more) cannot go together");
	report_set_style(style);
}

/* IMAGE, the one operand left after the options of verb. */
static const char *one_image(int argc, char **argv, const char *verb)
{
	if (optind == argc)
		usage_error("%s: no IMAGE given", verb);
	if (optind + 1 < argc)
		usage_error("%s: one IMAGE only; '%s' is one too many", verb, argv[optind + 1]);
	return argv[optind];
}

static int install_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "partition", required_argument, NULL, 'p' },
		{ "kernel",    required_argument, NULL, 'k' },
		{ "initrd",    required_argument, NULL, 'i' },
		{ "cmdline",   required_argument, NULL, 'c' },
		{ "force",     no_argument,       NULL, 'f' },
		{ "dry-run",   no_argument,       NULL, 'n' },
		{ "force-chs", no_argument,       NULL, OPT_FORCE_CHS },
		{ "bios-disk", no_argument,       NULL, OPT_BIOS_DISK },
		{ "timeout",   required_argument, NULL, OPT_TIMEOUT },
		{ "no-wait",   no_argument,       NULL, OPT_NO_WAIT },
		{ "backup",    required_argument, NULL, OPT_BACKUP },
		{ "bus",       required_argument, NULL, OPT_BUS },
		{ "quiet",     no_argument,       NULL, 'q' },
		{ "verbose",   no_argument,       NULL, 'v' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_style style = { 0 };
	struct install_options o = {
		.kernel = BOOTINST_DEFAULT_KERNEL,
		.cmdline = "",
		.out = stdout,
		.err = stderr,
	};
	struct install_result result;
	const char *problem;
	int c, status;

	/* getopt's own messages start with argv[0]: "bootinst: install: unrecognized
	 * option '--x'", the message grammar (report.h) */
	argv[0] = (char *)"bootinst: install";
	while ((c = getopt_long(argc, argv, "p:k:i:c:fnqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.partition = parse_partition(optarg); break;
		case 'k': o.kernel = optarg; break;
		case 'i': o.initrd = optarg; break;
		case 'c': o.cmdline = optarg; break;
		case 'f': o.force = 1; break;
		case 'n': o.dry_run = 1; break;
		case OPT_FORCE_CHS: o.force_chs = 1; break;
		case OPT_BIOS_DISK: o.bios_disk = 1; break;
		case OPT_TIMEOUT: o.timeout = (unsigned)parse_number("--timeout", optarg, BOOTINST_TIMEOUT_MAX); break;
		case OPT_NO_WAIT: o.no_wait = 1; break;
		case OPT_BACKUP: o.backup = optarg; break;
		case OPT_BUS: o.bus = parse_bus(optarg); break;
		case 'q': style.quiet = 1; break;
		case 'v': style.verbose = 1; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	set_style(&style);
	o.image = one_image(argc, argv, "install");
	if ((problem = install_options_problem(&o)))
		usage_error("install: %s", problem);
	status = install_run(&o, &result);
	install_result_free(&result);
	return status;
}

static int check_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "partition", required_argument, NULL, 'p' },
		{ "kernel",    required_argument, NULL, 'k' },
		{ "initrd",    required_argument, NULL, 'i' },
		{ "cmdline",   required_argument, NULL, 'c' },
		{ "json",      no_argument,       NULL, 'j' },
		{ "bus",       required_argument, NULL, OPT_BUS },
		{ "quiet",     no_argument,       NULL, 'q' },
		{ "verbose",   no_argument,       NULL, 'v' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_style style = { 0 };
	struct check_options o = {
		.out = stdout,
		.err = stderr,
	};
	const char *problem;
	int c;

	argv[0] = (char *)"bootinst: check";
	while ((c = getopt_long(argc, argv, "p:k:i:c:jqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.partition = parse_partition(optarg); break;
		case 'k': o.kernel = optarg; break;
		case 'i': o.initrd = optarg; break;
		case 'c': o.cmdline = optarg; break;
		case 'j': o.json = 1; break;
		case OPT_BUS: o.bus = parse_bus(optarg); break;
		case 'q': style.quiet = 1; break;
		case 'v': style.verbose = 1; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	set_style(&style);
	o.image = one_image(argc, argv, "check");
	if ((problem = check_options_problem(&o)))
		usage_error("check: %s", problem);
	return check_run(&o);
}

/* SIZE as truncate takes it: bytes, or K, M, G, T (powers of 1024) or KB,
 * MB, GB, TB (powers of 1000) after the number; "auto" is 0. */
static uint64_t parse_size(const char *arg)
{
	static const char suffixes[] = "KMGT";
	char *end;
	unsigned long long n;
	uint64_t unit = 1;

	if (!strcmp(arg, "auto"))
		return 0;
	n = strtoull(arg, &end, 10);
	if (end == arg || *arg == '-')
		usage_error("--size takes a size such as 64M, 2G or 1000000, or auto, not '%s'", arg);
	if (*end) {
		const char *s = strchr(suffixes, end[0] & ~0x20);
		if (!s || (end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB")))
			usage_error("--size takes a size such as 64M, 2G or 1000000, or auto, not '%s'", arg);
		for (int i = 0; i <= s - suffixes; i++)
			unit *= !strcmp(end + 1, "B") ? 1000 : 1024;
	}
	if (!n || n > UINT64_MAX / unit)
		usage_error("--size %s: give a size above zero that fits 64 bits", arg);
	return n * unit;
}


static int mkimage_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root",         required_argument, NULL, OPT_ROOT },
		{ "kernel",       required_argument, NULL, 'k' },
		{ "kernel-path",  required_argument, NULL, OPT_KERNEL_PATH },
		{ "initrd",       required_argument, NULL, 'i' },
		{ "initrd-path",  required_argument, NULL, OPT_INITRD_PATH },
		{ "cmdline",      required_argument, NULL, 'c' },
		{ "size",         required_argument, NULL, OPT_SIZE },
		{ "part-start",   required_argument, NULL, OPT_PART_START },
		{ "fs",           required_argument, NULL, OPT_FS },
		{ "block-size",   required_argument, NULL, OPT_BLOCK_SIZE },
		{ "inode-size",   required_argument, NULL, OPT_INODE_SIZE },
		{ "label",        required_argument, NULL, OPT_LABEL },
		{ "device-table", required_argument, NULL, OPT_DEVICE_TABLE },
		{ "force",        no_argument,       NULL, 'f' },
		{ "dry-run",      no_argument,       NULL, 'n' },
		{ "json",         no_argument,       NULL, OPT_JSON },
		{ "quiet",        no_argument,       NULL, 'q' },
		{ "bus",          required_argument, NULL, OPT_BUS },
		{ "help",         no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mkimage_options o = {
		.kernel_path = BOOTINST_DEFAULT_KERNEL,
		.initrd_path = MKIMAGE_DEFAULT_INITRD,
		.cmdline = "",
		.part_start = MKIMAGE_DEFAULT_START,
		.fs = MKIMAGE_EXT2,
		.block_size = MKIMAGE_DEFAULT_BLOCK_SIZE,
		.inode_size = MKIMAGE_DEFAULT_INODE_SIZE,
		.out = stdout,
		.err = stderr,
	};
	const char *problem;
	int c;

	argv[0] = (char *)"bootinst: mkimage";
	while ((c = getopt_long(argc, argv, "k:i:c:fnqh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o.root = optarg; break;
		case 'k': o.kernel = optarg; break;
		case OPT_KERNEL_PATH: o.kernel_path = optarg; break;
		case 'i': o.initrd = optarg; break;
		case OPT_INITRD_PATH: o.initrd_path = optarg; break;
		case 'c': o.cmdline = optarg; break;
		case OPT_SIZE: o.size = parse_size(optarg); break;
		case OPT_PART_START: o.part_start = parse_number("--part-start", optarg, 1ul << 30); break;
		case OPT_FS:
			if (!strcmp(optarg, "ext2"))
				o.fs = MKIMAGE_EXT2;
			else if (!strcmp(optarg, "ext3"))
				o.fs = MKIMAGE_EXT3;
			else if (!strcmp(optarg, "ext4"))
				o.fs = MKIMAGE_EXT4;
			else
				usage_error("--fs takes ext2, ext3 or ext4, not '%s'", optarg);
			break;
		case OPT_BLOCK_SIZE: o.block_size = (uint32_t)parse_number("--block-size", optarg, 65536); break;
		case OPT_INODE_SIZE: o.inode_size = (uint32_t)parse_number("--inode-size", optarg, 65536); break;
		case OPT_LABEL: o.label = optarg; break;
		case OPT_DEVICE_TABLE: o.device_table = optarg; break;
		case OPT_BUS: o.bus = parse_bus(optarg); break;
		case 'f': o.force = 1; break;
		case 'n': o.dry_run = 1; break;
		case OPT_JSON: o.json = 1; break;
		case 'q': o.quiet = 1; set_style(&(struct report_style){ .quiet = 1 }); break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	o.image = one_image(argc, argv, "mkimage");
	if ((problem = mkimage_options_problem(&o)))
		usage_error("%s", problem);
	return mkimage_run(&o);
}

static int uninstall_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "backup",  required_argument, NULL, OPT_BACKUP },
		{ "dry-run", no_argument,       NULL, 'n' },
		{ "no-wait", no_argument,       NULL, OPT_NO_WAIT },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct uninstall_options o = {
		.out = stdout,
		.err = stderr,
	};
	int c;

	argv[0] = (char *)"bootinst: uninstall";
	while ((c = getopt_long(argc, argv, "nh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BACKUP: o.backup = optarg; break;
		case 'n': o.dry_run = 1; break;
		case OPT_NO_WAIT: o.no_wait = 1; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	o.image = one_image(argc, argv, "uninstall");
	return uninstall_run(&o);
}

static int explain_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all",      no_argument, NULL, 'a' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "help",     no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int all = 0, markdown = 0, c;

	argv[0] = (char *)"bootinst: explain";
	while ((c = getopt_long(argc, argv, "amh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'm': markdown = 1; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (all + markdown + (optind < argc) != 1 || optind + 1 < argc)
		usage_error("explain takes one CODE or NUMBER, or --all, or --markdown");
	if (all)
		explain_all(stdout);
	else if (markdown)
		explain_markdown(stdout);
	else
		return explain_lookup(stdout, stderr, argv[optind]);
	return EXIT_SUCCESS;
}

static int info_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mbr",    no_argument,       NULL, OPT_MBR },
		{ "disasm", no_argument,       NULL, OPT_DISASM },
		{ "svg",    required_argument, NULL, OPT_SVG },
		{ "map",    no_argument,       NULL, OPT_MAP },
		{ "json",   no_argument,       NULL, OPT_JSON },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info_options o = {
		.view = INFO_VIEW_TEXT,
		.out = stdout,
		.err = stderr,
	};
	unsigned views = 0;
	int c;

	argv[0] = (char *)"bootinst: info";
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MBR:    o.view = INFO_VIEW_MBR; views++; break;
		case OPT_DISASM: o.view = INFO_VIEW_DISASM; views++; break;
		case OPT_SVG:    o.view = INFO_VIEW_SVG; o.svg = optarg; views++; break;
		case OPT_MAP:    o.view = INFO_VIEW_MAP; views++; break;
		case OPT_JSON:   o.view = INFO_VIEW_JSON; views++; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (views > 1)
		usage_error("info shows one view at a time: give one of --mbr, --disasm, --svg FILE, "
			    "--map and --json (none: the layout in words)");
	if (o.svg && !*o.svg)
		usage_error("--svg takes a file name (- for standard output), not ''");
	o.image = one_image(argc, argv, "info");
	return info_run(&o);
}

int main(int argc, char **argv)
{
	/* Verbs and the functions that run them. */
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} verbs[] = {
		{ "install", install_main },
		{ "check",   check_main },
		{ "mkimage", mkimage_main },
		{ "uninstall", uninstall_main },
		{ "explain", explain_main },
		{ "info",    info_main },
	};

	if (argc < 2)
		usage_error("no verb given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help();
		return EXIT_SUCCESS;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bootinst from bootinst %s\n", BOOTINST_RELEASE);   /* util-linux's form */
		return EXIT_SUCCESS;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	usage_error("unknown verb '%s'", argv[1]);
}
