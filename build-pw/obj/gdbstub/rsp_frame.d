build-pw/obj/gdbstub/rsp_frame.o: gdbstub/rsp_frame.c gdbstub/rsp.h \
 gdbstub/gdbstub.h gdbstub/strbuf.h gdbstub/x86_regs.h
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
