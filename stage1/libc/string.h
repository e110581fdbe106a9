/*
 * string.h for the freestanding stage: the few routines the portable stage
 * code uses, implemented in stage1/libc.c.  Host builds use the system's.
 */
#ifndef BOOTINST_STAGE_STRING_H
#define BOOTINST_STAGE_STRING_H

#include <stddef.h>

/* The C convention under the stage's -mrtd: GCC emits calls to these for
 * block moves and assumes it there (Makefile, STAGE_CFLAGS). */
#define LIBC_CALL __attribute__((cdecl))

LIBC_CALL void *memcpy(void *dest, const void *src, size_t n);
LIBC_CALL void *memmove(void *dest, const void *src, size_t n);
LIBC_CALL void *memset(void *s, int c, size_t n);
LIBC_CALL int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
