/*
 * stagepack_format.h - the packed format of the stage's C part: what
 * asm/stagepack.c writes at build time and lz_unpack in asm/entry.asm
 * reads at boot (its constants reach nasm through asm/gen_offsets.c).
 *
 * LZ77 whose every decision is coded by an adaptive binary range coder,
 * in the manner of LZMA (11-bit probabilities that move 1/32 of the way
 * to each bit seen; the range normalised a byte at a time; the stream
 * starts with a 0 byte, then the coder's first four bytes, big endian).
 * The model, each probability a 16-bit word at PACK_P_* (all start at
 * PACK_PROB_INIT):
 *
 *   per token  is_match[state]: 0 a literal, 1 a copy; state is 1 after
 *              a copy, else 0
 *   literal    8-bit tree (MSB first) in PACK_P_LIT + 256 * (previous
 *              byte >> (8 - PACK_LIT_CONTEXT_BITS))
 *   copy       is_rep[state]: 1 repeats the last distance; 0: a slot,
 *              5-bit tree in PACK_P_SLOT, then for slot >= 2 its slot - 1
 *              low bits, MSB first, each with its own probability at
 *              PACK_P_DIST + 32 * slot + bit; distance - 1 is the slot
 *              itself (0, 1) or 1 << (slot - 1) | those bits; slot
 *              PACK_SLOT_END ends the stream
 *   length     length - 2: choice 0 and a 3-bit tree (0..7) in LOW;
 *              choice 1, choice2 0 and a 3-bit tree (8..15) in MID;
 *              choice 1, choice2 1 and an 8-bit tree (16..271) in HIGH
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

#define PACK_PROB_BITS        11
#define PACK_PROB_INIT        (1 << (PACK_PROB_BITS - 1))
#define PACK_MOVE_BITS        5
#define PACK_TOP              (1u << 24)   /* normalise below this range */

#define PACK_LIT_CONTEXT_BITS 2
#define PACK_MATCH_MIN        2
#define PACK_MATCH_MAX        (PACK_MATCH_MIN + 16 + 255)
#define PACK_SLOT_END         31

/* the branch filter */
#define PACK_FILTER_SPAN      (1u << 24)   /* operands within +-this move */

/* probability offsets, in words */
#define PACK_P_IS_MATCH   0
#define PACK_P_IS_REP     2
#define PACK_P_CHOICE     4
#define PACK_P_CHOICE2    5
#define PACK_P_LEN_LOW    6
#define PACK_P_LEN_MID    14
#define PACK_P_LEN_HIGH   22
#define PACK_P_SLOT       278
#define PACK_P_DIST       310
#define PACK_P_LIT        (PACK_P_DIST + 32 * 32)
#define PACK_P_COUNT      (PACK_P_LIT + (256 << PACK_LIT_CONTEXT_BITS))

#endif
