/* In-memory CSV tables: one allocation per cell is fine at the sizes these
 * hold (a few thousand areas); record lists are streamed instead. */
#include "percap/table.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct percap_table {
    char *path;
    size_t ncols, nrows, cap;
    char **header;
    char **cells;    /* nrows x ncols */
    long *lines;
    percap_error *err;
    bool delimiter_guessed; /* then field-count errors say which one was taken */
    char delimiter;         /* set by the reader before the first row arrives */
};

/* Column names match ignoring case and surrounding spaces, on both sides:
 * a name is the span [p, p + len) of its header cell without those spaces. */
typedef struct name_span {
    const char *p;
    size_t len, col;
} name_span;

static name_span trimmed_name(const char *s, size_t col)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return (name_span){s, n, col};
}

/* Orders names so that matching ones are neighbours, each run of them in
 * column order. */
static bool same_span(name_span a, name_span b)
{
    return a.len == b.len && strncasecmp(a.p, b.p, a.len) == 0;
}

static int by_name_then_column(const void *pa, const void *pb)
{
    const name_span *a = pa, *b = pb;
    int c = strncasecmp(a->p, b->p, a->len < b->len ? a->len : b->len);
    if (c == 0)
        c = (a->len > b->len) - (a->len < b->len);
    if (c == 0)
        c = (a->col > b->col) - (a->col < b->col);
    return c;
}

/* The first column (left to right) whose name an earlier column has
 * already used. Sorting keeps this n log n: exports with 100,000 columns
 * exist, and comparing every pair of them took minutes. Returns ncols if
 * there is none, ncols + 1 if out of memory. */
static size_t first_duplicate(char *const *header, size_t ncols)
{
    name_span *v = malloc((ncols ? ncols : 1) * sizeof *v);
    if (!v)
        return ncols + 1;
    size_t n = 0;
    for (size_t i = 0; i < ncols; i++)
        if (header[i][0] != '\0')
            v[n++] = trimmed_name(header[i], i);
    qsort(v, n, sizeof *v, by_name_then_column);
    size_t first = ncols;
    for (size_t i = 1; i < n; i++)
        if (same_span(v[i], v[i - 1]) && v[i].col < first)
            first = v[i].col;
    free(v);
    return first;
}

static percap_status check_header(percap_table *t, long line)
{
    size_t i = first_duplicate(t->header, t->ncols);
    if (i > t->ncols)
        return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0, "out of memory");
    if (i < t->ncols)
        return percap_error_set(t->err, PERCAP_EDATA, t->path, line, (long)i + 1,
                                "duplicate column name ('%s')", t->header[i]);
    return PERCAP_OK;
}

static percap_status take_header(percap_table *t, const char *const *fields,
                                 size_t n, long line)
{
    t->header = calloc(n, sizeof *t->header);
    if (!t->header)
        return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0, "out of memory");
    t->ncols = n;
    for (size_t i = 0; i < n; i++)
        if (!(t->header[i] = strdup(fields[i])))
            return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0,
                                    "out of memory");
    return check_header(t, line);
}

static percap_status grow(percap_table *t, long line)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
    if (!cells)
        return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0, "out of memory");
    t->cells = cells;
    long *lines = realloc(t->lines, cap * sizeof *lines);
    if (!lines)
        return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0, "out of memory");
    t->lines = lines;
    t->cap = cap;
    return PERCAP_OK;
}

static const char *delimiter_name(char d)
{
    return d == ';' ? "';'" : d == '\t' ? "a tab" : "','";
}

static percap_status on_row(void *ctx, const char *const *fields, size_t n,
                            long line, percap_error *err)
{
    percap_table *t = ctx;
    (void)err;
    if (!t->header)
        return take_header(t, fields, n, line);
    if (n != t->ncols)
        return percap_error_set(t->err, PERCAP_EDATA, t->path, line,
                                (long)(n < t->ncols ? n + 1 : t->ncols + 1),
                                "row has %zu field%s, the header has %zu%s%s%s", n,
                                n == 1 ? "" : "s", t->ncols,
                                t->delimiter_guessed ? " (the delimiter was taken to be " : "",
                                t->delimiter_guessed ? delimiter_name(t->delimiter) : "",
                                t->delimiter_guessed ? ")" : "");
    if (t->nrows == t->cap && grow(t, line) != PERCAP_OK)
        return t->err->code;
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < n; i++) {
        if (!(row[i] = strdup(fields[i]))) {
            for (size_t j = 0; j < i; j++)
                free(row[j]);
            return percap_error_set(t->err, PERCAP_ENOMEM, t->path, line, 0,
                                    "out of memory");
        }
    }
    t->lines[t->nrows++] = line;
    return PERCAP_OK;
}

percap_table *percap_table_read(const char *path, const percap_csv_options *opts,
                                percap_error *err)
{
    percap_error local;
    if (!err)
        err = &local;
    percap_table *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    t->err = err;
    t->delimiter_guessed = !(opts && opts->delimiter);
    if (percap_csv_read(path, opts, on_row, t, &t->delimiter, err) != PERCAP_OK) {
        percap_table_free(t);
        return NULL;
    }
    t->err = NULL;
    return t;
}

void percap_table_free(percap_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    if (t->header)
        for (size_t i = 0; i < t->ncols; i++)
            free(t->header[i]);
    free(t->header);
    free(t->cells);
    free(t->lines);
    free(t->path);
    free(t);
}

const char *percap_table_path(const percap_table *t) { return t->path; }
size_t percap_table_rows(const percap_table *t) { return t->nrows; }
size_t percap_table_cols(const percap_table *t) { return t->ncols; }
const char *percap_table_header(const percap_table *t, size_t col) { return t->header[col]; }
long percap_table_line(const percap_table *t, size_t row) { return t->lines[row]; }

const char *percap_table_cell(const percap_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

long percap_table_find(const percap_table *t, const char *name)
{
    name_span wanted = trimmed_name(name, 0);
    for (size_t i = 0; i < t->ncols; i++)
        if (same_span(trimmed_name(t->header[i], i), wanted))
            return (long)i;
    return -1;
}

percap_status percap_table_require(const percap_table *t, const char *name,
                                   const char *role, size_t *col, percap_error *err)
{
    long c = percap_table_find(t, name);
    if (c >= 0) {
        *col = (size_t)c;
        return PERCAP_OK;
    }
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < t->ncols && used < sizeof list - 8; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "",
                         t->header[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return percap_error_set(err, PERCAP_EDATA, t->path, 1, 0,
                            "no %s column '%s' (columns: %s)", role, name, list);
}
