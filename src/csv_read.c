/* CSV reading. libcsv is the reference parser: it reads every row the
 * fast scanner (csv_fast.c) does not vouch for, and alone it is
 * percap_csv_read_reference. This file adds what libcsv does not know:
 * physical line numbers for messages (the input is fed to libcsv one line
 * at a time, so a row's first line is known when it ends), the byte-order
 * mark, delimiter detection, and UTF-8/NUL validation; and it keeps the
 * read buffer both parsers work from, so memory does not grow with the
 * number of rows. */
#include "percap/csv_read.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_fast.h"
#include "sys_error.h"
#include "utf8.h"

#define CSV_READ_CHUNK ((size_t)1 << 20)

typedef struct reader {
    const char *path;
    percap_csv_row_fn fn;   /* rows as strings, or ... */
    csv_span_fn span_fn;    /* ... as spans */
    void *ctx;
    percap_error *err;
    percap_status status;   /* first failure; stops further rows */
    char **fields;          /* libcsv's row: copies */
    size_t *lens;
    size_t nfields, cap;
    csv_field *spans;       /* libcsv's row as spans, for span_fn */
    const char **ptrs;      /* a fast row as strings, for fn */
    size_t ptrs_cap;
    long line;              /* lines fed to libcsv so far */
    long row_line;          /* line on which the current row started */
    long next_row_line;     /* where a row would start if one began now */
    bool row_open;
    size_t rows;            /* rows libcsv delivered, the header included */
    size_t fallbacks;       /* times the scanner handed over to libcsv */
} reader;

typedef enum line_ends { ENDS_UNKNOWN, ENDS_LF, ENDS_CR } line_ends;

typedef struct stream {
    FILE *fp;
    char *buf;              /* cap + CSV_FAST_PAD bytes */
    size_t cap, len;
    size_t base;            /* file offset of buf[0] */
    bool eof;
    line_ends ends;
    size_t scanned;         /* until the line ends are known: searched so far */
    bool quoted;            /* ... and whether that ends inside quotes */
} stream;

/* Where a run stopped, as a file offset (a row's start) and its line. */
typedef struct run_end {
    csv_stop why;           /* DONE, LIMIT, or STATUS from the fast scanner */
    size_t at;
    long line;
    bool cr_lines;          /* the file ends its lines with a lone CR */
} run_end;

static void reader_reset_row(reader *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    r->nfields = 0;
    r->row_open = false;
}

static bool reader_room(reader *r)
{
    if (r->nfields < r->cap)
        return true;
    size_t cap = r->cap ? r->cap * 2 : 16;
    char **f = realloc(r->fields, cap * sizeof *f);
    if (f)
        r->fields = f;
    size_t *l = f ? realloc(r->lens, cap * sizeof *l) : NULL;
    if (l)
        r->lens = l;
    csv_field *s = l ? realloc(r->spans, cap * sizeof *s) : NULL;
    if (s) {
        r->spans = s;
        r->cap = cap;
    }
    return s != NULL;
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
    char *copy = reader_room(r) ? malloc(len + 1) : NULL;
    if (!copy) {
        r->status = percap_error_set(r->err, PERCAP_ENOMEM, r->path, r->row_line, 0,
                                     "out of memory");
        return;
    }
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    r->lens[r->nfields] = len;
    r->fields[r->nfields++] = copy;
}

static percap_status deliver_copies(reader *r)
{
    r->rows++;
    if (r->fn)
        return r->fn(r->ctx, (const char *const *)r->fields, r->nfields, r->row_line, r->err);
    for (size_t i = 0; i < r->nfields; i++)
        r->spans[i] = (csv_field){.p = r->fields[i], .len = r->lens[i], .raw = false};
    return r->span_fn(r->ctx, r->spans, r->nfields, r->row_line, r->err);
}

static void on_row(int term, void *rp)
{
    (void)term;
    reader *r = rp;
    if (r->status == PERCAP_OK && r->row_open)
        r->status = deliver_copies(r);
    reader_reset_row(r);
    /* a row that ends mid-line (at a lone CR) leaves the next one to
     * start on the line being fed */
    r->next_row_line = r->line + 1;
}

