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
 * image to sectors, so they fill the last code sector's slack.  The build
 * fails if the stage and the longest install record would not fit the
 * 62-sector gap.
 *
 * The format is include/stagepack_format.h's (LZ77 + an adaptive binary
 * range coder; lz_unpack in asm/entry.asm reads it).  The parse is greedy
 * from hash chains of 3-byte prefixes, one step lazy (a literal first when
 * the next position starts a longer match), preferring the last
 * distance again when it is nearly as long (its code is a single bit).  Before writing,
 * the packer unpacks its own output with a C copy of lz_unpack and
 * compares, so a packer bug fails the build instead of the boot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage_header.h"
#include "stagepack_format.h"

#define HASH_BITS   15
#define CHAIN_STEPS 4096

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


/* --- the range coder ------------------------------------------------------ */

struct encoder {
	uint64_t low;
	uint32_t range;
	uint8_t cache;
	uint64_t cache_size;
	unsigned char *out;
	size_t len;
	uint16_t p[PACK_P_COUNT];
};

/* The byte that leaves low's top, once any carry into it is known. */
static void shift_low(struct encoder *e)
{
	if (e->low < 0xFF000000u || e->low >= (1ull << 32)) {
		uint8_t carry = (uint8_t)(e->low >> 32), byte = e->cache;

		do {
			e->out[e->len++] = (unsigned char)(byte + carry);
			byte = 0xFF;
		} while (--e->cache_size);
		e->cache = (uint8_t)(e->low >> 24);
	}
	e->cache_size++;
	e->low = (e->low & 0x00FFFFFFu) << 8;
}

static void put_bit(struct encoder *e, unsigned at, unsigned bit)
{
	uint32_t bound = (e->range >> PACK_PROB_BITS) * e->p[at];

	if (!bit) {
		e->range = bound;
		e->p[at] += ((1u << PACK_PROB_BITS) - e->p[at]) >> PACK_MOVE_BITS;
	} else {
		e->low += bound;
		e->range -= bound;
		e->p[at] -= e->p[at] >> PACK_MOVE_BITS;
	}
	while (e->range < PACK_TOP) {
		e->range <<= 8;
		shift_low(e);
	}
}

/* value's nbits low bits, MSB first, as a tree of probabilities at base */
static void put_tree(struct encoder *e, unsigned base, unsigned nbits, unsigned value)
{
	unsigned m = 1;

	while (nbits--) {
		unsigned bit = (value >> nbits) & 1;

		put_bit(e, base + m, bit);
		m = 2 * m + bit;
	}
}

static void put_length(struct encoder *e, size_t len)
{
	unsigned v = (unsigned)(len - PACK_MATCH_MIN);

	if (v < 8) {
		put_bit(e, PACK_P_CHOICE, 0);
		put_tree(e, PACK_P_LEN_LOW, 3, v);
	} else if (v < 16) {
		put_bit(e, PACK_P_CHOICE, 1);
		put_bit(e, PACK_P_CHOICE2, 0);
		put_tree(e, PACK_P_LEN_MID, 3, v - 8);
	} else {
		put_bit(e, PACK_P_CHOICE, 1);
		put_bit(e, PACK_P_CHOICE2, 1);
		put_tree(e, PACK_P_LEN_HIGH, 8, v - 16);
	}
}

/* distance - 1 as a slot and its low bits (or the end, PACK_SLOT_END) */
static void put_distance(struct encoder *e, uint32_t v, int end)
{
	unsigned slot = 0;

	if (end) {
		put_tree(e, PACK_P_SLOT, 5, PACK_SLOT_END);
		return;
	}
	if (v < 2) {
		put_tree(e, PACK_P_SLOT, 5, v);
		return;
	}
	while (v >> slot)
		slot++;
	put_tree(e, PACK_P_SLOT, 5, slot);
	for (unsigned i = slot - 1; i-- > 0;)
		put_bit(e, PACK_P_DIST + 32 * slot + i, (v >> i) & 1);
}

/* --- the parse ------------------------------------------------------------ */

static unsigned hash3(const unsigned char *p)
{
	return ((p[0] << 10) ^ (p[1] << 5) ^ p[2]) & ((1u << HASH_BITS) - 1);
}

static size_t match_length(const unsigned char *in, size_t n, size_t pos, size_t dist)
{
	size_t len = 0;

	while (len < PACK_MATCH_MAX && pos + len < n && in[pos - dist + len] == in[pos + len])
		len++;
	return len;
}

/* The longest match at pos among the hash chain's candidates (*dist its
 * distance), or 0. */
static size_t longest_match(const unsigned char *in, size_t n, size_t pos, const long *head,
			    const long *prev, size_t *dist)
{
	size_t best = 0;

	if (pos + 3 > n)
		return 0;
	for (long cand = head[hash3(in + pos)], steps = 0; cand >= 0 && steps < CHAIN_STEPS;
	     steps++, cand = prev[cand]) {
		size_t l = match_length(in, n, pos, pos - (size_t)cand);

		if (l > best) {
			best = l;
			*dist = pos - (size_t)cand;
		}
	}
	return best;
}

/*
 * Pack in[0..n) into out (room for n + n/8 + 16 bytes); returns its
 * length.
 */
