/*
 * main.c - the bootinst command: parse the command line, run one verb.
 *
 *   bootinst install IMAGE [options]
 *
 * Usage errors print what is wrong and the "Try 'bootinst --help'" line and
 * exit 2 (util-linux's convention); a failed verb exits 1.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install.h"

#define EXIT_USAGE 2

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
	       "  install IMAGE    write the MBR boot code and the stage after it\n"
	       "\n"
	       "Options of install:\n"
	       "  -p, --partition N   boot partition, 1-4 (default: the active one,\n"
	       "                      else the first of type 0x83 Linux)\n"
	       "  -k, --kernel PATH   kernel inside that filesystem (default %s)\n"
	       "  -i, --initrd PATH   initrd inside that filesystem (default: none)\n"
	       "  -c, --cmdline TEXT  kernel command line (default: empty)\n"
	       "  -f, --force         write even if the sectors after the MBR hold another\n"
	       "                      loader's data (that loader stops booting) or the\n"
	       "                      disk is mounted (the running system may undo it)\n"
	       "  -n, --dry-run       check everything and show what would be written,\n"
	       "                      write nothing\n"
	       "  -h, --help          show this help and exit\n"
	       "\n"
	       "Only LBA 0 bytes 0-439 and the stage's sectors from LBA 1 are written;\n"
	       "the disk signature and the partition table are kept byte for byte.\n",
	       INSTALL_DEFAULT_KERNEL);
}

static unsigned parse_partition(const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || n < 1 || n > 4)
		usage_error("--partition takes a primary partition number, 1 to 4, not '%s'", arg);
	return (unsigned)n;
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
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct install_options o = {
		.kernel = INSTALL_DEFAULT_KERNEL,
		.cmdline = "",
		.out = stdout,
		.err = stderr,
	};
	struct install_result result;
	const char *problem;
	int c;

	/* getopt's own messages start with argv[0]: make them name the verb */
	argv[0] = (char *)"bootinst install";
	while ((c = getopt_long(argc, argv, "p:k:i:c:fnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.partition = parse_partition(optarg); break;
		case 'k': o.kernel = optarg; break;
		case 'i': o.initrd = optarg; break;
		case 'c': o.cmdline = optarg; break;
		case 'f': o.force = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'h': print_help(); return EXIT_SUCCESS;
		default:
			fprintf(stderr, "Try 'bootinst --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind == argc)
		usage_error("install: no IMAGE given");
	if (optind + 1 < argc)
		usage_error("install: one IMAGE only; '%s' is one too many", argv[optind + 1]);
	o.image = argv[optind];
	if ((problem = install_options_problem(&o)))
		usage_error("install: %s", problem);
	return install_run(&o, &result);
}

int main(int argc, char **argv)
{
	/* Verbs and the functions that run them; check and explain come later. */
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} verbs[] = {
		{ "install", install_main },
	};

	if (argc < 2)
		usage_error("no verb given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help();
		return EXIT_SUCCESS;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	usage_error("unknown verb '%s'", argv[1]);
}
