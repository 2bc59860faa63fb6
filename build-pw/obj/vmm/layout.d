build-pw/obj/vmm/layout.o: vmm/layout.c vmm/layout.h loader/boot_plan.h \
 vmm/x86.h
vmm/layout.h:
loader/boot_plan.h:
vmm/x86.h:
