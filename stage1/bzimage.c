/*
 * bzimage.c - check a Linux bzImage's setup header and decode what a loader
 * needs from it, per Documentation/arch/x86/boot.rst ("THE REAL-MODE KERNEL
 * HEADER", "DETAILS OF HEADER FIELDS").
 *
 * Portable: the installer runs it on the host before install, the stage at
 * boot before it loads anything.  So: no 64-bit division (the stage links no
 * libgcc), only the string routines of stage1/libc/string.h, and every
 * multi-byte field read byte by byte, little-endian, so nothing depends on
 * the host's byte order or on unaligned loads.
 */
#include <string.h>
#include "bzimage.h"

/* Bytes from the file's start to the end of the newest setup header field
 * (kernel_info_offset, protocol 2.15).  Older protocols end earlier, but
 * every real bzImage has at least 5 sectors of setup, far more than this. */
#define SETUP_HEADER_END (LINUX_SETUP_HEADER_OFF + sizeof(struct linux_setup_header))
/* The "too short" reason names this size; keep the text and the layout in step. */
_Static_assert(SETUP_HEADER_END == 620, "SETUP_HEADER_END changed: fix the reason text");

#define SECTOR_BYTES 512u
#define PARAGRAPH_SHIFT 4   /* syssize counts 16-byte paragraphs */

/* boot.rst protocol history: the version that introduced each field read
 * here.  The minor number is binary: 2.10 is 0x020a, not 0x0210. */
#define PROTOCOL_INITRD_ADDR_MAX 0x0203
#define PROTOCOL_SYSSIZE_32BIT   0x0204  /* before: 16 bits, "DO NOT USE" */
#define PROTOCOL_RELOCATABLE     0x0205  /* kernel_alignment, relocatable_kernel */
#define PROTOCOL_CMDLINE_SIZE    0x0206
#define PROTOCOL_INIT_SIZE       0x020a  /* 2.10 */
#define PROTOCOL_XLOADFLAGS      0x020c  /* 2.12 */

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define HDR8(head, field)  ((head)[LINUX_HDR_OFF(field)])
#define HDR16(head, field) get_le16((head) + LINUX_HDR_OFF(field))
#define HDR32(head, field) get_le32((head) + LINUX_HDR_OFF(field))

/*
 * Files users give --kernel by mistake, told apart by their first bytes, so
 * the message can say what the file is instead of only what it is not.
 */
struct file_signature {
	const char *magic;
	uint8_t len;
	const char *what;
};

static const struct file_signature mistaken_files[] = {
	{ "\x7f" "ELF", 4, "it is an ELF file (vmlinux?), not the bootable bzImage" },
	{ "\x1f\x8b", 2, "it is a gzip-compressed file" },
	{ "\xfd" "7zXZ", 5, "it is an xz-compressed file" },
	{ "\x28\xb5\x2f\xfd", 4, "it is a zstd-compressed file (an initramfs?)" },
	{ "070701", 6, "it is a cpio archive (an initramfs?)" },
};

static const char *name_mistaken_file(const uint8_t *head)
{
	for (unsigned i = 0; i < sizeof mistaken_files / sizeof mistaken_files[0]; i++)
		if (memcmp(head, mistaken_files[i].magic, mistaken_files[i].len) == 0)
			return mistaken_files[i].what;
	return 0;
}

static enum diag_id not_bzimage(struct diag *d, const char *path, const char *reason)
{
	diag_set(d, DIAG_NOT_BZIMAGE);
	d->path = path;
	d->name = reason;
	return DIAG_NOT_BZIMAGE;
}

