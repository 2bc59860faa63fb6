build-pw/obj/vmm/vcpu.o: vmm/vcpu.c vmm/vcpu.h loader/boot_plan.h \
 vmm/x86.h vmm/cpuid.h vmm/debug.h vmm/exits.h vmm/machine.h \
 vmm/console.h vmm/devices/uart8250.h vmm/exitstats.h vmm/hostprobe.h \
 vmm/pio.h vmm/vm.h
vmm/vcpu.h:
loader/boot_plan.h:
vmm/x86.h:
vmm/cpuid.h:
vmm/debug.h:
vmm/exits.h:
vmm/machine.h:
vmm/console.h:
vmm/devices/uart8250.h:
vmm/exitstats.h:
vmm/hostprobe.h:
vmm/pio.h:
vmm/vm.h:
