/* Differential fuzz target: the fast CSV path against libcsv.
 *
 * Property: for any input, percap_csv_read (the fast scanner with libcsv
 * for the rows it will not vouch for) gives exactly what
 * percap_csv_read_reference (libcsv alone, fed a line at a time) gives:
 * the same rows, fields byte for byte, start lines, delimiter, status and
 * error ("file:line:column: message") -- with the default read size and
 * with a small one (so rows straddle reads), through the string and the
 * span interfaces, on the AVX2 kernel (where the CPU has it) and the
 * portable one. And a split read (csv_read_spans_split, cut into 2-4
 * parts however small the file) gives the same rows and error once its
 * parts are put back in order with their lines placed.
 *
 * Input: an optional first byte 0x01-0x07 (as in the other targets):
 * bits 0-1 the delimiter option (detect, ',', ';', tab), bit 2 the
 * portable kernel; the rest is the file. Build and run:
 * tests/fuzz/build.sh. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_fast.h"
#include "percap/csv_read.h"

/* A difference is a finding: abort, so libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                       \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "fuzz property violated at %s:%d: %s\n", __FILE__,  \
                    __LINE__, #cond);                                           \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* The readers take paths: one file per process, in memory if possible. */
static const char *write_input(const uint8_t *data, size_t size)
{
    static char path[128];
    if (!path[0])
        snprintf(path, sizeof path, "%s/percap-fuzz-csv-%ld.csv",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    FILE *fp = fopen(path, "wb");
    FUZZ_ASSERT(fp != NULL);
    FUZZ_ASSERT(size == 0 || fwrite(data, 1, size, fp) == size);
    FUZZ_ASSERT(fclose(fp) == 0);
    return path;
}

typedef struct out {
    char *p;
    size_t len, cap;
} out;

static void put(out *o, const void *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = realloc(o->p, o->cap);
        FUZZ_ASSERT(o->p != NULL);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void putf(out *o, const char *fmt, ...)
{
    char buf[2200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    FUZZ_ASSERT(n >= 0 && (size_t)n < sizeof buf);
    put(o, buf, (size_t)n);
}

static void put_row(out *o, long line, size_t n)
{
    putf(o, "[%ld:%zu]", line, n);
}

static percap_status on_strings(void *ctx, const char *const *f, size_t n, long line,
                                percap_error *err)
{
    (void)err;
    out *o = ctx;
    put_row(o, line, n);
    for (size_t i = 0; i < n; i++) {
        putf(o, "<%zu>", strlen(f[i]));
        put(o, f[i], strlen(f[i]));
    }
    return PERCAP_OK;
}

static void put_spans(out *o, const csv_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *v = malloc(f[i].len + 1);
        FUZZ_ASSERT(v != NULL);
        size_t len = csv_field_unescape(&f[i], v);
        putf(o, "<%zu>", len);
        put(o, v, len);
        free(v);
    }
}

static percap_status on_spans(void *ctx, const csv_field *f, size_t n, long line,
                              percap_error *err)
{
    (void)err;
    out *o = ctx;
    put_row(o, line, n);
    put_spans(o, f, n);
    return PERCAP_OK;
}

static void put_end(out *o, percap_status st, const percap_error *err, char used)
{
    char msg[2048];
    percap_error_format(err, msg, sizeof msg);
    putf(o, "|status %d delim %d", (int)st, (int)used);
    if (st != PERCAP_OK)
        putf(o, " code %d %s", (int)err->code, msg);
}

static void same(const out *a, const out *b, const char *what)
{
    if (a->len == b->len && memcmp(a->p, b->p, a->len) == 0)
        return;
    fprintf(stderr, "%s differs from libcsv\n--- libcsv:\n%.2000s\n--- %s:\n%.2000s\n", what,
            a->p, what, b->p);
    abort();
}

/* A part's rows, each with the line its part saw (placed afterwards). */
typedef struct part_out {
    long *lines;
    size_t n, cap;
    char **texts;
    bool skip_header;
} part_out;

static percap_status on_part(void *ctx, const csv_field *f, size_t n, long line,
                             percap_error *err)
{
    (void)err;
    part_out *p = ctx;
    if (p->skip_header) {
        p->skip_header = false;
        return PERCAP_OK;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->lines = realloc(p->lines, p->cap * sizeof *p->lines);
        p->texts = realloc(p->texts, p->cap * sizeof *p->texts);
        FUZZ_ASSERT(p->lines && p->texts);
    }
    out o = {0};
    putf(&o, ":%zu]", n);
    put_spans(&o, f, n);
    p->lines[p->n] = line;
    p->texts[p->n++] = o.p;
    return PERCAP_OK;
}

static void split_read(const char *path, const percap_csv_options *o, size_t nparts,
                       size_t split_min, out *res)
{
    part_out parts[4];
    csv_part cp[4];
    memset(parts, 0, sizeof parts);
    for (size_t k = 0; k < nparts; k++) {
        parts[k].skip_header = k > 0;
        cp[k].ctx = &parts[k];
    }
    csv_tuning t = {.chunk = 64, .split_min = split_min};
    percap_error err;
    percap_error_clear(&err);
    percap_status st = csv_read_spans_split(path, o, &t, on_part, cp, nparts, &err);
    for (size_t k = 0; k < nparts; k++) {
        for (size_t i = 0; i < parts[k].n; i++) {
            if (cp[k].used) {
                putf(res, "[%ld", parts[k].lines[i] + cp[k].line_offset);
                put(res, parts[k].texts[i], strlen(parts[k].texts[i]));
            }
            free(parts[k].texts[i]);
        }
        free(parts[k].lines);
        free(parts[k].texts);
    }
    put_end(res, st, &err, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delimiters[] = {0, ',', ';', '\t'};
    unsigned flags = 0;
    if (size > 0 && data[0] >= 0x01 && data[0] <= 0x07) {
        flags = data[0];
        data++;
        size--;
    }
    percap_csv_options o = {.delimiter = delimiters[flags & 3]};
    csv_kernel k = (flags & 4) || !csv_kernel_available(CSV_KERNEL_AVX2) ? CSV_KERNEL_SCALAR
                                                                          : CSV_KERNEL_AVX2;
    const char *path = write_input(data, size);

    out want = {0}, got = {0}, got_small = {0};
    percap_error err;
    char used = 0;
    percap_error_clear(&err);
    percap_status st = percap_csv_read_reference(path, &o, on_strings, &want, &used, &err);
    put_end(&want, st, &err, used);

    csv_tuning t = {.kernel = k};
    used = 0;
    percap_error_clear(&err);
    st = csv_read_tuned(path, &o, &t, on_strings, &got, &used, &err);
    put_end(&got, st, &err, used);
    same(&want, &got, "fast path");

    t.chunk = 1 + size % 67;
    used = 0;
    percap_error_clear(&err);
    st = csv_read_spans(path, &o, &t, on_spans, &got_small, &used, &err);
    put_end(&got_small, st, &err, used);
    same(&want, &got_small, "fast path, small reads, spans");

    /* the split read, against the sequential span read */
    out seq = {0}, split = {0};
    split_read(path, &o, 1, 1, &seq);
    split_read(path, &o, 2 + size % 3, 1, &split);
    same(&seq, &split, "split read");

    free(want.p);
    free(got.p);
    free(got_small.p);
    free(seq.p);
    free(split.p);
    return 0;
}
