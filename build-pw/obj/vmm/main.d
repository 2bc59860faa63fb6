build-pw/obj/vmm/main.o: vmm/main.c loader/boot_plan.h vmm/cli.h \
 vmm/debug.h vmm/exits.h vmm/devices/hypercall.h vmm/layout.h vmm/x86.h \
 vmm/machine.h vmm/console.h vmm/devices/uart8250.h vmm/exitstats.h \
 vmm/hostprobe.h vmm/pio.h vmm/vcpu.h vmm/vm.h
loader/boot_plan.h:
vmm/cli.h:
vmm/debug.h:
vmm/exits.h:
vmm/devices/hypercall.h:
vmm/layout.h:
vmm/x86.h:
vmm/machine.h:
vmm/console.h:
vmm/devices/uart8250.h:
vmm/exitstats.h:
vmm/hostprobe.h:
vmm/pio.h:
vmm/vcpu.h:
vmm/vm.h:
