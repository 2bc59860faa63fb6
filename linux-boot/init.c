/* /init of the test initramfs: proves that the kernel reached user space, shows
 * the kernel version, then powers off; with `minikvm.shell` on the kernel command
 * line it first offers a tiny command loop on the console (echo, uname, poweroff,
 * reboot); with `minikvm.exit` it exits instead of powering off, which panics
 * the kernel ("Attempted to kill init"): the panic drill. Static, no libc beyond
 * syscall wrappers, no busybox. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MARKER "MINIKVM-INIT-OK"

static void say(const char *s)
{
    (void)!write(1, s, strlen(s));
}

/* The kernel gives init /dev/console as fds 0-2 when it can open it; make sure. */
static void open_console(void)
{
    if (fcntl(1, F_GETFD) >= 0)
        return;
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0)
        return;
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
}

static int read_file(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -errno;
    buf[n] = '\0';
    return (int)n;
}

static void show_uname(void)
{
    struct utsname u;
    char line[512];
    if (uname(&u) == 0) {
        snprintf(line, sizeof line, "%s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
        say(line);
    }
}

static void power(int how, const char *what)
{
    char line[64];
    snprintf(line, sizeof line, "init: %s\n", what);
    say(line);
    sync();
    reboot(how);
    say("init: reboot() returned\n"); /* only without CAP_SYS_BOOT */
}

/* One command a line; the console's line discipline does echo and editing. */
static void shell(void)
{
    char line[256];
    say("init: shell (commands: echo TEXT, uname, poweroff, reboot)\n");
    for (;;) {
        say("minikvm# ");
        ssize_t n = read(0, line, sizeof line - 1);
        if (n <= 0)
            return;
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "echo", 4) == 0 && (line[4] == ' ' || line[4] == '\0')) {
            say(line[4] ? line + 5 : "");
            say("\n");
        } else if (strcmp(line, "uname") == 0) {
            show_uname();
        } else if (strcmp(line, "poweroff") == 0) {
            return;
        } else if (strcmp(line, "reboot") == 0) {
            power(RB_AUTOBOOT, "rebooting");
        } else if (line[0]) {
            say("init: unknown command: ");
            say(line);
            say("\n");
        }
    }
}

int main(void)
{
    char buf[1024];
    open_console();
    say(MARKER "\n");
    mkdir("/proc", 0555);
    if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
        say("init: mounting /proc failed\n");
    if (read_file("/proc/version", buf, sizeof buf) > 0) {
        say("init: ");
        say(buf);
    } else {
        show_uname();
    }
    bool have_cmdline = read_file("/proc/cmdline", buf, sizeof buf) > 0;
    if (have_cmdline && strstr(buf, "minikvm.shell"))
        shell();
    if (have_cmdline && strstr(buf, "minikvm.exit")) {
        say("init: exiting (minikvm.exit)\n");
        return 0;
    }
    power(RB_POWER_OFF, "powering off");
    for (;;)
        pause();
}
