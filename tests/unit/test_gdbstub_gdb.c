/* The stub against the real gdb (batch mode) with the fake target behind it:
 * proves that gdb accepts target.xml (no "'g' packet reply is too long"), reads
 * and writes registers and memory, steps, stops at software and hardware
 * breakpoints, lists threads, runs monitor commands, detaches, reconnects, is
 * refused politely as a second debugger, sees a guest exit and kills.
 * Without gdb installed the checks are reported as skipped. */
#include "tests/unit/check.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "gdbstub/gdbstub.h"
#include "tests/unit/fake_target.h"
#include "tests/unit/rsp_client.h"
#include "vmm/util.h"

#define GDB_LIMIT_S 60

struct grig {
    struct fake_target ft;
    struct gdbstub *s;
    int result;
    pthread_t thread;
    char dir[64];
};

static void *run(void *arg)
{
    struct grig *r = arg;

    r->result = gdbstub_run(r->s, true);
    return NULL;
}

static const char *find_gdb(void)
{
    static const char *const candidates[] = { "/usr/bin/gdb", "/usr/local/bin/gdb", "/bin/gdb" };

    for (size_t i = 0; i < ARRAY_SIZE(candidates); i++)
        if (access(candidates[i], X_OK) == 0)
            return candidates[i];
    return NULL;
}

/* Runs gdb -batch with each line of script as an -ex command (unlike a sourced
 * file, a failing -ex does not stop the rest); returns its output (malloc'd,
 * "" on trouble). */
static char *run_gdb(const char *gdb, struct grig *r, const char *name, const char *script)
{
    char opath[128];
    FILE *f;
    pid_t pid;
    int status = 0;
    char *out;
    long size;

    char *lines = strdup(script), *argv[128];
    int argc = 0;

    argv[argc++] = "gdb";
    argv[argc++] = "-nx";
    argv[argc++] = "-batch";
    for (char *l = strtok(lines, "\n"); l && argc < 124; l = strtok(NULL, "\n")) {
        argv[argc++] = "-ex";
        argv[argc++] = l;
    }
    argv[argc] = NULL;
    snprintf(opath, sizeof(opath), "%s/%s.out", r->dir, name);
    pid = fork();
    if (pid == 0) {
        int fd = open(opath, O_CREAT | O_TRUNC | O_WRONLY, 0600);
        int nul = open("/dev/null", O_RDONLY);

        dup2(nul, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(gdb, argv);
        _exit(127);
    }
    free(lines);
    for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited++) {
        struct timespec ts = { 0, 20 * 1000 * 1000 };

        if (waited > GDB_LIMIT_S * 50) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            printf("# gdb %s timed out\n", name);
            break;
        }
        nanosleep(&ts, NULL);
    }
    f = fopen(opath, "r");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    out = calloc(1, (size_t)size + 1);
    if (fread(out, 1, (size_t)size, f) != (size_t)size)
        out[0] = '\0';
    fclose(f);
    /* Shown in the test log, for whoever has to debug a failure. */
    printf("# --- gdb %s ---\n", name);
    for (char *line = out, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) {
            printf("# %s\n", line);
            break;
        }
        printf("# %.*s\n", (int)(nl - line), line);
    }
    return out;
}

