build-pw/tests/unit/test_pagewalk: tests/unit/test_pagewalk.c \
 vmm/pagewalk.h tests/unit/check.h
vmm/pagewalk.h:
tests/unit/check.h:
