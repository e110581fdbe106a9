/*
 * stagepack.c - build tool: pack the stage's C part and join it to the
 * uncompressed head (header, 16-bit code, unpacker), as GRUB packs its
 * core.img, so that the stage stays small in the post-MBR gap.
 *
 *   stagepack HEAD.bin C.bin OUT.bin
 *
 * HEAD.bin: .header, .text16, .data16 as linked at 0x8000; C.bin: .text,
 * .rodata, .data as linked at their run address.  OUT.bin is HEAD.bin,
 * then C.bin packed, zero-padded to whole sectors, with the header's
 * image_size set.  The build fails if the stage and the longest install
 * record would not fit the 62-sector gap.
 *
 * The packed format (unpacked by lz_unpack in asm/entry.asm), a stream of:
 *   c < 0x80:   c + 1 literal bytes follow (1..128)
 *   0x80..0xbf: a near copy: ((c >> 4) & 3) + 3 bytes (3..6) from
 *               ((c & 0x0f) << 8 | next byte) + 1 bytes back (1..4096)
 *   0xc0..0xff: a far copy: (c & 0x3f) + 3 bytes (3..66) from the next two
 *               bytes' distance back (little endian, 1..65535); distance 0
 *               ends the stream
 * Copies go byte by byte, so a distance shorter than the length repeats.
 * Short copies of nearby code are the common case in x86 code, hence the
 * two-byte form.
 *
 * The packer is greedy over hash chains of 3-byte prefixes; before writing
 * it unpacks its own output and compares, so a packer bug fails the build
 * instead of the boot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage_header.h"

#define LITERAL_MAX   128
#define MATCH_MIN     3
#define MATCH_MAX     66
#define NEAR_LEN_MAX  6
#define NEAR_DIST_MAX 4096
#define DISTANCE_MAX  65535
#define HASH_BITS     15
#define CHAIN_STEPS   256

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(1);
	}
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "stagepack: %s: cannot read it\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static unsigned hash3(const unsigned char *p)
{
	return ((p[0] << 10) ^ (p[1] << 5) ^ p[2]) & ((1u << HASH_BITS) - 1);
}

/* Bytes a copy of len from dist back takes in the stream. */
static long copy_cost(size_t len, size_t dist)
{
	return dist <= NEAR_DIST_MAX && len <= NEAR_LEN_MAX ? 2 : 3;
}

static size_t put_literals(unsigned char *out, size_t o, const unsigned char *in, size_t from, size_t to)
{
	while (from < to) {
		size_t n = to - from < LITERAL_MAX ? to - from : LITERAL_MAX;
		out[o++] = (unsigned char)(n - 1);
		memcpy(out + o, in + from, n);
		o += n;
		from += n;
	}
	return o;
}

/* Pack in[0..n) into out (room for n + n/128 + 4 bytes); returns its length. */
static size_t pack(const unsigned char *in, size_t n, unsigned char *out)
{
	long *head = malloc(sizeof(long) << HASH_BITS);
	long *prev = malloc(sizeof(long) * (n + 1));
	size_t pos = 0, literals = 0, o = 0;

	for (size_t i = 0; i < (1u << HASH_BITS); i++)
		head[i] = -1;
	while (pos < n) {
		size_t best_len = 0, best_dist = 0;
		if (pos + MATCH_MIN <= n) {
			long cand = head[hash3(in + pos)];
			for (int steps = 0; cand >= 0 && steps < CHAIN_STEPS; steps++, cand = prev[cand]) {
				size_t dist = pos - (size_t)cand, len = 0;
				if (dist > DISTANCE_MAX)
					break;
				while (len < MATCH_MAX && pos + len < n && in[cand + len] == in[pos + len])
					len++;
				/* keep the copy that saves the most bytes */
				if (len >= MATCH_MIN && (best_len == 0 || (long)len - copy_cost(len, dist) >
							 (long)best_len - copy_cost(best_len, best_dist))) {
					best_len = len;
					best_dist = dist;
				}
			}
		}
		if (best_len >= MATCH_MIN && (long)best_len - copy_cost(best_len, best_dist) < 1)
			best_len = 0;                   /* a copy that saves nothing */
		size_t step = best_len >= MATCH_MIN ? best_len : 1;
		for (size_t k = 0; k < step; k++, pos++) {
			if (pos + MATCH_MIN <= n) {
				unsigned h = hash3(in + pos);
				prev[pos] = head[h];
				head[h] = (long)pos;
			}
		}
		if (best_len >= MATCH_MIN) {
			o = put_literals(out, o, in, literals, pos - best_len);
			if (copy_cost(best_len, best_dist) == 2) {
				size_t d = best_dist - 1;
				out[o++] = (unsigned char)(0x80 | (best_len - MATCH_MIN) << 4 | d >> 8);
				out[o++] = (unsigned char)(d & 0xff);
			} else {
				out[o++] = (unsigned char)(0xc0 | (best_len - MATCH_MIN));
				out[o++] = (unsigned char)(best_dist & 0xff);
				out[o++] = (unsigned char)(best_dist >> 8);
			}
			literals = pos;
		}
	}
	o = put_literals(out, o, in, literals, n);
	out[o++] = 0xc0;          /* a far copy from distance 0: the end */
	out[o++] = 0;
	out[o++] = 0;
	free(head);
	free(prev);
	return o;
}

