; next-device.asm - a boot sector for tests/e2e/cases/mbr.sh: the "next
; boot device" the BIOS turns to when bootinst's MBR code gives up with
; INT 18h.  It prints MARKER on COM1 and ends QEMU through the
; isa-debug-exit device at port 0xF4 (exit status 33).
;
;   nasm -f bin -o next-device.bin next-device.asm
;
; Machine state on entry: real mode, CS:IP = 0000:7C00 or 07C0:0000; no
; other assumption.  Writes the UART directly: QEMU's needs no set-up.

COM1_THR        equ 0x3F8           ; transmit holding register
COM1_LSR        equ 0x3FD           ; line status register
LSR_THRE        equ 0x20            ; ready for a byte
DEBUG_EXIT_PORT equ 0xF4            ; -device isa-debug-exit,iobase=0xf4
DEBUG_EXIT_CODE equ 0x10            ; QEMU exits with (0x10 << 1) | 1 = 33

        bits 16
        org 0x7C00

start:
        cli
        xor ax, ax
        mov ds, ax
        jmp 0:.cs_zero                  ; CS:IP = 0000:7Cxx, whichever we got
.cs_zero:
        mov si, marker
.next:
        mov dx, COM1_LSR
.wait:
        in al, dx
        test al, LSR_THRE
        jz .wait                        ; QEMU's UART is always ready
        lodsb
        test al, al
        jz .exit
        mov dx, COM1_THR
        out dx, al
        jmp .next
.exit:
        mov al, DEBUG_EXIT_CODE
        out DEBUG_EXIT_PORT, al
.halt:
        hlt                             ; without isa-debug-exit: stop here
        jmp .halt

marker: db "bootinst-test: the next boot device", 13, 10, 0

        times 510 - ($ - $$) db 0
        dw 0xAA55                       ; boot signature (floppies need it too)