static size_t pack(const unsigned char *in, size_t n, unsigned char *out)
{
	struct encoder *e = calloc(1, sizeof(*e));
	long *head = malloc(sizeof(long) << HASH_BITS);
	long *prev = malloc(sizeof(long) * (n + 1));
	size_t pos = 0, rep = 1, len;
	unsigned state = 0;

	e->range = 0xFFFFFFFFu;
	e->cache_size = 1;
	e->out = out;
	for (unsigned i = 0; i < PACK_P_COUNT; i++)
		e->p[i] = PACK_PROB_INIT;
	for (size_t i = 0; i < (1u << HASH_BITS); i++)
		head[i] = -1;

	while (pos < n) {
		size_t best_dist = 0, next_dist = 0, rep_len = rep <= pos ? match_length(in, n, pos, rep) : 0;
		size_t best = longest_match(in, n, pos, head, prev, &best_dist);

		if (rep_len >= PACK_MATCH_MIN && rep_len + 1 >= best) {
			best = rep_len;
			best_dist = rep;
		}
		/* lazily: a literal now when the next position starts a
		 * longer match */
		if (best_dist != rep && best >= 3 && longest_match(in, n, pos + 1, head, prev, &next_dist) > best)
			best = 0;
		if (best >= 3 || (best >= PACK_MATCH_MIN && best_dist == rep)) {
			put_bit(e, PACK_P_IS_MATCH + state, 1);
			if (best_dist == rep) {
				put_bit(e, PACK_P_IS_REP + state, 1);
			} else {
				put_bit(e, PACK_P_IS_REP + state, 0);
				put_distance(e, (uint32_t)(best_dist - 1), 0);
				rep = best_dist;
			}
			put_length(e, best);
			len = best;
			state = 1;
		} else {
			unsigned context = pos ? in[pos - 1] >> (8 - PACK_LIT_CONTEXT_BITS) : 0;

			put_bit(e, PACK_P_IS_MATCH + state, 0);
			put_tree(e, PACK_P_LIT + 256 * context, 8, in[pos]);
			len = 1;
			state = 0;
		}
		for (; len; len--, pos++)
			if (pos + 3 <= n) {
				unsigned h = hash3(in + pos);

				prev[pos] = head[h];
				head[h] = (long)pos;
			}
	}
	put_bit(e, PACK_P_IS_MATCH + state, 1);
	put_bit(e, PACK_P_IS_REP + state, 0);
	put_distance(e, 0, 1);
	for (int i = 0; i < 5; i++)
		shift_low(e);
	len = e->len;
	free(e);
	free(head);
	free(prev);
	return len;
}

/* --- what lz_unpack does, to check the packer ------------------------------- */

struct decoder {
	const unsigned char *in, *end;
	uint32_t range, code;
	uint16_t p[PACK_P_COUNT];
};

static unsigned get_bit(struct decoder *dc, unsigned at)
{
	uint32_t bound = (dc->range >> PACK_PROB_BITS) * dc->p[at];
	unsigned bit;

	if (dc->code < bound) {
		dc->range = bound;
		dc->p[at] += ((1u << PACK_PROB_BITS) - dc->p[at]) >> PACK_MOVE_BITS;
		bit = 0;
	} else {
		dc->code -= bound;
		dc->range -= bound;
		dc->p[at] -= dc->p[at] >> PACK_MOVE_BITS;
		bit = 1;
	}
	while (dc->range < PACK_TOP) {
		dc->range <<= 8;
		dc->code = dc->code << 8 | (dc->in < dc->end ? *dc->in++ : 0);
	}
	return bit;
}

static unsigned get_tree(struct decoder *dc, unsigned base, unsigned nbits)
{
	unsigned m = 1;

	for (unsigned i = 0; i < nbits; i++)
		m = 2 * m + get_bit(dc, base + m);
	return m - (1u << nbits);
}

/* Returns bytes out, or -1. */
static long unpack(const unsigned char *in, size_t in_len, unsigned char *out, size_t room)
{
	struct decoder *dc = calloc(1, sizeof(*dc));
	size_t o = 0, rep = 1;
	unsigned state = 0;
	long result = -1;

	if (in_len < 5)
		goto out;
	dc->in = in + 1;
	dc->end = in + in_len;
	for (int i = 0; i < 4; i++)
		dc->code = dc->code << 8 | *dc->in++;
	dc->range = 0xFFFFFFFFu;
	for (unsigned i = 0; i < PACK_P_COUNT; i++)
		dc->p[i] = PACK_PROB_INIT;
	for (;;) {
		if (!get_bit(dc, PACK_P_IS_MATCH + state)) {
			unsigned context = o ? out[o - 1] >> (8 - PACK_LIT_CONTEXT_BITS) : 0;

			if (o == room)
				goto out;
			out[o++] = (unsigned char)get_tree(dc, PACK_P_LIT + 256 * context, 8);
			state = 0;
			continue;
		}
		if (!get_bit(dc, PACK_P_IS_REP + state)) {
			unsigned slot = get_tree(dc, PACK_P_SLOT, 5);
			uint32_t v = slot;

			if (slot == PACK_SLOT_END)
				break;
			if (slot >= 2) {
				v = 1u << (slot - 1);
				for (unsigned i = slot - 1; i-- > 0;)
					v |= get_bit(dc, PACK_P_DIST + 32 * slot + i) << i;
			}
			rep = (size_t)v + 1;
		}
		size_t len = PACK_MATCH_MIN;
		if (!get_bit(dc, PACK_P_CHOICE))
			len += get_tree(dc, PACK_P_LEN_LOW, 3);
		else if (!get_bit(dc, PACK_P_CHOICE2))
			len += 8 + get_tree(dc, PACK_P_LEN_MID, 3);
		else
			len += 16 + get_tree(dc, PACK_P_LEN_HIGH, 8);
		if (rep > o || o + len > room)
			goto out;
		for (size_t k = 0; k < len; k++, o++)
			out[o] = out[o - rep];
		state = 1;
	}
	result = (long)o;
out:
	free(dc);
	return result;
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
	packed = malloc(c_len + c_len / 8 + 16);
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
