build-gs/obj/vmm/pagewalk.o: vmm/pagewalk.c vmm/pagewalk.h
vmm/pagewalk.h:
