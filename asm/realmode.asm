; realmode.asm - the stage's way between 32-bit protected mode and real
; mode, and the services C calls through it: bios_int() (one BIOS
; interrupt) and boot_linux_realmode() (the jump into Linux's setup code).
; stage1/bios.h is the C side of the contract.  This file calls nothing
; outside itself; entry.asm uses to_protected_mode once, at the start.

%include "offsets.inc"

SEL_CODE32      equ 0x08            ; selectors into gdt below
SEL_DATA32      equ 0x10
SEL_CODE16      equ 0x18
SEL_DATA16      equ 0x20

CR0_PE          equ 1

global bios_int, boot_linux_realmode, to_protected_mode

        section .text16 progbits alloc exec nowrite align=1
; --- bios_int(uint8_t vector, struct bios_regs *regs) -----------------------
; cdecl, called from 32-bit C.  Copies *regs to regs_lo (below 64 KiB),
; switches to real mode, loads the registers, calls the handler the
; interrupt vector table holds for `vector` as INT would (flags pushed, far
; call; interrupts on), stores registers and flags back, returns to
; protected mode and copies regs_lo back to *regs.  Calling through the
; table instead of patching an `int imm8` keeps the image unmodified, so its
; checksum can be verified after this has run.
;   clobbers: EAX, ECX, EDX (cdecl scratch); preserves EBX, ESI, EDI, EBP.
        bits 32
bios_int:
        push ebp
        push ebx
        push esi
        push edi
        movzx eax, byte [esp + 20]      ; vector
        mov eax, [eax * 4]              ; its IVT entry: offset, segment
        mov [int_handler], eax
        mov esi, [esp + 24]             ; regs
        mov edi, regs_lo
        mov ecx, BREGS_SIZE
        rep movsb
        mov [saved_esp], esp
        call to_real_mode
        bits 16
        mov es, [regs_lo + BREGS_ES]
        mov ebx, [regs_lo + BREGS_EBX]
        mov ecx, [regs_lo + BREGS_ECX]
        mov edx, [regs_lo + BREGS_EDX]
        mov esi, [regs_lo + BREGS_ESI]
        mov edi, [regs_lo + BREGS_EDI]
        mov ebp, [regs_lo + BREGS_EBP]
        mov eax, [regs_lo + BREGS_EAX]
        push word [regs_lo + BREGS_DS]
        pop ds                          ; last: the loads above need DS = 0
        sti
        pushf                           ; what INT pushes before CS:IP
        call far [cs:int_handler]
        cli
        pushfd
        push ds
        push eax
        xor ax, ax
        mov ds, ax
        pop dword [regs_lo + BREGS_EAX]
        pop word [regs_lo + BREGS_DS]
        pop dword [regs_lo + BREGS_EFLAGS]
        mov [regs_lo + BREGS_ES], es
        mov [regs_lo + BREGS_EBX], ebx
        mov [regs_lo + BREGS_ECX], ecx
        mov [regs_lo + BREGS_EDX], edx
        mov [regs_lo + BREGS_ESI], esi
        mov [regs_lo + BREGS_EDI], edi
        mov [regs_lo + BREGS_EBP], ebp
        call to_protected_mode
        bits 32
        mov esp, [saved_esp]            ; a BIOS may leave ESP's top half dirty
        mov edi, [esp + 24]
        mov esi, regs_lo
        mov ecx, BREGS_SIZE
        rep movsb
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

; to_real_mode - called from 32-bit protected mode, returns in real mode.
;   Goes through 16-bit protected mode (a 64 KiB segment) so that the hidden
;   segment limits are real-mode sized before PE is cleared (Intel SDM vol. 3,
;   "Switching back to real-address mode").  Interrupts stay off.
;   returns: CS = DS = ES = FS = GS = SS = 0, SP = low 16 bits of ESP;
;   clobbers: EAX.
        bits 32
to_real_mode:
        cli
        jmp SEL_CODE16:.pm16
        bits 16
.pm16:
        mov ax, SEL_DATA16
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov eax, cr0
        and al, ~CR0_PE
        mov cr0, eax
        jmp 0:.real
.real:
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        ; the 32-bit call pushed a 4-byte return address: return with it
        o32 ret

; to_protected_mode - called from real mode, returns in 32-bit protected
;   mode with the flat data segments loaded.  Interrupts must be off.
;   clobbers: EAX.
        bits 16
to_protected_mode:
        lgdt [gdt_descriptor]
        mov eax, cr0
        or al, CR0_PE
        mov cr0, eax
        jmp dword SEL_CODE32:.pm32
        bits 32
.pm32:
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        ; the 16-bit call pushed a 2-byte return address
        movzx eax, word [esp]
        add esp, 2
        jmp eax

; --- boot_linux_realmode(uint16_t seg, uint16_t sp) ------------------------
; Enter the Linux real-mode setup code loaded at seg:0000, as boot.rst
; "Running the Kernel" asks: DS = ES = FS = GS = SS = seg, SP = sp (the
; heap end), interrupts off, jump to (seg + 0x20):0000.  Does not return.
        bits 32
boot_linux_realmode:
        mov ebx, [esp + 4]              ; seg
        mov edx, [esp + 8]              ; sp
        call to_real_mode
        bits 16
        cli
        mov ds, bx
        mov es, bx
        mov fs, bx
        mov gs, bx
        mov ss, bx
        mov sp, dx
        add bx, 0x20
        push bx
        push word 0
        retf

; --- constant data real mode must reach (below 64 KiB, in the image) -------
        section .data16 progbits alloc noexec nowrite align=8   ; the GDT
; The "accessed" bit (bit 40) is preset: the CPU sets it when a selector
; is loaded, and a write here would change the checksummed image.
gdt:
        dq 0                            ; null
        dq 0x00CF9B000000FFFF           ; 0x08 code32: base 0, 4 GiB, DPL0
        dq 0x00CF93000000FFFF           ; 0x10 data32: base 0, 4 GiB
        dq 0x00009B000000FFFF           ; 0x18 code16: base 0, 64 KiB
        dq 0x000093000000FFFF           ; 0x20 data16: base 0, 64 KiB
gdt_end:
gdt_descriptor:
        dw gdt_end - gdt - 1
        dd gdt

; --- variables real mode must reach: .bss16, zeroed at entry, below 64 KiB
; and outside the checksummed image.
        section .bss16 nobits alloc noexec write align=4
saved_esp:      resd 1
int_handler:    resd 1                  ; far pointer from the IVT
regs_lo:        resb BREGS_SIZE

; no executable stack wanted (silences ld; the stage has no ELF loader anyway)
        section .note.GNU-stack noalloc noexec nowrite progbits
