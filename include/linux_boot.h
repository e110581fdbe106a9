/*
 * linux_boot.h - the Linux x86 boot protocol's setup header, as the loader
 * sees it in the first sectors of a bzImage (Documentation/arch/x86/boot.rst,
 * "THE REAL-MODE KERNEL HEADER").  Offsets are from the start of the image
 * file, which is also the start of the real-mode code once loaded.
 */
#ifndef BOOTINST_LINUX_BOOT_H
#define BOOTINST_LINUX_BOOT_H

#include <stdint.h>
#include <stddef.h>

#define LINUX_SETUP_HEADER_OFF  0x1F1
#define LINUX_BOOT_FLAG         0xAA55
#define LINUX_HDRS_MAGIC        0x53726448u  /* "HdrS" */
#define LINUX_MIN_PROTOCOL      0x0202       /* cmd_line_ptr, 32-bit pointers */
#define LINUX_DEFAULT_SETUP_SECTS 4          /* setup_sects == 0 means 4 */
#define LINUX_SETUP_MAX_SECTS   64           /* real-mode code <= 32 KiB + boot sector */

/* loadflags */
#define LINUX_LOADED_HIGH       0x01  /* protected-mode code at 0x100000 (bzImage) */
#define LINUX_KEEP_SEGMENTS     0x40
#define LINUX_CAN_USE_HEAP      0x80

/* type_of_loader: boot.rst says a loader without an assigned id uses 0xFF */
#define LINUX_LOADER_TYPE_UNDEFINED 0xFF

#define LINUX_PM_LOAD_ADDR      0x100000u    /* where a bzImage's 32-bit code goes */
#define LINUX_INITRD_ADDR_MAX_OLD 0x37FFFFFFu /* protocol < 2.03 */
#define LINUX_CMDLINE_SIZE_OLD  255          /* protocol < 2.06 */

struct linux_setup_header {
	/* 0x1f1 */ uint8_t  setup_sects;
	/* 0x1f2 */ uint16_t root_flags;
	/* 0x1f4 */ uint32_t syssize;        /* 16-byte paragraphs */
	/* 0x1f8 */ uint16_t ram_size;
	/* 0x1fa */ uint16_t vid_mode;
	/* 0x1fc */ uint16_t root_dev;
	/* 0x1fe */ uint16_t boot_flag;      /* 0xAA55 */
	/* 0x200 */ uint16_t jump;
	/* 0x202 */ uint32_t header;         /* "HdrS" */
	/* 0x206 */ uint16_t version;        /* protocol, 0x020f = 2.15 */
	/* 0x208 */ uint32_t realmode_swtch;
	/* 0x20c */ uint16_t start_sys_seg;
	/* 0x20e */ uint16_t kernel_version;
	/* 0x210 */ uint8_t  type_of_loader;
	/* 0x211 */ uint8_t  loadflags;
	/* 0x212 */ uint16_t setup_move_size;
	/* 0x214 */ uint32_t code32_start;
	/* 0x218 */ uint32_t ramdisk_image;  /* linear address of the initrd */
	/* 0x21c */ uint32_t ramdisk_size;   /* bytes */
	/* 0x220 */ uint32_t bootsect_kludge;
	/* 0x224 */ uint16_t heap_end_ptr;   /* offset from real-mode start, -0x200 */
	/* 0x226 */ uint8_t  ext_loader_ver;
	/* 0x227 */ uint8_t  ext_loader_type;
	/* 0x228 */ uint32_t cmd_line_ptr;   /* linear address of the command line */
	/* 0x22c */ uint32_t initrd_addr_max;/* highest byte the initrd may occupy */
	/* 0x230 */ uint32_t kernel_alignment;
	/* 0x234 */ uint8_t  relocatable_kernel;
	/* 0x235 */ uint8_t  min_alignment;
	/* 0x236 */ uint16_t xloadflags;
	/* 0x238 */ uint32_t cmdline_size;   /* max length, NUL excluded */
	/* 0x23c */ uint32_t hardware_subarch;
	/* 0x240 */ uint64_t hardware_subarch_data;
	/* 0x248 */ uint32_t payload_offset;
	/* 0x24c */ uint32_t payload_length;
	/* 0x250 */ uint64_t setup_data;
	/* 0x258 */ uint64_t pref_address;
	/* 0x260 */ uint32_t init_size;      /* bytes needed from the load address */
	/* 0x264 */ uint32_t handover_offset;
	/* 0x268 */ uint32_t kernel_info_offset;
} __attribute__((packed));

#define LINUX_HDR_OFF(field) (LINUX_SETUP_HEADER_OFF + offsetof(struct linux_setup_header, field))
_Static_assert(LINUX_HDR_OFF(boot_flag) == 0x1fe, "setup header layout");
_Static_assert(LINUX_HDR_OFF(header) == 0x202, "setup header layout");
_Static_assert(LINUX_HDR_OFF(type_of_loader) == 0x210, "setup header layout");
_Static_assert(LINUX_HDR_OFF(ramdisk_image) == 0x218, "setup header layout");
_Static_assert(LINUX_HDR_OFF(heap_end_ptr) == 0x224, "setup header layout");
_Static_assert(LINUX_HDR_OFF(cmd_line_ptr) == 0x228, "setup header layout");
_Static_assert(LINUX_HDR_OFF(cmdline_size) == 0x238, "setup header layout");
_Static_assert(LINUX_HDR_OFF(init_size) == 0x260, "setup header layout");
_Static_assert(LINUX_HDR_OFF(kernel_info_offset) == 0x268, "setup header layout");

#endif
