/* A 32-bit C kernel for gdb's range stepping (tests/gdb/rangestep.sh, the range
 * bench): `next` over one-line loops (30 and 10,000 iterations), one with a call
 * inside, one with a breakpoint inside, and one that spins until gdb clears `spin`
 * (Ctrl-C lands inside the range). c32's entry.S starts it and hands kmain's return
 * value (5) to port 0xf4. Built like guests/c32 (-O0 -g); the RS-* tags name lines
 * for the tests. */

volatile int spin = 1; /* the spin loop's condition: gdb clears it */
int total;

int twice(int v)
{
    return 2 * v;
}

int loop_sum(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) s += i; /* RS-LOOP */
    return s;                           /* RS-AFTER-LOOP */
}

int kmain(void)
{
    total = loop_sum(30);                        /* RS-CALL-SMALL */
    total += loop_sum(10000);                    /* RS-CALL-BIG */
    int b = 0;                                   /* RS-AFTER-CALL-BIG */
    for (int i = 0; i < 20; i++) b += twice(i);  /* RS-CALL-LOOP */
    total += b;                                  /* RS-AFTER-CALL-LOOP */
    for (int i = 0; i < 50; i++) total ^= i * 3; /* RS-BREAK-LOOP */
    total += 1;                                  /* RS-AFTER-BREAK-LOOP */
    while (spin) total++;                        /* RS-SPIN */
    return total != 0 ? 5 : 6;                   /* RS-AFTER-SPIN */
}
