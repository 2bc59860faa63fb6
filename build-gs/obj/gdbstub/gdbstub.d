build-gs/obj/gdbstub/gdbstub.o: gdbstub/gdbstub.c gdbstub/gdbstub_priv.h \
 gdbstub/gdbstub.h gdbstub/strbuf.h gdbstub/x86_regs.h gdbstub/rsp.h
gdbstub/gdbstub_priv.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
gdbstub/rsp.h:
