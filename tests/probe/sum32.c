/*
 * sum32.c - print the probe kernel's checksum of a file, so a test can
 * compare it with the probe's "initrd_sum32=" line.
 *
 * sum32 is the 32-bit wrapping sum of the file read as little-endian uint32
 * words, the last partial word zero-padded (tests/probe/probe.asm, sum32).
 * It is a cheap check that every byte arrived, not a hash.
 *
 * Usage: sum32 FILE   prints 0x%08x and a newline; exits 1 on error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Adds the little-endian words of buf[0..len) to *sum; len is a multiple of
 * 4 except for the file's last chunk, whose tail is zero-padded. */
static void sum32_add(uint32_t *sum, const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		*sum += (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 |
			(uint32_t)buf[i + 2] << 16 | (uint32_t)buf[i + 3] << 24;
	for (unsigned shift = 0; i < len; i++, shift += 8)
		*sum += (uint32_t)buf[i] << shift;
}

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];  /* a multiple of 4: words never straddle reads */
	uint32_t sum = 0;
	size_t got;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: sum32 FILE\n");
		return 1;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "sum32: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* fread returns short only at end of file or on error, so only the
	 * last chunk can end in a partial word. */
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sum32_add(&sum, buf, got);
	if (ferror(f)) {
		fprintf(stderr, "sum32: %s: read error\n", argv[1]);
		fclose(f);
		return 1;
	}
	fclose(f);
	printf("0x%08x\n", sum);
	return 0;
}
