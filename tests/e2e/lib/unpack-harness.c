/*
 * unpack-harness.c - run the stage's own unpacker on the host: the build's
 * asm/entry.asm object (lz_unpack and unfilter_branches made global by
 * objcopy, linked -m32) on a stage image's packed part, compared with the
 * C part stagepack packed.  tests/e2e/cases/stagepack.sh feeds it edge
 * inputs; the boots feed the asm only the real stage.
 *
 *   unpack-harness HEAD_BYTES STAGE.bin C.bin
 *
 * Prints one line; exits 0 when the output is C.bin byte for byte and the
 * unpacker read no byte past the packed stream (the bytes after it are
 * junk, as the install record's strings are at boot).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_ROOM (1u << 20)

/* what stage.ld gives entry.asm: where the C part goes, the .bss that holds
 * the unpacker's probabilities, .bss16, and the symbols it names but the
 * unpacker does not use */
__attribute__((aligned(16))) unsigned char c_area[16 + C_ROOM];
__attribute__((aligned(16))) unsigned char bss_area[1u << 20];
unsigned char bss16_area[256];
__asm__(".globl __c_start\n .set __c_start, c_area + 16\n"
	".globl __bss_start\n .set __bss_start, bss_area\n"
	".globl __bss_end\n .set __bss_end, bss_area + 1024\n"
	".globl __bss16_start\n .set __bss16_start, bss16_area\n"
	".globl __bss16_end\n .set __bss16_end, bss16_area + 256\n"
	".globl __packed_c\n .set __packed_c, bss16_area\n");
void stage_main(void) {}
void to_protected_mode(void) {}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;

	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*n + 64);
	memset(b, 0xA5, *n + 64);
	if (fread(b, 1, *n, f) != *n)
		exit(2);
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	size_t head_n, stage_n, c_n, got;
	unsigned char *stage, *c, *in, *in_end, *out_end;
	long read;
	int ok;

	if (argc != 4) {
		fprintf(stderr, "usage: unpack-harness HEAD_BYTES STAGE.bin C.bin\n");
		return 2;
	}
	head_n = strtoul(argv[1], 0, 0);
	stage = slurp(argv[2], &stage_n);
	c = slurp(argv[3], &c_n);
	if (c_n > C_ROOM || head_n > stage_n)
		return 2;
	memset(c_area, 0x5A, sizeof c_area);
	memset(bss_area, 0x77, sizeof bss_area);
	in = stage + head_n;
	/* entry.asm's registers: ESI the stream, EDI the destination, DF clear */
	__asm__ volatile("pushl %%ebp\n\t"
			 "cld\n\t"
			 "call lz_unpack\n\t"
			 "pushl %%esi\n\t"
			 "pushl %%edi\n\t"
			 "call unfilter_branches\n\t"
			 "popl %%edi\n\t"
			 "popl %%esi\n\t"
			 "popl %%ebp\n\t"
			 : "=S"(in_end), "=D"(out_end)
			 : "S"(in), "D"(c_area + 16)
			 : "eax", "ebx", "ecx", "edx", "memory", "cc");
	got = (size_t)(out_end - (c_area + 16));
	read = in_end - in;
	ok = got == c_n && !memcmp(c_area + 16, c, c_n) && read <= (long)(stage_n - head_n);
	printf("%s: the asm unpacked %zu bytes (C part %zu), read %ld of %zu packed bytes: %s\n",
	       argv[2], got, c_n, read, stage_n - head_n, ok ? "identical" : "DIFFERENT or read too far");
	return !ok;
}
