build-pw/obj/vmm/exitstats.o: vmm/exitstats.c vmm/exitstats.h
vmm/exitstats.h:
