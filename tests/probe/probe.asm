; probe.asm - the probe kernel: a tiny bzImage that reports on COM1 what the
; boot loader handed it, then exits QEMU.
;
; It follows the Linux x86 boot protocol 2.15 (Documentation/arch/x86/boot.rst;
; the header layout is include/linux_boot.h), so a loader treats it as a real
; kernel: boot sector + setup header, SETUP_SECTS sectors of real-mode setup
; code, then the protected-mode part, which the loader must put at 1 MiB.
;
;   file offset                          loaded at
;   0x000  boot sector, header at 0x1F1  load segment:0 (anywhere below 1 MiB)
;   0x200  jump, rest of header, setup   load segment:0x200
;   SETUP_BYTES  protected-mode part     0x100000 (code32_start)
;                  32-bit code, then a payload of PAYLOAD_KIB KiB
;                  after it (in memory only) the 32-bit stack, inside init_size
;
; Machine state on entry to the setup code (boot.rst, "RUNNING THE KERNEL"):
;   real mode, interrupts disabled,
;   CS = load segment + 0x20, IP = 0 (the jump at file offset 0x200),
;   DS = ES = FS = GS = SS = load segment, SP = top of the setup heap,
;   the loader has filled in type_of_loader, loadflags (CAN_USE_HEAP),
;   heap_end_ptr, cmd_line_ptr, ramdisk_image, ramdisk_size.
; The probe trusts none of that: it records the registers before changing
; any, works from CS (the one value it cannot run without), and prints what
; it found, so a test can compare it with what the loader should have done.
;
; Build:  nasm -f bin -o probe.bzImage probe.asm
;   -DSETUP_SECTS=N    setup_sects field (default 4; 0 means 4, boot.rst)
;   -DCMDLINE_SIZE=N   cmdline_size field (default 2047)
;   -DPAYLOAD_KIB=N    payload size (default 512)
; Output format: tests/probe/README.md.

%ifndef SETUP_SECTS
 %define SETUP_SECTS 4
%endif
%ifndef CMDLINE_SIZE
 %define CMDLINE_SIZE 2047
%endif
%ifndef PAYLOAD_KIB
 %define PAYLOAD_KIB 512
%endif
%ifndef RELEASE            ; the version string's release (-DRELEASE='"6.1.0"'):
 %define RELEASE "bootinst probe kernel"   ; by default no Linux release at all
%endif

; boot.rst: "If this field is 0, the real value is 4."
%if SETUP_SECTS == 0
 %define SETUP_SECTS_LOADED 4
%else
 %define SETUP_SECTS_LOADED SETUP_SECTS
%endif
SETUP_BYTES       equ (SETUP_SECTS_LOADED + 1) * 512  ; boot sector + setup code
SETUP_CODE_PARAS  equ 0x200 / 16        ; CS is this many paragraphs past the load segment
SETUP_STACK_BYTES equ 32                ; our real-mode stack, at the end of the setup code

PROTOCOL_VERSION  equ 0x020F            ; boot protocol 2.15
LOADED_HIGH       equ 0x01              ; loadflags: protected-mode part at 0x100000
PM_LOAD_ADDR      equ 0x100000          ; where a bzImage's protected-mode part goes
PM_STACK_BYTES    equ 4096              ; 32-bit stack, after the image, inside init_size
PM_MAGIC          equ 'PROB'            ; at PM_LOAD_ADDR + 4: "the probe is loaded here"

PAYLOAD_BYTES     equ PAYLOAD_KIB * 1024
; The payload is the stream of a 32-bit LCG (Numerical Recipes constants):
; every dword differs from its neighbours and the probe can regenerate the
; stream to find the first wrong dword, not just notice a wrong sum.
PAYLOAD_SEED      equ 0x2545F491
LCG_MUL           equ 1664525
LCG_ADD           equ 1013904223

CMDLINE_SCAN_MAX  equ 0x10000           ; stop looking for the NUL after 64 KiB

COM1              equ 0x3F8             ; 16550 UART registers, as offsets from COM1
UART_THR          equ 0                 ;   transmit holding register (DLAB=0)
UART_DLL          equ 0                 ;   divisor latch, low byte (DLAB=1)
UART_IER          equ 1                 ;   interrupt enable (DLAB=0)
UART_DLM          equ 1                 ;   divisor latch, high byte (DLAB=1)
UART_FCR          equ 2                 ;   FIFO control
UART_LCR          equ 3                 ;   line control
UART_MCR          equ 4                 ;   modem control
UART_LSR          equ 5                 ;   line status
UART_LSR_THRE     equ 0x20              ;   transmit holding register empty

