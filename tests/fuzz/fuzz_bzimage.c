/*
 * fuzz_bzimage.c - bzimage_parse (stage1/bzimage.c) on a kernel's first
 * bytes, then what the stage decides from them before it reads on
 * (stage1/linux_plan.c: the command line, the memory plan).
 *
 * Input: the file's size (8 bytes, little-endian), then its head (the
 * first up to BZIMAGE_HEAD_BYTES bytes of the file are what the parser is
 * given, in a buffer of exactly that length).  Fewer than 8 bytes: the
 * head alone, its length the file's size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bzimage.h"
#include "linux_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cmdline[] = "console=ttyS0 root=/dev/sda1";
	struct boot_config cfg = { "/boot/vmlinuz", "/boot/initrd.img", "" };
	uint64_t file_size = size;
	struct bzimage_info info;
	struct linux_plan plan;
	struct memmap mm = { .count = 0 };
	struct diag d;
	uint32_t head_len;
	uint8_t *head;

	if (size >= 8) {
		file_size = 0;
		for (int i = 7; i >= 0; i--)
			file_size = file_size << 8 | data[i];
		data += 8;
		size -= 8;
	}
	head_len = size < BZIMAGE_HEAD_BYTES ? (uint32_t)size : BZIMAGE_HEAD_BYTES;
	if (head_len > file_size)
		head_len = (uint32_t)file_size;   /* the stage reads no more than the file holds */
	head = malloc(head_len ? head_len : 1);
	if (!head)
		abort();
	memcpy(head, data, head_len);
	if (bzimage_parse(head, head_len, file_size, "/boot/vmlinuz", &info, &d) == DIAG_OK) {
		linux_plan_cmdline(&info, cmdline, &d);
		/* a 256 MiB machine as QEMU's and SeaBIOS's E820 shows it */
		memmap_add(&mm, 0, 0x9FC00);
		memmap_add(&mm, 0x100000, 0x10000000 - 0x20000);
		linux_plan_memory(&info, &cfg, file_size / 3, &mm, &plan, &d);
		cfg.initrd[0] = 0;
		linux_plan_memory(&info, &cfg, 0, &mm, &plan, &d);
	}
	free(head);
	return 0;
}
