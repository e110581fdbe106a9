/*
 * console.h - the stage's output: the BIOS teletype (INT 10h AH=0Eh) and
 * COM1 (a polled 16550 at 0x3F8, 115200 8N1) at once, so a user sees the
 * same lines on screen and on `-serial stdio`.  COM1 gets whole lines;
 * where the BIOS copies the screen to COM1 itself (QEMU's -nographic, a
 * server's console redirection) the stage writes the screen only, so that
 * COM1 gets each line once.
 */
#ifndef BOOTINST_CONSOLE_H
#define BOOTINST_CONSOLE_H

#include <stdint.h>
#include "diag.h"

void console_init(void);
void console_putc(char c);
/* Send what is held back: COM1's unfinished line, the BIOS's copy of the
 * screen.  Before anything that may not come back (Linux, a key wait). */
void console_flush(void);
void console_puts(const char *s);
/* printf subset: %s %u %x (32-bit), width and '0' flag (e.g. %08x).
 * \n prints as \r\n. */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "bootinst: E24: <message>" then "  fix: <fix>" */
void console_print_diag(const struct diag *d);
/*
 * Keys, from the keyboard (INT 16h) and from COM1 at once: a character,
 * or one of KEY_* for the arrows and the editing keys (a terminal's escape
 * sequences are read as the same), or KEY_NONE when none is waiting.
 * Never waits.
 */
enum {
	KEY_NONE = -1,
	KEY_UP = 0x100, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_DELETE,
};
int console_key(void);

/* Wait for a key, on the keyboard or COM1. */
void console_wait_key(void);

#endif
