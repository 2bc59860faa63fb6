/* gdbstub over real sockets: listen address parsing, port 0, connect /
 * disconnect / reconnect, a second gdb refused politely while one is active,
 * detach then re-attach to the running guest, kill, guest exit while detached,
 * shutdown from another thread, Unix sockets (mode 0600, stale socket). */
#include "tests/unit/check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "gdbstub/gdbstub.h"
#include "tests/unit/fake_target.h"
#include "tests/unit/log_capture.h"
#include "tests/unit/rsp_client.h"
#include "vmm/util.h"

struct net_rig {
    struct fake_target ft;
    struct gdbstub *s;
    bool wait_first;
    int result;
    pthread_t thread;
    struct log_capture log;
};

static void *run(void *arg)
{
    struct net_rig *r = arg;

    r->result = gdbstub_run(r->s, r->wait_first);
    return NULL;
}

static struct net_rig *net_start(const char *spec, bool wait_first)
{
    struct net_rig *r = calloc(1, sizeof(*r));
    char err[256];

    fake_init(&r->ft, 1);
    r->ft.running = !wait_first;
    log_capture_init(&r->log);
    if (gdbstub_create(&r->s, &fake_ops, &r->ft, 1, r->ft.stop_pipe[0]) != 0)
        abort();
    gdbstub_set_log(r->s, log_capture_add, &r->log);
    if (gdbstub_listen(r->s, spec, err, sizeof(err)) != 0) {
        printf("# listen %s: %s\n", spec, err);
        abort();
    }
    r->wait_first = wait_first;
    pthread_create(&r->thread, NULL, run, r);
    return r;
}

static int net_end(struct net_rig *r, bool shutdown)
{
    int rc;

    if (shutdown)
        gdbstub_shutdown(r->s);
    pthread_join(r->thread, NULL);
    rc = r->result;
    gdbstub_destroy(r->s);
    fake_fini(&r->ft);
    log_capture_destroy(&r->log);
    free(r);
    return rc;
}

static int interrupts(struct net_rig *r)
{
    int n;

    pthread_mutex_lock(&r->ft.lock);
    n = r->ft.interrupts;
    pthread_mutex_unlock(&r->ft.lock);
    return n;
}

static void test_listen_specs(void)
{
    struct fake_target ft;
    struct gdbstub *s;
    char err[256];
    static const char *const bad[] = { "",     "abc",        "70000",
                                       "12x",  "127.0.0.1:", ":",
                                       "[]:1", "unix:",      "no.such.host.invalid:1" };

    fake_init(&ft, 1);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char name[64];

        gdbstub_create(&s, &fake_ops, &ft, 1, ft.stop_pipe[0]);
        gdbstub_set_log(s, NULL, NULL);
        err[0] = '\0';
        snprintf(name, sizeof(name), "listen_bad_%zu", i);
        CHECK(name, gdbstub_listen(s, bad[i], err, sizeof(err)) < 0 && err[0]);
        gdbstub_destroy(s);
    }
    gdbstub_create(&s, &fake_ops, &ft, 1, ft.stop_pipe[0]);
    CHECK_INT("port_before_listen", gdbstub_port(s), -1);
    CHECK_INT("run_without_listen", gdbstub_run(s, true), -ENOTCONN);
    CHECK_INT("listen_port0", gdbstub_listen(s, "0", err, sizeof(err)), 0);
    CHECK("listen_port0_bound", gdbstub_port(s) > 0);
    CHECK_INT("listen_twice", gdbstub_listen(s, "0", err, sizeof(err)), -EBUSY);
    gdbstub_destroy(s);
    CHECK("create_bad_ncpus",
          gdbstub_create(&s, &fake_ops, &ft, 0, ft.stop_pipe[0]) == -EINVAL && !s);
    CHECK("create_too_many_cpus",
          gdbstub_create(&s, &fake_ops, &ft, GDB_MAX_CPUS + 1, ft.stop_pipe[0]) == -EINVAL);
    CHECK("create_bad_fd", gdbstub_create(&s, &fake_ops, &ft, 1, -1) == -EINVAL);
    fake_fini(&ft);

    struct net_rig *r = net_start("0.0.0.0:0", true);
    CHECK("listen_any_warns", log_capture_has(&r->log, "reachable from the network"));
    CHECK_INT("listen_any_shutdown", net_end(r, true), GDBSTUB_END_SHUTDOWN);
    r = net_start("127.0.0.1:0", true);
    CHECK("listen_host_port_quiet", !log_capture_has(&r->log, "reachable"));
    CHECK_INT("listen_host_port_shutdown", net_end(r, true), GDBSTUB_END_SHUTDOWN);
}

static void test_reconnect_and_refuse(void)
{
    struct net_rig *r = net_start("0", true);
    struct rsp_client c, c2;
    int port = gdbstub_port(r->s), fd, ok = 0;
    const char *rep;

    for (int i = 0; i < 4; i++) {
        fd = client_tcp_connect(port);
        client_init(&c, fd);
        client_raw(&c, "+", 1);
        rep = client_cmd(&c, "qSupported:swbreak+");
        ok += rep && strstr(rep, "PacketSize=") && (rep = client_cmd(&c, "?")) &&
              strncmp(rep, "T05thread:1;", 12) == 0;
        close(fd);
    }
    CHECK_INT("reconnect_4_times", ok, 4);

    fd = client_tcp_connect(port);
    client_init(&c, fd);
    CHECK_STR("active_session", client_cmd(&c, "qC"), "QC1");
    client_init(&c2, client_tcp_connect(port));
    client_raw(&c2, "+", 1);
    client_send(&c2, "qSupported:multiprocess+;swbreak+");
    CHECK_INT("second_acked", client_byte(&c2, CLIENT_TIMEOUT_MS), '+');
    CHECK_CONTAINS("second_refused_politely", client_recv(&c2),
                   "E.another gdb is already connected");
    CHECK_INT("second_closed", client_byte(&c2, CLIENT_TIMEOUT_MS), -2);
    close(c2.fd);
    CHECK("second_logged", log_capture_has(&r->log, "refusing a second gdb"));
    /* One that connects and says nothing is closed after a while too; the
     * active session never notices any of this. */
    client_init(&c2, client_tcp_connect(port));
    CHECK_STR("active_session_undisturbed", client_cmd(&c, "qC"), "QC1");
    close(c2.fd);

    /* Detach: the guest runs on; the next gdb finds it stopped by the stub. */
    CHECK_STR("net_detach", client_cmd(&c, "D"), "OK");
    CHECK_INT("net_detach_closes", client_byte(&c, CLIENT_TIMEOUT_MS), -2);
    close(fd);
    fd = client_tcp_connect(port);
    client_init(&c, fd);
    CHECK_CONTAINS("net_reattach_stopped", client_cmd(&c, "?"), "T02thread:1;");
    CHECK_INT("net_reattach_interrupted", interrupts(r), 1);

    /* gdb dies while the guest runs: stopped and kept for the next one. */
    client_send(&c, "c");
    client_byte(&c, CLIENT_TIMEOUT_MS);
    close(fd);
    fd = client_tcp_connect(port);
    client_init(&c, fd);
    CHECK_CONTAINS("net_after_vanish_stopped", client_cmd(&c, "?"), "T02thread:1;");
    CHECK_INT("net_after_vanish_interrupted", interrupts(r), 2);

    CHECK_INT("net_shutdown_mid_session", net_end(r, true), GDBSTUB_END_SHUTDOWN);
    close(fd);
}

static void test_kill_and_exit(void)
{
    struct net_rig *r = net_start("0", true);
    struct rsp_client c;
    int fd = client_tcp_connect(gdbstub_port(r->s));

    client_init(&c, fd);
    client_send(&c, "k");
    CHECK_INT("net_kill_result", net_end(r, false), GDBSTUB_END_KILLED);
    close(fd);

    /* --gdb-nowait: the guest runs and exits before any gdb comes. */
    r = net_start("0", false);
    pthread_mutex_lock(&r->ft.lock);
    fake_post_stop(&r->ft, (struct stop_info){ .reason = STOP_EXITED, .exit_code = 3 });
    pthread_mutex_unlock(&r->ft.lock);
    pthread_join(r->thread, NULL);
    CHECK_INT("nowait_exit_result", r->result, GDBSTUB_END_EXITED);
    CHECK_INT("nowait_exit_code", gdbstub_last_stop(r->s)->exit_code, 3);
    gdbstub_destroy(r->s);
    fake_fini(&r->ft);
    free(r);

    /* A stop with nobody attached (say a triple fault) waits for the next gdb. */
    r = net_start("0", false);
    pthread_mutex_lock(&r->ft.lock);
    fake_post_stop(&r->ft, (struct stop_info){ .reason = STOP_SIGNAL, .signal = 11 });
    pthread_mutex_unlock(&r->ft.lock);
    fd = client_tcp_connect(gdbstub_port(r->s));
    client_init(&c, fd);
    CHECK_CONTAINS("stop_while_detached_reported", client_cmd(&c, "?"), "T0bthread:1;");
    CHECK_INT("stop_while_detached_no_interrupt", interrupts(r), 0);
    CHECK_INT("stop_while_detached_end", net_end(r, true), GDBSTUB_END_SHUTDOWN);
    close(fd);
}

static void test_unix_socket(void)
{
    char dir[] = "/tmp/mkvm-gdbstub-XXXXXX", path[128], err[256];
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct fake_target ft;
    struct gdbstub *s;
    struct rsp_client c;
    struct stat st;
    struct net_rig *r;
    int fd;

    if (!mkdtemp(dir)) {
        CHECK("unix_tmpdir", false);
        return;
    }
    snprintf(path, sizeof(path), "%s/gdb.sock", dir);
    /* A stale socket from an earlier run is replaced. */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sa.sun_path, path);
    bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    snprintf(err, sizeof(err), "unix:%s", path);
    r = net_start(err, true);
    CHECK_INT("unix_port_none", gdbstub_port(r->s), -1);
    CHECK("unix_mode_0600",
          stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_INT("unix_connect", connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    client_init(&c, fd);
    CHECK_STR("unix_session", client_cmd(&c, "qC"), "QC1");
    close(fd);
    CHECK_INT("unix_end", net_end(r, true), GDBSTUB_END_SHUTDOWN);
    CHECK("unix_removed_at_destroy", stat(path, &st) != 0);

    /* Anything but a socket at that path is left alone. */
    fd = open(path, O_CREAT | O_WRONLY, 0644);
    close(fd);
    fake_init(&ft, 1);
    gdbstub_create(&s, &fake_ops, &ft, 1, ft.stop_pipe[0]);
    snprintf(err, sizeof(err), "unix:%s", path);
    {
        char msg[256];

        CHECK_INT("unix_regular_file_refused", gdbstub_listen(s, err, msg, sizeof(msg)), -EEXIST);
        CHECK_CONTAINS("unix_regular_file_msg", msg, "is not a socket");
    }
    CHECK("unix_regular_file_kept", stat(path, &st) == 0 && S_ISREG(st.st_mode));
    gdbstub_destroy(s);
    fake_fini(&ft);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    test_listen_specs();
    test_reconnect_and_refuse();
    test_kill_and_exit();
    test_unix_socket();
    return CHECK_DONE();
}
