/*
 * replay_main.c - run a fuzz target's LLVMFuzzerTestOneInput once on each
 * input, without libFuzzer: what the suite does (make fuzz-replay) with
 * gcc's AddressSanitizer and UndefinedBehaviorSanitizer, which abort the
 * run at the first error.
 *
 *     replay FILE_OR_DIR...
 *
 * A directory's files are run in name order (not its subdirectories).
 * Each input's name is printed before it runs, so that the last name
 * printed before a sanitizer's report is the input that failed.  The last
 * line is "replay: N inputs"; the exit status is 0 when every input ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned ran;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		return -1;
	}
	/* exactly size bytes (one for none), so that a read past the input
	 * is a heap overflow */
	data = malloc(size ? (size_t)size : 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		perror(path);
		return -1;
	}
	fclose(f);
	printf("replay: %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	ran++;
	return 0;
}

static int only_files(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, only_files, alphasort), rc = 0;

	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && run_file(path))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) {
			rc = 1;
		}
	}
	printf("replay: %u inputs\n", ran);
	return rc;
}
