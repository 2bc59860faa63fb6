build-pw/obj/vmm/dump.o: vmm/dump.c vmm/vcpu.h loader/boot_plan.h \
 vmm/x86.h
vmm/vcpu.h:
loader/boot_plan.h:
vmm/x86.h:
