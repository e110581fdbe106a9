/*
 * diag_format.c - the catalog table and its message formatter.
 * Built for the stage (freestanding) and for the host (installer, tests).
 */
#include "diag.h"

#ifdef BOOTINST_STAGE
/* The stage prints only its own failures; the other entries' words stay on
 * the host (the folded-away literals cost the stage nothing). */
#define DIAG_WORDS(where, text) ((where) == DIAG_AT_STAGE || (where) == DIAG_AT_BOOT ? (text) : "")
#else
#define DIAG_WORDS(where, text) (text)
#endif

const struct diag_entry diag_catalog[DIAG_COUNT] = {
#define BOOTINST_DIAG_ENTRY(id, code, grub, where, msg, fix) \
	[id] = { code, grub, where, DIAG_WORDS(where, msg), DIAG_WORDS(where, fix) },
	BOOTINST_DIAG_CATALOG(BOOTINST_DIAG_ENTRY)
#undef BOOTINST_DIAG_ENTRY
};

enum diag_id diag_set(struct diag *d, enum diag_id id)
{
	d->id = id;
	d->path = 0;
	d->path_len = 0;
	d->name = 0;
	d->value = 0;
	d->limit = 0;
	d->block = 0;
	return id;
}

struct out_buf {
	char *p;
	size_t room;   /* bytes left, the terminating NUL's excluded */
	size_t len;
};

static void put_char(struct out_buf *o, char c)
{
	if (o->room) {
		*o->p++ = c;
		o->room--;
		o->len++;
	}
}

/* s, at most max bytes of it */
static void put_str(struct out_buf *o, const char *s, uint32_t max)
{
	if (!s)
		s = "?";
	while (*s && max--)
		put_char(o, *s++);
}

size_t format_u64(uint64_t v, unsigned base, char *out)
{
	char rev[20];
	size_t n = 0;

	do {
		unsigned digit;
		if (base == 16) {
			digit = (unsigned)(v & 0xf);
			v >>= 4;
		} else {
			/* v / 10 by binary long division: the stage links no
			 * libgcc, so no 64-bit '/' */
			uint64_t q = 0, r = 0;
			for (int bit = 63; bit >= 0; bit--) {
				r = (r << 1) | ((v >> bit) & 1);
				if (r >= 10) {
					r -= 10;
					q |= (uint64_t)1 << bit;
				}
			}
			digit = (unsigned)r;
			v = q;
		}
		rev[n++] = "0123456789abcdef"[digit];
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

static void put_num(struct out_buf *o, uint64_t v, unsigned base)
{
	char digits[20];
	size_t n = format_u64(v, base, digits);

	if (base == 16 && (n & 1))
		put_char(o, '0');          /* whole bytes: status 01, protocol 0201 */
	for (size_t i = 0; i < n; i++)
		put_char(o, digits[i]);
}

static int word_is(const char *s, const char *word, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != word[i] || !word[i])
			return 0;
	return word[len] == 0;
}

size_t diag_format_message(const struct diag *d, char *out, size_t out_size)
{
	struct out_buf o = { out, out_size ? out_size - 1 : 0, 0 };
	const char *t = (unsigned)d->id < DIAG_COUNT ? diag_catalog[d->id].message : "unknown failure";

	while (*t) {
		if (*t == '{') {
			const char *end = t + 1;
			while (*end && *end != '}')
				end++;
			size_t len = (size_t)(end - t - 1);
			const char *key = t + 1;
			if (*end == '}') {
				if (word_is(key, "path", len))
					put_str(&o, d->path, d->path_len ? d->path_len : ~0u);
				else if (word_is(key, "name", len))
					put_str(&o, d->name, ~0u);
				else if (word_is(key, "value", len))
					put_num(&o, d->value, 10);
				else if (word_is(key, "limit", len))
					put_num(&o, d->limit, 10);
				else if (word_is(key, "block", len))
					put_num(&o, d->block, 10);
				else if (word_is(key, "hex", len))
					put_num(&o, d->value, 16);
				else if (word_is(key, "status", len)) {
					if (d->value) {    /* 0: offline, no BIOS answered */
						put_str(&o, ": BIOS status 0x", ~0u);
						put_num(&o, d->value, 16);
					}
				} else
					put_str(&o, "{?}", ~0u);
				t = end + 1;
				continue;
			}
		}
		put_char(&o, *t++);
	}
	if (out_size)
		*o.p = 0;
	return o.len;
}
