build-pw/obj/loader/loader.o: loader/loader.c loader/loader_priv.h \
 loader/boot_plan.h
loader/loader_priv.h:
loader/boot_plan.h:
