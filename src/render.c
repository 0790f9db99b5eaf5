/* Running gnuplot on a script, without a shell: nothing in a directory
 * name or a region name can reach a command line interpreter. */
#include "percap/render.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "percap/gp_emit.h"

/* gnuplot's messages kept for the error or the notes. */
#define OUTPUT_MAX 8192

int percap_render_formats_parse(const char *list, unsigned *out)
{
    unsigned f = 0;
    const char *p = list;
    if (!p || !*p)
        return -1;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 3 && strncmp(p, "png", 3) == 0)
            f |= PERCAP_RENDER_PNG;
        else if (n == 3 && strncmp(p, "svg", 3) == 0)
            f |= PERCAP_RENDER_SVG;
        else
            return -1;
        p += n;
        if (*p == ',' && *++p == '\0')
            return -1;
    }
    *out = f;
    return 0;
}

static bool stem_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 200)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

typedef struct child {
    pid_t pid;
    int out;          /* gnuplot's stdout and stderr */
    int exec_status;  /* errno of a failed execvp, read from a close-on-exec pipe */
} child;

static void close_quietly(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* In the child: only async-signal-safe calls until execvp. */
static void run_child(const char *dir, char *const argv[], int out, int report)
{
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
        chdir(dir) != 0) {
        int e = errno;
        (void)!write(report, &e, sizeof e);
        _exit(127);
    }
    execvp(argv[0], argv);
    int e = errno;
    (void)!write(report, &e, sizeof e);
    _exit(127);
}

static bool cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    return flags >= 0 && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0;
}

static percap_status start(child *c, const char *dir, char *const argv[], percap_error *err)
{
    int out[2] = {-1, -1}, report[2] = {-1, -1};
    if (pipe(out) != 0 || pipe(report) != 0 || !cloexec(report[1]) || !cloexec(report[0]) ||
        !cloexec(out[0])) {
        int e = errno;
        close_quietly(out[0]), close_quietly(out[1]);
        close_quietly(report[0]), close_quietly(report[1]);
        return percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "cannot start gnuplot: %s",
                                strerror(e));
    }
    c->pid = fork();
    if (c->pid == 0)
        run_child(dir, argv, out[1], report[1]);
    int e = errno;
    close(out[1]);
    close(report[1]);
    if (c->pid < 0) {
        close(out[0]);
        close(report[0]);
        return percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "cannot start gnuplot: %s",
                                strerror(e));
    }
    c->exec_status = 0;
    ssize_t n;
    while ((n = read(report[0], &c->exec_status, sizeof c->exec_status)) < 0 && errno == EINTR)
        ;
    if (n != (ssize_t)sizeof c->exec_status)
        c->exec_status = 0;
    close(report[0]);
    c->out = out[0];
    return PERCAP_OK;
}

/* Reads everything the child prints (keeping the first OUTPUT_MAX - 1
 * bytes), then its exit status. */
static int finish(child *c, char *text)
{
    size_t len = 0;
    char buf[4096];
    for (;;) {
        ssize_t n = read(c->out, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t keep = (size_t)n < OUTPUT_MAX - 1 - len ? (size_t)n : OUTPUT_MAX - 1 - len;
        memcpy(text + len, buf, keep);
        len += keep;
    }
    text[len] = '\0';
    close(c->out);
    int status;
    while (waitpid(c->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

/* gnuplot's output as notes, one per line. */
static void output_notes(const char *text, percap_notes *notes)
{
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        if (n > 0 && strspn(p, " \t") < n)
            percap_notes_add(notes, "gnuplot: %.*s", (int)n, p);
        p += n;
        if (*p)
            p++;
    }
}

static percap_status describe_failure(const char *dir, const char *stem, const char *ext,
                                      int status, const char *text, percap_error *err)
{
    char what[64];
    if (status == -1)
        snprintf(what, sizeof what, "could not be waited for");
    else if (WIFSIGNALED(status))
        snprintf(what, sizeof what, "was killed by signal %d", WTERMSIG(status));
    else
        snprintf(what, sizeof what, "failed (exit status %d)", WEXITSTATUS(status));
    /* gnuplot repeats the offending line above its message; the first
     * few lines name the problem. */
    char first[600];
    size_t n = strlen(text) < sizeof first - 1 ? strlen(text) : sizeof first - 1;
    memcpy(first, text, n);
    first[n] = '\0';
    for (char *p = first; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    return percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "gnuplot %s drawing %s/%s.%s: %s",
                            what, dir, stem, ext, n ? first : "(no message)");
}

static percap_status render_one(const char *dir, const char *stem, const char *ext,
                                const char *program, percap_notes *notes, percap_error *err)
{
    char script[256], tmp[300], final[300], command[1024], path[4096];
    snprintf(script, sizeof script, "%s.gp", stem);
    snprintf(tmp, sizeof tmp, "%s.%s.tmp.%ld", stem, ext, (long)getpid());
    snprintf(final, sizeof final, "%s.%s", stem, ext);
    percap_gp_render_command(ext, tmp, command, sizeof command);
    char *argv[] = {(char *)program, "-d", "-e", command, script, NULL};
    child c;
    percap_status st = start(&c, dir, argv, err);
    if (st != PERCAP_OK)
        return st;
    char *text = malloc(OUTPUT_MAX);
    if (!text) {
        close(c.out);
        waitpid(c.pid, NULL, 0);
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int status = finish(&c, text);
    snprintf(path, sizeof path, "%s/%s", dir, tmp);
    if (c.exec_status != 0) {
        st = percap_error_set(err, PERCAP_EIO, NULL, 0, 0,
                              "cannot run '%s' (%s): gnuplot is needed to draw %s/%s; "
                              "install it (Debian and Ubuntu: apt-get install gnuplot-nox) "
                              "or run it on the script later",
                              program, strerror(c.exec_status), dir, script);
    } else if (status != 0) {
        st = describe_failure(dir, stem, ext, status, text, err);
    } else {
        struct stat sb;
        char target[4096];
        snprintf(target, sizeof target, "%s/%s", dir, final);
        if (stat(path, &sb) != 0 || sb.st_size == 0)
            st = percap_error_set(err, PERCAP_EIO, NULL, 0, 0,
                                  "gnuplot wrote no image for %s/%s", dir, script);
        else if (rename(path, target) != 0)
            st = percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "cannot rename %s to %s: %s",
                                  path, target, strerror(errno));
        output_notes(text, notes);
    }
    if (st != PERCAP_OK)
        unlink(path);
    free(text);
    return st;
}

percap_status percap_render(const char *dir, const char *stem, unsigned formats,
                            const char *program, percap_notes *notes, percap_error *err)
{
    if (!dir || !*dir || !stem_ok(stem))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "rendering needs a directory and a plain script name");
    if (!(formats & (PERCAP_RENDER_PNG | PERCAP_RENDER_SVG)))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "no image format to render");
    if (!program || !*program)
        program = "gnuplot";
    static const struct {
        unsigned flag;
        const char *ext;
    } formats_in_order[] = {{PERCAP_RENDER_PNG, "png"}, {PERCAP_RENDER_SVG, "svg"}};
    for (size_t i = 0; i < 2; i++) {
        if (!(formats & formats_in_order[i].flag))
            continue;
        percap_status st = render_one(dir, stem, formats_in_order[i].ext, program, notes, err);
        if (st != PERCAP_OK)
            return st;
    }
    return PERCAP_OK;
}
