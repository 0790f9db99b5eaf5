/* Write-to-temporary-then-rename. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "percap/atomic_file.h"
#include "sys_error.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct percap_atomic_file {
    FILE *fp;
    char *path;
    char *tmp;      /* NULL for standard output and devices */
    bool direct;    /* a device or pipe opened by path: closed on commit */
    bool no_sync;   /* see percap_atomic_set_sync */
};

/* Links are followed at most this many times, as the kernel does. */
#define MAX_LINK_HOPS 40

/* Where a chain of links ends when its last target does not exist yet:
 * read link by link, a relative target being relative to its link's
 * folder. NULL if out of memory; the path itself for a loop. */
static char *dangling_target(const char *path)
{
    char *cur = strdup(path), buf[PATH_MAX];
    struct stat st;
    for (int hop = 0; cur && hop < MAX_LINK_HOPS; hop++) {
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        ssize_t n = readlink(cur, buf, sizeof buf);
        if (n < 0 || (size_t)n >= sizeof buf) /* unreadable, or too long */
            return cur;
        buf[n] = '\0';
        const char *slash = strrchr(cur, '/');
        int dir = buf[0] == '/' || !slash ? 0 : (int)(slash - cur + 1);
        char *next = malloc((size_t)dir + (size_t)n + 1);
        if (next)
            snprintf(next, (size_t)dir + (size_t)n + 1, "%.*s%s", dir, cur, buf);
        free(cur);
        if (!next)
            return NULL;
        cur = next;
    }
    free(cur);
    return strdup(path);
}

/* A symbolic link is written through, as `sort -o` and a shell's `>` do:
 * renaming over it would replace the link by a file and leave its target
 * as it was. A dangling link's target is created. Returns a copy of the
 * path to write (malloc'd), NULL if out of memory. */
static char *written_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return strdup(path);
    char *target = realpath(path, NULL);
    return target ? target : dangling_target(path);
}

percap_atomic_file *percap_atomic_open(const char *path, percap_error *err)
{
    percap_atomic_file *f = calloc(1, sizeof *f);
    char *real = f ? written_path(path) : NULL;
    size_t n = real ? strlen(real) : 0;
    if (!real || !(f->tmp = malloc(n + 16))) {
        free(real);
        free(f);
        percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    f->path = real;
    path = real;
    if (strcmp(path, "-") == 0) {
        free(f->tmp);
        f->tmp = NULL;
        f->fp = stdout;
        return f;
    }
    /* A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in
     * place: renaming a file over it would replace the device itself,
     * which as root destroys /dev/null for the whole machine. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        free(f->tmp);
        f->tmp = NULL;
        if (!(f->fp = fopen(path, "w"))) {
            sys_error(err, path, "cannot open for writing");
            free(f->path);
            free(f);
            return NULL;
        }
        f->direct = true;
        return f;
    }
    snprintf(f->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(f->tmp);
    /* mkstemp makes the file private (0600); give it the mode a plain
     * fopen would have, as the user's umask allows. */
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0)
        (void)fchmod(fd, 0666 & ~mask);
    if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
        sys_error(err, path, "cannot create output");
        if (fd >= 0) {
            close(fd);
            unlink(f->tmp);
        }
        free(f->tmp);
        free(f->path);
        free(f);
        return NULL;
    }
    return f;
}

FILE *percap_atomic_stream(percap_atomic_file *f) { return f->fp; }

void percap_atomic_set_sync(percap_atomic_file *f, bool sync) { f->no_sync = !sync; }

static void release(percap_atomic_file *f)
{
    free(f->tmp);
    free(f->path);
    free(f);
}

percap_status percap_atomic_close(percap_atomic_file *f, percap_error *err)
{
    if (!f->fp)
        return PERCAP_OK; /* closed already */
    bool owned = f->tmp || f->direct; /* not stdout, which stays open */
    bool ok = fflush(f->fp) == 0 && !ferror(f->fp);
    int saved = errno;
    if (ok && f->tmp && !f->no_sync && fsync(fileno(f->fp)) != 0 && errno != EINVAL)
        ok = false, saved = errno;
    if (owned && fclose(f->fp) != 0 && ok)
        ok = false, saved = errno;
    if (owned)
        f->fp = NULL;
    if (ok)
        return PERCAP_OK;
    return percap_error_set(err, PERCAP_EIO, owned ? f->path : "<stdout>", 0, 0,
                            "write error: %s", strerror(saved));
}

percap_status percap_atomic_commit(percap_atomic_file *f, percap_error *err)
{
    percap_status st = percap_atomic_close(f, err);
    if (st == PERCAP_OK && f->tmp && rename(f->tmp, f->path) != 0)
        st = percap_error_set(err, PERCAP_EIO, f->path, 0, 0, "write error: %s",
                              strerror(errno));
    if (st != PERCAP_OK && f->tmp)
        unlink(f->tmp);
    release(f);
    return st;
}

void percap_atomic_abort(percap_atomic_file *f)
{
    if (!f)
        return;
    if ((f->tmp || f->direct) && f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    release(f);
}
