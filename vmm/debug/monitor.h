/* gdb `monitor` commands (qRcmd), answered from the stopped machine. */
#ifndef MINIKVM_MONITOR_H
#define MINIKVM_MONITOR_H

#include "gdbstub/strbuf.h"

struct machine;

/* cpu: the vCPU gdb has selected (Hg). 0, -ENOENT for an unknown command (out then
 * holds a one-line reason), or -errno. */
int monitor_run(struct machine *m, int cpu, const char *cmd, struct strbuf *out);

#endif
