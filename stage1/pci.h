/*
 * pci.h - PCI configuration space for the stage: configuration mechanism
 * #1 (ports 0xCF8/0xCFC), used only after the PCI BIOS (INT 1Ah AX=B101h,
 * PCI BIOS Specification 2.1 "PCI BIOS Present") says the machine has it,
 * and how many buses to look at.
 *
 * A function is named by its "bdf": bus << 8 | device << 3 | function,
 * as the PCI BIOS numbers them.
 */
#ifndef BOOTINST_PCI_H
#define BOOTINST_PCI_H

#include <stdint.h>

#define PCI_BDF_FUNCTION_MASK 7u

/* configuration registers (PCI Local Bus Specification 3.0, 6.1) */
#define PCI_REG_ID            0x00   /* vendor (low 16 bits), device */
#define PCI_REG_COMMAND       0x04   /* 16 bits: what the function decodes */
#define PCI_REG_CLASS         0x08   /* revision, programming interface, subclass, class */
#define PCI_REG_HEADER        0x0c   /* header type in bits 16..23 */
#define PCI_REG_BAR0          0x10   /* base address registers, 4 bytes apart */
#define PCI_HEADER_MULTI_FUNCTION 0x00800000u
#define PCI_VENDOR_NONE       0xffffu
#define PCI_COMMAND_IO        0x0001u
#define PCI_COMMAND_MASTER    0x0004u
#define PCI_BAR_IO            0x00000001u   /* an I/O space BAR (else memory) */
#define PCI_BAR_IO_MASK       0x0000fffcu

/* The PCI BIOS's last bus number, or -1 when there is no PCI BIOS or it
 * does not offer configuration mechanism #1. */
int pci_last_bus(void);

uint32_t pci_read32(uint32_t bdf, uint32_t reg);
void pci_write16(uint32_t bdf, uint32_t reg, uint16_t value);

#endif
