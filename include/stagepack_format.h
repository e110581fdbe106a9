/*
 * stagepack_format.h - the packed format of the stage's C part: what
 * asm/stagepack.c writes at build time and lz_unpack in asm/entry.asm
 * reads at boot (its constants reach nasm through asm/gen_offsets.c).
 *
 * LZ77 whose every decision is coded by an adaptive binary range coder,
 * in the manner of LZMA.
 *
 * The coder: range starts at 2^32 - 1 and code at the stream's first four
 * bytes, big endian.  Before each bit, while range < PACK_TOP, both move
 * left a byte and code takes the stream's next byte.  A bit's probability
 * is a pair of 16-bit words, fast then slow, each below 2^PACK_PROB_BITS
 * and starting at PACK_PROB_INIT: bound = (range >> (PACK_PROB_BITS + 1))
 * * (fast + slow + 1); code < bound is a 1 (range = bound), else a 0
 * (code and range less bound).  Then each word w moves by (t - w) >>
 * PACK_FAST_BITS (fast) or PACK_SLOW_BITS (slow), shifted arithmetically,
 * where t is 2^PACK_PROB_BITS after a 1 and 0 after a 0.  The stream ends
 * with the last byte the unpacker reads.
 *
 * The model, probability i at __bss_start + 4 * i (PACK_P_COUNT of them),
 * has a state, 0..PACK_STATES - 1 (0 to start with; PACK_STATE_COPY and up
 * right after a copy), and rep, the last copy's distance (1 to start with):
 *
 *   token      bit PACK_P_IS_MATCH + state: 0 a literal, 1 a copy; the
 *              first token is a literal, without that bit
 *   literal    a tree at base PACK_P_LIT + 0x300 * (the previous byte >>
 *              (8 - PACK_LIT_CONTEXT_BITS)), the previous byte 0 for the
 *              first: node m, 1 to start with, is bit base + m and moves to
 *              2 m + that bit until m >= 256, the byte m - 256; after a copy
 *              (state >= PACK_STATE_COPY), while the bits so far are those
 *              of the byte rep back, node m is bit base + 0x100 + 0x100 *
 *              (that byte's next bit) + m instead.  Then state becomes
 *              state >> 1
 *   copy       state becomes PACK_STATE_COPY, + 1 if it was that or more,
 *              + 2 for a rep; the bits here are at the state before: bit
 *              PACK_P_IS_REP + state: 1 a rep, then bit PACK_P_REP_LONG +
 *              state: 0 of one byte, 1 of a length; 0 a new rep, then a
 *              length.  The new rep: a slot, a tree at PACK_P_SLOT from
 *              node 8 (5 bits), then slot bits, MSB first, after a leading
 *              1, the one of weight 2^k at bit PACK_P_DIST + 32 * slot + k
 *              + 1; slot PACK_SLOT_END ends the stream instead
 *   length     bit PACK_P_LEN: 0 a tree at PACK_P_LEN from node 16 (4
 *              bits), 1 a tree at PACK_P_LEN + 256 from node 1 (8 bits);
 *              the length is PACK_MATCH_MIN + its value.  A copy repeats
 *              the bytes rep back, one at a time
 *
 * What is packed is the C part after the branch filter (x86 code's calls
 * and jumps to one target then repeat byte for byte, which LZ77 finds):
 * a scan from the start takes each opcode E8 (call), E9 (jmp) or 0F 80..8F
 * (jcc) and its 32-bit operand v at offset i in the C part, if it fits,
 * and moves on past the operand; an operand within +-2^24
 * (v + 2^24 < 2^25, unsigned) becomes ((v + i + 2^24) mod 2^25) - 2^24, the
 * target's offset less 4 (any other is left as it is: a bijection either
 * way).  The unpacker undoes it with i subtracted.
 */
#ifndef BOOTINST_STAGEPACK_FORMAT_H
#define BOOTINST_STAGEPACK_FORMAT_H

#define PACK_PROB_BITS        12
#define PACK_PROB_INIT        (1 << (PACK_PROB_BITS - 1))
#define PACK_FAST_BITS        3
#define PACK_SLOW_BITS        6
#define PACK_TOP              (1u << 24)   /* normalise below this range */

#define PACK_LIT_CONTEXT_BITS 2
#define PACK_MATCH_MIN        2
#define PACK_MATCH_MAX        (PACK_MATCH_MIN + 255)
#define PACK_SLOT_END         31
#define PACK_STATES           8
#define PACK_STATE_COPY       4            /* and up: right after a copy */

/* the branch filter */
#define PACK_FILTER_SPAN      (1u << 24)   /* operands within +-this move */

/* probability indices (pairs of words); lz_unpack finds a literal's base as
 * (previous byte | low bits) * 3 << PACK_LIT_CONTEXT_BITS, and a slot's bits
 * as 33 * (256 + slot), hence PACK_P_LIT and PACK_P_DIST */
#define PACK_P_IS_MATCH   0                /* + state */
#define PACK_P_IS_REP     PACK_STATES
#define PACK_P_REP_LONG   (2 * PACK_STATES)
#define PACK_P_LIT        (0x300 - (3 << PACK_LIT_CONTEXT_BITS))
#define PACK_P_LEN        (PACK_P_LIT + (0x300 << PACK_LIT_CONTEXT_BITS))
#define PACK_P_SLOT       (PACK_P_LEN + 0x200)
#define PACK_P_DIST       (33 * 256)
#define PACK_P_COUNT      (PACK_P_DIST + 32 * 32)

#endif
