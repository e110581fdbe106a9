/*
 * bzimage.h - parse and check a Linux bzImage's setup header.
 * Portable: the installer checks a kernel with it before install, the stage
 * before it loads one.
 */
#ifndef BOOTINST_BZIMAGE_H
#define BOOTINST_BZIMAGE_H

#include <stdint.h>
#include "diag.h"
#include "linux_boot.h"

/* Bytes of the file's start that bzimage_parse needs (covers the whole
 * setup header of every protocol version up to 2.15). */
#define BZIMAGE_HEAD_BYTES 1024

struct bzimage_info {
	uint16_t protocol;         /* e.g. 0x020f */
	uint8_t  loadflags;
	uint16_t xloadflags;
	uint32_t setup_bytes;      /* real-mode part incl. boot sector: (setup_sects+1)*512 */
	uint32_t kernel_bytes;     /* protected-mode part: file size - setup_bytes */
	uint32_t cmdline_max;      /* longest command line, NUL excluded */
	uint32_t initrd_addr_max;  /* highest address the initrd may occupy */
	uint32_t init_size;        /* memory needed at 1 MiB: max(init_size, kernel_bytes) */
	uint32_t kernel_alignment;
	uint8_t  relocatable;
};

/*
 * head: the first min(BZIMAGE_HEAD_BYTES, file_size) bytes of the file;
 * file_size: its total size; path: for messages.  Fills *info and returns
 * DIAG_OK, or returns a failure recorded in *d (E13, E13P, E07, E14).
 */
enum diag_id bzimage_parse(const void *head, uint32_t head_len, uint64_t file_size,
			   const char *path, struct bzimage_info *info, struct diag *d);

#endif
