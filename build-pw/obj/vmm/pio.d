build-pw/obj/vmm/pio.o: vmm/pio.c vmm/pio.h
vmm/pio.h:
