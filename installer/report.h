/*
 * report.h - how the bootinst command prints findings and failures.
 *
 * One grammar for every finding, whichever verb finds it (install, check,
 * mkimage), in the util-linux/e2fsprogs shape:
 *
 *   bootinst: IMAGE: OBJECT: CODE: message with the numbers
 *     fix: what to do
 *          this image's details (the hint), if any
 *     at boot: the kernel prints '...' (after-the-loader predictions)
 *
 * Warnings and notes say so before the code ("OBJECT: warning: CODE: ...").
 * OBJECT is what the finding is about: "partition 1", "/boot/vmlinuz",
 * "root=", "stage", "MBR".  install prints them on standard error before it
 * refuses; `bootinst check` prints them on standard output, then a summary
 *
 *   bootinst: disk.img: 1 error, 0 warnings, 0 notes: it will not boot
 *
 * or all of it as one JSON object.
 *
 * CODE and the message come from the one catalog (include/diag.h), so the
 * installer, `bootinst check` and the stage at boot say the same thing.
 * A library or system call that fails is reported in the same grammar,
 * without a code, naming what the tool was doing and the library's words:
 * "bootinst: IMAGE: while reading the partition table: REASON".
 */
#ifndef BOOTINST_REPORT_H
#define BOOTINST_REPORT_H

#include <stdio.h>
#include "diag.h"
#include "findings.h"

/*
 * How much the verbs say, set once from -q and -v: quiet prints error
 * findings and failures only (no warnings, notes or summaries); verbose
 * adds what was read and decided (report_verbose_*).  Findings are
 * coloured by severity on a terminal, never with NO_COLOR set.
 */
struct report_style {
	int quiet;
	int verbose;
};
void report_set_style(const struct report_style *s);
const struct report_style *report_get_style(void);

/* "error", "warning", "note" */
const char *report_severity_name(enum finding_severity severity);

/* One finding, in the grammar above. */
void report_finding(FILE *err, const char *image, const struct finding *item);

/* A failure the catalog does not cover (the options, the embedded blobs),
 * in the same shape without a code. */
void report_problem(FILE *err, const char *image, const char *object,
		    const char *message, const char *fix);

/* A failed library or system call, in the grammar above without a code:
 * "bootinst: FILE: while DOING: REASON", REASON the library's own words
 * (strerror, com_err's error_message); doing is "reading the installed
 * stage" and the like. */
void report_call_failed(FILE *err, const char *file, const char *doing, const char *reason);

/* The image could not be opened or its partition table read (disk/image.h
 * image_open's failure): "bootinst: PATH: while DOING: REASON" (a DOING
 * that ends in " of", for the path, without it), then "  fix: FIX" when
 * there is one. */
void report_image_failure(FILE *err, const char *path, const char *doing, const char *reason,
			  const char *fix);

/* `bootinst check`: every finding, then the summary line, which names the
 * bootinst release installed (release: "0.1.0", "" for one from before
 * releases were recorded, NULL when bootinst is not installed). */
void report_check_text(FILE *out, const char *image, const struct findings *f, const char *release);

/* `bootinst check --json`: {"image", "installed_release" (or null),
 * "boots", "findings": [{"code", "grub",
 * "severity", "object", "message", "fix", "hint", ["kernel_says",]
 * "numbers": {...}, "words": {...}}]}; numbers holds the numeric fields
 * the entry's message uses (value, limit, block), words its text fields
 * (path, name).  Strings as report_json_string writes them. */
void report_check_json(FILE *out, const char *image, const struct findings *f, const char *release);

/* The length (1-4) of the valid UTF-8 sequence (RFC 3629) that starts at
 * p, or 0 if none does (a stray continuation byte, an overlong form, a
 * surrogate, past U+10FFFF, cut short by the NUL). */
int report_utf8_length(const unsigned char *p);

/* s as a JSON string (RFC 8259, section 7): quote and control characters
 * escaped, UTF-8 passed through, and - so that any byte string reads back
 * unambiguously - a backslash as two backslashes and each byte that is not
 * UTF-8 as the four characters \xNN (JSON text must be UTF-8: a file name
 * or a disk's bytes need not be).  Decoded, "\\" is a backslash and
 * "\xff" the byte 0xFF. */
void report_json_string(FILE *out, const char *s);

#endif
