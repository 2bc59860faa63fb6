build-pw/obj/vmm/monitor_tables.o: vmm/monitor_tables.c \
 vmm/monitor_priv.h gdbstub/strbuf.h vmm/machine.h vmm/console.h \
 vmm/devices/uart8250.h vmm/exitstats.h vmm/hostprobe.h vmm/pio.h \
 vmm/vcpu.h loader/boot_plan.h vmm/x86.h vmm/vm.h vmm/pagewalk.h
vmm/monitor_priv.h:
gdbstub/strbuf.h:
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
vmm/pagewalk.h:
