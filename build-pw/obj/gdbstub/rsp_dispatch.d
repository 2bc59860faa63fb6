build-pw/obj/gdbstub/rsp_dispatch.o: gdbstub/rsp_dispatch.c \
 gdbstub/rsp_priv.h gdbstub/rsp.h gdbstub/gdbstub.h gdbstub/strbuf.h \
 gdbstub/x86_regs.h
gdbstub/rsp_priv.h:
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
