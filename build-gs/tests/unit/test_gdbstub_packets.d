build-gs/tests/unit/test_gdbstub_packets: \
 tests/unit/test_gdbstub_packets.c tests/unit/check.h gdbstub/rsp.h \
 gdbstub/gdbstub.h gdbstub/strbuf.h gdbstub/x86_regs.h \
 tests/unit/fake_target.h
tests/unit/check.h:
gdbstub/rsp.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
tests/unit/fake_target.h:
