; entry.asm - the stage's first bytes and what must happen before C can
; run: the stage header, the 16-bit entry, A20, the switch to 32-bit
; protected mode (realmode.asm), unpacking the C part, and the call into C.
;
; Machine state on entry from the MBR code (asm/mbr.asm):
;   real mode, CS = 0, IP = stage_entry, DL = boot drive,
;   the whole stage image loaded at 0000:8000 (STAGE_LOAD_ADDR).
;
; Memory while the stage runs (linear addresses):
;   0x00500 - 0x06FFF  stack, top at 0x7000, shared by real and protected
;                      mode (SS base 0 in both, so SP = ESP < 64 KiB); not
;                      up to 0x7C00: that 4 KiB page holds the MBR code the
;                      BIOS ran, and under QEMU's TCG every write to a page
;                      with translated code takes a slow path (the stage
;                      took 126 ms to its first line with its stack
;                      there, 9.3 ms without)
;   0x08000 - ...      this image: header, 16-bit code, the unpacker, then
;                      the C part packed (asm/stagepack.c)
;   0x0FC00 - ...      .bss16: real-mode variables
;   0x20000 - 0x2FFFF  disk bounce buffer (stage1/disk.c)
;   0x40000 - ...      the C part as lz_unpack writes it, then its .bss
;                      (whose start holds the unpacker's probabilities
;                      until C zeroes it); stage1/stage.ld
;
; What C gets (stage1/main.c): stage_main(boot_drive, a20_method); it
; reaches the BIOS only through realmode.asm's bios_int() (stage1/bios.h
; is the contract).  This file calls C and realmode.asm; nothing calls it.

%include "offsets.inc"

STACK_TOP       equ 0x7000

extern stage_main, to_protected_mode
extern __bss16_start, __bss16_end, __bss_start, __bss_end
extern __packed_c, __c_start
global stage_header

; --- the stage header (include/stage_header.h): the first bytes of the image.
; The installer fills the install record (all zero here) and the checksum.
        section .header progbits alloc noexec write align=1
stage_header:
        db "BOOTINST"
hdr_version:
        dw STAGE_VERSION
hdr_header_size:
        dw STAGE_HEADER_SIZE
hdr_image_size:
        dd 0                            ; image_size: set by asm/stagepack.c
hdr_checksum:
        dd 0                            ; checksum: set by bootinst install
hdr_entry_offset:
        dd stage_entry - STAGE_LOAD_ADDR
        times STAGE_HDR_RELEASE - ($ - stage_header) db 0   ; the install record
hdr_release:
        db STAGE_RELEASE                ; this build's release, NUL-padded
        times STAGE_HEADER_SIZE - ($ - stage_header) db 0
stage_header_end:

; every field where include/stage_header.h puts it (build/gen/offsets.inc)
%if (hdr_version - stage_header) != STAGE_HDR_VERSION
%error "hdr_version is not at STAGE_HDR_VERSION (include/stage_header.h)"
%endif
%if (hdr_header_size - stage_header) != STAGE_HDR_HEADER_SIZE
%error "hdr_header_size is not at STAGE_HDR_HEADER_SIZE (include/stage_header.h)"
%endif
%if (hdr_image_size - stage_header) != STAGE_HDR_IMAGE_SIZE
%error "hdr_image_size is not at STAGE_HDR_IMAGE_SIZE (include/stage_header.h)"
%endif
%if (hdr_checksum - stage_header) != STAGE_HDR_CHECKSUM
%error "hdr_checksum is not at STAGE_HDR_CHECKSUM (include/stage_header.h)"
%endif
%if (hdr_entry_offset - stage_header) != STAGE_HDR_ENTRY_OFFSET
%error "hdr_entry_offset is not at STAGE_HDR_ENTRY_OFFSET (include/stage_header.h)"
%endif
%if (hdr_release - stage_header) != STAGE_HDR_RELEASE
%error "hdr_release is not at STAGE_HDR_RELEASE (include/stage_header.h)"
%endif
%if (stage_header_end - stage_header) != STAGE_HEADER_SIZE
%error "the stage header is not STAGE_HEADER_SIZE bytes (include/stage_header.h)"
%endif

        section .text16 progbits alloc exec nowrite align=16
        bits 16

