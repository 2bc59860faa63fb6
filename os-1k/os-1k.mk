# os-1k: the teaching OS, built with the host compiler as a freestanding x86-64
# kernel with full debug information. Included by the main Makefile.
#   make os1k    build/os-1k/{kernel.elf,shell.elf,disk.tar}
#   make run     boot to the shell (disk: build/os-1k/disk-run.tar, kept across runs)
#   make debug   the same, waiting for gdb on GDBPORT (1234)

OS1K     := $(BUILD)/os-1k
GDBPORT  ?= 1234
# -Og: code that gdb's next/step/print follow line by line. Ring 0 must avoid SSE
# (no state is saved) and the red zone (interrupts push onto the same stack).
# No unwind tables: -g then puts the CFI in .debug_frame, which gdb reads.
OS1K_CFLAGS := $(C_STD) -Og -g $(WARN_CFLAGS) -ffreestanding -fno-stack-protector \
	-fno-pie -mcmodel=small -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none $(DEP_CFLAGS)
OS1K_LD  := ld -m elf_x86_64 -nostdlib --no-dynamic-linker -static -z noexecstack

OS1K_KERNEL_OBJ := $(addprefix $(OS1K)/,boot.o kernel.o cpu.o memory.o fs.o common.o shell_image.o)
OS1K_USER_OBJ   := $(addprefix $(OS1K)/,user.o shell.o common.o)
OS1K_DISK_FILES := $(sort $(wildcard os-1k/disk/*.txt))

.PHONY: os1k run debug
all: os1k
os1k: $(OS1K)/kernel.elf $(OS1K)/shell.elf $(OS1K)/disk.tar

$(OS1K)/%.o: os-1k/%.c
	@mkdir -p $(@D)
	$(CC) $(OS1K_CFLAGS) -c -o $@ $<

$(OS1K)/boot.o: os-1k/boot.S
	@mkdir -p $(@D)
	$(CC) $(OS1K_CFLAGS) -c -o $@ $<

$(OS1K)/shell_image.o: os-1k/shell_image.S $(OS1K)/shell.bin
	$(CC) $(OS1K_CFLAGS) -DSHELL_BIN='"$(OS1K)/shell.bin"' -c -o $@ $<

$(OS1K)/shell.elf: $(OS1K_USER_OBJ) os-1k/user.ld
	$(OS1K_LD) -T os-1k/user.ld -o $@ $(OS1K_USER_OBJ)

# The flat image the kernel copies to USER_BASE; .bss goes in as zeros.
$(OS1K)/shell.bin: $(OS1K)/shell.elf
	objcopy --set-section-flags .bss=alloc,contents -O binary $< $@

$(OS1K)/kernel.elf: $(OS1K_KERNEL_OBJ) os-1k/kernel.ld
	$(OS1K_LD) -T os-1k/kernel.ld -o $@ $(OS1K_KERNEL_OBJ)

# A fresh ustar archive of os-1k/disk/*.txt, padded to the 16 KiB the kernel's
# file system uses (DISK_MAX in kernel.h).
$(OS1K)/disk.tar: $(OS1K_DISK_FILES) os-1k/os-1k.mk
	@mkdir -p $(@D)
	tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=0644 \
		-cf $@.tmp -C os-1k/disk $(notdir $(OS1K_DISK_FILES))
	truncate -s 16K $@.tmp
	mv $@.tmp $@

# make run writes to its own copy, kept between runs so that writefile survives a
# reboot; delete it for a fresh disk.
$(OS1K)/disk-run.tar: | $(OS1K)/disk.tar
	cp $(OS1K)/disk.tar $@

run: $(BUILD)/vmm os1k $(OS1K)/disk-run.tar
	$(BUILD)/vmm --irqchip --disk $(OS1K)/disk-run.tar $(OS1K)/kernel.elf

debug: $(BUILD)/vmm os1k $(OS1K)/disk-run.tar
	@echo "waiting for gdb on port $(GDBPORT); in another terminal:"
	@echo "    gdb$(if $(filter-out 1234,$(GDBPORT)), -ex 'set \$$os1k_port = $(GDBPORT)')$(if $(filter-out build,$(BUILD)), -ex 'set \$$os1k_dir = \"$(OS1K)\"') -x gdbinit/os-1k.py"
	$(BUILD)/vmm --irqchip --gdb $(GDBPORT) --disk $(OS1K)/disk-run.tar $(OS1K)/kernel.elf

-include $(OS1K_KERNEL_OBJ:.o=.d) $(OS1K)/user.d $(OS1K)/shell.d
