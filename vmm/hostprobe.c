#include "vmm/hostprobe.h"

int hostprobe_run(struct hostprobe *p)
{
    p->done = false;
    return 0;
}

bool hostprobe_yes(const struct hostprobe *p, enum probe_row r)
{
    return p->done && p->row[r] == PROBE_YES;
}

void hostprobe_print(const struct hostprobe *p, FILE *f)
{
    (void)p;
    fprintf(f, "probe: not yet\n");
}
