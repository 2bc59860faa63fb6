build-gs/obj/vmm/cli.o: vmm/cli.c vmm/cli.h loader/boot_plan.h
vmm/cli.h:
loader/boot_plan.h:
