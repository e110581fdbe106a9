/*
 * libc.c - the string routines of stage1/libc/string.h, for the stage only.
 * Written for size, except memcpy: every byte of the kernel and initrd
 * passes through it from the bounce buffer, and an emulator (QEMU TCG)
 * runs rep movsd about four times faster than rep movsb.
 */
#include <string.h>

LIBC_CALL void *memcpy(void *dest, const void *src, size_t n)
{
	void *d = dest;
	size_t dwords = n >> 2, bytes = n & 3;

	__asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(dwords) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
	return dest;
}

LIBC_CALL void *memmove(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dest, src, n);
	while (n--)
		d[n] = s[n];
	return dest;
}

LIBC_CALL void *memset(void *s, int c, size_t n)
{
	void *d = s;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return s;
}

LIBC_CALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