static void test_with_gdb(const char *gdb)
{
    struct grig r = { .dir = "/tmp/mkvm-gdbstub-gdb-XXXXXX" };
    char script[4096], err[128];
    char *out;
    int port, fd;
    struct rsp_client c;

    if (!mkdtemp(r.dir)) {
        CHECK("gdb_tmpdir", false);
        return;
    }
    fake_init(&r.ft, 2);
    gdbstub_create(&r.s, &fake_ops, &r.ft, 2, r.ft.stop_pipe[0]);
    gdbstub_set_log(r.s, NULL, NULL);
    if (gdbstub_listen(r.s, "0", err, sizeof(err)) != 0) {
        CHECK("gdb_listen", false);
        return;
    }
    port = gdbstub_port(r.s);
    pthread_create(&r.thread, NULL, run, &r);

    snprintf(script, sizeof(script),
             "set confirm off\n"
             "set pagination off\n"
             "set width 0\n"
             "target remote 127.0.0.1:%d\n"
             "p/x $pc\n"
             "p/x $rsp\n"
             "p/x $cr0\n"
             "p/x $efer\n"
             "p/x $fs_base\n"
             "p $eflags\n"
             "p/x $cs\n"
             "x/4xb 0x1000\n"
             "x/xb 0x0\n"
             "set $rbx = 0x1234\n"
             "p/x $rbx\n"
             "set {unsigned char}0x1008 = 0x5a\n"
             "x/xb 0x1008\n"
             "info threads\n"
             "stepi\n"
             "p/x $pc\n"
             "break *0x1300\n"
             "continue\n"
             "p/x $pc\n"
             "hbreak *0x1400\n"
             "continue\n"
             "p/x $pc\n"
             "delete\n"
             "rwatch *(int *)0x2000\n"
             "continue\n"
             "delete\n"
             "hbreak *0x1500\n"
             "hbreak *0x1501\n"
             "hbreak *0x1502\n"
             "hbreak *0x1503\n"
             "hbreak *0x1504\n"
             "continue\n"
             "delete\n"
             "monitor help\n"
             "monitor mode\n"
             "monitor bogus\n"
             "thread 2\n"
             "p/x $rax\n"
             "p $xmm0.uint128\n"
             "p $mxcsr\n"
             "p/x $k_gs_base\n"
             "info registers\n"
             "x/2i $pc\n"
             "info all-registers\n"
             "detach\n",
             port);
    out = run_gdb(gdb, &r, "session1", script);
    CHECK("gdb_no_g_too_long", !strstr(out, "too long"));
    CHECK("gdb_no_tdesc_error", !strstr(out, "Could not load XML") && !strstr(out, "tdesc"));
    CHECK_CONTAINS("gdb_pc", out, "$1 = 0x1100");
    CHECK_CONTAINS("gdb_rsp", out, "$2 = 0x9000");
    CHECK_CONTAINS("gdb_cr0", out, "$3 = 0x80000011");
    CHECK_CONTAINS("gdb_efer", out, "$4 = 0x500");
    CHECK_CONTAINS("gdb_fs_base", out, "$5 = 0x7000");
    CHECK_CONTAINS("gdb_eflags_flags", out, "$6 = [ IF ");
    CHECK_CONTAINS("gdb_cs", out, "$7 = 0x8");
    CHECK_CONTAINS("gdb_memory", out, "0x1000:\t0xa0\t0xa1\t0xa2\t0xa3");
    CHECK_CONTAINS("gdb_unmapped", out, "Cannot access memory at address 0x0");
    CHECK_CONTAINS("gdb_set_reg", out, "$8 = 0x1234");
    CHECK_CONTAINS("gdb_set_mem", out, "0x1008:\t0x5a");
    CHECK_CONTAINS("gdb_threads_extra", out, "vCPU 1, long mode");
    CHECK_CONTAINS("gdb_stepi", out, "$9 = 0x1101");
    CHECK_CONTAINS("gdb_swbreak_hit", out, "$10 = 0x1300");
    CHECK_CONTAINS("gdb_hwbreak_hit", out, "$11 = 0x1400");
    CHECK_CONTAINS("gdb_rwatch_hit", out, "hit Hardware read watchpoint 3: *(int *)0x2000");
    CHECK_CONTAINS("gdb_fifth_hbreak_refused", out,
                   "You may have requested too many hardware breakpoints/watchpoints");
    CHECK_CONTAINS("gdb_monitor_help_stub", out, "this list");
    CHECK_CONTAINS("gdb_monitor_help_target", out, "the CPU mode of each vCPU");
    CHECK_CONTAINS("gdb_monitor_mode", out, "vCPU 0: long mode");
    CHECK_CONTAINS("gdb_monitor_unknown", out, "unknown monitor command \"bogus\"");
    CHECK_CONTAINS("gdb_thread2_rax", out, "$12 = 0x1111111111111112");
    CHECK_CONTAINS("gdb_xmm", out, "$13 = ");
    CHECK_CONTAINS("gdb_mxcsr_flags", out, "$14 = [");
    CHECK_CONTAINS("gdb_k_gs_base", out, "$15 = 0x");
    CHECK_CONTAINS("gdb_info_registers_cr0", out, "[ PE ET PG ]");
    CHECK_CONTAINS("gdb_info_registers_efer", out, "[ LME LMA ]");
    CHECK_CONTAINS("gdb_disassembles", out, "=> 0x1110:\tnop");
    CHECK_CONTAINS("gdb_all_registers_xmm15", out, "xmm15");
    CHECK_CONTAINS("gdb_detached", out, "(Remote target) detached]");
    free(out);
    CHECK_INT("gdb_detach_told_target", r.ft.detaches, 1);

    /* While a raw client holds the session, a real gdb is turned away and says why. */
    fd = client_tcp_connect(port);
    client_init(&c, fd);
    CHECK_CONTAINS("gdb_second_holder", client_cmd(&c, "?"), "T02thread:1;");
    snprintf(script, sizeof(script), "set confirm off\ntarget remote 127.0.0.1:%d\n", port);
    out = run_gdb(gdb, &r, "second", script);
    CHECK_CONTAINS("gdb_second_refused_says_why", out, "another gdb is already connected");
    free(out);
    CHECK_STR("gdb_second_holder_undisturbed", client_cmd(&c, "qC"), "QC1");
    close(fd);

    /* Reconnect to the guest stopped after detach; it then exits. */
    r.ft.exit_on_run = true;
    r.ft.exit_code = 7;
    snprintf(script, sizeof(script),
             "set confirm off\n"
             "target remote 127.0.0.1:%d\n"
             "p/x $pc\n"
             "continue\n",
             port);
    out = run_gdb(gdb, &r, "exit", script);
    CHECK_CONTAINS("gdb_reconnect_pc", out, "$1 = 0x");
    CHECK_CONTAINS("gdb_exit_code", out, "exited with code 07");
    free(out);
    pthread_join(r.thread, NULL);
    CHECK_INT("gdb_exit_ends_run", r.result, GDBSTUB_END_EXITED);
    gdbstub_destroy(r.s);
    fake_fini(&r.ft);

    /* kill ends the run with KILLED. */
    fake_init(&r.ft, 1);
    gdbstub_create(&r.s, &fake_ops, &r.ft, 1, r.ft.stop_pipe[0]);
    gdbstub_set_log(r.s, NULL, NULL);
    gdbstub_listen(r.s, "0", err, sizeof(err));
    port = gdbstub_port(r.s);
    pthread_create(&r.thread, NULL, run, &r);
    snprintf(script, sizeof(script), "set confirm off\ntarget remote 127.0.0.1:%d\nkill\n", port);
    out = run_gdb(gdb, &r, "kill", script);
    free(out);
    pthread_join(r.thread, NULL);
    CHECK_INT("gdb_kill_ends_run", r.result, GDBSTUB_END_KILLED);
    CHECK_INT("gdb_kill_told_target", r.ft.kills, 1);
    gdbstub_destroy(r.s);
    fake_fini(&r.ft);

    {
        char cmd[160];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r.dir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", r.dir);
    }
}

int main(void)
{
    const char *gdb = find_gdb();

    signal(SIGPIPE, SIG_IGN);
    if (!gdb) {
        printf("ok gdb_real_skipped (no gdb installed)\n");
        return 0;
    }
    test_with_gdb(gdb);
    return CHECK_DONE();
}
