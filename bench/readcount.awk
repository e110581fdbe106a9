# readcount.awk - disk reads of one boot, from QEMU's trace log.
#
# Input: the log of `qemu-system-x86_64 -trace events=FILE -D LOG` with the
# "log" trace backend, one event per line: "NAME message".  The events
# (QEMU 7.2, /usr/share/qemu/trace-events-all):
#   ide_exec_cmd           "IDE exec cmd: bus %p; state %p; cmd 0x%02x"
#   ide_sector_read        "sector=%d nsectors=%d", one per PIO block
#   ide_dma_cb             "IDEState %p; sector_num=%d n=%d cmd=%s", one per
#                          DMA chunk, n the sectors still to move: the first
#                          after a READ DMA (EXT) command is its whole count
#   virtio_blk_handle_read "vdev %p req %p sector %d nsectors %zu", one per request
#   serial_write           "write addr 0x%02x val 0x%02x", every write to a COM1 register
#
# All of them fire in order in the same log, so the serial bytes say where
# in the boot each read happened, exactly: "loader" reads are the ones
# before the kernel's first serial text ("Probing EDD" from its real-mode
# setup code, or "Linux version" for a loader that enters the kernel at its
# 32-bit entry point and so skips that code); counting stops at the init
# marker.  SeaBIOS reads an ATA disk by PIO, bootinst's native path by DMA,
# and the marker initramfs loads no disk driver, so these are all the reads
# there are on IDE.
#
# Output, one line:
#   LOADER_CMDS LOADER_SECTORS TOTAL_CMDS TOTAL_SECTORS KERNEL_SEEN MARKER_SEEN
BEGIN {
	for (i = 0; i < 256; i++) {
		hexdigits = sprintf("%02x", i)
		byte_of[hexdigits] = sprintf("%c", i)
	}
	# ATA read commands a BIOS issues by PIO (ATA/ATAPI-8 ACS, table of
	# command codes): READ SECTORS (with and without retries), READ SECTORS
	# EXT, READ MULTIPLE, READ MULTIPLE EXT.
	split("20 21 24 29 c4", codes, " ")
	for (i in codes) ata_read[codes[i]] = 1
	# and by DMA (bootinst's native path): READ DMA, READ DMA EXT
	split("c8 25", codes, " ")
	for (i in codes) ata_dma_read[codes[i]] = 1
	dma_pending = 0
	tail = ""; dlab = 0; in_loader = 1; done = 0
	loader_cmds = loader_sectors = cmds = sectors = 0
}

done { next }

$1 == "ide_exec_cmd" {
	code = substr($NF, 3)
	if (code in ata_read) count_cmd()
	if (code in ata_dma_read) { count_cmd(); dma_pending = 1 }
	next
}
$1 == "ide_dma_cb" && dma_pending {
	n = $0
	sub(/.* n=/, "", n)
	count_sectors(n + 0)
	dma_pending = 0
	next
}
$1 == "ide_sector_read" {
	sub(/.*nsectors=/, "")
	count_sectors($0 + 0)
	next
}
$1 == "virtio_blk_handle_read" {
	count_cmd()
	count_sectors($NF + 0)
	next
}
$1 == "serial_write" {
	addr = substr($4, 3); val = substr($6, 3)
	# Register 3 is the line control register; its bit 7 (DLAB) turns
	# register 0 into the baud-rate divisor, which is not text (8250/16550
	# data sheet).
	if (addr == "03") dlab = (val >= "80")
	if (addr != "00" || dlab) next
	tail = substr(tail byte_of[val], length(tail) > 40 ? 2 : 1)
	if (in_loader && (index(tail, "Probing EDD") || index(tail, "Linux version")))
		in_loader = 0
	if (index(tail, "BOOTINST-E2E-INIT-OK"))
		done = 1
}

function count_cmd() {
	cmds++
	if (in_loader) loader_cmds++
}
function count_sectors(n) {
	sectors += n
	if (in_loader) loader_sectors += n
}

END {
	print loader_cmds, loader_sectors, cmds, sectors, (in_loader ? 0 : 1), done
}
