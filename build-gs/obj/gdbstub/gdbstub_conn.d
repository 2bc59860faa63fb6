build-gs/obj/gdbstub/gdbstub_conn.o: gdbstub/gdbstub_conn.c \
 gdbstub/gdbstub_priv.h gdbstub/gdbstub.h gdbstub/strbuf.h \
 gdbstub/x86_regs.h gdbstub/rsp.h
gdbstub/gdbstub_priv.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
gdbstub/rsp.h:
