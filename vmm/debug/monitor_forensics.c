/* `monitor why` and `monitor history`: the triple-fault forensics of vmm/forensics/
 * for the selected vCPU, at any stop (after a SIGSEGV stop it explains the fault;
 * elsewhere it checks the tables the next exception would need). */
#include <errno.h>
#include <string.h>

#include "vmm/debug/monitor_priv.h"
#include "vmm/forensics/forensics.h"

#define HISTORY_DEFAULT 64

int monitor_cmd_why(struct mon_ctx *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return forensics_report(c->v, c->out);
}

int monitor_cmd_history(struct mon_ctx *c, int argc, char **argv)
{
    struct history *h = &c->v->hist;
    if (argc == 1) {
        history_print(h, 0, c->out);
        return 0;
    }
    if (strcmp(argv[1], "off") == 0 && argc == 2) {
        history_stop(h);
        strbuf_printf(c->out, "history: off on vCPU %d (%u kept)\n", c->cpu, h->count);
        return 0;
    }
    uint64_t n = HISTORY_DEFAULT;
    if (strcmp(argv[1], "on") != 0 ||
        (argc == 3 && (monitor_parse_u64(argv[2], &n) < 0 || n == 0 || n > HISTORY_MAX))) {
        strbuf_printf(c->out, "history: usage: history [on [N] | off], N from 1 to %u\n",
                      HISTORY_MAX);
        return -EINVAL;
    }
    int rc = history_start(h, (unsigned)n);
    if (rc < 0) {
        strbuf_printf(c->out, "history: %s\n", strerror(-rc));
        return rc;
    }
    history_record_now(c->v);
    strbuf_printf(c->out,
                  "history: on for vCPU %d, keeping the last %u instructions (each one a "
                  "single step inside the VMM: the guest runs slower)\n",
                  c->cpu, h->cap);
    return 0;
}
