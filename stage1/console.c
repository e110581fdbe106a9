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

#define SCREEN_COLUMNS  80
static unsigned screen_column;          /* where the teletype's cursor is */

static void screen_putc(char c)
{
	struct bios_regs r = { 0 };

	if (c == '\r')
		screen_column = 0;
	else if (c == '\b' && screen_column)
		screen_column--;
	else if (c != '\n' && ++screen_column == SCREEN_COLUMNS)
		screen_column = 0;              /* the teletype wrapped */

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
		int width = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		char buf[20];
		int len;
		switch (*fmt) {
		case 's':
			console_puts(va_arg(ap, const char *));
			continue;
		case 'u':
		case 'x':
			len = (int)format_u64(va_arg(ap, uint32_t), *fmt == 'x' ? 16 : 10, buf);
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

/* s then a newline: on the screen broken at spaces so that no word is cut
 * at column 80 (the next line indented by indent); on COM1 as it is, one
 * line, which a terminal wraps and a log keeps whole. */
static void put_wrapped(const char *s, unsigned indent)
{
	while (*s) {
		unsigned word = 0;

		while (s[word] && s[word] != ' ')
			word++;
		if (screen_column > indent && screen_column + word >= SCREEN_COLUMNS) {
			screen_putc('\r');
			screen_putc('\n');
			for (unsigned i = 0; i < indent; i++)
				screen_putc(' ');
		}
		for (; word; word--, s++) {
			serial_putc(*s);
			screen_putc(*s);
		}
		if (*s == ' ') {
			serial_putc(' ');
			screen_putc(' ');
			s++;
		}
	}
	console_putc('\n');
}

void console_print_diag(const struct diag *d)
{
	char message[256];
	const struct diag_entry *e = &diag_catalog[d->id];

	diag_format_message(d, message, sizeof(message));
	console_printf("\nbootinst: %s: ", e->code);
	put_wrapped(message, 2);
	if (e->grub[0])
		console_printf("  (GRUB Legacy calls this error %s)\n", e->grub);
	console_puts("  fix: ");
	put_wrapped(e->fix, 7);
}

/* --- keys ------------------------------------------------------------------- */

#define UART_RBR        0       /* receive buffer register */
#define UART_LSR_DR     0x01    /* a byte is waiting */
#define ESC             0x1B
#define ESCAPE_SPIN     200000  /* polls for the rest of an escape sequence */
#define KBD_SCAN_UP     0x48
#define KBD_SCAN_DOWN   0x50
#define KBD_SCAN_LEFT   0x4B
#define KBD_SCAN_RIGHT  0x4D
#define KBD_SCAN_HOME   0x47
#define KBD_SCAN_END    0x4F
#define KBD_SCAN_DELETE 0x53

/* COM1's next byte, waiting up to spin polls; -1 if none. */
static int uart_getc(unsigned spin)
{
	do
		if (inb(COM1 + UART_LSR) & UART_LSR_DR)
			return inb(COM1 + UART_RBR);
	while (spin--);
	return -1;
}

/* A terminal's escape sequence after ESC: ESC [ A (or ESC O A) and the
 * like, ESC [ 3 ~ for delete.  Anything else is dropped: ESC alone, or
 * KEY_NONE for a sequence this does not know. */
static int uart_escape(void)
{
	int c = uart_getc(ESCAPE_SPIN), n = 0;

	if (c != '[' && c != 'O')
		return ESC;                     /* (a byte after a lone ESC is lost) */
	while ((c = uart_getc(ESCAPE_SPIN)) >= '0' && c <= '9')
		n = n * 10 + c - '0';
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case '~': return n == 3 ? KEY_DELETE : n == 1 ? KEY_HOME : n == 4 ? KEY_END : KEY_NONE;
	}
	return KEY_NONE;
}

int console_key(void)
{
	static const uint8_t scans[] = { KBD_SCAN_UP, KBD_SCAN_DOWN, KBD_SCAN_LEFT, KBD_SCAN_RIGHT,
					 KBD_SCAN_HOME, KBD_SCAN_END, KBD_SCAN_DELETE };
	struct bios_regs r = { .eax = 0x0100 };         /* AH=01h: is a key waiting? */
	int c;

	bios_int(0x16, &r);
	if (!(r.eflags & BIOS_FLAG_ZF)) {
		r.eax = 0;                              /* AH=00h: take it */
		bios_int(0x16, &r);
		if ((uint8_t)r.eax && (uint8_t)r.eax != 0xE0)
			return (uint8_t)r.eax;
		for (unsigned i = 0; i < sizeof scans; i++)
			if ((uint8_t)(r.eax >> 8) == scans[i])
				return KEY_UP + (int)i;
		return KEY_NONE;
	}
	/* where the BIOS copies the screen to COM1, it also makes COM1's
	 * bytes keystrokes: they came through INT 16h above */
	if (screen_reaches_com1 || (c = uart_getc(0)) < 0)
		return KEY_NONE;
	if (c == ESC)
		return uart_escape();
	return c == 0x7F ? '\b' : c;           /* DEL: what terminals send for backspace */
}

void console_wait_key(void)
{
	console_flush();
	while (console_key() == KEY_NONE)
		;
}
