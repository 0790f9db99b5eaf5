/* CSV reading. libcsv does the splitting; this file adds what libcsv does
 * not know: physical line numbers for messages (the input is fed to libcsv
 * one line at a time, so a row's first line is known when it ends), the
 * byte-order mark, delimiter detection, and UTF-8/NUL validation. */
#include "percap/csv_read.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define CSV_READ_CHUNK (1 << 16)

typedef struct reader {
    const char *path;
    percap_csv_row_fn fn;
    void *ctx;
    percap_error *err;
    percap_status status;   /* first failure; stops further rows */
    char **fields;
    size_t nfields, cap;
    long line;              /* lines fed so far */
    long row_line;          /* line on which the current row started */
    long next_row_line;     /* where a row would start if one began now */
    bool row_open;
    size_t rows;            /* rows delivered, the header included */
} reader;

static void reader_reset_row(reader *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    r->nfields = 0;
    r->row_open = false;
}

static void on_field(void *data, size_t len, void *rp)
{
    reader *r = rp;
    if (r->status != PERCAP_OK)
        return;
    if (!r->row_open) {
        r->row_open = true;
        r->row_line = r->next_row_line;
    }
    const char *bytes = data ? data : "";
    if (memchr(bytes, '\0', len)) {
        r->status = percap_error_set(r->err, PERCAP_EDATA, r->path, r->row_line,
                                     (long)r->nfields + 1, "NUL byte in field");
        return;
    }
    if (!percap_utf8_valid(bytes, len)) {
        r->status = percap_error_set(r->err, PERCAP_EDATA, r->path, r->row_line,
                                     (long)r->nfields + 1,
                                     "invalid UTF-8 in field (save the file as UTF-8)");
        return;
    }
    if (r->nfields == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **f = realloc(r->fields, cap * sizeof *f);
        if (!f) {
            r->status = percap_error_set(r->err, PERCAP_ENOMEM, r->path, r->row_line,
                                         0, "out of memory");
            return;
        }
        r->fields = f;
        r->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        r->status = percap_error_set(r->err, PERCAP_ENOMEM, r->path, r->row_line, 0,
                                     "out of memory");
        return;
    }
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    r->fields[r->nfields++] = copy;
}

static void on_row(int term, void *rp)
{
    (void)term;
    reader *r = rp;
    if (r->status == PERCAP_OK && r->row_open) {
        r->rows++;
        r->status = r->fn(r->ctx, (const char *const *)r->fields, r->nfields,
                          r->row_line, r->err);
    }
    reader_reset_row(r);
}

static char detect_delimiter(const char *line, size_t len)
{
    static const char candidates[] = {',', ';', '\t'};
    size_t best_count = 0;
    char best = ',';
    for (size_t c = 0; c < sizeof candidates; c++) {
        size_t count = 0;
        bool quoted = false;
        for (size_t i = 0; i < len; i++) {
            if (line[i] == '"')
                quoted = !quoted;
            else if (!quoted && line[i] == candidates[c])
                count++;
        }
        if (count > best_count) {
            best_count = count;
            best = candidates[c];
        }
    }
    return best;
}

char percap_csv_delimiter_parse(const char *name)
{
    if (!strcmp(name, ",") || !strcmp(name, "comma"))
        return ',';
    if (!strcmp(name, ";") || !strcmp(name, "semicolon"))
        return ';';
    if (!strcmp(name, "\t") || !strcmp(name, "\\t") || !strcmp(name, "tab"))
        return '\t';
    return 0;
}

static const char *libcsv_problem(int code)
{
    switch (code) {
    case CSV_EPARSE: return "malformed quoting (a quote inside an unquoted field, "
                            "text after a closing quote, or an unterminated quote)";
    case CSV_ENOMEM: return "out of memory";
    case CSV_ETOOBIG: return "field too large";
    default: return "CSV parse error";
    }
}

/* Feeds one line (with its newline) to libcsv. */
static percap_status feed_line(struct csv_parser *p, reader *r,
                               const char *buf, size_t len)
{
    /* pstate 0 is libcsv's ROW_NOT_BEGUN: no field of a new row has been
     * seen, so a row that begins now begins on this line, even if its
     * first field ends lines later inside quotes. */
    if (!r->row_open && p->pstate == 0)
        r->next_row_line = r->line + 1;
    if (csv_parse(p, buf, len, on_field, on_row, r) != len && r->status == PERCAP_OK) {
        int code = csv_error(p);
        r->status = percap_error_set(r->err, code == CSV_ENOMEM ? PERCAP_ENOMEM : PERCAP_EDATA,
                                     r->path, r->row_open ? r->row_line : r->line + 1,
                                     (long)r->nfields + 1, "%s", libcsv_problem(code));
    }
    if (memchr(buf, '\n', len))
        r->line++;
    return r->status;
}

typedef struct line_source {
    FILE *fp;
    char *buf;
    size_t cap, len, pos;
    bool eof;
} line_source;

/* Next line including its '\n' (the last may lack one); *len 0 at end. */
static const char *next_line(line_source *s, size_t *len)
{
    for (;;) {
        char *nl = s->pos < s->len ? memchr(s->buf + s->pos, '\n', s->len - s->pos) : NULL;
        if (nl || (s->eof && s->pos < s->len)) {
            const char *start = s->buf + s->pos;
            size_t n = nl ? (size_t)(nl - start) + 1 : s->len - s->pos;
            s->pos += n;
            *len = n;
            return start;
        }
        if (s->eof) {
            *len = 0;
            return NULL;
        }
        if (s->pos > 0) {
            memmove(s->buf, s->buf + s->pos, s->len - s->pos);
            s->len -= s->pos;
            s->pos = 0;
        }
        if (s->cap - s->len < CSV_READ_CHUNK) {
            size_t cap = s->cap * 2 + CSV_READ_CHUNK;
            char *b = realloc(s->buf, cap);
            if (!b)
                return NULL;
            s->buf = b;
            s->cap = cap;
        }
        size_t got = fread(s->buf + s->len, 1, s->cap - s->len, s->fp);
        s->len += got;
        if (got == 0)
            s->eof = true;
    }
}

static bool blank_line(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != '\n' && line[i] != '\r' && line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

static percap_status read_all(struct csv_parser *p, reader *r, line_source *src,
                              const percap_csv_options *opts, char *used)
{
    size_t len;
    bool first = true, delimiter_set = false;
    const char *line;
    while ((line = next_line(src, &len)) != NULL) {
        if (first && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            line += 3;
            len -= 3;
        }
        first = false;
        /* the delimiter is read off the first line with content */
        if (!delimiter_set && !blank_line(line, len)) {
            char delim = opts && opts->delimiter ? opts->delimiter
                                                 : detect_delimiter(line, len);
            csv_set_delim(p, (unsigned char)delim);
            if (used)
                *used = delim;
            delimiter_set = true;
        }
        if (feed_line(p, r, line, len) != PERCAP_OK)
            return r->status;
    }
    if (ferror(src->fp))
        return percap_error_set(r->err, PERCAP_EIO, r->path, 0, 0,
                                "read error: %s", strerror(errno));
    if (!src->eof)
        return percap_error_set(r->err, PERCAP_ENOMEM, r->path, r->line, 0,
                                "out of memory (line too long?)");
    if (csv_fini(p, on_field, on_row, r) != 0 && r->status == PERCAP_OK)
        r->status = percap_error_set(r->err, PERCAP_EDATA, r->path,
                                     r->row_open ? r->row_line : r->next_row_line,
                                     (long)r->nfields + 1,
                                     "unterminated quoted field at end of file");
    if (r->status == PERCAP_OK && r->rows == 0)
        return percap_error_set(r->err, PERCAP_EDATA, r->path, 0, 0,
                                "empty file (a header row is required)");
    return r->status;
}

percap_status percap_csv_read(const char *path, const percap_csv_options *opts,
                              percap_csv_row_fn fn, void *ctx,
                              char *used_delimiter, percap_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return percap_error_set(err, PERCAP_EIO, path, 0, 0, "cannot open: %s",
                                strerror(errno));
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        if (!is_stdin)
            fclose(fp);
        return percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    }
    reader r = {.path = is_stdin ? "<stdin>" : path, .fn = fn, .ctx = ctx, .err = err};
    line_source src = {.fp = fp};
    percap_status st = read_all(&parser, &r, &src, opts, used_delimiter);
    if (st == PERCAP_CSV_STOP)
        st = PERCAP_OK;
    reader_reset_row(&r);
    free(r.fields);
    free(src.buf);
    csv_free(&parser);
    if (!is_stdin)
        fclose(fp);
    return st;
}
