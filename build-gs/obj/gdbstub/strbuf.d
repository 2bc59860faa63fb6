build-gs/obj/gdbstub/strbuf.o: gdbstub/strbuf.c gdbstub/strbuf.h
gdbstub/strbuf.h:
