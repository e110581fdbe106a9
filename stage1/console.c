/*
 * console.c - see console.h.  Everything the stage prints goes through
 * console_putc: to the screen through the BIOS, a character at a time, and
 * to COM1 directly, a line at a time, unless the BIOS already copies the
 * screen there.
 */
#include <stdarg.h>
#include "console.h"
#include "bios.h"
#include "io.h"

#define COM1            0x3F8
#define UART_THR        0       /* transmit holding register */
#define UART_IER        1
#define UART_DLL        0       /* divisor latch, with LCR.DLAB set */
#define UART_DLM        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define UART_LSR_THRE   0x20    /* transmitter ready for a byte */
#define UART_LCR_DLAB   0x80
#define UART_LCR_8N1    0x03
#define UART_TX_SPIN    100000  /* no UART or a stuck one must not hang us */

#define IVT_INT10_SEG   (0x10 * 4 + 2)  /* the screen handler's segment */
#define VGA_MISC_READ   0x3CC           /* VGA miscellaneous output register */
#define OPTION_ROM_SEG_END 0xE000u      /* video and other option ROMs lie below */

/*
 * COM1 gets whole lines: if the BIOS also copies the screen to COM1, the
 * two copies arrive one after the other, never as "bboooott".
 */
static char serial_line[128];
static unsigned serial_len;
/* The BIOS copies the screen to COM1 itself: write the screen only. */
static int screen_reaches_com1;

/*
 * Is INT 10h hooked in front of the video BIOS?  With a VGA (its
 * miscellaneous output register reads back; with no card the port reads
 * 0xFF), INT 10h belongs to the video BIOS in an option ROM segment
 * (C000h) unless the system BIOS took it over: SeaBIOS's serial console
 * under QEMU's -nographic (sercon), or a server BIOS's console
 * redirection, both of which copy the screen to the serial line.  Without
 * a VGA, INT 10h in the system BIOS may copy the screen or drop it, which
 * cannot be told apart: write both, in whole lines.
 */
static int bios_mirrors_screen(void)
{
	if (inb(VGA_MISC_READ) == 0xFF)
		return 0;
	return low_mem_word(IVT_INT10_SEG) >= OPTION_ROM_SEG_END;
}

static void screen_putc(char c)
{
	struct bios_regs r = { 0 };

	r.eax = 0x0E00 | (uint8_t)c;            /* teletype output */
	r.ebx = 0x0007;                         /* page 0, light grey */
	bios_int(0x10, &r);
}

/* SeaBIOS's serial console holds the last character back until the next
 * one comes (or a timer tick, which may never come before Linux runs): a
 * space, which it then holds instead, lets it out; the CR puts the cursor
 * back where it was, at the start of a line. */
static void bios_screen_flush(void)
{
	screen_putc(' ');
	screen_putc('\r');
}

void console_init(void)
{
	outb(COM1 + UART_IER, 0);               /* polled: no interrupts */
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DLL, 1);               /* 115200 = 1.8432 MHz / 16 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);            /* enable and clear the FIFOs */
	outb(COM1 + UART_MCR, 0x03);            /* DTR, RTS */
	screen_reaches_com1 = bios_mirrors_screen();
}

static void uart_putc(char c)
{
	for (int spin = 0; spin < UART_TX_SPIN; spin++)
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void console_flush(void)
{
	if (screen_reaches_com1)
		bios_screen_flush();
	for (unsigned i = 0; i < serial_len; i++)
		uart_putc(serial_line[i]);
	serial_len = 0;
}

static void serial_putc(char c)
{
	if (screen_reaches_com1)
		return;
	serial_line[serial_len++] = c;
	if (c == '\n' || serial_len == sizeof(serial_line))
		console_flush();
}

void console_putc(char c)
{
	if (c == '\n') {
		serial_putc('\r');
		screen_putc('\r');
	}
	serial_putc(c);
	screen_putc(c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			console_putc(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, longs = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		char buf[20];
		int len;
		uint64_t v;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			console_puts(s ? s : "(null)");
			continue;
		}
		case 'u':
		case 'x':
			v = longs == 2 ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
			len = (int)format_u64(v, *fmt == 'x' ? 16 : 10, buf);
			break;
		default:
			console_putc('?');
			continue;
		}
		for (int i = len; i < width; i++)
			console_putc(pad);
		for (int i = 0; i < len; i++)
			console_putc(buf[i]);
	}
	va_end(ap);
}

void console_print_diag(const struct diag *d)
{
	char message[256];
	const struct diag_entry *e = &diag_catalog[d->id];

	diag_format_message(d, message, sizeof(message));
	console_printf("\nbootinst: %s: %s\n", e->code, message);
	if (e->grub[0])
		console_printf("  (GRUB Legacy calls this error %s)\n", e->grub);
	console_printf("  fix: %s\n", e->fix);
}

void console_wait_key(void)
{
	struct bios_regs r = { 0 };

	console_flush();
	bios_int(0x16, &r);                     /* AH=00h: read a key, blocking */
}
