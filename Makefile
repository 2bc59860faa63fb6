# mini-kvm build. Everything lands in $(BUILD) (default build/); -MMD tracks headers.
# `make` builds the VMM and every guest; `make test` runs the whole suite;
# `make check-asan` runs it again against an ASan+UBSan build in build-asan/.

BUILD   ?= build
CC      ?= cc
# What a command line may set: OPT (optimisation and debug info), SAN (sanitizers,
# set by check-asan), and CFLAGS/LDFLAGS for extras. The language, warning and
# dependency flags are `override`s that a command-line CFLAGS= cannot strip; every
# compile line gets all of them (ALL_CFLAGS).
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  ?=
override C_STD       := -std=gnu11
override WARN_CFLAGS := -Wall -Wextra -Wshadow -Wno-unused-parameter
override DEP_CFLAGS  := -MMD -MP
override ALL_CFLAGS   = $(C_STD) $(WARN_CFLAGS) $(DEP_CFLAGS) $(OPT) $(SAN) $(CFLAGS)
override ALL_LDFLAGS  = $(SAN) $(LDFLAGS)
CPPFLAGS += -I.
LDLIBS  += -lpthread

# Modules with no KVM dependency: linked into vmm and into the unit tests.
# vmm/x86/ is the KVM-free architecture code; cli.c parses flags only; probecache*.c
# is the probe cache's key and file format; slots.c lays memslots out; util.c
# has util.h's helpers.
VMM_DIRS := vmm vmm/bios vmm/debug vmm/devices vmm/forensics vmm/linux vmm/probe
CORE_VMM := $(wildcard vmm/x86/*.c) vmm/cli.c vmm/slots.c vmm/util.c $(wildcard vmm/probe/probecache*.c)
CORE_SRC := $(wildcard loader/*.c) $(wildcard gdbstub/*.c) $(CORE_VMM)
VMM_SRC  := $(filter-out $(CORE_VMM),$(foreach d,$(VMM_DIRS),$(wildcard $(d)/*.c)))
VMM_ASM  := $(foreach d,$(VMM_DIRS),$(wildcard $(d)/*.S))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
VMM_OBJ  := $(VMM_SRC:%.c=$(BUILD)/obj/%.o) $(VMM_ASM:%.S=$(BUILD)/obj/%.o)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

# Guests: guests/<kind>/<name>.S, linked with guests/<kind>/link.ld.
#   real/, special/, bench/ -> flat binaries entered at 0000:7C00
#   protected/      -> ELF32, long/ -> ELF64
#   boot/           -> boot sectors (flat, 0x7c00) with an ELF32 twin, NAME.sym.elf
#   c32/            -> k32.elf, a 32-bit kernel in C (entry.S + *.c, gcc -m32)
GUEST_FLAT  := $(patsubst guests/%.S,$(BUILD)/guests/%.bin,$(wildcard guests/real/*.S guests/special/*.S guests/bench/*.S))
GUEST_ELF32 := $(patsubst guests/%.S,$(BUILD)/guests/%.elf,$(wildcard guests/protected/*.S))
GUEST_ELF64 := $(patsubst guests/%.S,$(BUILD)/guests/%.elf,$(wildcard guests/long/*.S))
GUEST_BOOT  := $(patsubst guests/%.S,$(BUILD)/guests/%.bin,$(wildcard guests/boot/*.S))
GUEST_C32   := $(BUILD)/guests/c32/k32.elf
GUEST_BIOS  := $(patsubst guests/%.S,$(BUILD)/guests/%.bin,$(wildcard guests/bios/*.S))
GUEST_MB    := $(BUILD)/guests/multiboot/kernel.elf $(BUILD)/guests/multiboot/kernel-dyn.elf \
               $(BUILD)/guests/multiboot/aout.bin
GUEST_C32R  := $(BUILD)/guests/c32range/range.elf $(BUILD)/guests/c32watch/watch.elf
GUESTS      := $(GUEST_FLAT) $(GUEST_ELF32) $(GUEST_ELF64) $(GUEST_BOOT) $(GUEST_C32) $(GUEST_C32R) \
               $(GUEST_BIOS) $(GUEST_MB)

# Second expansion: a flat guest's link script depends on its directory.
.SECONDEXPANSION:

.PHONY: all test check-asan bench clean unit guests linux-assets format format-check
all: $(BUILD)/vmm guests unit

guests: $(GUESTS)
unit: $(UNIT_BIN)

$(BUILD)/vmm: $(VMM_OBJ) $(BUILD)/libcore.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Depends on the Makefile too: moving a file between CORE and VMM must rebuild it.
$(BUILD)/libcore.a: $(CORE_OBJ) Makefile
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $(CORE_OBJ)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEP_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libcore.a $(LDLIBS)

$(BUILD)/guests/%.o: guests/%.S $(wildcard guests/include/*.inc)
	@mkdir -p $(@D)
	$(CC) -c $(GUEST_ASFLAGS) -nostdinc -Iguests/include -o $@ $<

$(BUILD)/guests/protected/%.o: GUEST_ASFLAGS = -m32
$(BUILD)/guests/boot/%.o: GUEST_ASFLAGS = -m32
$(BUILD)/guests/c32/%.o: GUEST_ASFLAGS = -m32
$(BUILD)/guests/bios/%.o: GUEST_ASFLAGS = -m32
$(BUILD)/guests/multiboot/%.o: GUEST_ASFLAGS = -m32

# Flat guests also get an ELF twin with the same addresses, for gdb's symbol-file.
$(GUEST_FLAT): $(BUILD)/guests/%.bin: $(BUILD)/guests/%.o guests/$$(firstword $$(subst /, ,$$*))/link.ld
	ld -m elf_x86_64 -T guests/$(firstword $(subst /, ,$*))/link.ld --oformat binary -o $@ $(BUILD)/guests/$*.o
	ld -m elf_x86_64 -T guests/$(firstword $(subst /, ,$*))/link.ld -o $(@:.bin=.sym.elf) $(BUILD)/guests/$*.o

$(GUEST_ELF32): $(BUILD)/guests/%.elf: $(BUILD)/guests/%.o guests/protected/link.ld
	ld -m elf_i386 -T guests/protected/link.ld -o $@ $(BUILD)/guests/$*.o

# Boot sectors are 16-bit code in an ELF32 object: the flat image and its ELF32 twin.
$(GUEST_BOOT): $(BUILD)/guests/%.bin: $(BUILD)/guests/%.o guests/boot/link.ld
	ld -m elf_i386 -T guests/boot/link.ld --oformat binary -o $@ $(BUILD)/guests/$*.o
	ld -m elf_i386 -T guests/boot/link.ld -o $(@:.bin=.sym.elf) $(BUILD)/guests/$*.o

# The C kernel is built as people build theirs: freestanding, no PIE, no libc, -O0 -g.
C32_CFLAGS := -m32 -ffreestanding -fno-pie -O0 -g -fno-stack-protector -nostdlib
C32_OBJ    := $(BUILD)/guests/c32/entry.o \
              $(patsubst guests/%.c,$(BUILD)/guests/%.o,$(wildcard guests/c32/*.c))
$(BUILD)/guests/c32/%.o: guests/c32/%.c
	@mkdir -p $(@D)
	$(CC) $(C32_CFLAGS) -c -o $@ $<

$(GUEST_C32): $(C32_OBJ) guests/c32/link.ld
	ld -m elf_i386 -T guests/c32/link.ld -o $@ $(C32_OBJ)

# More C kernels on c32's entry and link script, each one file:
# guests/c32range/range.c (range stepping), guests/c32watch/watch.c (watchpoints).
C32X_OBJ := $(BUILD)/guests/c32range/range.o $(BUILD)/guests/c32watch/watch.o
$(C32X_OBJ): $(BUILD)/guests/%.o: guests/%.c
	@mkdir -p $(@D)
	$(CC) $(C32_CFLAGS) -c -o $@ $<

$(C32X_OBJ:.o=.elf): %.elf: %.o $(BUILD)/guests/c32/entry.o guests/c32/link.ld
	ld -m elf_i386 -T guests/c32/link.ld -o $@ $(BUILD)/guests/c32/entry.o $*.o

# BIOS guests are disk images (vmm --disk NAME.bin): sector 0 boots, the rest is
# read by the guest with int 13h; the ELF32 twin has the symbols.
$(GUEST_BIOS): $(BUILD)/guests/%.bin: $(BUILD)/guests/%.o guests/bios/link.ld
	ld -m elf_i386 -T guests/bios/link.ld --oformat binary -o $@ $(BUILD)/guests/$*.o
	ld -m elf_i386 -T guests/bios/link.ld -o $(@:.bin=.sym.elf) $(BUILD)/guests/$*.o

# The multiboot kernel in C, built as tutorials build theirs; kernel-dyn.elf is the
# same objects linked the way a host gcc links by default (PT_INTERP, PT_DYNAMIC),
# which GRUB loads anyway; aout.bin is a flat kernel with the a.out kludge.
MB_OBJ := $(BUILD)/guests/multiboot/boot.o $(BUILD)/guests/multiboot/kmain.o
$(BUILD)/guests/multiboot/kmain.o: guests/multiboot/kmain.c
	@mkdir -p $(@D)
	$(CC) $(C32_CFLAGS) -c -o $@ $<
$(BUILD)/guests/multiboot/kernel.elf: $(MB_OBJ) guests/multiboot/link.ld
	ld -m elf_i386 -T guests/multiboot/link.ld -o $@ $(MB_OBJ)
$(BUILD)/guests/multiboot/kernel-dyn.elf: $(MB_OBJ) guests/multiboot/link.ld
	ld -m elf_i386 -T guests/multiboot/link.ld -pie -z notext \
		--dynamic-linker=/lib/ld-linux.so.2 -o $@ $(MB_OBJ)
$(BUILD)/guests/multiboot/aout.bin: $(BUILD)/guests/multiboot/aout.o guests/multiboot/aout.ld
	ld -m elf_i386 -T guests/multiboot/aout.ld --oformat binary -o $@ $<

$(GUEST_ELF64): $(BUILD)/guests/%.elf: $(BUILD)/guests/%.o guests/long/link.ld
	ld -m elf_x86_64 -T guests/long/link.ld -o $@ $(BUILD)/guests/$*.o

# The Linux boot tests need the test kernel and initramfs. Building the kernel takes
# minutes (then it is cached in build/linux for every build tree), longer than one
# test may run, so it happens here; if it cannot, the Linux tests say so loudly.
linux-assets:
	-linux-boot/build-kernel.sh && linux-boot/mkinitramfs.sh
	-linux-boot/fetch-debian-kernel.sh --vmlinux

test: all linux-assets
	BUILD=$(BUILD) tests/run-all.sh

# The sanitizers look at the VMM, not at minutes of emulated Linux: the stock
# Debian kernel's long boot runs in `make test` only.
# The build is checked first: every C object of every module must carry the
# sanitizers' calls (tests/check-sanitized.sh), so a flag that never reaches the
# compiler fails here instead of passing silently.
ASAN_MAKE := $(MAKE) BUILD=build-asan OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
check-asan:
	+$(ASAN_MAKE) all
	tests/check-sanitized.sh build-asan
	+LINUX_SLOW_TESTS=0 $(ASAN_MAKE) test

bench: all
	BUILD=$(BUILD) tests/bench/run.sh
	BUILD=$(BUILD) tests/bench/history.sh

# The C sources against .clang-format (CI runs format-check); format rewrites them.
format-check:
	tests/format-check.sh

format:
	tests/format-check.sh --fix

clean:
	rm -rf build build-asan

# The teaching OS builds from its own fragment (os-1k/os-1k.mk); fuzzing and
# valgrind targets live in tests/fuzz/fuzz.mk.
-include os-1k/os-1k.mk
-include tests/fuzz/fuzz.mk

-include $(VMM_OBJ:.o=.d) $(CORE_OBJ:.o=.d) $(UNIT_BIN:=.d)
