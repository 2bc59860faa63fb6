/* Collects the stub's log lines (gdbstub_set_log) for the socket tests, which read
 * them from the test thread while the stub thread writes: hence the lock. */
#ifndef MINIKVM_LOG_CAPTURE_H
#define MINIKVM_LOG_CAPTURE_H

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

struct log_capture {
    pthread_mutex_t lock;
    char buf[4096];
};

static void log_capture_init(struct log_capture *l)
{
    pthread_mutex_init(&l->lock, NULL);
    l->buf[0] = '\0';
}

static void log_capture_destroy(struct log_capture *l)
{
    pthread_mutex_destroy(&l->lock);
}

/* gdbstub_set_log's callback; arg is the struct log_capture */
static void log_capture_add(void *arg, const char *msg)
{
    struct log_capture *l = arg;

    pthread_mutex_lock(&l->lock);
    strncat(l->buf, msg, sizeof(l->buf) - strlen(l->buf) - 2);
    strcat(l->buf, "\n");
    pthread_mutex_unlock(&l->lock);
}

static bool log_capture_has(struct log_capture *l, const char *what)
{
    pthread_mutex_lock(&l->lock);
    bool found = strstr(l->buf, what) != NULL;
    pthread_mutex_unlock(&l->lock);
    return found;
}

#endif
