/*
 * explain.h - `bootinst explain`: the diagnostic catalog (include/diag.h)
 * for people: one entry by its code, the entries GRUB Legacy called by one
 * error number, all of them, or the README's table.
 *
 * Message templates are shown with their placeholders in words:
 *   {path} PATH   {name} WHAT   {value} N   {limit} LIMIT   {block} BLOCK
 *   {hex} HEX
 */
#ifndef BOOTINST_INSTALLER_EXPLAIN_H
#define BOOTINST_INSTALLER_EXPLAIN_H

#include <stdio.h>

/*
 * Explain what: a code ("E24", any case) or a GRUB Legacy error number
 * ("24", "grub24"), which lists every entry GRUB Legacy called that.
 * Returns 0, or 1 when nothing matches (what is wrong and the valid codes
 * go to err).
 */
int explain_lookup(FILE *out, FILE *err, const char *what);

/* Every entry, in catalog order. */
void explain_all(FILE *out);

/* The catalog as a Markdown table (code, GRUB Legacy error, what it means,
 * fix): the README's "Diagnostics" section between its catalog markers. */
void explain_markdown(FILE *out);

#endif
