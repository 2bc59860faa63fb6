build-gs/tests/unit/test_gdbstub_frame: tests/unit/test_gdbstub_frame.c \
 tests/unit/check.h gdbstub/rsp_priv.h gdbstub/rsp.h gdbstub/gdbstub.h \
 gdbstub/strbuf.h gdbstub/x86_regs.h
tests/unit/check.h:
gdbstub/rsp_priv.h:
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
