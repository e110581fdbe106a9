/*
 * stagepack.c - build tool: pack the stage's C part and join it to the
 * uncompressed head (header, 16-bit code, unpacker), as GRUB packs its
 * core.img, so that the stage stays small in the post-MBR gap.
 *
 *   stagepack HEAD.bin C.bin OUT.bin
 *
 * HEAD.bin: .header, .text16, .data16 as linked at 0x8000; C.bin: .text,
 * .rodata, .data as linked at their run address.  OUT.bin is HEAD.bin,
 * then C.bin packed, with the header's image_size set.  It is not padded:
 * install puts the record's strings right after it and pads the whole
 * image to sectors, so they fill the last code sector's slack.  The build fails if the stage and the longest install
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
 * The packer parses optimally (the fewest bytes for this format, by dynamic
 * programming over every position's literal runs and copies, found through
 * hash chains of 3-byte prefixes); before writing it unpacks its own output
 * and compares, so a packer bug fails the build instead of the boot.
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

static size_t put_copy(unsigned char *out, size_t o, size_t len, size_t dist)
{
	if (copy_cost(len, dist) == 2) {
		size_t d = dist - 1;
		out[o++] = (unsigned char)(0x80 | (len - MATCH_MIN) << 4 | d >> 8);
		out[o++] = (unsigned char)(d & 0xff);
	} else {
		out[o++] = (unsigned char)(0xc0 | (len - MATCH_MIN));
		out[o++] = (unsigned char)(dist & 0xff);
		out[o++] = (unsigned char)(dist >> 8);
	}
	return o;
}

/*
 * For every position, the nearest earlier occurrence of each match length:
 * near[p][len] = the smallest distance at which the bytes from p repeat
 * for len bytes (0: none), from hash chains of 3-byte prefixes.
 */
static void find_matches(const unsigned char *in, size_t n, size_t (*near)[MATCH_MAX + 1])
{
	long *head = malloc(sizeof(long) << HASH_BITS);
	long *prev = malloc(sizeof(long) * (n + 1));

	for (size_t i = 0; i < (1u << HASH_BITS); i++)
		head[i] = -1;
	for (size_t pos = 0; pos < n; pos++) {
		memset(near[pos], 0, sizeof(near[pos]));
		if (pos + MATCH_MIN > n)
			continue;
		long cand = head[hash3(in + pos)];
		size_t longest = 0;
		/* nearest first: the first candidate to reach a length has its
		 * smallest distance */
		for (int steps = 0; cand >= 0 && steps < CHAIN_STEPS; steps++, cand = prev[cand]) {
			size_t dist = pos - (size_t)cand, len = 0;
			if (dist > DISTANCE_MAX)
				break;
			while (len < MATCH_MAX && pos + len < n && in[cand + len] == in[pos + len])
				len++;
			for (size_t l = longest + 1; l <= len; l++)
				if (l >= MATCH_MIN)
					near[pos][l] = dist;
			if (len > longest)
				longest = len;
		}
		unsigned h = hash3(in + pos);
		prev[pos] = head[h];
		head[h] = (long)pos;
	}
	free(head);
	free(prev);
}

/*
 * Pack in[0..n) into out (room for n + n/128 + 4 bytes); returns its
 * length.  The parse is optimal for this format: cost[i], the fewest bytes
 * that produce in[0..i), comes from a run of 1..128 literals (a byte each
 * and one for the run) or a copy of any length the matches allow, and the
 * cheapest path back from n is written.
 */
static size_t pack(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t (*near)[MATCH_MAX + 1] = malloc(sizeof(*near) * (n + 1));
	long *cost = malloc(sizeof(long) * (n + 1));
	size_t *from = malloc(sizeof(size_t) * (n + 1));   /* where the step to i starts */
	size_t *dist = malloc(sizeof(size_t) * (n + 1));   /* its copy distance, 0: literals */
	size_t *path = malloc(sizeof(size_t) * (n + 1));
	size_t o = 0, steps = 0;

	find_matches(in, n, near);
	cost[0] = 0;
	for (size_t i = 1; i <= n; i++)
		cost[i] = -1;
	for (size_t p = 0; p < n; p++) {
		/* literal runs starting at p */
		for (size_t k = 1; k <= LITERAL_MAX && p + k <= n; k++)
			if (cost[p + k] < 0 || cost[p] + 1 + (long)k < cost[p + k]) {
				cost[p + k] = cost[p] + 1 + (long)k;
				from[p + k] = p;
				dist[p + k] = 0;
			}
		/* copies starting at p, each length at its nearest distance */
		for (size_t len = MATCH_MIN; len <= MATCH_MAX && p + len <= n; len++) {
			size_t d = near[p][len];
			if (!d)
				continue;
			long c = cost[p] + copy_cost(len, d);
			if (cost[p + len] < 0 || c < cost[p + len]) {
				cost[p + len] = c;
				from[p + len] = p;
				dist[p + len] = d;
			}
		}
	}
	for (size_t i = n; i > 0; i = from[i])
		path[steps++] = i;
	for (size_t s = steps; s-- > 0;) {
		size_t to = path[s], start = from[to];
		o = dist[to] ? put_copy(out, o, to - start, dist[to]) : put_literals(out, o, in, start, to);
	}
	out[o++] = 0xc0;          /* a far copy from distance 0: the end */
	out[o++] = 0;
	out[o++] = 0;
	free(near);
	free(cost);
	free(from);
	free(dist);
	free(path);
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

	size_t total = head_len + packed_len;
	if (head_len < sizeof(struct bootinst_stage_header) ||
	    (total + BOOTINST_STRINGS_MAX + 511) / 512 * 512 > BOOTINST_STAGE_MAX_BYTES) {
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