/* What lz_unpack does, to check the packer; returns bytes out, or -1. */
static long unpack(const unsigned char *in, size_t in_len, unsigned char *out, size_t room)
{
	size_t i = 0, o = 0;

	while (i < in_len) {
		unsigned c = in[i++];
		if (c < 0x80) {
			if (i + c + 1 > in_len || o + c + 1 > room)
				return -1;
			memcpy(out + o, in + i, c + 1);
			i += c + 1;
			o += c + 1;
			continue;
		}
		size_t len, dist;
		if (c < 0xc0) {
			if (i + 1 > in_len)
				return -1;
			len = ((c >> 4) & 3) + MATCH_MIN;
			dist = ((c & 0x0f) << 8 | in[i++]) + 1;
		} else {
			if (i + 2 > in_len)
				return -1;
			len = (c & 0x3f) + MATCH_MIN;
			dist = in[i] | (size_t)in[i + 1] << 8;
			i += 2;
			if (!dist)
				return (long)o;
		}
		if (dist > o || o + len > room)
			return -1;
		for (size_t k = 0; k < len; k++, o++)
			out[o] = out[o - dist];
	}
	return -1;
}

int main(int argc, char **argv)
{
	size_t head_len, c_len;
	unsigned char *head, *c, *packed, *check;

	if (argc != 4) {
		fprintf(stderr, "usage: stagepack HEAD.bin C.bin OUT.bin\n");
		return 2;
	}
	head = read_file(argv[1], &head_len);
	c = read_file(argv[2], &c_len);
	packed = malloc(c_len + c_len / LITERAL_MAX + 4);
	check = malloc(c_len);
	size_t packed_len = pack(c, c_len, packed);
	if (unpack(packed, packed_len, check, c_len) != (long)c_len || memcmp(check, c, c_len)) {
		fprintf(stderr, "stagepack: the packed C part does not unpack to itself: a packer bug\n");
		return 1;
	}

	size_t total = (head_len + packed_len + 511) / 512 * 512;
	if (head_len < sizeof(struct bootinst_stage_header) ||
	    total + BOOTINST_STRINGS_MAX > BOOTINST_STAGE_MAX_BYTES) {
		fprintf(stderr, "stagepack: the stage is %zu bytes packed; with the longest install "
			"record (%u) it must fit %u: shrink the stage\n",
			total, (unsigned)BOOTINST_STRINGS_MAX, BOOTINST_STAGE_MAX_BYTES);
		return 1;
	}
	unsigned char *image = calloc(1, total);
	memcpy(image, head, head_len);
	memcpy(image + head_len, packed, packed_len);
	((struct bootinst_stage_header *)image)->image_size = (uint32_t)total;

	FILE *f = fopen(argv[3], "wb");
	if (!f || fwrite(image, 1, total, f) != total || fclose(f)) {
		perror(argv[3]);
		return 1;
	}
	printf("stagepack: C part %zu bytes packed to %zu; stage %zu bytes\n", c_len, packed_len, total);
	return 0;
}
