/* timerun: wall time of whole processes, for tests/bench/run.sh.
 *
 *   timerun [-n RUNS] [-s STATUS] [-t SECONDS] [-o OUT] [-e ERR] -- PROG ARG...
 *
 * Runs PROG RUNS times (default 1), one after the other, stdin from /dev/null,
 * stdout to OUT and stderr to ERR (default /dev/null; each run overwrites them),
 * and prints one line "MEDIAN MIN MAX" in milliseconds. The clock starts in the
 * child just before execve, so fork costs are not counted, and stops when waitpid
 * reports the exit, so teardown is. Every run must exit with STATUS (default 0)
 * within SECONDS (default 60, enforced by an alarm that survives execve);
 * otherwise timerun says which run failed and how, and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

struct opts {
    int runs, status;
    unsigned timeout_s;
    const char *out, *err;
    char **argv;
};

static double ts_ms(const struct timespec *t)
{
    return (double)t->tv_sec * 1e3 + (double)t->tv_nsec / 1e6;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -EINVAL;
    *out = (int)v;
    return 0;
}

static int opts_parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){
        .runs = 1, .status = 0, .timeout_s = 60, .out = "/dev/null", .err = "/dev/null"
    };
    int i, t = 60;
    for (i = 1; i + 1 < argc && strcmp(argv[i], "--"); i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        int rc = 0;
        if (!strcmp(a, "-n"))
            rc = parse_int(v, 1, MAX_RUNS, &o->runs);
        else if (!strcmp(a, "-s"))
            rc = parse_int(v, 0, 255, &o->status);
        else if (!strcmp(a, "-t"))
            rc = parse_int(v, 1, 3600, &t);
        else if (!strcmp(a, "-o"))
            o->out = v;
        else if (!strcmp(a, "-e"))
            o->err = v;
        else
            rc = -EINVAL;
        if (rc < 0)
            return rc;
    }
    if (i + 1 >= argc || strcmp(argv[i], "--"))
        return -EINVAL;
    o->timeout_s = (unsigned)t;
    o->argv = argv + i + 1;
    return 0;
}

/* Child side: never returns. *start gets the time just before execve. */
static void child_exec(const struct opts *o, struct timespec *start)
{
    int in = open("/dev/null", O_RDONLY);
    int out = open(o->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(o->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(127);
    alarm(o->timeout_s);
    clock_gettime(CLOCK_MONOTONIC, start);
    execvp(o->argv[0], o->argv);
    _exit(127);
}

/* One timed run; 0 and *ms, or -1 after saying what went wrong. */
static int run_once(const struct opts *o, int k, struct timespec *start, double *ms)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("timerun: fork");
        return -1;
    }
    if (pid == 0)
        child_exec(o, start);
    int ws;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            perror("timerun: waitpid");
            return -1;
        }
    }
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    *ms = ts_ms(&end) - ts_ms(start);
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == o->status)
        return 0;
    if (WIFSIGNALED(ws))
        fprintf(stderr, "timerun: run %d of %s: killed by signal %d%s\n", k + 1, o->argv[0],
                WTERMSIG(ws), WTERMSIG(ws) == SIGALRM ? " (timeout)" : "");
    else
        fprintf(stderr, "timerun: run %d of %s: exit status %d, expected %d%s\n", k + 1, o->argv[0],
                WEXITSTATUS(ws), o->status, WEXITSTATUS(ws) == 127 ? " (could not start?)" : "");
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    struct opts o;
    if (opts_parse(argc, argv, &o) < 0) {
        fprintf(
            stderr,
            "usage: timerun [-n RUNS] [-s STATUS] [-t SECONDS] [-o OUT] [-e ERR] -- PROG ARG...\n");
        return 2;
    }
    /* Shared with the child so that the start stamp is taken after fork. */
    struct timespec *start =
        mmap(NULL, sizeof(*start), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    double *ms = calloc((size_t)o.runs, sizeof(*ms));
    if (start == MAP_FAILED || !ms) {
        fprintf(stderr, "timerun: out of memory\n");
        free(ms);
        return 1;
    }
    for (int k = 0; k < o.runs; k++)
        if (run_once(&o, k, start, &ms[k]) < 0) {
            free(ms);
            return 1;
        }
    qsort(ms, (size_t)o.runs, sizeof(*ms), cmp_double);
    int h = o.runs / 2;
    double median = o.runs % 2 ? ms[h] : (ms[h - 1] + ms[h]) / 2;
    printf("%.3f %.3f %.3f\n", median, ms[0], ms[o.runs - 1]);
    free(ms);
    return 0;
}
