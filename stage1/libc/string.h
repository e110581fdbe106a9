/*
 * string.h for the freestanding stage: the few routines the portable stage
 * code uses, implemented in stage1/libc.c.  Host builds use the system's.
 */
#ifndef BOOTINST_STAGE_STRING_H
#define BOOTINST_STAGE_STRING_H

#include <stddef.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