stage_entry:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, STACK_TOP
        cld
        mov di, __bss16_start           ; .bss16 (below 64 KiB) is zeroed now,
        mov cx, __bss16_end             ; .bss in protected mode
        sub cx, di
        xor al, al
        rep stosb
        mov [boot_drive], dl
        call check_image                ; E06 here, or on with an image
                                        ; known whole

        call enable_a20                 ; C reports a failure (E42): its
        jnc a20_on                      ; console is not up yet
a20_failed:                             ; (failures.sh's E42 case lands here)
        mov byte [a20_method], A20_FAILED
a20_on:
        cli                             ; INT 15h may have turned them on
        call to_protected_mode
        bits 32
        mov esp, STACK_TOP
        mov esi, __packed_c             ; the C part, packed after the head,
        mov edi, __c_start              ; to where it was linked to run
        call lz_unpack
        call unfilter_branches
        mov edi, __bss_start            ; C expects a zeroed .bss
        mov ecx, __bss_end
        sub ecx, edi
        xor eax, eax
        rep stosb
        movzx eax, byte [a20_method]
        push eax
        movzx eax, byte [boot_drive]
        push eax
        call stage_main                 ; (boot_drive, a20_method): no return
.hang:                                  ; (stage_main ends in a reboot prompt)
        hlt
        jmp .hang

;; The unpacker: include/stagepack_format.h's LZ77 + range coder.  Its
;; probabilities (PACK_P_COUNT pairs of words, fast then slow: 37 KiB) live
;; at __bss_start, which C zeroes after; the coder's range, code and stream
;; stay in EBP, EDX and ESI throughout.
%if PACK_TOP != 1 << 24 || PACK_PROB_BITS > 14
%error "pk_bit tests the range against PACK_TOP by shr 24, and moves the words in 16 bits"
%endif

; pk_bit - one bit from the range decoder, its probability moved toward it.
;   takes: ECX = the probability's index (PACK_P_*), EBP = range,
;          EDX = code, ESI = the stream;
;   returns: CF = the bit; EBP, EDX and ESI moved on; clobbers nothing else.
        bits 32
pk_bit:
        push eax
        push ecx
        push edi
        lea edi, [__bss_start + ecx * 4]
.normalise:                             ; twice at most: no bit leaves the
        mov ecx, ebp                    ; range below PACK_TOP >> 13
        shr ecx, 24
        jnz .decide
        shl ebp, 8
        shl edx, 8
        mov dl, [esi]
        inc esi
        jmp .normalise
.decide:
        movzx eax, word [edi]
        add ax, [edi + 2]
        inc eax                         ; fast + slow + 1
        mov ecx, ebp
        shr ecx, PACK_PROB_BITS + 1
        imul eax, ecx                   ; bound (it fits 32 bits)
        xor ecx, ecx
        cmp edx, eax                    ; CF: code < bound, a 1
        rcl ecx, PACK_PROB_BITS + 1     ; t: 1 << PACK_PROB_BITS after a 1
        jecxz .zero
        mov ebp, eax                    ; 1: the lower part of the range
        xor eax, eax
.zero:
        sub edx, eax                    ; 0: the upper part
        sub ebp, eax
        mov eax, ecx                    ; each word moves (t - word) >> its
        sub ax, [edi]                   ; rate bits toward t
        sar ax, PACK_FAST_BITS
        add [edi], ax
        scasw                           ; (EDI on to the slow word)
        mov eax, ecx
        sub ax, [edi]
        sar ax, PACK_SLOW_BITS
        add [edi], ax
        neg ecx                         ; CF = the bit
        pop edi
        pop ecx
        pop eax
        ret

; pk_node - one node of a tree of probabilities: the bit at base + node.
;   takes: ECX = the tree's base index, EAX = the node, and the coder as
;          pk_bit does;
;   returns: EAX = 2 node + the bit; clobbers nothing else.
pk_node:
        push ecx
        add ecx, eax
        call pk_bit
        pop ecx
        adc eax, eax
        ret

; pk_tree - a value, MSB first, from a tree of probabilities: pk_node from
;   node EAX until the node is 256 or more.
;   takes: ECX = the tree's base index, EAX = the first node (1..255, or
;          more for no bits), and the coder as pk_bit does;
;   returns: EAX = the last node, AL the value; clobbers nothing else.
pk_tree_next:
        call pk_node
