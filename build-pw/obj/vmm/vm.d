build-pw/obj/vmm/vm.o: vmm/vm.c vmm/vm.h
vmm/vm.h:
