/*
 * pci.c - see pci.h.
 */
#include "pci.h"
#include "bios.h"
#include "io.h"

#define PCI_CONFIG_ADDRESS   0xcf8
#define PCI_CONFIG_DATA      0xcfc
#define PCI_CONFIG_ENABLE    0x80000000u
#define PCI_BIOS_PRESENT     0xb101u
#define PCI_BIOS_SIGNATURE   0x20494350u   /* "PCI " in EDX */
#define PCI_BIOS_MECHANISM_1 0x01u         /* AL bit 0 */

int pci_last_bus(void)
{
	struct bios_regs r = { 0 };

	r.eax = PCI_BIOS_PRESENT;
	bios_int(0x1a, &r);
	/* present: CF clear and "PCI " in EDX (AH = 0 then, too) */
	if ((r.eflags & BIOS_FLAG_CF) || r.edx != PCI_BIOS_SIGNATURE || !(r.eax & PCI_BIOS_MECHANISM_1))
		return -1;
	return (int)(r.ecx & 0xff);
}

static void pci_select(uint32_t bdf, uint32_t reg)
{
	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | bdf << 8 | (reg & 0xfc));
}

uint32_t pci_read32(uint32_t bdf, uint32_t reg)
{
	pci_select(bdf, reg);
	return inl(PCI_CONFIG_DATA);
}

void pci_write16(uint32_t bdf, uint32_t reg, uint16_t value)
{
	pci_select(bdf, reg);
	outw((uint16_t)(PCI_CONFIG_DATA + (reg & 2)), value);
}