/* A row the fast scanner accepted, as strings: each value is finished in
 * place in the read buffer (quotes undoubled, a NUL after it), which the
 * scanner no longer needs. */
static percap_status deliver_strings(void *ctx, const csv_field *f, size_t n, long line,
                                     percap_error *err)
{
    reader *r = ctx;
    if (n > r->ptrs_cap) {
        size_t cap = n > 2 * r->ptrs_cap ? n : 2 * r->ptrs_cap;
        const char **p = realloc(r->ptrs, cap * sizeof *p);
        if (!p)
            return percap_error_set(err, PERCAP_ENOMEM, r->path, line, 0, "out of memory");
        r->ptrs = p;
        r->ptrs_cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        char *v = (char *)f[i].p; /* the reader's own buffer */
        v[csv_field_unescape(&f[i], v)] = '\0';
        r->ptrs[i] = v;
    }
    return r->fn(r->ctx, r->ptrs, n, line, err);
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
        /* the row's own line, as for every other error in a row */
        r->status = percap_error_set(r->err, code == CSV_ENOMEM ? PERCAP_ENOMEM : PERCAP_EDATA,
                                     r->path, r->row_open ? r->row_line : r->next_row_line,
                                     (long)r->nfields + 1, "%s", libcsv_problem(code));
    }
    if (memchr(buf, '\n', len))
        r->line++;
    return r->status;
}

static percap_status finish_libcsv(struct csv_parser *p, reader *r)
{
    if (csv_fini(p, on_field, on_row, r) != 0 && r->status == PERCAP_OK)
        r->status = percap_error_set(r->err, PERCAP_EDATA, r->path,
                                     r->row_open ? r->row_line : r->next_row_line,
                                     (long)r->nfields + 1,
                                     "unterminated quoted field at end of file");
    return r->status;
}

/* How the file ends its lines, from its first line end outside quotes:
 * a lone CR (classic Mac; Excel for Mac's "CSV (Macintosh)" still writes
 * it), or LF (with or without a CR before it). The search goes on from
 * where the last read left it (file offset s->scanned; lines fed to
 * libcsv may have left the buffer meanwhile); *at is where it ended. */
static line_ends first_line_end(stream *s, size_t *at)
{
    size_t i = s->scanned > s->base ? s->scanned - s->base : 0;
    for (; i < s->len; i++) {
        char c = s->buf[i];
        s->quoted ^= c == '"';
        if (s->quoted || (c != '\n' && c != '\r'))
            continue;
        *at = i;
        if (c == '\n')
            return ENDS_LF;
        if (i + 1 < s->len)
            return s->buf[i + 1] == '\n' ? ENDS_LF : ENDS_CR;
        if (s->eof)
            return ENDS_LF;
        break; /* a CR last: the next read tells */
    }
    s->scanned = s->base + i;
    *at = s->len;
    return s->eof ? ENDS_LF : ENDS_UNKNOWN;
}

/* Lone-CR files are read as if every CR after the first row's start were
 * an LF: line numbers then count their lines, and the fast scanner takes
 * their rows (it hands back any row with a lone CR). Bytes before the
 * first line end are left alone, so that how much each read brings in
 * (and which parser read them) changes nothing. Bytes from `from` on are
 * new. */
static void settle_line_ends(stream *s, size_t from)
{
    if (s->ends == ENDS_UNKNOWN)
        s->ends = first_line_end(s, &from);
    if (s->ends != ENDS_CR)
        return;
    for (char *c = memchr(s->buf + from, '\r', s->len - from); c;
         c = memchr(c + 1, '\r', (size_t)(s->buf + s->len - c - 1)))
        *c = '\n';
}

/* Keeps buf[*pos, len), moved to the front (*pos becomes 0), and reads
 * more after it, growing the buffer only when that row fills it. The
 * padding the fast scanner reads past the data is set here. */
