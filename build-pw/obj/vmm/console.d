build-pw/obj/vmm/console.o: vmm/console.c vmm/console.h
vmm/console.h:
