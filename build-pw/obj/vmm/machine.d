build-pw/obj/vmm/machine.o: vmm/machine.c vmm/machine.h vmm/console.h \
 vmm/devices/uart8250.h vmm/exitstats.h vmm/hostprobe.h vmm/pio.h \
 vmm/vcpu.h loader/boot_plan.h vmm/x86.h vmm/vm.h vmm/debug.h vmm/exits.h
vmm/machine.h:
vmm/console.h:
vmm/devices/uart8250.h:
vmm/exitstats.h:
vmm/hostprobe.h:
vmm/pio.h:
vmm/vcpu.h:
loader/boot_plan.h:
vmm/x86.h:
vmm/vm.h:
vmm/debug.h:
vmm/exits.h:
