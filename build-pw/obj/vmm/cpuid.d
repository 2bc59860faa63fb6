build-pw/obj/vmm/cpuid.o: vmm/cpuid.c vmm/cpuid.h vmm/hostprobe.h
vmm/cpuid.h:
vmm/hostprobe.h:
