build-pw/obj/gdbstub/x86_regs.o: gdbstub/x86_regs.c gdbstub/x86_regs.h \
 gdbstub/strbuf.h
gdbstub/x86_regs.h:
gdbstub/strbuf.h:
