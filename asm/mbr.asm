; mbr.asm - bootinst's MBR boot code (LBA 0, at most 440 bytes).
;
; Machine state on entry (what every PC BIOS guarantees, no more):
;   real mode, CS:IP = 0000:7C00 or 07C0:0000, DL = boot drive,
;   everything else undefined (segments, stack, direction flag).
;
; What it does:
;   1. moves itself to 0000:0600, out of the way of the stage it loads;
;   2. reads the stage: stage_sectors sectors from stage_lba (the patch area
;      below, filled by `bootinst install`) to 0000:8000, with the INT 13h
;      extensions (AH=41h check, AH=42h read) or, on a BIOS without them,
;      with CHS reads (AH=08h geometry, AH=02h one sector at a time);
;      each read is tried three times with a disk reset in between;
;   3. checks that what it read is a bootinst stage of its own version;
;   4. jumps to the stage's entry with DL = boot drive.
;
; Any failure prints "bootinst: Mnn xx" (catalog code Mnn, BIOS status xx
; in hex; `bootinst explain Mnn` says what it means), waits for a key and
; asks the BIOS to boot the next device.  It never jumps into garbage.
;
; Layout (include/mbr.h): code 0x000..0x1AD, patch area 0x1AE..0x1B7, then
; the disk signature and partition table, which this file does not contain:
; the installer copies only bytes 0..0x1B7 of the assembled 440-byte image.

%include "offsets.inc"

RELOC_ADDR      equ 0x0600          ; where the MBR moves itself
BIOS_LOAD_ADDR  equ 0x7C00          ; where the BIOS put it
READ_TRIES      equ 3

[map symbols MBR_MAP_FILE]

        bits 16
        org RELOC_ADDR

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, BIOS_LOAD_ADDR          ; stack grows down below the original copy
        sti
        cld
        mov si, BIOS_LOAD_ADDR          ; move our 512 bytes to 0000:0600
        mov di, RELOC_ADDR
        mov cx, 256
        rep movsw
        jmp 0:relocated                 ; normalise CS:IP to 0000:06xx

relocated:
        mov [boot_drive], dl
%ifdef TEST_FORCE_CHS
        jmp read_chs                    ; tests: a BIOS without EDD
%endif

; --- INT 13h extensions present? (AH=41h: BX=55AAh in, AA55h out, CF clear,
;     CX bit 0 = the packet calls AH=42h..44h are supported; EDD 3.0 spec)
        mov ah, 0x41
        mov bx, 0x55AA
        int 0x13
        jc read_chs
        cmp bx, 0xAA55
        jne read_chs
        test cl, 1
        jz read_chs

; --- LBA read: one AH=42h call for the whole stage.  It is at most 62
;     sectors (31,744 bytes), under the 127-sector limit some BIOSes have,
;     and 0000:8000 + 31,744 does not cross a 64 KiB boundary.
read_lba:
        mov ax, [stage_sectors]
        mov [dap_count], ax
        mov eax, [stage_lba]
        mov [dap_lba], eax
        mov bp, READ_TRIES
.try:
        mov si, dap
        mov ah, 0x42
        mov dl, [boot_drive]
        int 0x13
        jnc check_stage
        call reset_disk
        jnz .try
        jmp fail_read

; --- CHS read, one sector per call so that no call crosses a track.
;     AH=08h: CL[5:0] = sectors per track, DH = last head,
;     CH + CL[7:6] = last cylinder.
read_chs:
        mov ah, 0x08
        mov dl, [boot_drive]
        push es                         ; AH=08h may change ES:DI
        int 0x13
        pop es
        mov [status], ah
        jc fail_read
        and cx, 0x3F                    ; sectors per track
        mov [spt], cx
        movzx ax, dh
        inc ax
        mov [heads], ax
        mov bx, STAGE_LOAD_ADDR         ; ES:BX = destination
        mov eax, [stage_lba]
        mov di, [stage_sectors]
