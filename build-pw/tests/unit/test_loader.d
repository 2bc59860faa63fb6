build-pw/tests/unit/test_loader: tests/unit/test_loader.c \
 loader/boot_plan.h tests/unit/check.h
loader/boot_plan.h:
tests/unit/check.h:
