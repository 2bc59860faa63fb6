build-pw/obj/vmm/hostprobe_print.o: vmm/hostprobe_print.c vmm/hostprobe.h
vmm/hostprobe.h:
