/* The user programs' view of the kernel: system-call wrappers (user.c). */
#pragma once
#include "common.h"

int getchar(void);
__attribute__((noreturn)) void exit(int status);
int readfile(const char *name, char *buf, int len);
int writefile(const char *name, const char *buf, int len);
void yield(void);
uint64_t uptime(void);
int listfile(int index, char *name, int len);
int spawn(int prog);

/* shell.c: the program the image's entry runs for PROG (PROG_* in common.h) */
int program_main(int prog);