pk_tree:
        test ah, ah
        jz pk_tree_next
        ret

; unfilter_branches - undo stagepack's branch filter over the unpacked C
;   part (include/stagepack_format.h): each E8, E9 or 0F 8x operand that
;   fits before the end and lies within +-PACK_FILTER_SPAN goes back from
;   the target's offset to relative, (v - i + span) mod 2 span - span, i
;   the operand's offset in the C part.
;   takes: EDI = the end of the C part (lz_unpack's return), DF clear;
;   returns: nothing; clobbers: EAX, EBX, ESI, EDI.
unfilter_branches:
        mov esi, __c_start
        sub edi, 4                      ; the last place an operand fits
.scan:
        cmp esi, edi                    ; an opcode here leaves its operand
        jae .done                       ; no room: the scan is over
        lodsb
        cmp al, 0x0F
        jne .call_or_jmp
        mov al, [esi]                   ; 0F 8x: jcc rel32
        and al, 0xF0
        cmp al, 0x80
        jne .scan
        inc esi
        cmp esi, edi
        ja .done
        jmp .operand
.call_or_jmp:
        and al, 0xFE                    ; E8 or E9
        cmp al, 0xE8
        jne .scan
.operand:
        mov eax, [esi]
        lea ebx, [eax + PACK_FILTER_SPAN]
        cmp ebx, 2 * PACK_FILTER_SPAN
        jae .next                       ; not within the span: as it was
        sub ebx, esi
        add ebx, __c_start              ; v + span - i
        and ebx, 2 * PACK_FILTER_SPAN - 1
        sub ebx, PACK_FILTER_SPAN
        mov [esi], ebx
.next:
        add esi, 4
        jmp .scan
.done:
        ret

; lz_unpack - unpack the C part (include/stagepack_format.h), the model's
;   state in EBX and rep at [esp]; the byte before the destination becomes
;   0, the first literal's context.
;   takes: ESI = packed stream, EDI = destination, DF clear;
;   returns: EDI = end of the output;
;   clobbers: EAX, EBX, ECX, EDX, ESI, EBP.
%if PACK_P_LIT != 0x300 - (3 << PACK_LIT_CONTEXT_BITS) || PACK_P_DIST != 33 * 256
%error "lz_unpack finds PACK_P_LIT and PACK_P_DIST by arithmetic: see include/stagepack_format.h"
%endif
%if PACK_STATES != 8 || PACK_STATE_COPY != 4 || PACK_MATCH_MIN != 2
%error "lz_unpack tests a state for PACK_STATE_COPY by shr 2, and copies 1 + 1 + a length's value"
%endif
lz_unpack:
        push edi
        mov edi, __bss_start            ; every word at PACK_PROB_INIT
        mov ecx, PACK_P_COUNT
        mov eax, PACK_PROB_INIT << 16 | PACK_PROB_INIT
        rep stosd
        pop edi
        mov [edi - 1], cl
        lodsd                           ; the code, big endian
        bswap eax
        xchg eax, edx
        or ebp, -1                      ; the range: all of it
        xor ebx, ebx                    ; state 0
        push 1                          ; rep 1
.literal:                               ; (the first token is one)
        movzx ecx, byte [edi - 1]       ; its tree's base: PACK_P_LIT +
        or cl, (1 << (8 - PACK_LIT_CONTEXT_BITS)) - 1   ; 0x300 * the top
        imul ecx, ecx, 3 << PACK_LIT_CONTEXT_BITS       ; bits of the byte
        push 1                                          ; before
        pop eax                         ; the root
        cmp bl, PACK_STATE_COPY
        jb .plain
        push ebx                        ; after a copy: BL the byte rep
        mov ebx, edi                    ; back, its next bit at bit 0 after
        sub ebx, [esp + 4]              ; each rol
        mov bl, [ebx]
.matched:
        push ecx
        rol bl, 1
        adc ch, 1                       ; base + 0x100 + 0x100 * that bit
        call pk_node
        pop ecx
        mov bh, bl
        xor bh, al
        shr bh, 1
        jc .differs                     ; the rest as a plain literal
        test ah, ah
        jz .matched
.differs:
        pop ebx
.plain:
        call pk_tree
        stosb
        shr bl, 1                       ; the state after a literal
.token:
        lea ecx, [ebx + PACK_P_IS_MATCH]
        call pk_bit
        jnc .literal
        lea ecx, [ebx + PACK_P_IS_REP]  ; a copy (its bits at the state
        shr bl, 2                       ; before): state PACK_STATE_COPY,
        add bl, PACK_STATE_COPY         ; + 1 after a copy, + 2 for a rep
        call pk_bit
        jnc .distance
        inc ebx                         ; a rep
        inc ebx
        add ecx, PACK_P_REP_LONG - PACK_P_IS_REP
        call pk_bit
        jc .length
        xor ecx, ecx                    ; of one byte
        jmp .copy_bytes
.distance:
        mov ecx, PACK_P_SLOT
        push 8
        pop eax
        call pk_tree                    ; EAX = 256 + slot
        cmp al, PACK_SLOT_END
        je .end
        imul ecx, eax, 33               ; PACK_P_DIST + 32 * slot + slot:
        push 1                          ; slot bits after a leading 1, the
        pop eax                         ; one of weight 2^k at PACK_P_DIST
.bits:                                  ; + 32 * slot + k + 1
        test cl, 31
        jz .new_rep
        call pk_bit
        adc eax, eax
        dec ecx
        jmp .bits
.new_rep:
        mov [esp], eax
.length:
        mov ecx, PACK_P_LEN
        call pk_bit
        push 16                         ; 0: 4 bits from node 16,
        pop eax
        jnc .short
        inc ch                          ; 1: 8 bits at PACK_P_LEN + 256
        mov al, 1
.short:
        call pk_tree
        movzx ecx, al
        inc ecx                         ; PACK_MATCH_MIN + the value, less
.copy_bytes:                            ; the one movsb copies
        push esi
        mov esi, edi
        sub esi, [esp + 4]
        movsb
        rep movsb                       ; byte by byte: overlaps repeat
        pop esi
        jmp .token
.end:
        pop eax
        ret

        bits 16
; check_image - compare the image's CRC-32 (IEEE, reflected 0xEDB88320)
;   with the header's checksum, computed as bootinst install did: over
;   image_size bytes from the header, the checksum field read as zero.
;   Before anything is unpacked or run, so that a sector the MBR loaded but
;   something else wrote ends in E06 on the screen and COM1 instead of
;   running as code.  An image_size past what the gap can hold (or short
;   of the header) fails too.
;   takes: DS = 0; returns only if the image is whole, with the checksum
;   field put back (the image stays byte for byte what the disk holds: the
;   native disk path compares the two, stage1/disk.c); clobbers EAX, BL,
;   ECX, EDX, SI.
check_image:
        mov ecx, [hdr_image_size]
        cmp ecx, STAGE_HEADER_SIZE
        jb stage_damaged
        cmp ecx, STAGE_MAX_BYTES
        ja stage_damaged
        xor edx, edx
        xchg edx, [hdr_checksum]        ; EDX = the recorded CRC, field = 0
        mov si, stage_header
        or eax, -1
.byte:
        xor al, [si]
        inc si
        mov bl, 8
.bit:
        shr eax, 1
        jnc .next
        xor eax, 0xEDB88320
.next:
        dec bl
        jnz .bit
        loop .byte                      ; CX: image_size < 64 KiB
        not eax
        mov [hdr_checksum], edx
        cmp eax, edx
        jne stage_damaged
        ret

; stage_damaged - print the E06 report (its lines generated from the
;   catalog: build/gen/offsets.inc) whole on COM1, then whole on the
;   screen, as the MBR reports its own failures; then, as the C part's
;   fail() does, wait for a key, reset through the keyboard controller,
;   INT 19h if that did nothing, and halt.  Never returns.
stage_damaged:
        mov di, head_serial_putc
        call head_report
        mov di, head_screen_putc
        call head_report
        xor ax, ax
        int 0x16                        ; AH=00h: wait for a key
        mov al, 0xFE                    ; pulse the reset line
        out 0x64, al
        int 0x19                        ; if that did nothing
        cli
.halt:
        hlt
        jmp .halt

; head_report - the NUL-terminated head_damaged_text, each character
;   through the routine at DI.  clobbers AL, SI.
head_report:
        mov si, head_damaged_text
.next:
        lodsb
        test al, al
        jz .done
        call di
        jmp .next
.done:
        ret

; head_serial_putc - AL to COM1 through INT 14h AH=01h (the BIOS writes
;   only to a port it found, with a bounded wait).  clobbers nothing.
head_serial_putc:
        pusha
        mov ah, 0x01
        xor dx, dx                      ; COM1
        int 0x14
        popa
        ret

; head_screen_putc - AL to the screen, INT 10h AH=0Eh.  clobbers nothing.
head_screen_putc:
        pusha
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        popa
        ret

head_damaged_text:
        db STAGE_DAMAGED_REPORT, 0

; enable_a20 - make address line 20 work, and prove it.
;   Tries, in order, what is already on (QEMU, most modern machines), the
;   BIOS (INT 15h AX=2401h), the PS/2 "fast A20" port 92h and the keyboard
;   controller's output port (command D1h, data DFh), checking after each.
;   takes: DS = 0; returns: CF clear if A20 is on, [a20_method] = how;
;   clobbers: AX, CX, SI, DI, ES.
enable_a20:
        mov byte [a20_method], 0
        call a20_check
        jnc .done
        mov byte [a20_method], 1
        mov ax, 0x2401
        int 0x15
        call a20_check
        jnc .done
        mov byte [a20_method], 2
        in al, 0x92
        test al, 2
        jnz .kbc                        ; already set but no effect: skip
        or al, 2
        and al, 0xFE                    ; bit 0 would reset the machine
        out 0x92, al
        call a20_check
        jnc .done
.kbc:
        mov byte [a20_method], 3
        call kbc_wait
        mov al, 0xD1                    ; write output port
        out 0x64, al
        call kbc_wait
        mov al, 0xDF                    ; A20 on, no reset
        out 0x60, al
        call kbc_wait
        call a20_check
.done:
        ret

; a20_check - CF clear if A20 is on.
;   Writes a pattern at 0000:0500 and compares it with FFFF:0510, the same
;   address plus 1 MiB: with A20 off they are one byte.
;   takes: DS = 0; clobbers: AX, CX, SI, DI, ES.
a20_check:
        mov ax, 0xFFFF
        mov es, ax
        mov si, 0x0500
        mov di, 0x0510
        mov cx, 32                      ; let a slow controller settle
.again:
        mov al, [si]
        not al
        mov [si], al
        cmp al, [es:di]                 ; does 1 MiB + 0x500 follow?
        jne .on
        loop .again
        stc
        ret
.on:
        clc
        ret

; kbc_wait - wait (bounded) until the keyboard controller's input buffer is
;   empty.  clobbers: AX, CX.
kbc_wait:
        mov cx, 0xFFFF
.poll:
        in al, 0x64
        test al, 2
        loopnz .poll
        ret

; --- variables: .bss16, zeroed at entry, below 64 KiB and outside the
; checksummed image.
        section .bss16 nobits alloc noexec write align=4
boot_drive:     resb 1
a20_method:     resb 1                  ; 0 was on, 1 BIOS, 2 port 92h, 3 KBC,
                                        ; A20_FAILED none worked

; no executable stack wanted (silences ld; the stage has no ELF loader anyway)
        section .note.GNU-stack noalloc noexec nowrite progbits
