/* An LD_PRELOAD library for tests/cli/alloc_failure.sh: the allocation
 * numbered $PERCAP_FAIL_AT (counting malloc, calloc and realloc from the
 * start of the process) fails, and every one after it, as when memory has
 * run out. The library's own allocation-failure test (tests/unit/
 * test_alloc_failure.c) covers the library; this covers the tool around
 * it: option parsing, notes, output, and what the user is told. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static long counted, fail_at = -1;

static int failing(void)
{
    if (fail_at < 0) {
        const char *e = getenv("PERCAP_FAIL_AT");
        fail_at = e ? atol(e) : 0;
    }
    if (fail_at > 0 && ++counted >= fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

/* dlsym itself may call calloc before the real one is known: a small
 * static arena answers those calls. */
static char arena[4096];
static size_t arena_used;

static void *from_arena(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > sizeof arena)
        return NULL;
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

void *malloc(size_t n)
{
    static void *(*real)(size_t);
    if (!real)
        real = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    return failing() ? NULL : real(n);
}

void *calloc(size_t k, size_t n)
{
    static void *(*real)(size_t, size_t);
    static int resolving;
    if (!real) {
        if (resolving)
            return from_arena(k * n);
        resolving = 1;
        real = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
        resolving = 0;
    }
    return failing() ? NULL : real(k, n);
}

void *realloc(void *p, size_t n)
{
    static void *(*real)(void *, size_t);
    if (!real)
        real = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    return failing() ? NULL : real(p, n);
}

void free(void *p)
{
    static void (*real)(void *);
    if ((char *)p >= arena && (char *)p < arena + sizeof arena)
        return;
    if (!real)
        real = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real(p);
}
