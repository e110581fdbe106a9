# bootinst - build, budgets, tests.
#
#   make            MBR code, stage, the bootinst command; prints the budgets
#   make check      the layout check, unit tests (cmocka), then the QEMU
#                   end-to-end tests
#   make architecture  the folders keep their layers (tests/architecture.sh)
#   make unit       unit tests only
#   make e2e        end-to-end tests only
#   make fuzz-replay   every fuzz seed and tests/fuzz/crashes/ input once,
#                   under gcc's ASan and UBSan (no clang needed)
#   make fuzz       fuzz each target with libFuzzer (clang) for FUZZ_SECONDS
#   make man        build/bootinst.8, from --help and the catalog
#   make install    the program, bootinst(8) and bash completion under
#                   $(DESTDIR)$(PREFIX) (BINDIR, MANDIR, BASH_COMPLETION_DIR);
#                   make uninstall removes them
#
# Everything is written under build/: flat binaries, nasm listings, the
# stage's link map.

CC      ?= gcc
NASM    ?= nasm
BUILD   := build

# --- where `make install` puts things (DESTDIR is prefixed to each) -------
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions

# --- host side: installer, tests ------------------------------------------
# The user's CFLAGS, CPPFLAGS and LDFLAGS apply to the host program and its
# tests (the stage is freestanding and takes only its own, below).  The
# libraries come from pkg-config; one it cannot find stops the build with
# the Debian package that provides it.
CFLAGS  ?= -O2 -g
HOST_PKGS := fdisk ext2fs e2p blkid com_err
pkg_package_fdisk   := libfdisk-dev
pkg_package_ext2fs  := libext2fs-dev
pkg_package_e2p     := libext2fs-dev
pkg_package_blkid   := libblkid-dev
pkg_package_com_err := comerr-dev
ifeq ($(filter clean,$(MAKECMDGOALS)),)
missing_pkgs := $(strip $(foreach p,$(HOST_PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
ifneq ($(missing_pkgs),)
$(error pkg-config cannot find $(missing_pkgs) (install $(sort $(foreach p,$(missing_pkgs),$(pkg_package_$(p)))) and pkg-config; tests/deps.sh installs everything))
endif
endif
HOST_CFLAGS := -std=gnu11 $(CFLAGS) -Wall -Wextra -Wno-unused-parameter \
               -Iinclude -Istage1 -Iinstaller -I$(BUILD)/gen $(CPPFLAGS) \
               $(shell pkg-config --cflags $(HOST_PKGS))
HOST_LIBS   := $(LDFLAGS) $(shell pkg-config --libs $(HOST_PKGS))

# --- stage: freestanding i386 ----------------------------------------------
# -Oz and -mrtd (a function pops its own arguments, so no call site does)
# for size: together 275 bytes off the stage (16,807 -> 16,532).  Under -mrtd, what asm
# calls or is called from C, and what GCC may call by itself (memcpy,
# memset, memmove, memcmp for block moves), is declared cdecl.
STAGE_CFLAGS := -std=gnu11 -m32 -march=i386 -Oz -mrtd -ffreestanding -fno-pic -fno-pie \
                -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fno-jump-tables -mgeneral-regs-only -fno-builtin -fno-common \
                -mpreferred-stack-boundary=2 -malign-data=abi \
                -ffunction-sections -fdata-sections \
                -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
                -Istage1/libc -Iinclude -Istage1 -I$(BUILD)/gen \
                -Wall -Wextra -Wno-unused-parameter -DBOOTINST_STAGE
STAGE_LDFLAGS := -m elf_i386 -nostdlib --gc-sections --no-warn-rwx-segments -L $(BUILD)/gen -T stage1/stage.ld

# Portable stage sources: no BIOS call, built for the stage and the host.
PORTABLE_SRCS := stage1/ext2.c stage1/ext2_map.c stage1/ext2_io.c stage1/bzimage.c stage1/config.c stage1/config_file.c \
                 stage1/diag_format.c stage1/crc32.c stage1/memmap.c stage1/linux_plan.c \
                 stage1/record.c
# Stage-only sources: console, disk, memory map, the Linux loader, libc bits.
STAGE_ONLY_SRCS := stage1/main.c stage1/console.c stage1/menu.c stage1/disk.c \
                   stage1/ide_dma.c stage1/pci.c \
                   stage1/memmap_bios.c stage1/linux_load.c stage1/libc.c
STAGE_OBJS := $(BUILD)/stage/entry.o $(BUILD)/stage/realmode.o \
              $(patsubst stage1/%.c,$(BUILD)/stage/%.o,$(STAGE_ONLY_SRCS) $(PORTABLE_SRCS))

# The bootinst command, layer by layer (docs/design.md, "Parts"): each
# list names its files, so a unit test links exactly the layers it uses.
VERB_SRCS     := installer/install.c installer/uninstall.c installer/mkimage.c installer/check.c \
                 installer/explain.c installer/info.c installer/verbose.c \
                 installer/findings.c installer/report.c
CHECKS_SRCS   := installer/checks/checks.c installer/checks/table.c installer/checks/installed.c \
                 installer/checks/boot_partition.c installer/checks/gap.c
PREDICT_SRCS  := installer/predict/predict.c installer/predict/kernel.c installer/predict/cmdline.c \
                 installer/predict/bus.c installer/predict/root.c installer/predict/rootfs.c \
                 installer/predict/kconfig.c installer/predict/drivers.c installer/predict/init.c \
                 installer/predict/console.c
DISK_SRCS     := installer/disk/image.c installer/disk/partfs.c installer/disk/probe.c \
                 installer/disk/stage_view.c installer/disk/gap.c
COMMIT_SRCS   := installer/commit/commit.c installer/commit/backup_file.c installer/commit/newimage.c \
                 installer/commit/newfs.c installer/commit/out_file.c
# `bootinst info`: the model (read.c and one file per part), then the views
INFO_SRCS     := installer/info/read.c installer/info/mbr.c installer/info/loaders.c \
                 installer/info/gap.c installer/info/parts.c installer/info/boot.c \
                 installer/info/load_plan.c installer/info/format.c installer/info/axis.c \
                 installer/info/text.c installer/info/disasm.c installer/info/svg.c \
                 installer/info/map.c installer/info/json.c
MKIMAGE_SRCS  := installer/mkimage/devtable.c installer/mkimage/plan.c
PAYLOAD_SRCS  := installer/payload/stage_image.c
PAYLOAD_BLOBS := $(BUILD)/host/installer/payload/blobs.o
INSTALLER_SRCS := installer/main.c $(VERB_SRCS) $(INFO_SRCS) $(CHECKS_SRCS) $(PREDICT_SRCS) \
                  $(DISK_SRCS) $(COMMIT_SRCS) $(MKIMAGE_SRCS) $(PAYLOAD_SRCS)
INSTALLER_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(INSTALLER_SRCS) $(PORTABLE_SRCS)) $(PAYLOAD_BLOBS)

.PHONY: all check architecture unit e2e clean budgets
all: bootinst budgets

# --- generated asm offsets (from the C headers: the two cannot drift) ------
# The release, from the VERSION file alone: the stage header, --version.
$(BUILD)/gen/release.h: VERSION
	@mkdir -p $(dir $@)
	printf '#define BOOTINST_RELEASE "%s"\n' "$$(cat VERSION)" > $@

$(BUILD)/gen/offsets.inc: asm/gen_offsets.c include/*.h stage1/bios.h $(BUILD)/gen/release.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $(BUILD)/gen/gen_offsets $<
	$(BUILD)/gen/gen_offsets > $@
	$(BUILD)/gen/gen_offsets --ld > $(BUILD)/gen/layout.ld

# --- MBR -------------------------------------------------------------------
# Then once more with every test hook at once (the e2e cases' test builds,
# tests/e2e/cases/chs.sh and mbr.sh, use some of them): code that leaves
# them no room below the patch area fails here, not in a QEMU run.
$(BUILD)/mbr.bin: asm/mbr.asm $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I$(BUILD)/gen/ -DMBR_MAP_FILE=$(BUILD)/mbr.map -l $(BUILD)/mbr.lst -o $@ $<
	$(NASM) -f bin -I$(BUILD)/gen/ -DMBR_MAP_FILE=$(BUILD)/mbr-test.map \
		-DTEST_FORCE_CHS -DTEST_BIOS_SPT_ZERO -DTEST_INT18_RETURNS -o $(BUILD)/mbr-test.bin $<

# bootinst info --disasm names the MBR's code with its own labels and
# comments: a table generated from the listing and the map just written
$(BUILD)/gen/mbr_labels.h: installer/info/mbr_labels.sh $(BUILD)/mbr.bin
	sh installer/info/mbr_labels.sh $(BUILD)/mbr.map $(BUILD)/mbr.lst > $@.tmp
	mv $@.tmp $@
$(BUILD)/host/installer/info/disasm.o: $(BUILD)/gen/mbr_labels.h

# --- stage -----------------------------------------------------------------
$(BUILD)/stage/%.o: asm/%.asm $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -I$(BUILD)/gen/ -l $(BUILD)/stage/$*.lst -o $@ $<

$(BUILD)/stage/%.o: stage1/%.c $(BUILD)/gen/offsets.inc Makefile
	@mkdir -p $(dir $@)
	$(CC) $(STAGE_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/stage.elf: $(STAGE_OBJS) stage1/stage.ld
	ld $(STAGE_LDFLAGS) -Map $(BUILD)/stage.map -o $@ $(STAGE_OBJS)

# The head (header, 16-bit code, unpacker) as loaded; the C part packed
# after it by asm/stagepack.c, which also sets the header's image_size.
$(BUILD)/gen/stagepack: asm/stagepack.c include/stage_header.h include/stagepack_format.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

$(BUILD)/stage.bin: $(BUILD)/stage.elf $(BUILD)/gen/stagepack
	objcopy -O binary --only-section=.header --only-section=.text16 --only-section=.data16 $< $(BUILD)/stage-head.bin
	objcopy -O binary --only-section=.text --only-section=.rodata --only-section=.data $< $(BUILD)/stage-c.bin
	$(BUILD)/gen/stagepack $(BUILD)/stage-head.bin $(BUILD)/stage-c.bin $@ > $(BUILD)/stage.pack

# --- budgets, printed on every build ---------------------------------------
# The stage's own goal, below the gap's hard limit: 16 KiB with the native
# disk path, the menu and the editor in it.
STAGE_GOAL_BYTES := 16384
budgets: $(BUILD)/mbr.bin $(BUILD)/stage.bin
	@mbr=$$(( 0x$$(awk '$$3 == "code_end" { print $$1 }' $(BUILD)/mbr.map) - 0x600 )); \
	 mbr_test=$$(( 0x$$(awk '$$3 == "code_end" { print $$1 }' $(BUILD)/mbr-test.map) - 0x600 )); \
	 mbr_max=$$(( $$(awk '$$2 == "MBR_PATCH_OFF" { print $$3 }' $(BUILD)/gen/offsets.inc) )); \
	 stage=$$(stat -c %s $(BUILD)/stage.bin); \
	 stage_max=$$(sed -n "s/^STAGE_MAX_BYTES = \(.*\);/\1/p" $(BUILD)/gen/layout.ld); \
	 strings=$$(sed -n "s/^STRINGS_MAX = \(.*\);/\1/p" $(BUILD)/gen/layout.ld); \
	 c=$$(stat -c %s $(BUILD)/stage-c.bin); \
	 packed=$$(sed -n "s/.* packed to \([0-9]*\);.*/\1/p" $(BUILD)/stage.pack); \
	 echo "mbr: $$mbr/$$mbr_max bytes ($$mbr_test with the test hooks), stage: $$stage/$$stage_max bytes, goal $(STAGE_GOAL_BYTES) (C part $$c -> $$packed bytes packed; + the install record's strings, at most $$strings)"; \
	 if [ $$mbr_test -gt $$mbr_max ]; then \
	   echo "mbr: the code is $$mbr bytes, $$mbr_test with the test hooks, over the $$mbr_max below the patch area at 0x1AE (include/mbr.h): make asm/mbr.asm shorter" >&2; exit 1; fi; \
	 if [ $$stage -gt $$stage_max ]; then \
	   echo "stage is $$stage bytes, over the $$stage_max-byte gap of a partition at sector 63: shrink the stage" >&2; exit 1; fi; \
	 if [ $$stage -gt $(STAGE_GOAL_BYTES) ]; then \
	   echo "stage is $$stage bytes, over its $(STAGE_GOAL_BYTES)-byte goal (issue 15: 16 KiB with everything): win the bytes back before adding more" >&2; exit 1; fi

# --- host objects, installer -----------------------------------------------
$(BUILD)/host/%.o: %.c $(BUILD)/gen/offsets.inc
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -c -o $@ $<

$(PAYLOAD_BLOBS): installer/payload/blobs.S $(BUILD)/mbr.bin $(BUILD)/stage.bin
	@mkdir -p $(dir $@)
	$(CC) -c -I$(BUILD) -o $@ $<

bootinst: $(INSTALLER_OBJS)
	$(CC) -o $@ $^ $(HOST_LIBS)

# --- the manual page, bash completion, make install ------------------------
# bootinst(8) is made from the program's own --help and catalog
# (dist/bootinst.8.sh): nothing to keep in step by hand.
$(BUILD)/bootinst.8: bootinst dist/bootinst.8.sh
	@mkdir -p $(dir $@)
	sh dist/bootinst.8.sh ./bootinst > $@

.PHONY: man install uninstall
man: $(BUILD)/bootinst.8

install: bootinst $(BUILD)/bootinst.8
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASH_COMPLETION_DIR)
	install -m 755 bootinst $(DESTDIR)$(BINDIR)/bootinst
	install -m 644 $(BUILD)/bootinst.8 $(DESTDIR)$(MANDIR)/man8/bootinst.8
	install -m 644 dist/bootinst.bash-completion $(DESTDIR)$(BASH_COMPLETION_DIR)/bootinst

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bootinst $(DESTDIR)$(MANDIR)/man8/bootinst.8 \
	      $(DESTDIR)$(BASH_COMPLETION_DIR)/bootinst

# --- unit tests (cmocka): one binary per unit, each lists what it links ----
UNIT_TESTS := ext2 bzimage config diag installer predict check linux_plan record mkimage info
test_ext2_SRCS      := stage1/ext2.c stage1/ext2_map.c stage1/ext2_io.c stage1/diag_format.c tests/unit/image_blockdev.c
test_bzimage_SRCS   := stage1/bzimage.c stage1/diag_format.c
test_config_SRCS    := stage1/config.c stage1/diag_format.c
test_diag_SRCS      := stage1/diag_format.c
test_linux_plan_SRCS := stage1/linux_plan.c stage1/memmap.c stage1/diag_format.c
test_record_SRCS    := stage1/record.c stage1/crc32.c stage1/diag_format.c
# what the check engine needs, all the way down to the stage's readers
ENGINE_SRCS := installer/findings.c installer/report.c $(CHECKS_SRCS) $(PREDICT_SRCS) \
               $(DISK_SRCS) $(PAYLOAD_SRCS) $(PORTABLE_SRCS)
test_installer_SRCS := installer/install.c installer/verbose.c installer/uninstall.c $(COMMIT_SRCS) $(ENGINE_SRCS) \
                       tests/unit/disk_fixture.c
test_check_SRCS     := installer/check.c installer/install.c installer/verbose.c installer/explain.c $(COMMIT_SRCS) \
                       $(ENGINE_SRCS) tests/unit/disk_fixture.c
test_mkimage_SRCS   := $(MKIMAGE_SRCS) tests/unit/disk_fixture.c
test_predict_SRCS   := $(PREDICT_SRCS) installer/disk/image.c installer/disk/partfs.c \
                       installer/disk/probe.c installer/findings.c stage1/diag_format.c \
                       tests/unit/disk_fixture.c
test_info_SRCS      := installer/info.c $(INFO_SRCS) installer/install.c installer/verbose.c $(COMMIT_SRCS) $(ENGINE_SRCS) \
                       tests/unit/disk_fixture.c
test_BLOBS_installer := $(PAYLOAD_BLOBS)
test_BLOBS_check     := $(PAYLOAD_BLOBS)
test_BLOBS_info      := $(PAYLOAD_BLOBS)

define unit_test_rule
$(BUILD)/tests/test_$(1): tests/unit/test_$(1).c $$(patsubst %.c,$(BUILD)/host/%.o,$$(test_$(1)_SRCS)) $$(test_BLOBS_$(1))
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

# the sources' includes and the objects' symbols keep the layers of docs/design.md
architecture: all
	@bash tests/architecture.sh

check: architecture unit e2e

clean:
	rm -rf $(BUILD) bootinst


# --- benchmark: bootinst against GRUB 2, EXTLINUX and QEMU's -kernel ------
.PHONY: bench
bench: all $(BUILD)/probe/sum32
	bash bench/run.sh

# --- fuzzing (tests/fuzz/) -----------------------------------------------
# One target per reader of what a disk or a user hands us: the ext2 reader
# over an in-memory image, bzimage_parse (and the plan made from it),
# config_parse, the install record, and the whole of `bootinst check` over a
# small disk image.  `make fuzz` builds each with clang's libFuzzer, ASan
# and UBSan and runs them one at a time, FUZZ_SECONDS each (tests/fuzz/run.sh);
# `make fuzz-replay` builds the same LLVMFuzzerTestOneInput with gcc and
# tests/fuzz/replay_main.c and runs every seed and committed crash input once
# (tests/fuzz/replay.sh).  Seeds are made by tests/fuzz/make-seeds.sh.
FUZZ_TARGETS  ?= ext2 bzimage config record check
FUZZ_SECONDS  ?= 60
FUZZ_CC       ?= clang
FUZZ_DIR      := $(BUILD)/fuzz
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_DEPS     := $(wildcard stage1/*.h include/*.h installer/*.h installer/*/*.h) $(BUILD)/gen/offsets.inc
fuzz_ext2_SRCS    := stage1/ext2.c stage1/ext2_map.c stage1/ext2_io.c stage1/config_file.c \
                     stage1/config.c stage1/diag_format.c
fuzz_bzimage_SRCS := stage1/bzimage.c stage1/linux_plan.c stage1/memmap.c stage1/diag_format.c
fuzz_config_SRCS  := stage1/config.c stage1/diag_format.c
fuzz_record_SRCS  := stage1/record.c stage1/crc32.c stage1/diag_format.c
fuzz_check_SRCS   := $(ENGINE_SRCS)
fuzz_check_LIBS   := $(PAYLOAD_BLOBS) $(HOST_LIBS)

define fuzz_rule
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS) $$(filter %.o,$$(fuzz_$(1)_LIBS)) $$(FUZZ_DEPS)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(HOST_CFLAGS) -fsanitize=fuzzer $$(FUZZ_SANITIZE) -o $$@ \
		tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS) $$(fuzz_$(1)_LIBS)
$(FUZZ_DIR)/replay_$(1): tests/fuzz/replay_main.c tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS) \
			 $$(filter %.o,$$(fuzz_$(1)_LIBS)) $$(FUZZ_DEPS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(HOST_CFLAGS) $$(FUZZ_SANITIZE) -o $$@ \
		tests/fuzz/replay_main.c tests/fuzz/fuzz_$(1).c $$(fuzz_$(1)_SRCS) $$(fuzz_$(1)_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-replay
fuzz-seeds: bootinst $(BUILD)/stage.bin
	rm -rf $(FUZZ_DIR)/seeds
	bash tests/fuzz/make-seeds.sh $(FUZZ_DIR)/seeds

fuzz-build: $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz_$(t))

fuzz: fuzz-build fuzz-seeds
	@bash tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-replay: $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/replay_$(t)) fuzz-seeds
	@bash tests/fuzz/replay.sh $(FUZZ_DIR) $(FUZZ_TARGETS)

-include $(shell find $(BUILD)/stage $(BUILD)/host -type f -name '*.d' 2>/dev/null)
