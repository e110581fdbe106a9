/*
 * menu.h - the boot menu at boot, on the screen and COM1 at once: the
 * entries of /boot/bootinst.cfg (config.h), the default marked, a
 * countdown; numbers, arrows (or j/k on a terminal) and Enter choose, 'e'
 * edits the chosen entry's command line for this boot only.
 *
 * With a timeout of 0 the menu opens only for a key already pressed (on
 * the keyboard or COM1) when the stage looks, once: a boot nobody touches
 * waits for nothing.
 */
#ifndef BOOTINST_MENU_H
#define BOOTINST_MENU_H

#include <stdint.h>
#include "config.h"

/* The entry to boot; its command line in *menu may have been edited. */
uint32_t menu_choose(struct boot_menu *menu);

/* Wait up to seconds, or until a key (which is dropped). */
void menu_pause(uint32_t seconds);

#endif
