/*
 * bios.h - the one way the stage's C code reaches the BIOS.
 *
 * bios_int() (asm/realmode.asm) drops from 32-bit protected mode to real mode,
 * loads the registers from *regs, calls the handler the interrupt vector
 * table holds for `vector` as INT would (flags pushed, far call: no
 * self-modified `int imm8`, so the stage image stays as loaded and its
 * CRC holds), stores the registers and flags back into *regs and returns
 * to protected mode.  The
 * asm takes its offsets into struct bios_regs from build/gen/offsets.inc,
 * generated from this definition, so the two cannot drift.
 *
 * Pointers handed to the BIOS are real-mode seg:offset pairs and must lie
 * below 1 MiB; the stage's stack and data do.
 */
#ifndef BOOTINST_BIOS_H
#define BOOTINST_BIOS_H

#include <stdint.h>
#include <stddef.h>

#define BIOS_FLAG_CF 0x0001u   /* carry: most BIOS services' error flag */
#define BIOS_FLAG_ZF 0x0040u

struct bios_regs {
	/* 0x00 */ uint32_t eax;
	/* 0x04 */ uint32_t ebx;
	/* 0x08 */ uint32_t ecx;
	/* 0x0c */ uint32_t edx;
	/* 0x10 */ uint32_t esi;
	/* 0x14 */ uint32_t edi;
	/* 0x18 */ uint32_t ebp;
	/* 0x1c */ uint16_t ds;
	/* 0x1e */ uint16_t es;
	/* 0x20 */ uint32_t eflags;   /* out only: flags after the interrupt */
} __attribute__((packed));

_Static_assert(sizeof(struct bios_regs) == 0x24, "bios_regs layout");

/* Real-mode segment and offset of a linear address below 1 MiB. */
static inline uint16_t real_seg(uint32_t linear) { return (uint16_t)(linear >> 4); }
static inline uint16_t real_off(uint32_t linear) { return (uint16_t)(linear & 0xf); }

/* The a20_method asm/entry.asm hands stage_main when no way of enabling
 * A20 worked (else 0 already on, 1 BIOS, 2 port 92h, 3 keyboard
 * controller). */
#define A20_FAILED 0xFF

/* The C convention (the caller pops) for what asm calls or C calls in asm,
 * under the stage's -mrtd (Makefile); the host's gen_offsets.c reads this
 * header too, where the attribute means nothing. */
#ifdef __i386__
#define ASM_CALL __attribute__((cdecl))
#else
#define ASM_CALL
#endif

/* asm/realmode.asm */
ASM_CALL void bios_int(uint8_t vector, struct bios_regs *regs);
/* Enter the Linux real-mode setup code loaded at seg:0 with the stack at
 * seg:sp, as boot.rst "Running the kernel" asks.  Does not return. */
ASM_CALL __attribute__((noreturn)) void boot_linux_realmode(uint16_t seg, uint16_t sp);

#endif
