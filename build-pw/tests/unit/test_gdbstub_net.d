build-pw/tests/unit/test_gdbstub_net: tests/unit/test_gdbstub_net.c \
 tests/unit/check.h gdbstub/gdbstub.h gdbstub/strbuf.h gdbstub/x86_regs.h \
 tests/unit/fake_target.h tests/unit/rsp_client.h
tests/unit/check.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
tests/unit/fake_target.h:
tests/unit/rsp_client.h:
