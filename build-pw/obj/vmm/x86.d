build-pw/obj/vmm/x86.o: vmm/x86.c vmm/x86.h loader/boot_plan.h vmm/vm.h
vmm/x86.h:
loader/boot_plan.h:
vmm/vm.h:
