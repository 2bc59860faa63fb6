build-pw/obj/vmm/exits.o: vmm/exits.c vmm/exits.h vmm/machine.h \
 vmm/console.h vmm/devices/uart8250.h vmm/exitstats.h vmm/hostprobe.h \
 vmm/pio.h vmm/vcpu.h loader/boot_plan.h vmm/x86.h vmm/vm.h
vmm/exits.h:
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
