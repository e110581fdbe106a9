# bootinst - build, budgets, tests.
#
#   make            MBR code, stage, the bootinst command; prints the budgets
#   make check      unit tests (cmocka) then the QEMU end-to-end tests
#   make unit       unit tests only
#   make e2e        end-to-end tests only
#
# Everything is written under build/: flat binaries, nasm listings, the
# stage's link map.

CC      ?= gcc
NASM    ?= nasm
BUILD   := build
MBR_BUDGET   := 440
STAGE_BUDGET := 31744

# --- host side: installer, tests ------------------------------------------
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
               -Iinclude -Istage1 -Iinstaller -I$(BUILD)/gen \
               $(shell pkg-config --cflags fdisk ext2fs 2>/dev/null)
HOST_LIBS   := $(shell pkg-config --libs fdisk ext2fs 2>/dev/null) -lcom_err

# --- stage: freestanding i386 ----------------------------------------------
STAGE_CFLAGS := -std=gnu11 -m32 -march=i386 -Os -ffreestanding -fno-pic -fno-pie \
                -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fno-jump-tables -mgeneral-regs-only -fno-builtin -fno-common \
                -mpreferred-stack-boundary=2 -malign-data=abi \
                -ffunction-sections -fdata-sections \
                -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
                -Istage1/libc -Iinclude -Istage1 -I$(BUILD)/gen \
                -Wall -Wextra -Wno-unused-parameter -DBOOTINST_STAGE
STAGE_LDFLAGS := -m elf_i386 -nostdlib --gc-sections --no-warn-rwx-segments -L $(BUILD)/gen -T stage1/stage.ld

# Portable stage sources: no BIOS call, built for the stage and the host.
PORTABLE_SRCS := stage1/ext2.c stage1/bzimage.c stage1/config.c \
                 stage1/diag_format.c stage1/crc32.c stage1/memmap.c stage1/linux_plan.c \
                 stage1/record.c
# Stage-only sources: console, disk, memory map, the Linux loader, libc bits.
STAGE_ONLY_SRCS := stage1/main.c stage1/console.c stage1/disk.c \
                   stage1/memmap_bios.c stage1/linux_load.c stage1/libc.c
STAGE_OBJS := $(BUILD)/stage/entry.o \
              $(patsubst stage1/%.c,$(BUILD)/stage/%.o,$(STAGE_ONLY_SRCS) $(PORTABLE_SRCS))

INSTALLER_SRCS := $(wildcard installer/*.c)
INSTALLER_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(INSTALLER_SRCS) $(PORTABLE_SRCS)) \
                  $(BUILD)/host/installer/blobs.o

.PHONY: all check unit e2e clean budgets
all: bootinst budgets

# --- generated asm offsets (from the C headers: the two cannot drift) ------
$(BUILD)/gen/offsets.inc: asm/gen_offsets.c include/*.h stage1/bios.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $(BUILD)/gen/gen_offsets $<
	$(BUILD)/gen/gen_offsets > $@
	$(BUILD)/gen/gen_offsets --ld > $(BUILD)/gen/layout.ld

# --- MBR -------------------------------------------------------------------
$(BUILD)/mbr.bin: asm/mbr.asm $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I$(BUILD)/gen/ -DMBR_MAP_FILE=$(BUILD)/mbr.map -l $(BUILD)/mbr.lst -o $@ $<

# --- stage -----------------------------------------------------------------
$(BUILD)/stage/entry.o: asm/entry.asm $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -I$(BUILD)/gen/ -l $(BUILD)/stage/entry.lst -o $@ $<

$(BUILD)/stage/%.o: stage1/%.c $(BUILD)/gen/offsets.inc Makefile
	@mkdir -p $(dir $@)
	$(CC) $(STAGE_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/stage.elf: $(STAGE_OBJS) stage1/stage.ld
	ld $(STAGE_LDFLAGS) -Map $(BUILD)/stage.map -o $@ $(STAGE_OBJS)

# The head (header, 16-bit code, unpacker) as loaded; the C part packed
# after it by asm/stagepack.c, which also sets the header's image_size.
$(BUILD)/gen/stagepack: asm/stagepack.c include/stage_header.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

$(BUILD)/stage.bin: $(BUILD)/stage.elf $(BUILD)/gen/stagepack
	objcopy -O binary --only-section=.header --only-section=.text16 --only-section=.data16 $< $(BUILD)/stage-head.bin
	objcopy -O binary --only-section=.text --only-section=.rodata --only-section=.data $< $(BUILD)/stage-c.bin
	$(BUILD)/gen/stagepack $(BUILD)/stage-head.bin $(BUILD)/stage-c.bin $@ > $(BUILD)/stage.pack

# --- budgets, printed on every build ---------------------------------------
budgets: $(BUILD)/mbr.bin $(BUILD)/stage.bin
	@mbr=$$(( 0x$$(awk '$$3 == "code_end" { print $$1 }' $(BUILD)/mbr.map) - 0x600 )); \
	 stage=$$(stat -c %s $(BUILD)/stage.bin); \
	 strings=$$(sed -n "s/^STRINGS_MAX = \(.*\);/\1/p" $(BUILD)/gen/layout.ld); \
	 c=$$(stat -c %s $(BUILD)/stage-c.bin); \
	 echo "mbr: $$mbr/$(MBR_BUDGET) bytes, stage: $$stage/$(STAGE_BUDGET) bytes (C part $$c bytes packed; + the install record's strings, at most $$strings)"; \
	 if [ $$stage -gt $(STAGE_BUDGET) ]; then \
	   echo "stage is $$stage bytes, over the $(STAGE_BUDGET)-byte gap of a partition at sector 63: shrink the stage" >&2; exit 1; fi

# --- host objects, installer -----------------------------------------------
$(BUILD)/host/%.o: %.c $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/host/installer/blobs.o: installer/blobs.S $(BUILD)/mbr.bin $(BUILD)/stage.bin
	@mkdir -p $(dir $@)
	$(CC) -c -I$(BUILD) -o $@ $<

bootinst: $(INSTALLER_OBJS)
	$(CC) -o $@ $^ $(HOST_LIBS)

# --- unit tests (cmocka): one binary per unit, each lists what it links ----
UNIT_TESTS := ext2 bzimage config diag installer predict check linux_plan record
test_ext2_SRCS      := stage1/ext2.c stage1/diag_format.c tests/unit/image_blockdev.c
test_bzimage_SRCS   := stage1/bzimage.c stage1/diag_format.c
test_config_SRCS    := stage1/config.c stage1/diag_format.c
test_diag_SRCS      := stage1/diag_format.c
test_linux_plan_SRCS := stage1/linux_plan.c stage1/memmap.c stage1/diag_format.c
test_record_SRCS    := stage1/record.c stage1/crc32.c stage1/diag_format.c
test_installer_SRCS := $(filter-out installer/main.c,$(INSTALLER_SRCS)) $(PORTABLE_SRCS) tests/unit/disk_fixture.c
test_check_SRCS     := $(filter-out installer/main.c,$(INSTALLER_SRCS)) $(PORTABLE_SRCS) tests/unit/disk_fixture.c
test_predict_SRCS   := $(wildcard installer/predict*.c) installer/findings.c installer/image.c \
                       installer/bootfs.c stage1/diag_format.c tests/unit/disk_fixture.c

define unit_test_rule
$(BUILD)/tests/test_$(1): tests/unit/test_$(1).c $$(patsubst %.c,$(BUILD)/host/%.o,$$(test_$(1)_SRCS)) $$(if $$(filter installer check,$(1)),$(BUILD)/host/installer/blobs.o)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(HOST_CFLAGS) -o $$@ $$^ -lcmocka $$(HOST_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

unit: all $(foreach t,$(UNIT_TESTS),$(BUILD)/tests/test_$(t))
	@tests/run-unit.sh $(BUILD)/tests $(UNIT_TESTS)

# --- docs: the README's catalog table comes from the catalog itself ------
# (tests/unit/test_check.c fails when the two differ)
.PHONY: docs
docs: bootinst
	./bootinst explain --markdown > $(BUILD)/catalog.md
	awk -v table=$(BUILD)/catalog.md \
	    '/<!-- catalog:end -->/ { while ((getline line < table) > 0) print line; skip = 0 } \
	     !skip { print } \
	     /<!-- catalog:begin -->/ { skip = 1 }' README.md > $(BUILD)/README.md
	mv $(BUILD)/README.md README.md

# --- end to end (QEMU) ----------------------------------------------------
$(BUILD)/probe/probe.bzImage: tests/probe/probe.asm
	@mkdir -p $(dir $@)
	$(NASM) -f bin -l $(BUILD)/probe/probe.lst -o $@ $<

$(BUILD)/probe/sum32: tests/probe/sum32.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

e2e: all $(BUILD)/probe/probe.bzImage $(BUILD)/probe/sum32
	@tests/e2e/run.sh

check: unit e2e

clean:
	rm -rf $(BUILD) bootinst


# --- benchmark: bootinst against GRUB 2, EXTLINUX and QEMU's -kernel ------
.PHONY: bench
bench: all $(BUILD)/probe/sum32
	bash bench/run.sh

-include $(shell find $(BUILD)/stage $(BUILD)/host -type f -name '*.d' 2>/dev/null)
