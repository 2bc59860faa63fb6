build-gs/obj/loader/elf.o: loader/elf.c loader/loader_priv.h \
 loader/boot_plan.h
loader/loader_priv.h:
loader/boot_plan.h:
