/* Minimal checks for unit tests: every failure prints what it got and what it
 * expected, as "not ok NAME: ..." lines that tests/run-all.sh counts. */
#ifndef MINIKVM_CHECK_H
#define MINIKVM_CHECK_H
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond) \
    do { \
        if (cond) \
            printf("ok %s\n", name); \
        else { \
            check_failures++; \
            printf("not ok %s: %s is false (%s:%d)\n", name, #cond, __FILE__, __LINE__); \
        } \
    } while (0)

#define CHECK_INT(name, got, want) \
    do { \
        long long g_ = (long long)(got), w_ = (long long)(want); \
        if (g_ == w_) \
            printf("ok %s\n", name); \
        else { \
            check_failures++; \
            printf("not ok %s: %s = %lld (0x%llx), expected %lld (0x%llx) (%s:%d)\n", name, #got, \
                   g_, (unsigned long long)g_, w_, (unsigned long long)w_, __FILE__, __LINE__); \
        } \
    } while (0)

#define CHECK_STR(name, got, want) \
    do { \
        const char *g_ = (got), *w_ = (want); \
        if (g_ && w_ && strcmp(g_, w_) == 0) \
            printf("ok %s\n", name); \
        else { \
            check_failures++; \
            printf("not ok %s: %s = \"%s\", expected \"%s\" (%s:%d)\n", name, #got, \
                   g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__); \
        } \
    } while (0)

/* got must contain want as a substring */
#define CHECK_CONTAINS(name, got, want) \
    do { \
        const char *g_ = (got), *w_ = (want); \
        if (g_ && w_ && strstr(g_, w_)) \
            printf("ok %s\n", name); \
        else { \
            check_failures++; \
            printf("not ok %s: %s = \"%s\", expected to contain \"%s\" (%s:%d)\n", name, #got, \
                   g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__); \
        } \
    } while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)
#endif
