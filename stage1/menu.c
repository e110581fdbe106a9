/*
 * menu.c - see menu.h.  Time comes from the RTC's seconds register (CMOS),
 * which runs while the stage keeps interrupts off; the screen and COM1 are
 * drawn line by line with \r and backspaces, which the BIOS teletype and
 * terminals both understand, so no cursor addressing is needed.
 */
#include <string.h>
#include "menu.h"
#include "console.h"
#include "io.h"

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define CMOS_SECONDS    0x00
#define CMOS_STATUS_A   0x0A
#define CMOS_UPDATING   0x80    /* the clock is being updated: read again */
#define CMOS_SPIN       100000  /* a clock stuck updating must not hang us */
#define PROMPT_COLUMNS  52      /* the prompt line, blanked before each redraw */
#define EDIT_COLUMNS    64      /* the part of the command line the editor shows */

static uint8_t rtc_seconds(void)
{
	outb(CMOS_INDEX, CMOS_STATUS_A);
	for (unsigned spin = 0; spin < CMOS_SPIN && (inb(CMOS_DATA) & CMOS_UPDATING); spin++)
		;
	outb(CMOS_INDEX, CMOS_SECONDS);
	return inb(CMOS_DATA);
}

/* What key_within returns when a second has passed with no key. */
#define KEY_TICK (KEY_NONE - 1)

/* A key within *seconds_left seconds: the key; KEY_TICK each second that
 * passes (counted down in *seconds_left); KEY_NONE when they ran out.
 * With *seconds_left 0, the next key whenever it comes. */
static int key_within(uint32_t *seconds_left)
{
	uint8_t last = rtc_seconds();

	console_flush();
	for (;;) {
		int k = console_key();

		if (k != KEY_NONE)
			return k;
		if (*seconds_left && rtc_seconds() != last)
			return --*seconds_left ? KEY_TICK : KEY_NONE;
	}
}

void menu_pause(uint32_t seconds)
{
	while (seconds && key_within(&seconds) == KEY_TICK)
		;
}

static void pad_to(unsigned written, unsigned columns)
{
	while (written++ < columns)
		console_putc(' ');
}

static void show(const struct boot_menu *m)
{
	console_puts("\nbootinst: boot menu\n");
	for (uint32_t i = 0; i < m->count; i++)
		console_printf("  %u %s %s\n", i + 1, i == m->default_entry ? "*" : " ", m->entry[i].name);
	console_puts("Numbers, arrows or j/k choose; Enter boots; e edits the command line\n");
}

/* The command line in the editor's window, the cursor at its place. */
static void draw_line(const char *buf, uint32_t len, uint32_t at)
{
	uint32_t start = at >= EDIT_COLUMNS ? at - EDIT_COLUMNS + 1 : 0, end = start + EDIT_COLUMNS;

	if (end > len)
		end = len;
	console_puts("\r> ");
	for (uint32_t i = start; i < end; i++)
		console_putc(buf[i]);
	pad_to(end - start, EDIT_COLUMNS + 1);
	for (uint32_t i = at - start; i < EDIT_COLUMNS + 1; i++)
		console_putc('\b');
	console_flush();
}

/* Edit line in place: 1 with Enter, 0 with Esc (line unchanged). */
static int edit(char *line)
{
	static char buf[BOOTINST_CMDLINE_MAX];
	uint32_t len = strlen(line), at = len, none = 0;

	memcpy(buf, line, len + 1);
	console_puts("Edit the command line for this boot: Enter boots, Esc cancels\n");
	for (;;) {
		int k;

		draw_line(buf, len, at);
		k = key_within(&none);
		if (k == '\r' || k == '\n') {
			memcpy(line, buf, len + 1);
			console_putc('\n');
			return 1;
		}
		if (k == 0x1B) {
			console_putc('\n');
			return 0;
		}
		if (k == KEY_LEFT && at)
			at--;
		else if (k == KEY_RIGHT && at < len)
			at++;
		else if (k == KEY_HOME)
			at = 0;
		else if (k == KEY_END)
			at = len;
		else if (k == '\b' && at) {
			memmove(buf + at - 1, buf + at, len - at + 1);
			at--;
			len--;
		} else if (k == KEY_DELETE && at < len) {
			memmove(buf + at, buf + at + 1, len - at);
			len--;
		} else if (k >= ' ' && k < 0x7F && len + 1 < BOOTINST_CMDLINE_MAX) {
			memmove(buf + at + 1, buf + at, len - at + 1);
			buf[at++] = (char)k;
			len++;
		}
	}
}

uint32_t menu_choose(struct boot_menu *m)
{
	uint32_t chosen = m->default_entry, left = m->timeout;
	int k;

	if (!left && console_key() == KEY_NONE)
		return chosen;
	show(m);
	for (;;) {
		console_putc('\r');                    /* the last prompt, blanked */
		pad_to(0, PROMPT_COLUMNS);
		console_printf("\rBoot %u %s", chosen + 1, m->entry[chosen].name);
		if (left)
			console_printf(", in %u s", left);
		k = key_within(&left);
		if (k == KEY_TICK)
			continue;                       /* a second less */
		if (k == KEY_NONE || k == '\r' || k == '\n') {
			console_putc('\n');
			return chosen;
		}
		left = 0;                               /* a key stops the countdown */
		if (k > '0' && k <= '0' + (int)m->count)
			chosen = (uint32_t)(k - '1');
		else if ((k == KEY_UP || k == 'k') && chosen)
			chosen--;
		else if ((k == KEY_DOWN || k == 'j') && chosen + 1 < m->count)
			chosen++;
		else if (k == 'e') {
			console_putc('\n');
			if (edit(m->entry[chosen].cfg.cmdline))
				return chosen;
			show(m);
		}
	}
}