.next:
        push eax
        ; LBA -> CHS: S = lba % spt + 1; H = (lba / spt) % heads;
        ; C = lba / spt / heads, which must be <= 1023.
        xor edx, edx
        movzx ecx, word [spt]
        div ecx                         ; eax = lba / spt, edx = lba % spt
        inc dx
        mov cl, dl                      ; CL[5:0] = sector
        xor edx, edx
        movzx esi, word [heads]
        div esi                         ; eax = cylinder, edx = head
        cmp eax, 1023
        ja fail_chs
        mov ch, al                      ; CH = cylinder bits 0..7
        shl ah, 6
        or cl, ah                       ; CL[7:6] = cylinder bits 8..9
        mov dh, dl                      ; DH = head
        mov bp, READ_TRIES
.try:
        mov ax, 0x0201                  ; AH=02h read, AL=1 sector
        mov dl, [boot_drive]
        int 0x13
        jnc .done
        call reset_disk
        jnz .try
        jmp fail_read
.done:
        pop eax
        inc eax
        add bx, 512
        dec di
        jnz .next

; --- Is it a bootinst stage of our version?
check_stage:
        mov si, STAGE_LOAD_ADDR
        mov di, stage_magic
        mov cx, STAGE_MAGIC_LEN
        repe cmpsb
        jne fail_stage
        mov ax, [STAGE_LOAD_ADDR + STAGE_HDR_VERSION]
        cmp ax, [stage_version]
        jne fail_stage
        mov dl, [boot_drive]
        mov ax, [STAGE_LOAD_ADDR + STAGE_HDR_ENTRY_OFFSET]
        add ax, STAGE_LOAD_ADDR
        jmp ax                          ; CS = 0, DL = boot drive

; reset_disk - AH=00h reset before a retry.
;   takes: BP = tries left, DL = drive; returns: BP - 1, ZF set when none
;   are left, AH = the failed call's status kept in [status]; clobbers AX.
reset_disk:
        mov [status], ah
        xor ax, ax
        int 0x13
        dec bp
        ret

fail_chs:
        mov si, msg_chs
        jmp fail
fail_stage:
        mov si, msg_stage
        jmp fail
fail_read:                              ; [status] holds the BIOS status
        mov si, msg_read
; fail - print "bootinst: " + the code at SI + the status byte in hex (if any),
;   wait for a key, then INT 18h/19h: boot the next device.  Never returns.
fail:
        push si
        mov si, msg_prefix
        call print
        pop si
        call print
        mov al, [status]                ; only a failed read has a status
        test al, al
        jz .no_status
        shr al, 4
        call print_nibble
        mov al, [status]
        call print_nibble
.no_status:
        mov si, msg_key
        call print
        xor ax, ax
        int 0x16                        ; wait for a key
        int 0x19                        ; bootstrap loader: next device

; print - teletype the NUL-terminated string at DS:SI.
;   clobbers AX, BX, SI.
print:
        lodsb
        test al, al
        jz .ret
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        jmp print
.ret:
        ret

; print_nibble - teletype the low 4 bits of AL as a hex digit.
;   clobbers AX, BX.
print_nibble:
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '9' - 1
.out:
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        ret

msg_prefix:  db "bootinst: ", 0
msg_read:    db "M25 ", 0
msg_chs:     db "M18 ", 0
msg_stage:   db "M06 ", 0
msg_key:     db 13, 10, "Press a key", 0
stage_magic: db "BOOTINST"

; INT 13h AH=42h disk address packet (EDD 3.0: size, 0, count, buffer, LBA)
dap:         db 16, 0
dap_count:   dw 0
             dw STAGE_LOAD_ADDR, 0      ; buffer offset, segment
dap_lba:     dd 0, 0

code_end:

; --- variables past the code: not part of the 440 bytes' contents, only
;     addresses in the zero padding, written at run time.
boot_drive   equ code_end
status       equ code_end + 1
spt          equ code_end + 2
heads        equ code_end + 4
MBR_VARS_BYTES  equ 6

; --- the patch area (include/mbr.h struct mbr_patch_area) -----------------
; `times` fails to assemble (negative count) if code and variables grow into it.
        times MBR_PATCH_OFF - MBR_VARS_BYTES - ($ - $$) db 0
        times MBR_VARS_BYTES db 0
patch_magic:    dw MBR_PATCH_MAGIC
stage_lba:      dd 0                    ; filled by bootinst install
stage_sectors:  dw 0
stage_version:  dw STAGE_VERSION
%if ($ - $$) != 440
%error "MBR image must be exactly 440 bytes"
%endif