enum diag_id bzimage_parse(const void *head_bytes, uint32_t head_len, uint64_t file_size,
			   const char *path, struct bzimage_info *info, struct diag *d)
{
	const uint8_t *head = head_bytes;

	if (head_len < SETUP_HEADER_END || file_size < SETUP_HEADER_END) {
		not_bzimage(d, path, "it is shorter than the 620 bytes that hold a setup header");
		d->value = file_size;
		d->limit = SETUP_HEADER_END;
		return DIAG_NOT_BZIMAGE;
	}

	/* Both signatures: boot_flag (0x1FE, every protocol) and "HdrS"
	 * (0x202, protocol 2.00+).  Before naming the missing one, see
	 * whether the file is something recognisably different. */
	int has_boot_flag = HDR16(head, boot_flag) == LINUX_BOOT_FLAG;
	if (!has_boot_flag || HDR32(head, header) != LINUX_HDRS_MAGIC) {
		const char *what = name_mistaken_file(head);
		if (what)
			return not_bzimage(d, path, what);
		if (!has_boot_flag)
			return not_bzimage(d, path, "no 0xAA55 boot flag at 0x1FE");
		return not_bzimage(d, path,
				   "no \"HdrS\" signature at 0x202 (a kernel older than 1.3.73, or not a kernel)");
	}

	uint16_t protocol = HDR16(head, version);
	if (protocol < LINUX_MIN_PROTOCOL) {
		diag_set(d, DIAG_PROTOCOL_TOO_OLD);
		d->path = path;
		d->value = protocol;
		d->limit = LINUX_MIN_PROTOCOL;
		return DIAG_PROTOCOL_TOO_OLD;
	}

	uint8_t loadflags = HDR8(head, loadflags);
	if (!(loadflags & LINUX_LOADED_HIGH)) {
		diag_set(d, DIAG_LOADS_BELOW_1MB);
		d->path = path;
		return DIAG_LOADS_BELOW_1MB;
	}

	/* boot.rst: "If this field is 0, the real value is 4." */
	uint32_t setup_sects = HDR8(head, setup_sects);
	if (setup_sects == 0)
		setup_sects = LINUX_DEFAULT_SETUP_SECTS;
	if (setup_sects > LINUX_SETUP_MAX_SECTS) {
		not_bzimage(d, path, "its setup_sects is over 64 (setup code larger than 32 KiB)");
		d->value = setup_sects;
		d->limit = LINUX_SETUP_MAX_SECTS;
		return DIAG_NOT_BZIMAGE;
	}
	uint32_t setup_bytes = (setup_sects + 1) * SECTOR_BYTES;   /* + the boot sector */

	/* The protected-mode part follows the setup code.  Its size is in
	 * syssize only from 2.04 on; before that all we can require is that
	 * there is some. */
	uint64_t kernel_need = 1;
	if (protocol >= PROTOCOL_SYSSIZE_32BIT && HDR32(head, syssize))
		kernel_need = (uint64_t)HDR32(head, syssize) << PARAGRAPH_SHIFT;
	if (file_size < setup_bytes + kernel_need) {
		diag_set(d, DIAG_SHORT_READ);
		d->path = path;
		d->value = file_size;
		d->limit = setup_bytes + kernel_need;
		return DIAG_SHORT_READ;
	}

	uint64_t kernel_bytes = file_size - setup_bytes;
	if (kernel_bytes > 0xffffffffu)
		return not_bzimage(d, path, "it is larger than 4 GiB, more than a 32-bit loader can place");

	info->protocol = protocol;
	info->loadflags = loadflags;
	info->xloadflags = protocol >= PROTOCOL_XLOADFLAGS ? HDR16(head, xloadflags) : 0;
	info->setup_bytes = setup_bytes;
	info->kernel_bytes = (uint32_t)kernel_bytes;
	info->cmdline_max = protocol >= PROTOCOL_CMDLINE_SIZE ? HDR32(head, cmdline_size)
							       : LINUX_CMDLINE_SIZE_OLD;
	info->initrd_addr_max = protocol >= PROTOCOL_INITRD_ADDR_MAX ? HDR32(head, initrd_addr_max)
								     : LINUX_INITRD_ADDR_MAX_OLD;
	/* init_size (2.10+) is what the kernel needs at its load address to
	 * decompress itself; never less than the bytes we copy there. */
	info->init_size = info->kernel_bytes;
	if (protocol >= PROTOCOL_INIT_SIZE && HDR32(head, init_size) > info->init_size)
		info->init_size = HDR32(head, init_size);
	if (protocol >= PROTOCOL_RELOCATABLE) {
		info->kernel_alignment = HDR32(head, kernel_alignment);
		info->relocatable = HDR8(head, relocatable_kernel);
	} else {
		info->kernel_alignment = 0;
		info->relocatable = 0;
	}
	diag_set(d, DIAG_OK);
	return DIAG_OK;
}
