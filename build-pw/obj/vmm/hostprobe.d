build-pw/obj/vmm/hostprobe.o: vmm/hostprobe.c vmm/hostprobe.h vmm/vm.h \
 vmm/x86.h loader/boot_plan.h
vmm/hostprobe.h:
vmm/vm.h:
vmm/x86.h:
loader/boot_plan.h:
