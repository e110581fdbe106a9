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
 * range coder; lz_unpack in asm/entry.asm reads it).  The parse is
 * optimal in the manner of LZMA's encoder, over the whole input at once:
 *
 *  - matches: at every position, walking a chain of all earlier
 *    occurrences of its first two bytes, each match longer than every
 *    closer one;
 *  - prices: a token's price is the sum of its bits' -log2 probabilities
 *    (in fixed point) under a snapshot of the adaptive model, taken every
 *    SNAPSHOT_SPAN input bytes while the previous pass coded its parse
 *    (the first pass prices with even probabilities);
 *  - dynamic programming forward over the positions: each keeps up to
 *    ARRIVALS cheapest ways to reach it, one per token state and last
 *    distance (what the next token's price depends on); from each, a
 *    literal and a repeat of its last distance at every length it
 *    matches; from the cheapest of each state, every length of the
 *    matches at its cheapest distance; then back from the cheapest way
 *    to reach the end, the tokens are coded;
 *  - PASSES such passes, each priced with the model of the one before;
 *    the smallest output is kept.
 *
 * What it packs is the C part after the branch filter (the format
 * header); before writing, it unpacks its own output with a C copy of
 * lz_unpack and of the filter's undoing, and compares, so a packer bug
 * fails the build instead of the boot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage_header.h"
#include "stagepack_format.h"

#define PRICE_FRAC    10	/* prices are in 1/2^PRICE_FRAC bits */
#define ARRIVALS      8		/* ways to reach a position that the parse keeps */
#define SNAPSHOT_SPAN 16	/* input bytes priced with one snapshot of the model */
#define PASSES        10

/* The branch filter of include/stagepack_format.h over d[0..n), forward
 * (sign 1: relative operands to offsets, before packing) or back (sign -1,
 * what asm/entry.asm's unfilter_branches does after unpacking). */
static void branch_filter(unsigned char *d, size_t n, int sign)
{
	size_t i = 0;

	while (i < n) {
		unsigned char op = d[i++];
		if (op == 0x0F) {
			if (i == n || (d[i] & 0xF0) != 0x80)
				continue;
			i++;
		} else if ((op & 0xFE) != 0xE8) {
			continue;
		}
		if (i + 4 > n)
			break;
		uint32_t v = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
			     (uint32_t)d[i + 3] << 24;
		if (v + PACK_FILTER_SPAN < 2 * PACK_FILTER_SPAN) {
			v = ((v + (uint32_t)(sign * (int32_t)i) + PACK_FILTER_SPAN) & (2 * PACK_FILTER_SPAN - 1)) -
			    PACK_FILTER_SPAN;
			for (int b = 0; b < 4; b++)
				d[i + b] = (unsigned char)(v >> (8 * b));
		}
		i += 4;
	}
}

/* The whole file at path (*len its size), or exits. */
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

/*
 * One encoder both codes and prices: with out set it codes each bit into
 * out (room bytes) and moves the model p like lz_unpack does; with out
 * NULL it only adds each bit's price (its -log2 probability, in
 * 1/2^PRICE_FRAC bits) to price, and p stays as it is.
 */
struct encoder {
	uint64_t low;
	uint32_t range;
	uint8_t cache;
	uint64_t cache_size;
	unsigned char *out;
	size_t len, room;
	uint32_t price;
	uint16_t *p;
};

/* prob_price[q]: the price of a bit whose probability is q / 2^PACK_PROB_BITS */
static uint32_t prob_price[(1 << PACK_PROB_BITS) + 1];

/* Fills prob_price: log2 found by squaring the mantissa once per fraction bit. */
static void init_prob_prices(void)
{
	for (uint32_t q = 1; q <= 1u << PACK_PROB_BITS; q++) {
		uint32_t whole = 0, frac = 0;
		uint64_t m;	/* q / 2^whole, in [1, 2), 32 fraction bits */

		while (q >> (whole + 1))
			whole++;
		m = ((uint64_t)q << 32) >> whole;
		for (int i = 0; i < PRICE_FRAC; i++) {
			m = (m >> 16) * (m >> 16);
			frac <<= 1;
			if (m >> 33) {
				m >>= 1;
				frac |= 1;
			}
		}
		prob_price[q] = (PACK_PROB_BITS << PRICE_FRAC) - (whole << PRICE_FRAC | frac);
	}
}

/* Starts e coding with the model p into out (room bytes), or (out NULL)
 * pricing with it. */
static void start_encoder(struct encoder *e, unsigned char *out, size_t room, uint16_t *p)
{
	memset(e, 0, sizeof(*e));
	e->range = 0xFFFFFFFFu;
	e->cache_size = 1;
	e->out = out;
	e->room = room;
	e->p = p;
}

/* The byte that leaves low's top, once any carry into it is known. */
static void shift_low(struct encoder *e)
{
	if (e->low < 0xFF000000u || e->low >= (1ull << 32)) {
		uint8_t carry = (uint8_t)(e->low >> 32), byte = e->cache;

		do {
			if (e->len == e->room) {
				fprintf(stderr, "stagepack: the C part does not pack into %zu bytes\n", e->room);
				exit(1);
			}
			e->out[e->len++] = (unsigned char)(byte + carry);
			byte = 0xFF;
		} while (--e->cache_size);
		e->cache = (uint8_t)(e->low >> 24);
	}
	e->cache_size++;
	e->low = (e->low & 0x00FFFFFFu) << 8;
}

/* bit with the probability at p[at]: coded, or priced without output */
static void put_bit(struct encoder *e, unsigned at, unsigned bit)
{
	uint32_t bound;

	if (!e->out) {
		e->price += prob_price[bit ? (1u << PACK_PROB_BITS) - e->p[at] : e->p[at]];
		return;
	}
	bound = (e->range >> PACK_PROB_BITS) * e->p[at];
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

/* a copy's length, PACK_MATCH_MIN..PACK_MATCH_MAX */
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

/* --- the matches ---------------------------------------------------------- */

struct match {
	uint32_t len, dist;
};

/* How many bytes from pos (at most PACK_MATCH_MAX) repeat those dist back. */
static size_t match_length(const unsigned char *in, size_t n, size_t pos, size_t dist)
{
	size_t len = 0;

	while (len < PACK_MATCH_MAX && pos + len < n && in[pos - dist + len] == in[pos + len])
		len++;
	return len;
}

/*
 * Every position's copies worth pricing: walking back through all earlier
 * occurrences of its first two bytes, each match longer than every closer
 * one (so by rising distance and length).  Returns them all, position
 * pos's at [first[pos], first[pos + 1]); first has n + 1 entries.
 */
static struct match *find_matches(const unsigned char *in, size_t n, size_t *first)
{
	long *head = malloc(sizeof(long) << 16), *prev = malloc(sizeof(long) * (n + 1));
	size_t count = 0, room = n + 16;
	struct match *m = malloc(sizeof(*m) * room);

	for (size_t i = 0; i < 1u << 16; i++)
		head[i] = -1;
	for (size_t pos = 0; pos < n; pos++) {
		size_t best = PACK_MATCH_MIN - 1, longest = n - pos < PACK_MATCH_MAX ? n - pos : PACK_MATCH_MAX;
		unsigned pair;

		first[pos] = count;
		if (longest < PACK_MATCH_MIN)
			continue;
		pair = (unsigned)in[pos] << 8 | in[pos + 1];
		for (long cand = head[pair]; cand >= 0 && best < longest; cand = prev[cand]) {
			size_t len = match_length(in, n, pos, pos - (size_t)cand);

			if (len <= best)
				continue;
			if (count == room)
				m = realloc(m, sizeof(*m) * (room *= 2));
			m[count++] = (struct match){ (uint32_t)len, (uint32_t)(pos - (size_t)cand) };
			best = len;
		}
		prev[pos] = head[pair];
		head[pair] = (long)pos;
	}
	first[n] = count;
	free(head);
	free(prev);
	return m;
}

/* --- the parse ------------------------------------------------------------ */

/*
 * One way to reach a position: its price, the last distance after it, and
 * its last token (len 1 a literal, else a copy of rep; len 0 the start),
 * which extends arrival `from` at pos - len.  The token state is 1 after
 * a copy.
 */
struct arrival {
	uint32_t cost, rep;
	uint16_t len;
	uint8_t from;
};

struct node {
	struct arrival a[ARRIVALS];
	unsigned count;
};

/* The token state after a's token: 1 after a copy, else 0. */
static unsigned arrival_state(const struct arrival *a)
{
	return a->len >= PACK_MATCH_MIN;
}

/*
 * Keep a new arrival at nd if it is the cheapest with its state and last
 * distance, and among the ARRIVALS cheapest kept there.
 */
static void offer(struct node *nd, uint32_t cost, uint32_t rep, size_t len, unsigned from)
{
	struct arrival new = { cost, rep, (uint16_t)len, (uint8_t)from };
	unsigned at = nd->count;

	for (unsigned i = 0; i < nd->count; i++)
		if (nd->a[i].rep == rep && arrival_state(&nd->a[i]) == arrival_state(&new)) {
			at = i;
			break;
		}
	if (at == nd->count && nd->count == ARRIVALS)
		for (unsigned i = at = 0; i < ARRIVALS; i++)
			if (nd->a[i].cost > nd->a[at].cost)
				at = i;
	if (at < nd->count && nd->a[at].cost <= cost)
		return;
	if (at == nd->count)
		nd->count++;
	nd->a[at] = new;
}

/* The prices that do not depend on position, under one model snapshot. */
struct prices {
	uint32_t literal_flag[2], rep_flag[2], match_flag[2];	/* by state */
	uint32_t len[PACK_MATCH_MAX + 1];
};

/* Fills pr with the prices under the model p. */
static void price_model(struct prices *pr, uint16_t *p)
{
	struct encoder e;

	start_encoder(&e, NULL, 0, p);
	for (unsigned s = 0; s < 2; s++) {
		e.price = 0;
		put_bit(&e, PACK_P_IS_MATCH + s, 0);
		pr->literal_flag[s] = e.price;
		e.price = 0;
		put_bit(&e, PACK_P_IS_MATCH + s, 1);
		put_bit(&e, PACK_P_IS_REP + s, 1);
		pr->rep_flag[s] = e.price;
		e.price = 0;
		put_bit(&e, PACK_P_IS_MATCH + s, 1);
		put_bit(&e, PACK_P_IS_REP + s, 0);
		pr->match_flag[s] = e.price;
	}
	for (size_t len = PACK_MATCH_MIN; len <= PACK_MATCH_MAX; len++) {
		e.price = 0;
		put_length(&e, len);
		pr->len[len] = e.price;
	}
}

/*
 * The cheapest parse of in[0..n) that the dynamic programming finds,
 * pricing each token with the model snapshot its position falls in
 * (snapshot[pos / SNAPSHOT_SPAN]).  Writes tokens as arrivals (len, and
 * rep the distance of a copy) in order; returns how many.
 */
static size_t parse(const unsigned char *in, size_t n, const struct match *m, const size_t *first,
		    uint16_t (*snapshot)[PACK_P_COUNT], struct arrival *tokens)
{
	struct node *nodes = calloc(n + 1, sizeof(*nodes));
	struct prices pr;
	struct encoder e;
	size_t count = 0;

	nodes[0].count = 1;
	nodes[0].a[0].rep = 1;
	for (size_t pos = 0; pos < n; pos++) {
		struct node *nd = &nodes[pos];
		const struct arrival *cheapest[2] = { NULL, NULL };	/* by state */
		unsigned context = pos ? in[pos - 1] >> (8 - PACK_LIT_CONTEXT_BITS) : 0;

		if (pos % SNAPSHOT_SPAN == 0) {
			price_model(&pr, snapshot[pos / SNAPSHOT_SPAN]);
			start_encoder(&e, NULL, 0, snapshot[pos / SNAPSHOT_SPAN]);
		}
		e.price = 0;
		put_tree(&e, PACK_P_LIT + 256 * context, 8, in[pos]);
		uint32_t literal_price = e.price;

		for (unsigned i = 0; i < nd->count; i++) {
			const struct arrival *a = &nd->a[i];
			unsigned s = arrival_state(a);
			size_t rep_len = a->rep <= pos ? match_length(in, n, pos, a->rep) : 0;

			offer(&nodes[pos + 1], a->cost + pr.literal_flag[s] + literal_price, a->rep, 1, i);
			for (size_t len = PACK_MATCH_MIN; len <= rep_len; len++)
				offer(&nodes[pos + len], a->cost + pr.rep_flag[s] + pr.len[len], a->rep, len, i);
			if (!cheapest[s] || a->cost < cheapest[s]->cost)
				cheapest[s] = a;
		}
		/* new distances: each length at its cheapest match, from the
		 * longest (farthest) down, as a longer match serves a shorter
		 * length too */
		for (unsigned s = 0; s < 2; s++) {
			uint32_t dist = 0, dist_price = UINT32_MAX;

			if (!cheapest[s])
				continue;
			for (size_t k = first[pos + 1]; k-- > first[pos];) {
				size_t shorter = k > first[pos] ? m[k - 1].len : PACK_MATCH_MIN - 1;

				e.price = 0;
				put_distance(&e, m[k].dist - 1, 0);
				if (e.price < dist_price) {
					dist_price = e.price;
					dist = m[k].dist;
				}
				for (size_t len = shorter + 1; len <= m[k].len; len++)
					offer(&nodes[pos + len],
					      cheapest[s]->cost + pr.match_flag[s] + dist_price + pr.len[len], dist,
					      len, (unsigned)(cheapest[s] - nd->a));
			}
		}
	}

	/* back from the cheapest arrival at the end, then in order */
	unsigned at = 0;
	for (unsigned i = 1; i < nodes[n].count; i++)
		if (nodes[n].a[i].cost < nodes[n].a[at].cost)
			at = i;
	for (size_t pos = n; pos; count++) {
		tokens[count] = nodes[pos].a[at];
		at = tokens[count].from;
		pos -= tokens[count].len;
	}
	for (size_t i = 0; i < count / 2; i++) {
		struct arrival t = tokens[i];

		tokens[i] = tokens[count - 1 - i];
		tokens[count - 1 - i] = t;
	}
	free(nodes);
	return count;
}

/*
 * Codes in's tokens (from parse) into out (room bytes); copies the model
 * into snapshot[k] as it is when the token that covers input byte
 * k * SNAPSHOT_SPAN starts.  Returns the bytes out.
 */
static size_t encode(const unsigned char *in, const struct arrival *tokens, size_t count,
		     uint16_t (*snapshot)[PACK_P_COUNT], unsigned char *out, size_t room)
{
	struct encoder e;
	uint16_t p[PACK_P_COUNT];
	size_t pos = 0, rep = 1, next_snapshot = 0;
	unsigned state = 0;

	start_encoder(&e, out, room, p);
	for (unsigned i = 0; i < PACK_P_COUNT; i++)
		p[i] = PACK_PROB_INIT;
	for (size_t t = 0; t < count; t++) {
		for (; next_snapshot * SNAPSHOT_SPAN < pos + tokens[t].len; next_snapshot++)
			memcpy(snapshot[next_snapshot], p, sizeof(p));
		if (tokens[t].len == 1) {
			unsigned context = pos ? in[pos - 1] >> (8 - PACK_LIT_CONTEXT_BITS) : 0;

			put_bit(&e, PACK_P_IS_MATCH + state, 0);
			put_tree(&e, PACK_P_LIT + 256 * context, 8, in[pos]);
			state = 0;
		} else {
			put_bit(&e, PACK_P_IS_MATCH + state, 1);
			put_bit(&e, PACK_P_IS_REP + state, tokens[t].rep == rep);
			if (tokens[t].rep != rep) {
				put_distance(&e, tokens[t].rep - 1, 0);
				rep = tokens[t].rep;
			}
			put_length(&e, tokens[t].len);
			state = 1;
		}
		pos += tokens[t].len;
	}
	put_bit(&e, PACK_P_IS_MATCH + state, 1);
	put_bit(&e, PACK_P_IS_REP + state, 0);
	put_distance(&e, 0, 1);
	for (int i = 0; i < 5; i++)
		shift_low(&e);
	return e.len;
}

/*
 * Pack in[0..n) into out (room for n + n/8 + 16 bytes); returns its
 * length: the smallest of PASSES parses, the first priced with even
 * probabilities, each next one with the model as the last one coded it.
 */
static size_t pack(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t *first = malloc(sizeof(size_t) * (n + 1)), best = SIZE_MAX, room = n + n / 8 + 16;
	struct match *m = find_matches(in, n, first);
	struct arrival *tokens = malloc(sizeof(*tokens) * n);
	uint16_t (*snapshot)[PACK_P_COUNT] = malloc(sizeof(*snapshot) * (n / SNAPSHOT_SPAN + 1));
	unsigned char *trial = malloc(room);

	init_prob_prices();
	for (size_t k = 0; k <= n / SNAPSHOT_SPAN; k++)
		for (unsigned i = 0; i < PACK_P_COUNT; i++)
			snapshot[k][i] = PACK_PROB_INIT;
	for (int pass = 0; pass < PASSES; pass++) {
		size_t count = parse(in, n, m, first, snapshot, tokens);
		size_t len = encode(in, tokens, count, snapshot, trial, room);

		if (len < best) {
			best = len;
			memcpy(out, trial, len);
		}
	}
	free(first);
	free(m);
	free(tokens);
	free(snapshot);
	free(trial);
	return best;
}

/* --- what lz_unpack does, to check the packer ------------------------------- */

struct decoder {
	const unsigned char *in, *end;
	uint32_t range, code;
	uint16_t p[PACK_P_COUNT];
};

/* The next bit, read with the probability at p[at], which it moves. */
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

/* nbits bits, MSB first, read as a tree of probabilities at base. */
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
	unsigned char *filtered = malloc(c_len);
	memcpy(filtered, c, c_len);
	branch_filter(filtered, c_len, 1);
	size_t packed_len = pack(filtered, c_len, packed);
	long unpacked = unpack(packed, packed_len, check, c_len);
	if (unpacked == (long)c_len)
		branch_filter(check, c_len, -1);
	if (unpacked != (long)c_len || memcmp(check, c, c_len)) {
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
