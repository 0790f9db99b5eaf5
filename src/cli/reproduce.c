/* The reproduction engine: runs percap commands, keeps the manifest, and
 * writes the report only when every step succeeded.
 *
 * Steps run in forked copies of this process, in the order given and as
 * many at once as there are processors, while the report goes on: a step
 * is a whole percap command that writes its own files and reads none that
 * another step writes, so running them side by side changes no byte of
 * any output, and a fork costs far less than the rank intervals or funnel
 * limits a step computes. Reading a step's file back waits for that step
 * alone, so later steps (the charts) run while earlier long ones finish.
 * A shared step runs here instead, before any later one starts, so that
 * the copies running those inherit what it kept (rank_cache.h). */
#define _GNU_SOURCE /* syncfs */
#include "reproduce.h"

#include "analysis.h"
#include "rank_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64
#define MAX_ENTRIES 128
#define MAX_JOBS 16

/* DONE first: a step not yet set up counts as ended. */
enum step_state { STEP_DONE, STEP_QUEUED, STEP_RUNNING };

typedef struct entry {
    char *files;      /* the files made, separated by '\n' */
    char *command;    /* as the report shows it */
    char *inputs;     /* dataset files read, separated by '\n' */
    char *argv[MAX_ARGS]; /* the command to run, until it has ended */
    int argc;
    enum step_state state;
    bool here;        /* runs in this process: see repro_shared_step */
    pid_t pid;
} entry;

struct repro {
    const char *datasets, *out;
    bool render;
    int status;
    char *report;
    size_t len, cap;
    entry entries[MAX_ENTRIES];
    size_t nentries;
    size_t next;                /* the first step not yet started */
    size_t running, max_jobs;
};

/* PERCAP_THREADS, else one step per processor; 1 runs each step here. */
static size_t jobs_wanted(void)
{
    const char *e = getenv("PERCAP_THREADS");
    long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (size_t)n;
}

/* gnuplot on the PATH: without it the scripts are still written and the
 * report links them instead of showing pictures. */
static bool gnuplot_found(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path; p && *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, p);
        if (access(buf, X_OK) == 0)
            return true;
        p = end ? end + 1 : p + n;
    }
    return false;
}

repro *repro_alloc(const char *datasets, const char *out, bool render)
{
    repro *r = calloc(1, sizeof *r);
    if (r) {
        r->datasets = datasets;
        r->out = out;
        r->render = render && gnuplot_found();
        r->max_jobs = jobs_wanted();
        /* an inherited SIG_IGN would reap the steps before we learn how
         * they ended */
        if (r->max_jobs > 1)
            signal(SIGCHLD, SIG_DFL);
        /* the steps take the default registry: load it once, for all */
        cli_analysis_keep_registry(NULL);
        cli_rank_cache_keep();
        /* seventeen files, each waiting for the disk, took about as long
         * as all the arithmetic: one sync of the folder in repro_finish */
        cli_defer_sync(true);
    }
    return r;
}

static void free_argv(entry *e)
{
    for (int i = 0; i < e->argc; i++) {
        free(e->argv[i]);
        e->argv[i] = NULL;
    }
    e->argc = 0;
}

void repro_free(repro *r)
{
    if (!r)
        return;
    repro_wait(r);
    for (size_t i = 0; i < r->nentries; i++) {
        free_argv(&r->entries[i]);
        free(r->entries[i].files);
        free(r->entries[i].command);
        free(r->entries[i].inputs);
    }
    free(r->report);
    free(r);
    cli_analysis_drop_registry();
    cli_rank_cache_drop();
    cli_defer_sync(false);
}

int repro_status(const repro *r) { return r->status; }

void repro_fail(repro *r, int status)
{
    if (r->status == 0)
        r->status = status;
}

bool repro_rendering(const repro *r) { return r->render; }

/* Appends to a growable string; on failure the reproduction fails. */
static void append(repro *r, char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*cap + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b) {
            r->status = CLI_NOMEM;
            return;
        }
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

void repro_printf(repro *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        r->status = CLI_NOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    append(r, &r->report, &r->len, &r->cap, s, (size_t)n);
    free(s);
}

static char *joined(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* Shell-quotes an argument for display, only when it needs it. */
static void add_shown(repro *r, char **cmd, size_t *len, size_t *cap, const char *arg)
{
    bool plain = *arg != '\0';
    for (const char *p = arg; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./,=+-:@",
                       *p) != NULL;
    append(r, cmd, len, cap, " ", 1);
    if (plain) {
        append(r, cmd, len, cap, arg, strlen(arg));
        return;
    }
    append(r, cmd, len, cap, "'", 1);
    for (const char *p = arg; *p; p++)
        append(r, cmd, len, cap, *p == '\'' ? "'\\''" : p, *p == '\'' ? 4 : 1);
    append(r, cmd, len, cap, "'", 1);
}

/* Expands @D/ and @O/; returns the number of arguments made (the
 * reproduction fails when one cannot be). */
static int expand(repro *r, const char *const *args, char **argv, entry *e)
{
    size_t ilen = 0, icap = 0, clen = 0, ccap = 0;
    int n = 0;
    append(r, &e->command, &clen, &ccap, "percap", 6);
    for (; *args && n < MAX_ARGS - 4; args++, n++) {
        const char *a = *args;
        bool ds = strncmp(a, "@D/", 3) == 0, out = strncmp(a, "@O/", 3) == 0;
        argv[n] = ds ? joined(r->datasets, a + 3) : out ? joined(r->out, a + 3) : strdup(a);
        if (!argv[n]) {
            repro_fail(r, CLI_NOMEM);
            return n;
        }
        add_shown(r, &e->command, &clen, &ccap, argv[n]);
        if (ds) {
            append(r, &e->inputs, &ilen, &icap, argv[n], strlen(argv[n]));
            append(r, &e->inputs, &ilen, &icap, "\n", 1);
        }
    }
    return n;
}

static void step_ended(repro *r, entry *e, int status)
{
    e->state = STEP_DONE;
    free_argv(e);
    if (status == 0)
        return;
    fprintf(stderr, "percap: reproduce: this step failed: %s\n", e->command);
    repro_fail(r, status);
}

/* Starts a step in a copy of this process; or runs it here when one at a
 * time is wanted or no process can be had; or, after a failure, drops it. */
static void launch(repro *r, entry *e)
{
    pid_t pid = -1;
    if (r->status == 0 && r->max_jobs > 1 && !e->here) {
        fflush(NULL); /* or the copy would write again what is buffered here */
        pid = fork();
    }
    if (pid == 0) {
        int status = cli_dispatch(e->argc, e->argv);
        fflush(NULL);
        _exit(status);
    }
    if (pid > 0) {
        e->pid = pid;
        e->state = STEP_RUNNING;
        r->running++;
        return;
    }
    step_ended(r, e, r->status == 0 ? cli_dispatch(e->argc, e->argv) : 0);
}

/* Starts queued steps, in order, while processes are free. */
static void start_queued(repro *r)
{
    while (r->next < r->nentries && r->running < r->max_jobs) {
        entry *e = &r->entries[r->next++];
        if (e->state == STEP_QUEUED)
            launch(r, e);
    }
}

/* A step killed by a signal (a file size limit, the OOM killer) failed
 * for want of something outside percap: an I/O error, status 3. */
static int wait_status(int ws)
{
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    if (WIFSIGNALED(ws))
        fprintf(stderr, "percap: reproduce: a step was killed by signal %d (%s)\n",
                WTERMSIG(ws), strsignal(WTERMSIG(ws)));
    return CLI_IO;
}

/* Waits for a running step to end, then starts the next. */
static void reap_one(repro *r)
{
    int ws;
    pid_t pid = waitpid(-1, &ws, 0);
    if (pid < 0 && errno == EINTR)
        return;
    for (size_t i = 0; pid > 0 && i < r->nentries; i++)
        if (r->entries[i].state == STEP_RUNNING && r->entries[i].pid == pid) {
            r->running--;
            step_ended(r, &r->entries[i], wait_status(ws));
        }
    if (pid < 0) { /* no child left, so none can say how it ended */
        fprintf(stderr, "percap: reproduce: lost track of the steps: %s\n", strerror(errno));
        repro_fail(r, CLI_IO);
        for (size_t i = 0; i < r->nentries; i++)
            if (r->entries[i].state == STEP_RUNNING)
                step_ended(r, &r->entries[i], 0);
        r->running = 0;
    }
    start_queued(r);
}

static void wait_for(repro *r, const entry *e)
{
    start_queued(r);
    while (e->state != STEP_DONE && r->running > 0)
        reap_one(r);
}

void repro_wait(repro *r)
{
    start_queued(r);
    while (r->running > 0)
        reap_one(r);
}

/* The step that makes `file`; NULL if none does. */
static const entry *maker(const repro *r, const char *file)
{
    size_t n = strlen(file);
    for (size_t i = 0; i < r->nentries; i++)
        for (const char *f = r->entries[i].files; f && *f; f = strchr(f, '\n') + 1)
            if (strncmp(f, file, n) == 0 && f[n] == '\n')
                return &r->entries[i];
    return NULL;
}

/* Waits for the step that makes `file`, or for all when none does. */
static void wait_file(repro *r, const char *file)
{
    const entry *e = maker(r, file);
    if (e)
        wait_for(r, e);
    else
        repro_wait(r);
}

static int step(repro *r, const char *const *files, const char *const *args, bool add_output,
                bool here)
{
    if (r->status != 0 || r->nentries == MAX_ENTRIES)
        return r->status ? r->status : (r->status = CLI_USAGE);
    entry *e = &r->entries[r->nentries++];
    int argc = expand(r, args, e->argv, e);
    size_t flen = 0, fcap = 0;
    for (size_t i = 0; files[i]; i++) {
        append(r, &e->files, &flen, &fcap, files[i], strlen(files[i]));
        append(r, &e->files, &flen, &fcap, "\n", 1);
    }
    if (r->status == 0 && add_output) {
        size_t clen = strlen(e->command), ccap = clen + 1;
        e->argv[argc++] = strdup("-q");
        e->argv[argc++] = strdup("-o");
        e->argv[argc++] = joined(r->out, files[0]);
        if (!e->argv[argc - 3] || !e->argv[argc - 2] || !e->argv[argc - 1])
            repro_fail(r, CLI_NOMEM);
        else {
            add_shown(r, &e->command, &clen, &ccap, "-o");
            add_shown(r, &e->command, &clen, &ccap, e->argv[argc - 1]);
        }
    }
    e->argc = argc;
    e->here = here;
    e->state = STEP_QUEUED; /* dropped unstarted if anything failed */
    start_queued(r);
    return r->status;
}

int repro_step(repro *r, const char *file, const char *const *args)
{
    const char *files[] = {file, NULL};
    return step(r, files, args, true, false);
}

int repro_shared_step(repro *r, const char *file, const char *const *args)
{
    const char *files[] = {file, NULL};
    return step(r, files, args, true, true);
}

int repro_step_files(repro *r, const char *const *files, const char *const *args)
{
    return step(r, files, args, false, false);
}

percap_table *repro_table(repro *r, const char *file)
{
    wait_file(r, file);
    if (r->status != 0)
        return NULL;
    char *path = joined(r->out, file);
    percap_error err;
    percap_error_clear(&err);
    percap_table *t = path ? percap_table_read(path, NULL, &err) : NULL;
    if (!t)
        r->status = path ? cli_fail(&err) : CLI_NOMEM;
    free(path);
    return t;
}

const char *repro_command(const repro *r, const char *file)
{
    const entry *e = maker(r, file);
    return e && e->command ? e->command : "";
}

long repro_col(const percap_table *t, const char *column)
{
    return t ? percap_table_find(t, column) : -1;
}

long repro_row(const percap_table *t, const char *code)
{
    long c = repro_col(t, "region_code");
    for (size_t i = 0; c >= 0 && i < percap_table_rows(t); i++)
        if (strcmp(percap_table_cell(t, i, (size_t)c), code) == 0)
            return (long)i;
    return -1;
}

const char *repro_at(const percap_table *t, long row, long col)
{
    return t && row >= 0 && col >= 0 && (size_t)row < percap_table_rows(t)
               ? percap_table_cell(t, (size_t)row, (size_t)col)
               : "";
}

double repro_num(const percap_table *t, long row, long col)
{
    double v;
    return percap_parse_number(repro_at(t, row, col), &v) == PERCAP_NUM_OK ? v : NAN;
}

const char *repro_text(const percap_table *t, const char *code, const char *column)
{
    return repro_at(t, repro_row(t, code), repro_col(t, column));
}

double repro_value(const percap_table *t, const char *code, const char *column)
{
    return repro_num(t, repro_row(t, code), repro_col(t, column));
}

double repro_cell(const percap_table *t, size_t row, const char *column)
{
    return repro_num(t, (long)row, repro_col(t, column));
}

const char *repro_cell_text(const percap_table *t, size_t row, const char *column)
{
    return repro_at(t, (long)row, repro_col(t, column));
}

const char *repro_datasets(const repro *r) { return r->datasets; }

const char *repro_p(char *buf, size_t size, double p)
{
    if (isnan(p))
        snprintf(buf, size, "n/a");
    else if (p < 0.0001)
        snprintf(buf, size, "< 0.0001");
    else
        snprintf(buf, size, "%.4f", p);
    return buf;
}

/* Only for percap's own JSON, whose top-level keys are unique and whose
 * numbers are plain: no general parser is needed. */
double repro_json_number(repro *r, const char *file, const char *key)
{
    wait_file(r, file);
    char *path = joined(r->out, file), pattern[128], buf[1 << 16];
    FILE *fp = path ? fopen(path, "rb") : NULL;
    size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    if (fp)
        fclose(fp);
    free(path);
    buf[n] = '\0';
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(buf, pattern);
    double v;
    char num[64] = "";
    if (at)
        sscanf(at + strlen(pattern), "%63[-+0-9.eE]", num);
    return percap_parse_number(num, &v) == PERCAP_NUM_OK ? v : NAN;
}

void repro_chart(repro *r, const char *dir, const char *kind, const char *caption,
                 const char *const *args)
{
    const char *argv[MAX_ARGS];
    char out[512], files[3][600], stem[64];
    size_t n = 0;
    snprintf(stem, sizeof stem, "%s", kind);
    for (char *p = stem; *p; p++)
        if (*p == '-')
            *p = '_';
    snprintf(out, sizeof out, "@O/%s", dir);
    argv[n++] = "plot";
    argv[n++] = kind;
    for (; *args && n < MAX_ARGS - 8; args++)
        argv[n++] = *args;
    argv[n++] = "--out";
    argv[n++] = out;
    if (r->render) {
        argv[n++] = "--render";
        argv[n++] = "png,svg";
    }
    argv[n++] = "-q";
    argv[n] = NULL;
    snprintf(files[0], sizeof files[0], "%s/%s.gp", dir, stem);
    snprintf(files[1], sizeof files[1], "%s/%s.png", dir, stem);
    snprintf(files[2], sizeof files[2], "%s/%s.svg", dir, stem);
    const char *made[4] = {files[0], NULL, NULL, NULL};
    if (r->render) {
        made[1] = files[1];
        made[2] = files[2];
    }
    repro_step_files(r, made, argv);
    if (r->render)
        repro_printf(r, "\n![%s](%s)\n\n*%s* (`%s`, `%s`, `%s`)\n", caption, files[1], caption,
                     files[0], files[1], files[2]);
    else
        repro_printf(r, "\n*%s*: `%s` (gnuplot was not found, so only the script was "
                        "written; run `gnuplot %s.gp` in `%s` to draw it)\n",
                     caption, files[0], stem, dir);
}

static void json_lines(FILE *fp, const char *lines)
{
    fputc('[', fp);
    for (const char *p = lines; p && *p;) {
        const char *nl = strchr(p, '\n');
        char *item = strndup(p, (size_t)(nl - p));
        if (p != lines)
            fputc(',', fp);
        percap_output_json_string(fp, item ? item : "");
        free(item);
        p = nl + 1;
    }
    fputc(']', fp);
}

static percap_status write_manifest(FILE *fp, const void *ctx, percap_error *err)
{
    const repro *r = ctx;
    fputs("{\"files\":[\n", fp);
    for (size_t i = 0; i < r->nentries; i++) {
        const entry *e = &r->entries[i];
        fputs("{\"files\":", fp);
        json_lines(fp, e->files);
        fputs(",\"command\":", fp);
        percap_output_json_string(fp, e->command);
        fputs(",\"inputs\":", fp);
        json_lines(fp, e->inputs);
        fputs(i + 1 < r->nentries ? "},\n" : "}\n", fp);
    }
    fputs("]}\n", fp);
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}

static percap_status write_report(FILE *fp, const void *ctx, percap_error *err)
{
    const repro *r = ctx;
    fputs(r->report ? r->report : "", fp);
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}

/* One sync of the folder's file system makes the steps' files and the
 * report and manifest, still under temporary names, durable together;
 * only then are those two renamed into place. A crash leaves no report
 * naming a file not on the disk, nor an empty report over a good one.
 * Before Linux 5.8 syncfs does not report write-back errors; every write
 * was checked as it was made. */
static int sync_outputs(repro *r)
{
    int fd = open(r->out, O_RDONLY);
#ifdef __linux__
    int rc = fd < 0 ? -1 : syncfs(fd);
#else
    int rc = fd < 0 ? -1 : (sync(), 0);
#endif
    if (rc != 0)
        fprintf(stderr, "percap: reproduce: %s: cannot sync the outputs to disk: %s\n", r->out,
                strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc == 0 ? 0 : CLI_IO;
}

/* Writes `name` in the output folder under a temporary name, checked
 * and closed; NULL after reporting a failure. */
static percap_atomic_file *write_closed(repro *r, const char *name, cli_writer write)
{
    percap_error err;
    percap_error_clear(&err);
    char *path = joined(r->out, name);
    percap_atomic_file *f = path ? percap_atomic_open(path, &err) : NULL;
    free(path);
    if (!f) {
        r->status = path ? cli_fail(&err) : CLI_NOMEM;
        return NULL;
    }
    percap_atomic_set_sync(f, false);
    if (write(percap_atomic_stream(f), r, &err) != PERCAP_OK ||
        percap_atomic_close(f, &err) != PERCAP_OK) {
        percap_atomic_abort(f);
        r->status = cli_fail(&err);
        return NULL;
    }
    return f;
}

static void commit(repro *r, percap_atomic_file *f)
{
    percap_error err;
    percap_error_clear(&err);
    if (percap_atomic_commit(f, &err) != PERCAP_OK && r->status == 0)
        r->status = cli_fail(&err);
}

int repro_finish(repro *r)
{
    repro_wait(r);
    percap_atomic_file *manifest = NULL, *report = NULL;
    if (r->status == 0)
        manifest = write_closed(r, "manifest.json", write_manifest);
    if (r->status == 0)
        report = write_closed(r, "report.md", write_report);
    if (r->status == 0)
        r->status = sync_outputs(r);
    if (r->status == 0)
        commit(r, manifest);
    else
        percap_atomic_abort(manifest);
    if (r->status == 0) /* no report without its manifest */
        commit(r, report);
    else
        percap_atomic_abort(report);
    return r->status;
}