static percap_status stream_more(stream *s, size_t *pos, reader *r)
{
    memmove(s->buf, s->buf + *pos, s->len - *pos);
    s->len -= *pos;
    s->base += *pos;
    *pos = 0;
    /* a row longer than half the buffer: double it, so reads stay large */
    if (s->len > s->cap / 2) {
        size_t cap = s->cap * 2;
        char *b = cap > s->cap ? realloc(s->buf, cap + CSV_FAST_PAD) : NULL;
        if (!b)
            return percap_error_set(r->err, PERCAP_ENOMEM, r->path, r->line + 1, 0,
                                    "out of memory (line too long?)");
        s->buf = b;
        s->cap = cap;
    }
    /* all the room: a row longer than the buffer is rescanned from its
     * start after each read, so reads must grow with the buffer */
    size_t want = s->cap - s->len, from = s->len;
    size_t got = fread(s->buf + s->len, 1, want, s->fp);
    s->len += got;
    if (got < want) {
        if (ferror(s->fp))
            return sys_error(r->err, r->path, "read error");
        s->eof = true;
    }
    settle_line_ends(s, from);
    memset(s->buf + s->len, ' ', CSV_FAST_PAD);
    if (s->eof)
        s->buf[s->len] = '\n'; /* ends a last line that has no LF */
    return PERCAP_OK;
}

/* Reads until buf holds `n` bytes from *pos or the input ends. */
static percap_status stream_need(stream *s, size_t *pos, size_t n, reader *r)
{
    percap_status st = PERCAP_OK;
    while (st == PERCAP_OK && s->len - *pos < n && !s->eof)
        st = stream_more(s, pos, r);
    return st;
}

/* Feeds libcsv whole lines from *pos: with `resync`, until it stands
 * between rows at a line's end (then *pos and *line are where the fast
 * scanner takes over); without, to the end (*done). */
static percap_status run_libcsv(reader *r, struct csv_parser *p, stream *s, size_t *pos,
                                long *line, bool resync, bool *done)
{
    r->line = *line - 1;
    for (;;) {
        const char *start = s->buf + *pos;
        const char *nl = memchr(start, '\n', s->len - *pos);
        if (!nl && !s->eof) {
            percap_status st = stream_more(s, pos, r);
            if (st != PERCAP_OK)
                return st;
            continue;
        }
        size_t n = nl ? (size_t)(nl - start) + 1 : s->len - *pos;
        if (n > 0 && feed_line(p, r, start, n) != PERCAP_OK)
            return r->status;
        *pos += n;
        if (!nl) {
            *done = true;
            return finish_libcsv(p, r);
        }
        if (resync && !r->row_open && p->pstate == 0) {
            *line = r->line + 1;
            return PERCAP_OK;
        }
    }
}

/* The fast scanner, with libcsv for the rows it will not vouch for, from
 * buffer position pos (on `line`) until the end of the input or the
 * first row that starts at file offset `limit` or later. */
static percap_status run_fast(reader *r, struct csv_parser *p, stream *s, csv_fast *scan,
                              size_t pos, long line, size_t limit, run_end *end)
{
    end->why = CSV_STOP_STATUS;
    for (;;) {
        scan->limit = limit == SIZE_MAX ? SIZE_MAX : limit > s->base ? limit - s->base : 0;
        csv_stop why = csv_fast_scan(scan, s->buf, pos, s->len, s->eof, line);
        pos = scan->stop_pos;
        line = scan->stop_line;
        *end = (run_end){.why = why, .at = s->base + pos, .line = line};
        bool done = false;
        percap_status st = PERCAP_OK;
        switch (why) {
        case CSV_STOP_DONE:
        case CSV_STOP_LIMIT:
            return PERCAP_OK;
        case CSV_STOP_STATUS:
            return scan->status;
        case CSV_STOP_NOMEM:
            return percap_error_set(r->err, PERCAP_ENOMEM, r->path, line, 0, "out of memory");
        case CSV_STOP_MORE:
            r->line = line - 1;
            st = stream_more(s, &pos, r);
            break;
        case CSV_STOP_FALLBACK:
            r->fallbacks++;
            st = run_libcsv(r, p, s, &pos, &line, true, &done);
            end->why = done ? CSV_STOP_DONE : CSV_STOP_FALLBACK;
            break;
        }
        if (st != PERCAP_OK || done)
            return st;
    }
}