DEBUG_EXIT_PORT   equ 0xF4              ; QEMU -device isa-debug-exit,iobase=0xf4
DEBUG_EXIT_DONE   equ 0x10              ; QEMU exits with (0x10 << 1) | 1 = 33
DEBUG_EXIT_NO_PM  equ 0x11              ; QEMU exits with 35: protected-mode part missing
SYSCTRL_PORT_A    equ 0x92              ; bit 1: fast A20 gate, bit 0: reset (never set)

CODE32_SEL        equ 0x08              ; selectors into our GDT
DATA32_SEL        equ 0x10

; check_at OFF: fail the assembly ("division by zero") unless the next byte is
; at file offset OFF.  Guards the header, whose offsets the loader relies on.
%macro check_at 1
	%%check equ 1 / ((%1) == ($ - $$))
%endmacro

; ===========================================================================
; Real-mode part: boot sector, setup header, setup code.
; Labels are file offsets = offsets from the load segment.
; ===========================================================================
section realmode start=0 vstart=0
bits 16

; --- boot sector -----------------------------------------------------------
; Only runs if someone boots the image itself from a disk: the BIOS loads it
; at 0:7C00.  Say what it is and stop.
bootsect:
	jmp 0x07C0:.normalised          ; CS:IP = 07C0:offset, so labels work
.normalised:
	mov ax, cs
	mov ds, ax
	mov si, bootsect_msg
.next_char:
	lodsb
	test al, al
	jz .stop
	mov ah, 0x0E                    ; INT 10h AH=0Eh: teletype output
	mov bx, 0x0007                  ; page 0, light grey
	int 0x10
	jmp .next_char
.stop:
	cli
	hlt
	jmp .stop
bootsect_msg:
	db "This is the bootinst probe kernel, not a boot sector: "
	db "load it with a Linux boot loader.", 13, 10, 0

; --- setup header (boot.rst "THE REAL-MODE KERNEL HEADER") -------------------
	times 0x1F1 - ($ - $$) db 0     ; fails to assemble if the message is too long
	check_at 0x1F1
hdr_setup_sects:     db SETUP_SECTS                    ; 0x1f1
hdr_root_flags:      dw 0                              ; 0x1f2
hdr_syssize:         dd (PM_FILE_BYTES + 15) / 16      ; 0x1f4 paragraphs
hdr_ram_size:        dw 0                              ; 0x1f8 obsolete
hdr_vid_mode:        dw 0xFFFF                         ; 0x1fa "normal"
hdr_root_dev:        dw 0                              ; 0x1fc
hdr_boot_flag:       dw 0xAA55                         ; 0x1fe
	check_at 0x200
hdr_jump:            jmp short setup_entry             ; 0x200 entry: CS:IP = seg+0x20:0
	check_at 0x202
hdr_header:          db "HdrS"                         ; 0x202
hdr_version:         dw PROTOCOL_VERSION               ; 0x206
hdr_realmode_swtch:  dd 0                              ; 0x208
hdr_start_sys_seg:   dw 0x1000                         ; 0x20c obsolete
hdr_kernel_version:  dw kernel_version_str - 0x200     ; 0x20e
hdr_type_of_loader:  db 0                              ; 0x210 loader writes
hdr_loadflags:       db LOADED_HIGH                    ; 0x211 loader ORs CAN_USE_HEAP
hdr_setup_move_size: dw 0x8000                         ; 0x212
hdr_code32_start:    dd PM_LOAD_ADDR                   ; 0x214
hdr_ramdisk_image:   dd 0                              ; 0x218 loader writes
hdr_ramdisk_size:    dd 0                              ; 0x21c loader writes
hdr_bootsect_kludge: dd 0                              ; 0x220
hdr_heap_end_ptr:    dw 0                              ; 0x224 loader writes
hdr_ext_loader_ver:  db 0                              ; 0x226
hdr_ext_loader_type: db 0                              ; 0x227
hdr_cmd_line_ptr:    dd 0                              ; 0x228 loader writes
hdr_initrd_addr_max: dd 0x7FFFFFFF                     ; 0x22c
hdr_kernel_alignment: dd 0x200000                      ; 0x230
hdr_relocatable:     db 0                              ; 0x234 load at exactly 1 MiB
hdr_min_alignment:   db 0                              ; 0x235
hdr_xloadflags:      dw 0                              ; 0x236 no 64-bit/EFI entry
	check_at 0x238
