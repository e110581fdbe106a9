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
; Any failure prints one line and "Press a key", on COM1 and then on the
; screen:
;   bootinst: M25 xx    a BIOS disk call failed; xx = its status, in hex
;   bootinst: M18       the stage lies beyond the BIOS's CHS geometry, or
;                       the BIOS reports no geometry (0 sectors per track)
;   bootinst: M06       what was read is not a stage of this version
; (the codes come from the catalog, include/diag.h; `bootinst explain Mnn`
; says what each means), waits for a key and asks the BIOS for the next
; boot device (INT 18h).  If INT 18h returns, it halts for good.  It never
; jumps into garbage.
;
; Memory: 0x0600..0x07FF this code, relocated; 0x0800..0x0805 its
; variables (VARS below); the stack, from 0x7C00 down; the stage, 0x8000 up.
;
; Layout (include/mbr.h): code 0x000..0x1AD, patch area 0x1AE..0x1B7, then
; the disk signature and partition table, which this file does not contain:
; the installer copies only bytes 0..0x1B7 of the assembled 440-byte image.
;
; Test builds (tests/e2e/cases/chs.sh, mbr.sh; never installed):
;   TEST_FORCE_CHS       skip the AH=41h check: a BIOS without EDD
;   TEST_BIOS_SPT_ZERO   AH=08h reports 0 sectors per track
;   TEST_INT18_RETURNS   INT 18h returns (its vector points at an IRET)

%include "offsets.inc"

RELOC_ADDR      equ 0x0600          ; where the MBR moves itself
BIOS_LOAD_ADDR  equ 0x7C00          ; where the BIOS put it
READ_TRIES      equ 3

; --- variables: in RAM just past the relocated copy (0x0800..0x0805), not
; in the 440 bytes.  That RAM is free: 0x0500..0x7BFF is the conventional
; memory the BIOS leaves to the boot sector, this code occupies 0x0600..
; 0x07FF of it and its stack grows down from 0x7C00, 29 KiB above; the
; stage, which reuses the area for its stack, starts only when these are
; dead (it gets the drive in DL).
VARS            equ RELOC_ADDR + 512
boot_drive      equ VARS            ; byte: DL as the BIOS passed it
spt             equ VARS + 2        ; word: CHS sectors per track, 1..63
heads           equ VARS + 4        ; word: CHS heads, 1..256

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
        mov bp, READ_TRIES
.try:
        ; the disk address packet (EDD 3.0), pushed afresh for each try: a
        ; failed call may leave the count at what it did transfer.  It stays
        ; on the stack (16 bytes a try): the stage sets its own stack.
        push dword 0                    ; LBA bits 32..63
        push dword [stage_lba]          ; LBA bits 0..31
        push es                         ; buffer segment (0)
        push STAGE_LOAD_ADDR            ; buffer offset
        push word [stage_sectors]       ; sectors to read
        push 16                         ; packet size 16, reserved byte 0
        mov si, sp                      ; DS:SI = the packet
        mov ah, 0x42
        mov dl, [boot_drive]
        int 0x13
        jnc check_stage
        call reset_disk
        jnz .try
        jmp fail_read                   ; AH = the last try's status

; --- CHS read, one sector per call so that no call crosses a track.
;     AH=08h: CL[5:0] = sectors per track, DH = last head,
;     CH + CL[7:6] = last cylinder.
read_chs:
        mov ah, 0x08
        mov dl, [boot_drive]
        push es                         ; AH=08h may change ES:DI
        int 0x13
        pop es
        jc fail_read                    ; AH = its status
%ifdef TEST_BIOS_SPT_ZERO
        and cl, 0xC0                    ; tests: a BIOS that reports 0 sectors
%endif
        and cx, 0x3F                    ; sectors per track
        jz fail_chs                     ; 0: no CHS geometry (div would fault)
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
        jmp fail_read                   ; AH = the last try's status
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

; reset_disk - AH=00h: reset the disk before a retry.
;   takes: AH = the failed call's status, BP = tries left, DL = drive;
;   returns: AX unchanged, BP - 1 and ZF set when no tries are left;
;   clobbers: nothing else.
reset_disk:
        push ax
        xor ax, ax                      ; AH=00h reset
        int 0x13
        pop ax                          ; AH = the failed call's status again
        dec bp
        ret

; fail_read - M25: a BIOS disk call failed.  Writes its status into the
;   message ("M25 xx") and fails with it.
;   takes: AH = the failed call's status.  Never returns.
fail_read:
        mov al, ah
        aam 16                          ; AH = status >> 4, AL = status & 15
        call hex_digit
        xchg al, ah
        call hex_digit                  ; AL = high digit, AH = low digit
        mov [status_digits], ax
        mov bx, msg_read
        jmp fail

fail_chs:
        mov bx, msg_chs
        jmp fail
fail_stage:
        mov bx, msg_stage