static bool blank_line(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != '\n' && line[i] != '\r' && line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

/* The delimiter is read off the first line with content; *found is false
 * when there is none. Leaves the data from *pos in the buffer. */
static percap_status find_delimiter(reader *r, stream *s, size_t *pos,
                                    const percap_csv_options *opts, char *delim, bool *found)
{
    size_t at = 0; /* from *pos */
    *found = false;
    for (;;) {
        const char *line = s->buf + *pos + at;
        const char *nl = memchr(line, '\n', s->len - *pos - at);
        if (!nl && !s->eof) {
            percap_status st = stream_more(s, pos, r);
            if (st != PERCAP_OK)
                return st;
            continue;
        }
        size_t n = nl ? (size_t)(nl - line) + 1 : s->len - *pos - at;
        if (n == 0)
            return PERCAP_OK;
        if (!blank_line(line, n)) {
            *delim = opts && opts->delimiter ? opts->delimiter : detect_delimiter(line, n);
            *found = true;
            return PERCAP_OK;
        }
        at += n;
    }
}

static void scan_init(csv_fast *scan, reader *r, char delim, const csv_tuning *tune)
{
    *scan = (csv_fast){.delimiter = delim, .kernel = tune ? tune->kernel : CSV_KERNEL_AUTO,
                       .fn = r->fn ? deliver_strings : r->span_fn,
                       .ctx = r->fn ? (void *)r : r->ctx, .err = r->err, .limit = SIZE_MAX};
}

/* From the start of the input: the byte-order mark, the delimiter, then
 * every row up to `limit` (a file offset; SIZE_MAX for all). */
static percap_status read_stream(reader *r, stream *s, struct csv_parser *p,
                                 const percap_csv_options *opts, const csv_tuning *tune,
                                 char *used, size_t limit, run_end *end)
{
    size_t pos = 0;
    percap_status st = stream_need(s, &pos, 3, r);
    if (st != PERCAP_OK)
        return st;
    if (s->len >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    char delim = ',';
    bool found;
    st = find_delimiter(r, s, &pos, opts, &delim, &found);
    if (st != PERCAP_OK)
        return st;
    if (found && used)
        *used = delim;
    csv_set_delim(p, (unsigned char)delim);
    csv_fast scan;
    scan_init(&scan, r, delim, tune);
    long line = 1;
    bool done = false;
    if (tune && tune->reference)
        st = run_libcsv(r, p, s, &pos, &line, false, &done);
    else
        st = run_fast(r, p, s, &scan, pos, line, limit, end);
    size_t rows = r->rows + scan.rows;
    if (tune && tune->stats)
        *tune->stats = (csv_stats){.fast_rows = scan.rows, .libcsv_rows = r->rows,
                                   .fallbacks = r->fallbacks};
    csv_fast_free(&scan);
    if (st == PERCAP_OK && rows == 0)
        return percap_error_set(r->err, PERCAP_EDATA, r->path, 0, 0,
                                "empty file (a header row is required)");
    return st;
}

static void reader_free(reader *r)
{
    reader_reset_row(r);
    free(r->fields);
    free(r->lens);
    free(r->spans);
    free(r->ptrs);
}

/* A whole read buffer for a small file would be mostly untouched memory,
 * and loading many small files (or one file many times, as the fuzzers
 * do) would pay for it each time: a regular file gets what it needs. */
static size_t input_chunk(FILE *fp, size_t at)
{
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
        return CSV_READ_CHUNK;
    size_t left = (size_t)st.st_size > at ? (size_t)st.st_size - at : 0;
    if (left >= CSV_READ_CHUNK)
        return CSV_READ_CHUNK;
    return left < 4096 ? 4096 : left + 1;
}

/* Opens path ("-": standard input) at file offset `at`. */
static percap_status open_input(const char *path, size_t at, const csv_tuning *tune,
                                stream *s, reader *r)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return sys_error(r->err, path, "cannot open");
    r->path = is_stdin ? "<stdin>" : path;
    if (at > 0 && fseeko(fp, (off_t)at, SEEK_SET) != 0) {
        int e = errno; /* fclose may change it */
        fclose(fp);
        errno = e;
        return sys_error(r->err, path, "cannot seek");
    }
    size_t chunk = tune && tune->chunk ? tune->chunk : input_chunk(fp, at);
    /* a part of a split file: only LF files are split */
    *s = (stream){.fp = fp, .cap = chunk, .base = at, .ends = at > 0 ? ENDS_LF : ENDS_UNKNOWN,
                  .buf = malloc(chunk + CSV_FAST_PAD)};
    if (!s->buf) {
        if (!is_stdin)
            fclose(fp);
        return percap_error_set(r->err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    }
    return PERCAP_OK;
}

static void close_input(stream *s)
{
    free(s->buf);
    if (s->fp != stdin)
        fclose(s->fp);
}

static percap_status read_any(const char *path, const percap_csv_options *opts,
                              const csv_tuning *tune, reader *r, char *used, size_t limit,
                              run_end *end)
{
    stream s;
    percap_status st = open_input(path, 0, tune, &s, r);
    if (st != PERCAP_OK)
        return st;
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        close_input(&s);
        return percap_error_set(r->err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    }
    run_end ignored;
    st = read_stream(r, &s, &parser, opts, tune, used, limit, end ? end : &ignored);
    if (end)
        end->cr_lines = s.ends == ENDS_CR;
    if (st == PERCAP_CSV_STOP)
        st = PERCAP_OK;
    reader_free(r);
    csv_free(&parser);
    close_input(&s);
    return st;
}

percap_status csv_read_tuned(const char *path, const percap_csv_options *opts,
                             const csv_tuning *tune, percap_csv_row_fn fn, void *ctx,
                             char *used_delimiter, percap_error *err)
{
    reader r = {.fn = fn, .ctx = ctx, .err = err};
    return read_any(path, opts, tune, &r, used_delimiter, SIZE_MAX, NULL);
}

percap_status csv_read_spans(const char *path, const percap_csv_options *opts,
                             const csv_tuning *tune, csv_span_fn fn, void *ctx,
                             char *used_delimiter, percap_error *err)
{
    reader r = {.span_fn = fn, .ctx = ctx, .err = err};
    return read_any(path, opts, tune, &r, used_delimiter, SIZE_MAX, NULL);
}

percap_status percap_csv_read(const char *path, const percap_csv_options *opts,
                              percap_csv_row_fn fn, void *ctx,
                              char *used_delimiter, percap_error *err)
{
    return csv_read_tuned(path, opts, NULL, fn, ctx, used_delimiter, err);
}

percap_status percap_csv_read_reference(const char *path, const percap_csv_options *opts,
                                        percap_csv_row_fn fn, void *ctx,
                                        char *used_delimiter, percap_error *err)
{
    csv_tuning t = {.reference = true};
    return csv_read_tuned(path, opts, &t, fn, ctx, used_delimiter, err);
}

/* ---- split reads ---- */

#define SPLIT_MIN ((size_t)4 << 20)
#define SPLIT_MAX_PARTS 16
#define CUT_SEARCH ((size_t)16 << 20)  /* how far past a cut to look for an LF */
#define HEADER_TAKEN ((percap_status)101)

typedef struct header_copy {
    char **text;
    csv_field *fields;
    size_t n;
    long line;
} header_copy;

static void header_free(header_copy *h)
{
    for (size_t i = 0; h->text && i < h->n; i++)
        free(h->text[i]);
    free(h->text);
    free(h->fields);
}

/* Keeps the first row and stops the read, at the row's end. */
static percap_status take_header(void *ctx, const csv_field *f, size_t n, long line,
                                 percap_error *err)
{
    (void)err;
    header_copy *h = ctx;
    h->text = calloc(n, sizeof *h->text);
    h->fields = calloc(n, sizeof *h->fields);
    if (!h->text || !h->fields)
        return PERCAP_ENOMEM;
    h->n = n;
    h->line = line;
    for (size_t i = 0; i < n; i++) {
        if (!(h->text[i] = malloc(f[i].len + 1)))
            return PERCAP_ENOMEM;
        size_t len = csv_field_unescape(&f[i], h->text[i]);
        h->text[i][len] = '\0';
        h->fields[i] = (csv_field){.p = h->text[i], .len = len, .raw = false};
    }
    return HEADER_TAKEN;
}

typedef struct part_job {
    const char *path;
    const percap_csv_options *opts;
    const csv_tuning *tune;
    csv_span_fn fn;
    csv_part *part;
    char delim;
    bool from_top;          /* part 0: the whole setup, header included */
    size_t start, limit;    /* file offsets */
    long line;              /* of `start`, counted from the part's own start */
    percap_status status;
    bool stopped;           /* the callback asked to stop */
    run_end end;
} part_job;

static percap_status run_range(part_job *j)
{
    reader r = {.span_fn = j->fn, .ctx = j->part->ctx, .err = &j->part->err};
    if (j->from_top)
        return read_any(j->path, j->opts, j->tune, &r, NULL, j->limit, &j->end);
    stream s;
    percap_status st = open_input(j->path, j->start, j->tune, &s, &r);
    if (st != PERCAP_OK)
        return st;
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        close_input(&s);
        return percap_error_set(r.err, PERCAP_ENOMEM, j->path, 0, 0, "out of memory");
    }
    csv_set_delim(&parser, (unsigned char)j->delim);
    csv_fast scan;
    scan_init(&scan, &r, j->delim, j->tune);
    st = run_fast(&r, &parser, &s, &scan, 0, j->line, j->limit, &j->end);
    csv_fast_free(&scan);
    reader_free(&r);
    csv_free(&parser);
    close_input(&s);
    return st;
}

static void *run_job(void *arg)
{
    part_job *j = arg;
    j->status = run_range(j);
    j->stopped = j->status == PERCAP_CSV_STOP;
    if (j->stopped)
        j->status = PERCAP_OK;
    return NULL;
}

/* The offset just past the first LF at or after `from`, or 0 if none is
 * near enough. */
static size_t row_start_after(const char *path, size_t from)
{
    FILE *fp = fopen(path, "rb");
    char buf[1 << 16];
    size_t found = 0;
    if (!fp || fseeko(fp, (off_t)from, SEEK_SET) != 0) {
        if (fp)
            fclose(fp);
        return 0;
    }
    for (size_t off = 0; !found && off < CUT_SEARCH;) {
        size_t got = fread(buf, 1, sizeof buf, fp);
        const char *nl = got ? memchr(buf, '\n', got) : NULL;
        if (nl)
            found = from + off + (size_t)(nl - buf) + 1;
        if (got < sizeof buf)
            break;
        off += got;
    }
    fclose(fp);
    return found;
}

/* Cuts the rows after the header (at `body`) into at most n parts;
 * returns how many. starts[0] is 0 (part 0 reads from the top). */
static size_t plan_cuts(const char *path, size_t body, size_t size, size_t n, size_t *starts)
{
    size_t parts = 1;
    starts[0] = 0;
    for (size_t k = 1; k < n; k++) {
        size_t cut = row_start_after(path, body + (size - body) / n * k);
        if (cut == 0 || cut >= size || cut <= starts[parts - 1] || cut <= body)
            continue;
        starts[parts++] = cut;
    }
    return parts;
}

static percap_status place_error(const csv_part *part, percap_status st, percap_error *err)
{
    if (err) {
        *err = part->err;
        if (err->line > 0)
            err->line += part->line_offset;
    }
    return st;
}

/* Confirms each cut in order (the part before it ended exactly there),
 * placing each part's lines; after a wrong guess, that part reads on. */
static percap_status settle(part_job *jobs, size_t n, csv_part *parts, percap_error *err)
{
    long offset = 0;
    for (size_t k = 0; k < n; k++) {
        part_job *j = &jobs[k];
        parts[k].used = true;
        parts[k].line_offset = offset;
        if (j->status != PERCAP_OK)
            return place_error(&parts[k], j->status, err);
        if (j->stopped || k + 1 == n || j->end.why == CSV_STOP_DONE)
            return PERCAP_OK;
        if (j->end.why == CSV_STOP_LIMIT && j->end.at == jobs[k + 1].start) {
            offset += j->end.line - 1;
            continue;
        }
        part_job more = *j;
        more.from_top = false;
        more.start = j->end.at;
        more.line = j->end.line;
        more.limit = SIZE_MAX;
        run_job(&more);
        return more.status != PERCAP_OK ? place_error(&parts[k], more.status, err) : PERCAP_OK;
    }
    return PERCAP_OK;
}

static percap_status run_parts(part_job *jobs, size_t n, csv_part *parts, percap_error *err)
{
    pthread_t threads[SPLIT_MAX_PARTS];
    bool started[SPLIT_MAX_PARTS] = {false};
    for (size_t k = 1; k < n; k++)
        started[k] = pthread_create(&threads[k], NULL, run_job, &jobs[k]) == 0;
    run_job(&jobs[0]);
    for (size_t k = 1; k < n; k++) {
        if (started[k])
            pthread_join(threads[k], NULL);
        else
            run_job(&jobs[k]);
    }
    return settle(jobs, n, parts, err);
}

static percap_status read_alone(const char *path, const percap_csv_options *opts,
                                const csv_tuning *tune, csv_span_fn fn, csv_part *parts,
                                percap_error *err)
{
    parts[0].used = true;
    return csv_read_spans(path, opts, tune, fn, parts[0].ctx, NULL, err);
}

/* The header gives the cut's lower bound and goes to parts 1.. now;
 * returns 0 parts if the read should not be split after all. */
static size_t prepare_parts(const char *path, const percap_csv_options *opts,
                            const csv_tuning *tune, csv_span_fn fn, csv_part *parts,
                            size_t nparts, size_t size, part_job *jobs)
{
    header_copy h = {0};
    char delim = ',';
    run_end end = {.why = CSV_STOP_DONE};
    reader r = {.span_fn = take_header, .ctx = &h, .err = &parts[0].err};
    percap_status st = read_any(path, opts, tune, &r, &delim, SIZE_MAX, &end);
    size_t starts[SPLIT_MAX_PARTS], n = 0;
    /* a header libcsv had to read may end mid-line: no cut then */
    /* nor in a lone-CR file, whose parts could not know it */
    if (st == HEADER_TAKEN && end.why == CSV_STOP_STATUS && !end.cr_lines)
        n = plan_cuts(path, end.at, size, nparts, starts);
    for (size_t k = 1; k < n; k++)
        if (fn(parts[k].ctx, h.fields, h.n, h.line, &parts[k].err) != PERCAP_OK)
            n = 0;
    for (size_t k = 0; k < n; k++)
        jobs[k] = (part_job){.path = path, .opts = opts, .tune = tune, .fn = fn,
                             .part = &parts[k], .delim = delim, .from_top = k == 0,
                             .start = starts[k], .line = 1,
                             .limit = k + 1 < n ? starts[k + 1] : SIZE_MAX};
    header_free(&h);
    percap_error_clear(&parts[0].err);
    return n;
}

percap_status csv_read_spans_split(const char *path, const percap_csv_options *opts,
                                   const csv_tuning *tune, csv_span_fn fn, csv_part *parts,
                                   size_t nparts, percap_error *err)
{
    for (size_t k = 0; k < nparts; k++) {
        parts[k].used = false;
        parts[k].line_offset = 0;
        percap_error_clear(&parts[k].err);
    }
    if (nparts > SPLIT_MAX_PARTS)
        nparts = SPLIT_MAX_PARTS;
    size_t min = tune && tune->split_min ? tune->split_min : SPLIT_MIN;
    struct stat sb;
    if (nparts < 2 || strcmp(path, "-") == 0 || (tune && tune->reference) ||
        stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size < min)
        return read_alone(path, opts, tune, fn, parts, err);
    part_job jobs[SPLIT_MAX_PARTS];
    size_t n = prepare_parts(path, opts, tune, fn, parts, nparts, (size_t)sb.st_size, jobs);
    if (n < 2) {
        for (size_t k = 1; k < nparts; k++)
            parts[k].used = false;
        return read_alone(path, opts, tune, fn, parts, err);
    }
    return run_parts(jobs, n, parts, err);
}
