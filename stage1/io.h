/* io.h - x86 port I/O for the stage (COM1, the keyboard controller, PCI
 * configuration space, the IDE controller), and reads of the BIOS's low
 * memory. */
#ifndef BOOTINST_IO_H
#define BOOTINST_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t value;
	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* The 16-bit word at a linear address in the first page (the interrupt
 * vector table), which C would call a null-pointer dereference. */
static inline uint16_t low_mem_word(uint32_t linear)
{
	uint16_t value;
	__asm__ volatile("movw (%1), %0" : "=r"(value) : "r"(linear) : "memory");
	return value;
}

#endif