; fail - print the report "bootinst: <code at BX>", CR LF, "Press a key",
;   CR LF on COM1, then again on the screen: each copy whole, never one
;   character of each in turn, so that a BIOS which mirrors the screen on
;   COM1 itself (SeaBIOS with -nographic, console redirection) leaves two
;   readable copies there.  Waits for a key, then asks for the next boot
;   device (INT 18h); if that returns, halts for good.  Never returns.
fail:
        mov di, serial_putc
        call report
        mov di, screen_putc
        call report
        xor ax, ax
        int 0x16                        ; AH=00h: wait for a key
%ifdef TEST_INT18_RETURNS
        mov dword [0x18 * 4], iret_here ; tests: INT 18h's vector -> an IRET
%endif
        int 0x18                        ; boot the next device (BBS)
        cli                             ; it returned: nothing left to boot
.halt:
        hlt
        jmp .halt                       ; an NMI wakes hlt: halt again
%ifdef TEST_INT18_RETURNS
iret_here:
        iret
%endif

; report - print "bootinst: ", the string at BX, then msg_key, through the
;   routine at DI.  clobbers AX, SI.
report:
        mov si, msg_prefix
        call print
        mov si, bx
        call print
        mov si, msg_key
        jmp print                       ; its ret returns from report

; print - print the NUL-terminated string at DS:SI, each character through
;   the routine at DI (serial_putc or screen_putc).  clobbers AX, SI.
print:
        lodsb
        test al, al
        jz .ret
        call di
        jmp print
.ret:
        ret

; hex_digit - AL (0..15) as an ASCII hex digit.  takes and returns AL.
hex_digit:
        add al, '0'
        cmp al, '9'
        jbe .ret
        add al, 'A' - '9' - 1
.ret:
        ret

; serial_putc - send AL to COM1 with INT 14h AH=01h.  Through the BIOS,
;   not the UART at 0x3F8: the BIOS writes only to a port that POST found
;   (BDA 0x400) and returns at once on a machine without one, it bounds its
;   wait for a stuck UART (BDA 0x47C), and it takes 6 bytes.  The UART's
;   speed stays what the BIOS set (QEMU ignores it; the stage sets 115200
;   8N1).  Strings carry their own CR LF, as the stage's console sends.
;   takes: AL; clobbers nothing.
serial_putc:
        pusha
        mov ah, 0x01                    ; send AL to port DX
        xor dx, dx                      ; DX = 0: COM1
        int 0x14
        popa
        ret

; screen_putc - AL to the screen with INT 10h AH=0Eh (teletype).
;   takes: AL; clobbers nothing.
screen_putc:
        pusha
        mov ah, 0x0E                    ; teletype: AL, page BH, colour BL
        mov bx, 0x0007
        int 0x10
        popa
        ret

msg_prefix:  db "bootinst: ", 0
msg_read:    db DIAG_MBR_READ_CODE, " "
status_digits: db "xx", 0                     ; fail_read writes the status
msg_chs:     db DIAG_MBR_CHS_CODE, 0
msg_stage:   db DIAG_MBR_NO_STAGE_CODE, 0
msg_key:     db 13, 10, "Press a key", 13, 10, 0
stage_magic: db "BOOTINST"

code_end:

; --- the patch area (include/mbr.h struct mbr_patch_area) -----------------
; The code may use the bytes below it, 0x000..0x1AD (430), test hooks
; included (the Makefile assembles it with all of them too); code that
; grows into it fails to assemble, here with the numbers (and `times` below
; would fail anyway: a negative count).
%assign mbr_code_bytes code_end - $$
%assign mbr_code_max MBR_PATCH_OFF
%if mbr_code_bytes > mbr_code_max
%fatal mbr: the code is mbr_code_bytes bytes (with the TEST_ hooks defined, if any), over the mbr_code_max below the patch area (include/mbr.h): make asm/mbr.asm shorter
%endif
        times MBR_PATCH_OFF - ($ - $$) db 0
patch_magic:    dw MBR_PATCH_MAGIC
stage_lba:      dd 0                    ; filled by bootinst install
stage_sectors:  dw 0
stage_version:  dw STAGE_VERSION

; every fixed field where include/mbr.h puts it (build/gen/offsets.inc)
%if (patch_magic - $$) != MBR_PATCH_MAGIC_OFF
%error "patch_magic is not at MBR_PATCH_MAGIC_OFF (include/mbr.h)"
%endif
%if (stage_lba - $$) != MBR_PATCH_STAGE_LBA
%error "stage_lba is not at MBR_PATCH_STAGE_LBA (include/mbr.h)"
%endif
%if (stage_sectors - $$) != MBR_PATCH_STAGE_SECTORS
%error "stage_sectors is not at MBR_PATCH_STAGE_SECTORS (include/mbr.h)"
%endif
%if (stage_version - $$) != MBR_PATCH_STAGE_VERSION
%error "stage_version is not at MBR_PATCH_STAGE_VERSION (include/mbr.h)"
%endif
%if ($ - $$) != MBR_BOOT_CODE_MAX
%error "the MBR image must be exactly MBR_BOOT_CODE_MAX (440) bytes"
%endif
