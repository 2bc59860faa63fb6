/* The shell (a ring-3 program) and the small programs it offers. */
#include "user.h"

#define LINE_MAX 128

/* Reads a line with echo; backspace (DEL or ^H) erases. Returns its length. */
static int readline(char *buf, int size)
{
    int n = 0;
    for (;;) {
        char ch = getchar();
        if (ch == '\r' || ch == '\n') {
            putchar('\n');
            buf[n] = '\0';
            return n;
        }
        if (ch == 0x7f || ch == '\b') {
            if (n > 0) {
                n--;
                printf("\b \b");
            }
        } else if (ch >= ' ' && ch < 0x7f && n < size - 1) {
            buf[n++] = ch;
            putchar(ch);
        }
    }
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* The next word of *S into WORD (at most SIZE-1 characters); *S moves past it. */
static void next_word(const char **s, char *word, int size)
{
    const char *p = skip_spaces(*s);
    int n = 0;
    for (; *p && *p != ' '; p++)
        if (n < size - 1)
            word[n++] = *p;
    word[n] = '\0';
    *s = skip_spaces(p);
}

static int cmd_hello(const char *args)
{
    printf("Hello world from the shell!\n");
    return 0;
}

static int cmd_exit(const char *args)
{
    exit(0);
}

static int cmd_readfile(const char *args)
{
    char buf[1024];
    int len = readfile(args, buf, sizeof(buf));
    if (len < 0) {
        printf("readfile: %s: no such file\n", args);
        return 1;
    }
    for (int i = 0; i < len; i++)
        putchar(buf[i]);
    if (len > 0 && buf[len - 1] != '\n')
        putchar('\n');
    return 0;
}

static int cmd_writefile(const char *args)
{
    char name[FILE_NAME_MAX], text[LINE_MAX + 1];
    next_word(&args, name, sizeof(name));
    int len = strlen(args);
    memcpy(text, args, len);
    text[len++] = '\n';
    if (!name[0] || writefile(name, text, len) < 0) {
        printf("writefile: cannot write '%s' (usage: writefile NAME TEXT)\n", name);
        return 1;
    }
    printf("wrote %d bytes to %s\n", len, name);
    return 0;
}

static int cmd_ls(const char *args)
{
    char name[FILE_NAME_MAX];
    int size;
    for (int i = 0; (size = listfile(i, name, sizeof(name))) >= 0; i++)
        printf("%s\t%d bytes\n", name, size);
    return 0;
}

static int cmd_multiplication(const char *args)
{
    for (int a = 2; a <= 9; a++)
        for (int b = 1; b <= 9; b++)
            printf("%d x %d = %d\n", a, b, a * b);
    return 0;
}

static int cmd_counter(const char *args)
{
    for (int i = 1; i <= 10; i++)
        printf("count: %d\n", i);
    return 0;
}

static int cmd_fibonacci(const char *args)
{
    int a = 0, b = 1;
    for (int i = 0; i < 24; i++) {
        printf("%d\n", a);
        int next = a + b;
        a = b;
        b = next;
    }
    return 0;
}

static int cmd_echo(const char *args)
{
    char line[LINE_MAX];
    printf("type a line: ");
    readline(line, sizeof(line));
    printf("you typed: %s\n", line);
    return 0;
}

/* A number at *S (optional '-'), or -1 if there is none. */
static int parse_number(const char **s, int64_t *out)
{
    const char *p = *s = skip_spaces(*s);
    bool neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    int64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
            return -1;
    *out = neg ? -v : v;
    *s = skip_spaces(p);
    return 0;
}

/* calc A OP B [OP C ...], evaluated left to right; OP is + - * / */
static int cmd_calc(const char *args)
{
    int64_t acc, v;
    const char *s = args;
    if (parse_number(&s, &acc) < 0) {
        printf("calc: expected a number at '%s' (usage: calc 10 + 5)\n", s);
        return 1;
    }
    while (*s) {
        char op = *s++;
        if (op != '+' && op != '-' && op != '*' && op != '/') {
            printf("calc: unknown operator '%c' (use + - * /)\n", op);
            return 1;
        }
        if (parse_number(&s, &v) < 0) {
            printf("calc: expected a number at '%s'\n", s);
            return 1;
        }
        bool overflow = false;
        if (op == '/' && v == 0) {
            printf("calc: division by zero\n");
            return 1;
        }
        if (op == '+')
            overflow = __builtin_add_overflow(acc, v, &acc);
        else if (op == '-')
            overflow = __builtin_sub_overflow(acc, v, &acc);
        else if (op == '*')
            overflow = __builtin_mul_overflow(acc, v, &acc);
        else
            acc /= v;
        if (overflow) {
            printf("calc: overflow\n");
            return 1;
        }
    }
    printf("%ld\n", acc);
    return 0;
}

/* A dot for each tick of the kernel's counter (the PIT's interrupt), ten of them.
 * A busy host may deliver two ticks before the shell looks: both get a dot. */
static int cmd_timer(const char *args)
{
    uint64_t start = uptime(), seen = start;
    printf("timer: ");
    while (seen - start < 10) {
        uint64_t now;
        while ((now = uptime()) == seen)
            yield();
        for (; seen < now && seen - start < 10; seen++)
            putchar('.');
    }
    printf(" 10 ticks, %d ms at %d Hz\n", 10 * 1000 / TICK_HZ, TICK_HZ);
    return 0;
}

static int cmd_help(const char *args);

static int cmd_crash(const char *args)
{
    int prog = strcmp(args, "kernel-read") == 0 ? PROG_CRASH_KERNEL_READ : PROG_CRASH_PRIVILEGED;
    printf("crash: the program ended with status %d\n", spawn(prog));
    return 0;
}

static const struct command {
    const char *name;
    int (*run)(const char *args);
    const char *help; /* NULL: hidden */
} commands[] = {
    { "help", cmd_help, "list the commands" },
    { "hello", cmd_hello, "greet" },
    { "ls", cmd_ls, "list the files on the disk" },
    { "readfile", cmd_readfile, "readfile NAME: print a file" },
    { "writefile", cmd_writefile, "writefile NAME TEXT: write TEXT and a newline to a file" },
    { "multiplication", cmd_multiplication, "the 2x1 .. 9x9 table" },
    { "counter", cmd_counter, "count to 10" },
    { "fibonacci", cmd_fibonacci, "the first 24 Fibonacci numbers" },
    { "echo", cmd_echo, "read a line and print it back" },
    { "calc", cmd_calc, "calc A OP B ...: integer arithmetic, left to right" },
    { "timer", cmd_timer, "a dot per timer tick, 10 ticks" },
    { "exit", cmd_exit, "leave the shell (the machine stops)" },
    { "crash-kernel-read", cmd_crash, NULL }, /* runs a child that reads kernel memory */
    { "crash-privileged", cmd_crash, NULL },  /* runs a child that executes hlt */
};

static int cmd_help(const char *args)
{
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (commands[i].help)
            printf("  %s\t%s\n", commands[i].name, commands[i].help);
    return 0;
}

int main(void)
{
    char line[LINE_MAX], word[LINE_MAX];
    for (;;) {
        printf("> ");
        readline(line, sizeof(line));
        const char *args = line;
        next_word(&args, word, sizeof(word));
        if (!word[0])
            continue;
        unsigned i;
        for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (strcmp(word, commands[i].name) == 0)
                break;
        if (i == sizeof(commands) / sizeof(commands[0])) {
            printf("unknown command: %s (try help)\n", word);
            continue;
        }
        /* the crash commands pass which crash they are */
        commands[i].run(commands[i].run == cmd_crash ? word + 6 : args);
    }
}

/* Children the shell spawns to show that a faulting program dies alone. */
static int crash_kernel_read(void)
{
    printf("reading kernel memory at %p\n", (void *)0x100000);
    return *(volatile int *)0x100000;
}

static int crash_privileged(void)
{
    printf("executing hlt in ring 3\n");
    __asm__ volatile("hlt");
    return 0;
}

int program_main(int prog)
{
    if (prog == PROG_CRASH_KERNEL_READ)
        return crash_kernel_read();
    if (prog == PROG_CRASH_PRIVILEGED)
        return crash_privileged();
    return main();
}
