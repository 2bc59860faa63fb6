build-pw/obj/vmm/devices/uart8250.o: vmm/devices/uart8250.c \
 vmm/devices/uart8250.h vmm/console.h vmm/pio.h vmm/vcpu.h \
 loader/boot_plan.h vmm/x86.h vmm/vm.h
vmm/devices/uart8250.h:
vmm/console.h:
vmm/pio.h:
vmm/vcpu.h:
loader/boot_plan.h:
vmm/x86.h:
vmm/vm.h:
