/*
 * blobs.S - the two binaries `bootinst install` writes, embedded in the
 * command so that it needs no data files at run time.
 *
 *   bootinst_mbr_code    build/mbr.bin: 440 bytes, boot code + patch area
 *   bootinst_stage_image build/stage.bin: the stage's code (install appends
 *                        the record's strings and pads to sectors)
 *
 * The Makefile assembles this with `gcc -c -Ibuild`; gas searches the -I
 * directories for .incbin files.  payload/blobs.h declares the symbols.
 */
	.section .rodata

	.balign 16
	.globl bootinst_mbr_code, bootinst_mbr_code_end
bootinst_mbr_code:
	.incbin "mbr.bin"
bootinst_mbr_code_end:

	.balign 16
	.globl bootinst_stage_image, bootinst_stage_image_end
bootinst_stage_image:
	.incbin "stage.bin"
bootinst_stage_image_end:

	/* No executable stack: this object has no code at all. */
	.section .note.GNU-stack, "", @progbits
