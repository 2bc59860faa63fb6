build-pw/obj/gdbstub/rsp_resume.o: gdbstub/rsp_resume.c \
 gdbstub/rsp_priv.h gdbstub/rsp.h gdbstub/gdbstub.h gdbstub/strbuf.h \
 gdbstub/x86_regs.h
gdbstub/rsp_priv.h:
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
