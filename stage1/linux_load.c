/*
 * linux_load.c - see linux_load.h.
 */
#include <string.h>
#include "linux_load.h"
#include "bios.h"
#include "bzimage.h"
#include "console.h"
#include "linux_plan.h"

/* Load len bytes at offset of the file to dest in LINUX_LOAD_PIECE_BYTES
 * pieces; progress shows in tenths: a handful of updates, no slowdown. */
static enum diag_id load_with_progress(struct ext2_fs *fs, const struct ext2_file *f,
				       const char *path, uint32_t offset, uint32_t len,
				       uint32_t dest, struct diag *d)
{
	uint32_t done = 0;
	uint32_t tenth = len / 10 ? len / 10 : 1;
	unsigned tenths_shown = 0;

	console_printf("Loading %s (%u KiB at 0x%x) ", path, (len + 1023) >> 10, dest);
	while (done < len) {
		uint32_t n = len - done < LINUX_LOAD_PIECE_BYTES ? len - done : LINUX_LOAD_PIECE_BYTES;
		enum diag_id rc = ext2_read(fs, f, (uint64_t)offset + done, n,
					    (void *)(dest + done), d);
		if (rc) {
			if (!d->path)
				d->path = path;
			return rc;
		}
		done += n;
		while (tenths_shown < 10 && done / tenth > tenths_shown) {
			console_putc('.');
			tenths_shown++;
		}
	}
	console_puts(" done\n");
	return DIAG_OK;
}

enum diag_id linux_load_and_boot(struct ext2_fs *fs, struct disk *dk,
				 const struct boot_config *cfg,
				 const struct memmap *mm, struct diag *d)
{
	static struct ext2_file kernel, initrd;
	uint8_t *real_mode = (uint8_t *)LINUX_REAL_MODE_ADDR;
	struct linux_setup_header *hdr =
		(struct linux_setup_header *)(real_mode + LINUX_SETUP_HEADER_OFF);
	struct bzimage_info info;
	struct linux_plan plan;
	enum diag_id rc;

	rc = ext2_open(fs, cfg->kernel, &kernel, d);
	if (rc)
		return rc;

	/* The header first: is this a kernel we can boot, and where does it go? */
	uint32_t head_len = kernel.size < BZIMAGE_HEAD_BYTES ? (uint32_t)kernel.size : BZIMAGE_HEAD_BYTES;
	rc = ext2_read(fs, &kernel, 0, head_len, real_mode, d);
	if (rc)
		return rc;
	rc = bzimage_parse(real_mode, head_len, kernel.size, cfg->kernel, &info, d);
	if (rc)
		return rc;

	/* Everything that can be decided before the long reads, decided first. */
	rc = linux_plan_cmdline(&info, cfg->cmdline, d);
	if (rc)
		return rc;
	if (cfg->initrd[0]) {
		rc = ext2_open(fs, cfg->initrd, &initrd, d);
		if (rc)
			return rc;
	}
	rc = linux_plan_memory(&info, cfg, cfg->initrd[0] ? initrd.size : 0, mm, &plan, d);
	if (rc)
		return rc;

	/* The rest of the real-mode part (the head is in), then the
	 * protected-mode part at 1 MiB.  setup_bytes >= 1024 >= head_len. */
	rc = ext2_read(fs, &kernel, head_len, info.setup_bytes - head_len, real_mode + head_len, d);
	if (rc)
		return rc;
	rc = load_with_progress(fs, &kernel, cfg->kernel, info.setup_bytes,
				info.kernel_bytes, LINUX_PM_LOAD_ADDR, d);
	if (rc)
		return rc;
	if (plan.initrd_addr) {
		rc = load_with_progress(fs, &initrd, cfg->initrd, 0, (uint32_t)initrd.size,
					plan.initrd_addr, d);
		if (rc)
			return rc;
	}

	/* Fill in what boot.rst says a loader writes ("Details of header fields"). */
	hdr->type_of_loader = LINUX_LOADER_TYPE_UNDEFINED;
	hdr->loadflags |= LINUX_CAN_USE_HEAP;
	hdr->heap_end_ptr = LINUX_HEAP_END - 0x200;
	hdr->cmd_line_ptr = LINUX_REAL_MODE_ADDR + LINUX_CMDLINE_OFF;
	hdr->ramdisk_image = plan.initrd_addr;
	hdr->ramdisk_size = plan.initrd_addr ? (uint32_t)initrd.size : 0;
	hdr->vid_mode = 0xFFFF;                 /* "normal": keep the BIOS mode */
	memcpy(real_mode + LINUX_CMDLINE_OFF, cfg->cmdline, strlen(cfg->cmdline) + 1);

	disk_release(dk);
	console_printf("Booting Linux (protocol %u.%02u), %u BIOS reads, %u native reads, %u sectors\n",
		       info.protocol >> 8, info.protocol & 0xff, dk->read_calls,
		       dk->native_commands, dk->read_sectors);
	console_flush();
	boot_linux_realmode((uint16_t)(LINUX_REAL_MODE_ADDR >> 4), LINUX_HEAP_END);
}
