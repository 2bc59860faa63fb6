build-pw/obj/vmm/devices/hypercall.o: vmm/devices/hypercall.c \
 vmm/devices/hypercall.h vmm/machine.h vmm/console.h \
 vmm/devices/uart8250.h vmm/exitstats.h vmm/hostprobe.h vmm/pio.h \
 vmm/vcpu.h loader/boot_plan.h vmm/x86.h vmm/vm.h
vmm/devices/hypercall.h:
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
