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
 *    (in fixed point) under the adaptive model as the previous pass's
 *    parse, coded token by token alongside, has it there (the first pass
 *    prices with the model's start); lengths from a table of prices made
 *    every LENGTH_SPAN input bytes;
 *  - dynamic programming forward over the positions: each keeps up to
 *    ARRIVALS cheapest ways to reach it, one per token state and last
 *    distance (what the next token's price depends on); from each, a
 *    literal, a one-byte repeat and a repeat of its last distance at
 *    every length it matches; from the cheapest of each state, every
 *    length of the matches at its cheapest distance; then back from the
 *    cheapest way to reach the end, the tokens are coded;
 *  - PASSES such passes, each priced with the model of the one before;
 *    the smallest output is kept.
 *
 * What it packs is the C part after the branch filter (the format
 * header); before writing, it unpacks its own output with a C copy of
 * lz_unpack and of the filter's undoing, and compares, so a packer bug
 * fails the build instead of the boot.  The stream ends with the last
 * byte that copy read, as lz_unpack reads no further.
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
#define LENGTH_SPAN   16	/* input bytes priced with one table of length prices */
#define PASSES        16

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

/* A bit's probability: its fast and slow words (the format header). */
typedef uint16_t prob[2];

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
	prob *p;
};

#define SUM_BITS (PACK_PROB_BITS + 1)	/* fast + slow + 1 is out of 2^SUM_BITS */

/* prob_price[q]: the price of a bit whose probability is q / 2^SUM_BITS */
static uint32_t prob_price[(1 << SUM_BITS) + 1];

/* Fills prob_price: log2 found by squaring the mantissa once per fraction bit. */
static void init_prob_prices(void)
{
	for (uint32_t q = 1; q <= 1u << SUM_BITS; q++) {
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
		prob_price[q] = (SUM_BITS << PRICE_FRAC) - (whole << PRICE_FRAC | frac);
	}
}

/* Every probability at its start. */
static void init_model(prob *p)
{
	for (unsigned i = 0; i < PACK_P_COUNT; i++)
		p[i][0] = p[i][1] = PACK_PROB_INIT;
}

/* The probability of a 1 out of 2^SUM_BITS. */
static uint32_t prob_one(const prob q)
{
	return (uint32_t)q[0] + q[1] + 1;
}

/* v >> s, rounded down for a negative v too */
static int shift_down(int v, int s)
{
	return v >= 0 ? v >> s : ~(~v >> s);
}

/* Moves q after bit, each word (t - w) >> its rate bits toward t. */
static void move_prob(prob q, unsigned bit)
{
	int t = bit ? 1 << PACK_PROB_BITS : 0;

	q[0] = (uint16_t)(q[0] + shift_down(t - q[0], PACK_FAST_BITS));
	q[1] = (uint16_t)(q[1] + shift_down(t - q[1], PACK_SLOW_BITS));
}

/* Starts e coding with the model p into out (room bytes), or (out NULL)
 * pricing with it. */
static void start_encoder(struct encoder *e, unsigned char *out, size_t room, prob *p)
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

/* bit with probability at: coded, or priced without output */
static void put_bit(struct encoder *e, unsigned at, unsigned bit)
{
	uint32_t one = prob_one(e->p[at]), bound;

	if (!e->out) {
		e->price += prob_price[bit ? one : (1u << SUM_BITS) - one];
		return;
	}
	bound = (e->range >> SUM_BITS) * one;
	if (bit) {
		e->range = bound;
	} else {
		e->low += bound;
		e->range -= bound;
	}
	move_prob(e->p[at], bit);
	while (e->range < PACK_TOP) {
		e->range <<= 8;
		shift_low(e);
	}
}

/* value's bits low bits, MSB first, as a tree at base from node
 * 2^(8 - bits) (to node 256 and up) */
static void put_tree(struct encoder *e, unsigned base, unsigned bits, unsigned value)
{
	unsigned m = 1u << (8 - bits);

	while (bits--) {
		unsigned bit = (value >> bits) & 1;

		put_bit(e, base + m, bit);
		m = 2 * m + bit;
	}
}

/* byte as a literal with the previous byte prev; match is the byte rep
 * back after a copy, else -1 */
static void put_literal(struct encoder *e, unsigned prev, int match, unsigned byte)
{
	unsigned base = PACK_P_LIT + 0x300 * (prev >> (8 - PACK_LIT_CONTEXT_BITS)), m = 1;

	for (int i = 7; i >= 0; i--) {
		unsigned bit = (byte >> i) & 1;

		if (match >= 0) {
			unsigned match_bit = ((unsigned)match >> i) & 1;

			put_bit(e, base + 0x100 + 0x100 * match_bit + m, bit);
			if (bit != match_bit)
				match = -1;
		} else {
			put_bit(e, base + m, bit);
		}
		m = 2 * m + bit;
	}
}

/* a copy's length, PACK_MATCH_MIN..PACK_MATCH_MAX */
static void put_length(struct encoder *e, size_t len)
{
	unsigned v = (unsigned)(len - PACK_MATCH_MIN);

	put_bit(e, PACK_P_LEN, v >= 16);
	if (v < 16)
		put_tree(e, PACK_P_LEN, 4, v);
	else
		put_tree(e, PACK_P_LEN + 256, 8, v);
}

/* a distance (1 and up) as a slot and the bits below its leading 1, or
 * (dist 0) the end */
static void put_distance(struct encoder *e, uint32_t dist)
{
	unsigned slot = 0;

	if (!dist) {
		put_tree(e, PACK_P_SLOT, 5, PACK_SLOT_END);
		return;
	}
	while (dist >> (slot + 1))
		slot++;
	put_tree(e, PACK_P_SLOT, 5, slot);
	for (unsigned k = slot; k-- > 0;)
		put_bit(e, PACK_P_DIST + 32 * slot + k + 1, (dist >> k) & 1);
}

/* --- the tokens ----------------------------------------------------------- */

enum { LITERAL, SHORT_REP, REP, MATCH };	/* a token's kinds */

/* The state after a token of kind in state s (the format header). */
static unsigned next_state(unsigned s, unsigned kind)
{
	if (kind == LITERAL)
		return s >> 1;
	return PACK_STATE_COPY + 2 * (kind != MATCH) + (s >= PACK_STATE_COPY);
}

/* A token's flags (is_match, and for a copy is_rep and rep_long) in state s. */
static void put_flags(struct encoder *e, unsigned s, unsigned kind)
{
	put_bit(e, PACK_P_IS_MATCH + s, kind != LITERAL);
	if (kind == LITERAL)
		return;
	put_bit(e, PACK_P_IS_REP + s, kind != MATCH);
	if (kind != MATCH)
		put_bit(e, PACK_P_REP_LONG + s, kind == REP);
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
 * One way to reach a position: its price, the state and last distance
 * after it, and its last token (kind, len bytes; rep is its distance for
 * a copy), which extends arrival `from` at pos - len (len 0: the start).
 */
struct arrival {
	uint32_t cost, rep;
	uint16_t len;
	uint8_t kind, state, from;
};

struct node {
	struct arrival a[ARRIVALS];
	unsigned count;
};

/*
 * Keep a new arrival at nd if it is the cheapest with its state and last
 * distance, and among the ARRIVALS cheapest kept there.
 */
static void offer(struct node *nd, const struct arrival *new)
{
	unsigned at = nd->count;

	for (unsigned i = 0; i < nd->count; i++)
		if (nd->a[i].rep == new->rep && nd->a[i].state == new->state) {
			at = i;
			break;
		}
	if (at == nd->count && nd->count == ARRIVALS)
		for (unsigned i = at = 0; i < ARRIVALS; i++)
			if (nd->a[i].cost > nd->a[at].cost)
				at = i;
	if (at < nd->count && nd->a[at].cost <= new->cost)
		return;
	if (at == nd->count)
		nd->count++;
	nd->a[at] = *new;
}

/* Offers at nd the token (kind, len, rep) after arrival `from`, in state
 * s; cost is the price of both. */
static void offer_token(struct node *nd, uint32_t cost, unsigned s, unsigned from, unsigned kind, size_t len,
			uint32_t rep)
{
	struct arrival new = { cost, rep, (uint16_t)len, (uint8_t)kind, (uint8_t)next_state(s, kind),
			       (uint8_t)from };

	offer(nd, &new);
}

/*
 * A parse's tokens coded one by one, the model moving as lz_unpack moves
 * it: for encode, and for the next pass to price with.
 */
struct coder {
	struct encoder e;
	prob p[PACK_P_COUNT];
	const unsigned char *in;
	size_t pos;
	uint32_t rep;
	unsigned state;
};

/* Starts c at in's start, coding into out (room bytes). */
static void start_coder(struct coder *c, const unsigned char *in, unsigned char *out, size_t room)
{
	init_model(c->p);
	start_encoder(&c->e, out, room, c->p);
	c->in = in;
	c->pos = 0;
	c->rep = 1;
	c->state = 0;
}

/* Codes the token tk at c's position, and moves on past it. */
static void put_token(struct coder *c, const struct arrival *tk)
{
	const unsigned char *in = c->in;

	if (c->pos)	/* the first token, a literal, has no flag */
		put_flags(&c->e, c->state, tk->kind);
	if (tk->kind == LITERAL)
		put_literal(&c->e, c->pos ? in[c->pos - 1] : 0,
			    c->state >= PACK_STATE_COPY ? in[c->pos - c->rep] : -1, in[c->pos]);
	if (tk->kind == MATCH)
		put_distance(&c->e, tk->rep);
	if (tk->kind >= REP)
		put_length(&c->e, tk->len);
	c->rep = tk->rep;
	c->state = next_state(c->state, tk->kind);
	c->pos += tk->len;
}

/*
 * The cheapest parse of in[0..n) that the dynamic programming finds,
 * pricing the tokens at each position with the model as the previous
 * parse (prev, prev_count tokens; none: even probabilities) had it when
 * its token over that position started, coded into scratch (room bytes).
 * Writes tokens as arrivals (kind, len, and rep the distance of a copy) in
 * order; returns how many.
 */
static size_t parse(const unsigned char *in, size_t n, const struct match *m, const size_t *first,
		    const struct arrival *prev, size_t prev_count, unsigned char *scratch, size_t room,
		    struct arrival *tokens)
{
	struct node *nodes = calloc(n + 1, sizeof(*nodes));
	struct coder *model = malloc(sizeof(*model));
	static uint32_t len_price[PACK_MATCH_MAX + 1];
	struct encoder e;
	size_t count = 0, next = 0;

	start_coder(model, in, scratch, room);
	start_encoder(&e, NULL, 0, model->p);
	nodes[0].count = 1;
	nodes[0].a[0].rep = 1;
	for (size_t pos = 0; pos < n; pos++) {
		struct node *nd = &nodes[pos];
		int cheapest[PACK_STATES];	/* by state: the cheapest arrival in it */

		while (next < prev_count && model->pos + prev[next].len <= pos)
			put_token(model, &prev[next++]);
		if (pos % LENGTH_SPAN == 0)
			for (size_t len = PACK_MATCH_MIN; len <= PACK_MATCH_MAX; len++) {
				e.price = 0;
				put_length(&e, len);
				len_price[len] = e.price;
			}
		for (unsigned s = 0; s < PACK_STATES; s++)
			cheapest[s] = -1;
		for (unsigned i = 0; i < nd->count; i++) {
			const struct arrival *a = &nd->a[i];
			unsigned s = a->state;
			size_t rep_len = a->rep <= pos ? match_length(in, n, pos, a->rep) : 0;

			e.price = a->cost;
			if (pos)
				put_flags(&e, s, LITERAL);
			put_literal(&e, pos ? in[pos - 1] : 0, s >= PACK_STATE_COPY ? in[pos - a->rep] : -1, in[pos]);
			offer_token(&nodes[pos + 1], e.price, s, i, LITERAL, 1, a->rep);
			if (rep_len) {
				e.price = a->cost;
				put_flags(&e, s, SHORT_REP);
				offer_token(&nodes[pos + 1], e.price, s, i, SHORT_REP, 1, a->rep);
			}
			e.price = a->cost;
			put_flags(&e, s, REP);
			for (size_t len = PACK_MATCH_MIN; len <= rep_len; len++)
				offer_token(&nodes[pos + len], e.price + len_price[len], s, i, REP, len, a->rep);
			if (cheapest[s] < 0 || a->cost < nd->a[cheapest[s]].cost)
				cheapest[s] = (int)i;
		}
		/* new distances: each length at its cheapest match, from the
		 * longest (farthest) down, as a longer match serves a shorter
		 * length too */
		for (unsigned s = 0; s < PACK_STATES; s++) {
			uint32_t dist = 0, dist_price = UINT32_MAX, flags;

			if (cheapest[s] < 0)
				continue;
			e.price = nd->a[cheapest[s]].cost;
			put_flags(&e, s, MATCH);
			flags = e.price;
			for (size_t k = first[pos + 1]; k-- > first[pos];) {
				size_t shorter = k > first[pos] ? m[k - 1].len : PACK_MATCH_MIN - 1;

				e.price = flags;
				put_distance(&e, m[k].dist);
				if (e.price < dist_price) {
					dist_price = e.price;
					dist = m[k].dist;
				}
				for (size_t len = shorter + 1; len <= m[k].len; len++)
					offer_token(&nodes[pos + len], dist_price + len_price[len], s,
						    (unsigned)cheapest[s], MATCH, len, dist);
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
	free(model);
	return count;
}

/*
 * Codes in's tokens (from parse) into out (room bytes); returns the bytes
 * out, the coder's leading 0 byte left off (the format header).
 */
static size_t encode(const unsigned char *in, const struct arrival *tokens, size_t count, unsigned char *out,
		     size_t room)
{
	struct coder *c = malloc(sizeof(*c));
	size_t len;

	start_coder(c, in, out, room);
	for (size_t t = 0; t < count; t++)
		put_token(c, &tokens[t]);
	put_flags(&c->e, c->state, MATCH);
	put_distance(&c->e, 0);
	for (int i = 0; i < 5; i++)
		shift_low(&c->e);
	len = c->e.len;
	free(c);
	if (out[0]) {
		fprintf(stderr, "stagepack: the coder's first byte is not 0: a packer bug\n");
		exit(1);
	}
	memmove(out, out + 1, --len);
	return len;
}

/*
 * Pack in[0..n) into out (room for n + n/8 + 16 bytes); returns its
 * length: the smallest of PASSES parses, the first priced with even
 * probabilities, each next one with the model as the last one coded it.
 */
static size_t pack(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t *first = malloc(sizeof(size_t) * (n + 1)), best = SIZE_MAX, room = n + n / 8 + 16, prev_count = 0;
	struct match *m = find_matches(in, n, first);
	struct arrival *tokens = malloc(sizeof(*tokens) * n), *prev = malloc(sizeof(*prev) * n), *swap;
	unsigned char *trial = malloc(room);

	init_prob_prices();
	for (int pass = 0; pass < PASSES; pass++) {
		size_t count = parse(in, n, m, first, prev, prev_count, trial, room, tokens);
		size_t len = encode(in, tokens, count, trial, room);

		if (len < best) {
			best = len;
			memcpy(out, trial, len);
		}
		swap = prev;
		prev = tokens;
		tokens = swap;
		prev_count = count;
	}
	free(first);
	free(m);
	free(tokens);
	free(prev);
	free(trial);
	return best;
}

/* --- what lz_unpack does, to check the packer ------------------------------- */

struct decoder {
	const unsigned char *in, *end;
	uint32_t range, code;
	int overrun;	/* it read past the end */
	prob p[PACK_P_COUNT];
};

/* The next bit, read with probability at, which it moves. */
static unsigned get_bit(struct decoder *dc, unsigned at)
{
	uint32_t bound;
	unsigned bit;

	while (dc->range < PACK_TOP) {
		dc->range <<= 8;
		dc->code <<= 8;
		if (dc->in == dc->end)
			dc->overrun = 1;
		else
			dc->code |= *dc->in++;
	}
	bound = (dc->range >> SUM_BITS) * prob_one(dc->p[at]);
	bit = dc->code < bound;
	if (bit) {
		dc->range = bound;
	} else {
		dc->code -= bound;
		dc->range -= bound;
	}
	move_prob(dc->p[at], bit);
	return bit;
}

/* A tree at base from node m until node 256 and up: that node. */
static unsigned get_tree(struct decoder *dc, unsigned base, unsigned m)
{
	while (m < 256)
		m = 2 * m + get_bit(dc, base + m);
	return m;
}

/* A copy's length. */
static size_t get_length(struct decoder *dc)
{
	unsigned m = get_bit(dc, PACK_P_LEN) ? get_tree(dc, PACK_P_LEN + 256, 1) : get_tree(dc, PACK_P_LEN, 16);

	return PACK_MATCH_MIN + (m & 0xFF);
}

/* Returns bytes out, or -1; *used: the bytes of in it read. */
static long unpack(const unsigned char *in, size_t in_len, unsigned char *out, size_t room, size_t *used)
{
	struct decoder *dc = calloc(1, sizeof(*dc));
	size_t o = 0, rep = 1, len;
	unsigned state = 0;
	long result = -1;

	if (in_len < 4)
		goto out;
	dc->in = in;
	dc->end = in + in_len;
	for (int i = 0; i < 4; i++)
		dc->code = dc->code << 8 | *dc->in++;
	dc->range = 0xFFFFFFFFu;
	init_model(dc->p);
	for (;;) {
		unsigned s = state;

		if (!o || !get_bit(dc, PACK_P_IS_MATCH + s)) {
			unsigned prev = o ? out[o - 1] : 0, m = 1;
			unsigned base = PACK_P_LIT + 0x300 * (prev >> (8 - PACK_LIT_CONTEXT_BITS));

			if (o == room)
				goto out;
			if (s >= PACK_STATE_COPY) {
				unsigned match = out[o - rep], match_bit, bit;

				do {
					match_bit = (match >> 7) & 1;
					match <<= 1;
					bit = get_bit(dc, base + 0x100 + 0x100 * match_bit + m);
					m = 2 * m + bit;
				} while (bit == match_bit && m < 256);
			}
			out[o++] = (unsigned char)get_tree(dc, base, m);
			state = next_state(s, LITERAL);
			continue;
		}
		if (get_bit(dc, PACK_P_IS_REP + s)) {
			state = next_state(s, REP);
			len = get_bit(dc, PACK_P_REP_LONG + s) ? get_length(dc) : 1;
		} else {
			unsigned slot = get_tree(dc, PACK_P_SLOT, 8) - 256;

			state = next_state(s, MATCH);
			if (slot == PACK_SLOT_END)
				break;
			rep = 1;
			for (unsigned k = slot; k > 0; k--)
				rep = 2 * rep + get_bit(dc, PACK_P_DIST + 32 * slot + k);
			len = get_length(dc);
		}
		if (rep > o || o + len > room)
			goto out;
		for (size_t k = 0; k < len; k++, o++)
			out[o] = out[o - rep];
	}
	if (!dc->overrun)
		result = (long)o;
out:
	*used = (size_t)(dc->in - in);
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
	if (!c_len) {
		fprintf(stderr, "stagepack: %s is empty: the format starts with a literal\n", argv[2]);
		return 1;
	}
	packed = malloc(c_len + c_len / 8 + 16);
	check = malloc(c_len);
	unsigned char *filtered = malloc(c_len);
	memcpy(filtered, c, c_len);
	branch_filter(filtered, c_len, 1);
	size_t packed_len = pack(filtered, c_len, packed);
	long unpacked = unpack(packed, packed_len, check, c_len, &packed_len);
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
