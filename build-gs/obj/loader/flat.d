build-gs/obj/loader/flat.o: loader/flat.c loader/loader_priv.h \
 loader/boot_plan.h
loader/loader_priv.h:
loader/boot_plan.h:
