/*
 * cmdline.c - root= and init= as the kernel reads its command line.
 */
#include "parts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/*
 * The kernel splits its command line at white space outside double quotes;
 * a parameter quoted as a whole ("root=/dev/sda1") or in its value
 * (root="/dev/sda1") loses the quotes (kernel/params.c next_arg).  "--"
 * ends the kernel's part: what follows is init's.
 */
static const char *next_kernel_arg(const char *p, char *arg, size_t size)
{
	size_t len = 0;
	int in_quote = 0;

	for (; *p && (in_quote || !isspace((unsigned char)*p)); p++) {
		if (*p == '"') {
			in_quote = !in_quote;
			continue;
		}
		if (len + 1 < size)
			arg[len++] = *p;
	}
	arg[len] = '\0';
	return p;
}

void parse_kernel_args(const char *cmdline, struct kernel_args *args)
{
	char arg[PREDICT_ARG_MAX + 5];        /* "root=" and a value that fits */
	const char *p = cmdline ? cmdline : "";

	memset(args, 0, sizeof(*args));
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		p = next_kernel_arg(p, arg, sizeof(arg));
		if (strcmp(arg, "--") == 0)
			break;
		/* root= and init= keep the last value given (init/do_mounts.c
		 * root_dev_setup, init/main.c init_setup). */
		if (strncmp(arg, "root=", 5) == 0) {
			args->has_root = 1;
			snprintf(args->root, sizeof(args->root), "%s", arg + 5);
		} else if (strncmp(arg, "init=", 5) == 0) {
			args->has_init = 1;
			snprintf(args->init, sizeof(args->init), "%s", arg + 5);
		}
	}
}
