build-pw/obj/gdbstub/rsp_regs_mem.o: gdbstub/rsp_regs_mem.c \
 gdbstub/rsp_priv.h gdbstub/rsp.h gdbstub/gdbstub.h gdbstub/strbuf.h \
 gdbstub/x86_regs.h
gdbstub/rsp_priv.h:
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