hdr_cmdline_size:    dd CMDLINE_SIZE                   ; 0x238 NUL excluded
hdr_hardware_subarch: dd 0                             ; 0x23c PC
hdr_subarch_data:    dq 0                              ; 0x240
hdr_payload_offset:  dd 0                              ; 0x248 nothing compressed
hdr_payload_length:  dd 0                              ; 0x24c
hdr_setup_data:      dq 0                              ; 0x250
hdr_pref_address:    dq PM_LOAD_ADDR                   ; 0x258
hdr_init_size:       dd PM_FILE_BYTES + PM_STACK_BYTES ; 0x260 image + its stack
hdr_handover_offset: dd 0                              ; 0x264 no EFI handover
hdr_kernel_info_offset: dd 0                           ; 0x268
	check_at 0x26C

; --- setup code ---------------------------------------------------------------
; Right after the header: the 2-byte jump at 0x200 reaches 127 bytes at most.
setup_entry:
	; DS may be wrong - that is one thing under test - so store through CS,
	; which must be right for this code to run at all.  CS is the load
	; segment + 0x20, so file offset X is CS:(X - 0x200).  MOV does not
	; change FLAGS, so IF is still the loader's when PUSHF reads it below.
	mov [cs:rec_cs - 0x200], cs
	mov [cs:rec_ds - 0x200], ds
	mov [cs:rec_es - 0x200], es
	mov [cs:rec_fs - 0x200], fs
	mov [cs:rec_gs - 0x200], gs
	mov [cs:rec_ss - 0x200], ss
	mov [cs:rec_sp - 0x200], sp

	; From here on: our own segments (the load segment as CS implies it) and
	; our own stack inside the setup code, so nothing depends on the
	; loader's SS:SP or heap.
	mov ax, cs
	sub ax, SETUP_CODE_PARAS
	mov ds, ax
	mov es, ax
	mov ss, ax                      ; interrupts are held off for one instruction
	mov sp, setup_stack_top
	pushf
	pop word [rec_flags]            ; IF (bit 9) as the loader left it
	cli
	cld

	call uart_init

	; Linux's own setup code turns A20 on rather than trusting the loader;
	; so does the probe (fast A20 gate, which QEMU emulates).  Without A20,
	; 0x100000 aliases 0x000000 and the check below fails.
	in al, SYSCTRL_PORT_A
	test al, 0x02
	jnz .a20_on
	or al, 0x02
	and al, 0xFE                    ; bit 0 would reset the machine
	out SYSCTRL_PORT_A, al
.a20_on:

	; Is our protected-mode part at 1 MiB?  Real mode reaches it through
	; segment 0xFFFF (0xFFFF0 + 0x10 = 0x100000).  Jumping there blind
	; would triple-fault silently if the loader put it elsewhere.
	push es
	mov ax, 0xFFFF
	mov es, ax
	cmp dword [es:PM_LOAD_ADDR - 0xFFFF0 + (pm_magic - pm_entry)], PM_MAGIC
	pop es
	jne no_pm_part

	; Enter 32-bit protected mode with flat segments (boot.rst's 32-bit
	; protocol uses the same: __BOOT_CS/__BOOT_DS, base 0, limit 4 GiB).
	; The GDT pointer needs a linear address, known only now.
	xor ebp, ebp
	mov bp, ds
	shl ebp, 4                      ; EBP = linear address of the real-mode part
	lea eax, [ebp + gdt]
	mov [gdt_desc + 2], eax
	o32 lgdt [gdt_desc]             ; o32: load all 32 bits of the base
	mov eax, cr0
	or al, 0x01                     ; CR0.PE
	mov cr0, eax
	; The far jump loads CS from the GDT: from here on, 32-bit code.
	jmp dword CODE32_SEL:PM_LOAD_ADDR   ; EBP carries the real-mode part's address

; no_pm_part: the protected-mode part is not at 0x100000.  Report it in the
; probe's format and exit QEMU with a status of its own (35).
; Takes DS = load segment; does not return.
no_pm_part:
	mov si, no_pm_msg
	call serial_puts16
	mov al, DEBUG_EXIT_NO_PM
	out DEBUG_EXIT_PORT, al
	mov si, halt_msg                ; still here: no isa-debug-exit device
	call serial_puts16
.halt:
	cli
	hlt
	jmp .halt

; uart_out REG, VALUE: write VALUE to COM1's register REG.  Clobbers AL, DX.
%macro uart_out 2
	mov dx, COM1 + %1
	mov al, %2
	out dx, al
%endmacro

; uart_init: COM1 to 115200 baud, 8N1, FIFOs on, its interrupts off; the
; probe polls it.  Harmless if the loader already set it up.
; Takes nothing; clobbers AX, DX.
uart_init:
	uart_out UART_IER, 0x00         ; no UART interrupts
	uart_out UART_LCR, 0x80         ; DLAB: the next two are the divisor
	uart_out UART_DLL, 1            ; 115200 / 1
	uart_out UART_DLM, 0
	uart_out UART_LCR, 0x03         ; 8 data bits, no parity, 1 stop bit
	uart_out UART_FCR, 0x07         ; enable and clear both FIFOs
	uart_out UART_MCR, 0x03         ; DTR, RTS
	ret

; serial_puts16: send the NUL-terminated string at DS:SI to COM1.
; Takes DS:SI; clobbers AX, DX, SI.
serial_puts16:
.next:
	lodsb
	test al, al
	jz .done
	mov ah, al                      ; keep the byte while AL polls the LSR
	mov dx, COM1 + UART_LSR
.wait:
	in al, dx
	test al, UART_LSR_THRE
	jz .wait
	mov al, ah
	mov dx, COM1 + UART_THR
	out dx, al
	jmp .next
.done:
	ret

kernel_version_str:
	db RELEASE, 0

; What the loader handed us, recorded by setup_entry before anything changes
; it.  The 32-bit code reads these through the real-mode part's address.
align 2
rec_cs:    dw 0
rec_ds:    dw 0
rec_es:    dw 0
rec_fs:    dw 0
rec_gs:    dw 0
rec_ss:    dw 0
rec_sp:    dw 0
rec_flags: dw 0

no_pm_msg:
	db "PROBE begin", 10
	db "PROBE error=nothing at 0x00100000", 10
	db "PROBE end", 10, 0
halt_msg:
	db "PROBE halt", 10, 0

; Flat 4 GiB segments.  Access byte 0x9A: present, ring 0, code, readable;
; 0x92: present, ring 0, data, writable.  Flags 0xC: 4 KiB granularity, 32-bit.
align 8
gdt:
	dq 0                            ; the null descriptor
	dq 0x00CF9A000000FFFF           ; CODE32_SEL
	dq 0x00CF92000000FFFF           ; DATA32_SEL
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1            ; limit
	dd 0                            ; base: gdt's linear address, set at run time

	; Whatever is left of the setup sectors is zeros; the stack is at the
	; top.  A negative TIMES count here means the setup code outgrew
	; SETUP_SECTS sectors.
	times SETUP_BYTES - SETUP_STACK_BYTES - ($ - $$) db 0
	times SETUP_STACK_BYTES db 0
setup_stack_top:
	check_at SETUP_BYTES

; ===========================================================================
; Protected-mode part: loaded at PM_LOAD_ADDR.  Entered from setup_entry with
; CS = CODE32_SEL (flat), interrupts off, EBP = linear address of the
; real-mode part (so header field F is at [EBP + hdr_F]).
; ===========================================================================
section protmode start=SETUP_BYTES vstart=PM_LOAD_ADDR
bits 32

pm_entry:
	jmp short pm_start
	align 4, db 0
pm_magic:
	dd PM_MAGIC                     ; the setup code looks for this before jumping

; report_hex KEY: print "PROBE KEY=0x<EAX as 8 hex digits>\n".
; Clobbers ESI; the key string sits inline, jumped over.
%macro report_hex 1
	jmp %%print
%%key:	db %1, 0
%%print:
	mov esi, %%key
	call put_field_hex
%endmacro

; report_bit KEY: print "PROBE KEY=<0 or 1>\n" for EAX = 0 or 1.  Clobbers ESI.
%macro report_bit 1
	jmp %%print
%%key:	db %1, 0
%%print:
	mov esi, %%key
	call put_field_bit
%endmacro

pm_start:
	mov ax, DATA32_SEL
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, PM_STACK_TOP

	mov esi, begin_text
	call put_line

	movzx eax, word [ebp + hdr_version]
	report_hex "protocol"
	movzx eax, word [ebp + rec_cs]
	report_hex "entry_cs"
	movzx eax, word [ebp + rec_ds]
	report_hex "entry_ds"
	movzx eax, word [ebp + rec_es]
	report_hex "entry_es"
	movzx eax, word [ebp + rec_ss]
	report_hex "entry_ss"
	movzx eax, word [ebp + rec_sp]
	report_hex "entry_sp"
	movzx eax, word [ebp + rec_fs]
	report_hex "entry_fs"
	movzx eax, word [ebp + rec_gs]
	report_hex "entry_gs"
	movzx eax, word [ebp + rec_flags]
	shr eax, 9                      ; FLAGS.IF
	and eax, 1
	report_bit "entry_if"
	movzx eax, word [ebp + rec_ds]
	shl eax, 4
	report_hex "setup_linear"

	movzx eax, byte [ebp + hdr_type_of_loader]
	report_hex "type_of_loader"
	movzx eax, byte [ebp + hdr_loadflags]
	report_hex "loadflags"
	movzx eax, word [ebp + hdr_heap_end_ptr]
	report_hex "heap_end_ptr"
	mov eax, [ebp + hdr_cmd_line_ptr]
	report_hex "cmd_line_ptr"
	mov eax, [ebp + hdr_cmdline_size]
	report_hex "cmdline_size"

	mov esi, cmdline_key
	call put_key
	mov esi, [ebp + hdr_cmd_line_ptr]
	call put_cmdline                ; EAX = its length
	call put_newline
	report_hex "cmdline_len"

	mov eax, [ebp + hdr_ramdisk_image]
	report_hex "ramdisk_image"
	mov eax, [ebp + hdr_ramdisk_size]
	report_hex "ramdisk_size"
	mov esi, [ebp + hdr_ramdisk_image]
	mov ecx, [ebp + hdr_ramdisk_size]
	call sum32                      ; 0 when the size is 0
	report_hex "initrd_sum32"

	mov esi, payload
	mov ecx, PAYLOAD_BYTES
	call sum32
	mov ebx, eax                    ; kept for kernel_ok
	report_hex "kernel_sum32"
	call payload_first_bad
	mov edi, eax                    ; kept for kernel_ok
	report_hex "kernel_bad_offset"
	xor eax, eax
	cmp ebx, PAYLOAD_SUM32
	jne .report_ok
	cmp edi, -1
	jne .report_ok
	inc eax                         ; right sum and every dword in place
.report_ok:
	report_bit "kernel_ok"

	mov esi, end_text
	call put_line
	mov al, DEBUG_EXIT_DONE
	out DEBUG_EXIT_PORT, al
	mov esi, halt_text              ; still here: no isa-debug-exit device
	call put_line
.halt:
	cli
	hlt
	jmp .halt

; sum32: the 32-bit wrapping sum of a buffer read as little-endian dwords,
; the last partial dword zero-padded (what tests/probe/sum32.c computes).
; Takes ESI = address, ECX = length in bytes; returns EAX = sum;
; clobbers ECX, EDX, ESI.
sum32:
	xor eax, eax
	mov edx, ecx
	shr ecx, 2                      ; whole dwords
	jz .tail
.dwords:                                ; the hot loop: up to 128 MiB of initrd under TCG
	add eax, [esi]
	add esi, 4
	dec ecx
	jnz .dwords
.tail:
	and edx, 3                      ; 0..3 bytes left
	jz .done
	xor ecx, ecx
.tail_byte:                             ; assemble them high byte first, zero-padded
	shl ecx, 8
	mov cl, [esi + edx - 1]
	dec edx
	jnz .tail_byte
	add eax, ecx
.done:
	ret

; payload_first_bad: regenerate the payload's LCG stream and compare it with
; the payload in memory, so a misplaced sector is located, not just noticed.
; Takes nothing; returns EAX = file offset of the first wrong dword, or
; 0xFFFFFFFF if all are right; clobbers ECX, EDX, ESI.
payload_first_bad:
	mov esi, payload
	mov ecx, PAYLOAD_BYTES / 4
	mov edx, PAYLOAD_SEED
	or eax, -1
	jecxz .done                     ; an empty payload has nothing wrong
.next:
	imul edx, edx, LCG_MUL
	add edx, LCG_ADD                ; EDX = the dword that belongs here
	cmp [esi], edx
	jne .found
	add esi, 4
	dec ecx
	jnz .next
	ret
.found:
	lea eax, [esi - PM_LOAD_ADDR + SETUP_BYTES]   ; memory address -> file offset
.done:
	ret

; put_cmdline: print the bytes at ESI up to their NUL exactly as they are,
; giving up after CMDLINE_SCAN_MAX bytes.  ESI = 0 means no command line
; (boot.rst: cmd_line_ptr is 0 when the loader passes none).
; Takes ESI; returns EAX = number of bytes printed; clobbers ECX.
put_cmdline:
	xor ecx, ecx
	test esi, esi
	jz .done
.next:
	cmp ecx, CMDLINE_SCAN_MAX
	je .done
	mov al, [esi + ecx]
	test al, al
	jz .done
	call serial_putc
	inc ecx
	jmp .next
.done:
	mov eax, ecx
	ret

; put_field_hex: print "PROBE <key>=0x<EAX in hex>\n".
; Takes ESI = NUL-terminated key, EAX = value; clobbers ESI.
put_field_hex:
	call put_key
	call put_hex32
	jmp put_newline                 ; tail call

; put_field_bit: print "PROBE <key>=<digit>\n".
; Takes ESI = NUL-terminated key, EAX = 0..9; clobbers ESI.
put_field_bit:
	call put_key
	push eax
	add al, '0'
	call serial_putc
	pop eax
	jmp put_newline                 ; tail call

; put_key: print "PROBE <key>=".
; Takes ESI = NUL-terminated key; clobbers ESI.
put_key:
	push esi
	mov esi, prefix_text
	call serial_puts
	pop esi
	call serial_puts
	push eax
	mov al, '='
	call serial_putc
	pop eax
	ret

; put_line: print "PROBE <text>\n".
; Takes ESI = NUL-terminated text; clobbers ESI.
put_line:
	push esi
	mov esi, prefix_text
	call serial_puts
	pop esi
	call serial_puts
	jmp put_newline                 ; tail call

; put_hex32: print EAX as "0x" and 8 lowercase hex digits.
; Takes EAX; clobbers nothing.
put_hex32:
	push eax
	push ecx
	push edx
	mov edx, eax
	mov al, '0'
	call serial_putc
	mov al, 'x'
	call serial_putc
	mov ecx, 8
.digit:
	rol edx, 4                      ; next nibble, most significant first
	movzx eax, dl
	and al, 0x0F
	mov al, [hex_digits + eax]
	call serial_putc
	dec ecx
	jnz .digit
	pop edx
	pop ecx
	pop eax
	ret

; put_newline: print "\n".  Clobbers nothing.
put_newline:
	push eax
	mov al, 10
	call serial_putc
	pop eax
	ret

; serial_puts: send the NUL-terminated string at ESI to COM1.
; Takes ESI; returns ESI past the NUL; clobbers nothing else.
serial_puts:
	push eax
.next:
	lodsb
	test al, al
	jz .done
	call serial_putc
	jmp .next
.done:
	pop eax
	ret

; serial_putc: send AL to COM1 once its transmit register is empty.
; Takes AL; clobbers nothing.  A missing UART reads 0xFF: no hang.
serial_putc:
	push edx
	push eax
	mov dx, COM1 + UART_LSR
.wait:
	in al, dx
	test al, UART_LSR_THRE
	jz .wait
	pop eax
	mov dx, COM1 + UART_THR
	out dx, al
	pop edx
	ret

prefix_text: db "PROBE ", 0
begin_text:  db "begin", 0
end_text:    db "end", 0
halt_text:   db "halt", 0
cmdline_key: db "cmdline", 0
hex_digits:  db "0123456789abcdef"

; --- payload ----------------------------------------------------------------
; PAYLOAD_KIB KiB of the LCG stream, generated here at assembly time, and its
; sum32 as a constant.  Not listed: it would be most of the listing.
	align 4, db 0
payload:
[list -]
%assign lcg PAYLOAD_SEED
%assign lcg_sum 0
%rep PAYLOAD_KIB                        ; (nested: nasm caps one %rep at 10^6)
 %rep 1024 / 4
  %assign lcg (lcg * LCG_MUL + LCG_ADD) & 0xFFFFFFFF
  %assign lcg_sum lcg_sum + lcg
	dd lcg
 %endrep
%endrep
[list +]
PAYLOAD_SUM32 equ lcg_sum & 0xFFFFFFFF

PM_FILE_BYTES equ $ - $$                ; the protected-mode part as in the file
PM_STACK_TOP  equ (PM_LOAD_ADDR + PM_FILE_BYTES + PM_STACK_BYTES) & ~15
