/* crc32.h - CRC-32 (IEEE 802.3, the zlib one), for the stage checksum. */
#ifndef BOOTINST_CRC32_H
#define BOOTINST_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue crc over len bytes; start with crc = 0.  Bitwise: no table,
 * the stage checks only its own ~16 KiB once. */
uint32_t crc32_ieee(uint32_t crc, const void *buf, size_t len);

#endif
