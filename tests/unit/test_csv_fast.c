/* Differential tests of the fast CSV path (src/csv_fast.c, and the split
 * reads of src/csv_read.c) against the reference: libcsv fed one line at a
 * time (percap_csv_read_reference). There are no expected values written
 * by hand here: for every input, both readers must give the same rows
 * (fields byte for byte, start lines), the same delimiter, the same status
 * and the same error ("file:line:column: message"), whatever the kernel
 * (AVX2 where the CPU has it, and the portable one) and the read size
 * (1 byte at a time up to the default 1 MiB, so rows, quoted fields and
 * UTF-8 sequences straddle every kind of buffer boundary).
 *
 * Inputs: hand-written adversarial cases; random byte soup over an
 * alphabet rich in quotes, delimiters, CR, LF, spaces, NUL, valid and
 * invalid UTF-8; random well-formed CSV (quoted fields with doubled
 * quotes, embedded newlines, CRLF, blank lines, BOM), then mutated a few
 * bytes; long fields. Every test can fail: a reader that drops, adds or
 * changes one byte, line or message breaks the comparison. The tests also
 * check that the fast path is really taken (on clean input every row is
 * the scanner's), so agreement is not won by always falling back.
 *
 * Split reads (csv_read_spans_split, cut however small the file) must give
 * the rows and first error of a sequential read once the parts are put
 * back in order, also when a cut falls inside a quoted field; and
 * percap_records_count must give the same counts, tallies, notes and
 * unknown-region error (with its line) in 2 or 3 threads as in one, on
 * lists of 5 MB and more. (Mutating records.c to skip adding a part's
 * counts, or placing a part's lines without its offset, fails them.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_fast.h"
#include "percap/csv_read.h"
#include "percap/numparse.h"
#include "percap/records.h"

/* ---- temporary files ---- */

static char tmpdir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/percap_test_csv_fast_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(path, sizeof path, "%s/input.csv", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(tmpdir); /* stays, with the inputs of any failure */
    return 0;
}

static void write_input(const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        fail_msg("cannot write %s", path);
}

/* ---- a read, recorded as one byte string ---- */

typedef struct record {
    char *text;
    size_t len, cap;
    size_t rows;
    size_t stop_after;       /* 0: never; else stop with stop_with after this many rows */
    percap_status stop_with;
} record;

static void put(record *r, const void *p, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->text = realloc(r->text, r->cap);
        assert_non_null(r->text);
    }
    memcpy(r->text + r->len, p, n);
    r->len += n;
    r->text[r->len] = '\0';
}

static void putf(record *r, const char *fmt, ...)
{
    char buf[2400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    put(r, buf, (size_t)n);
}

static percap_status stop_or_go(record *r, long line, percap_error *err)
{
    if (r->stop_after && ++r->rows == r->stop_after) {
        if (r->stop_with == PERCAP_CSV_STOP)
            return PERCAP_CSV_STOP;
        return percap_error_set(err, r->stop_with, "callback", line, 7, "stopped");
    }
    return PERCAP_OK;
}

static percap_status on_strings(void *ctx, const char *const *f, size_t n, long line,
                                percap_error *err)
{
    record *r = ctx;
    putf(r, "[%ld:%zu]", line, n);
    for (size_t i = 0; i < n; i++) {
        putf(r, "<%zu>", strlen(f[i]));
        put(r, f[i], strlen(f[i]));
    }
    put(r, "\n", 1);
    return stop_or_go(r, line, err);
}

static percap_status on_spans(void *ctx, const csv_field *f, size_t n, long line,
                              percap_error *err)
{
    record *r = ctx;
    putf(r, "[%ld:%zu]", line, n);
    for (size_t i = 0; i < n; i++) {
        char *v = malloc(f[i].len + 1);
        assert_non_null(v);
        size_t len = csv_field_unescape(&f[i], v);
        putf(r, "<%zu>", len);
        put(r, v, len);
        free(v);
    }
    put(r, "\n", 1);
    return stop_or_go(r, line, err);
}

static void end_record(record *r, percap_status st, const percap_error *err, char used)
{
    char msg[2048];
    percap_error_format(err, msg, sizeof msg);
    putf(r, "status %d delim %d", (int)st, (int)used);
    if (st != PERCAP_OK)
        putf(r, " code %d error %s", (int)err->code, msg);
}

typedef struct reading {
    char delimiter;          /* the option: 0 detects */
    size_t stop_after;
    percap_status stop_with;
} reading;

static record read_reference(const reading *how)
{
    record r = {.stop_after = how->stop_after, .stop_with = how->stop_with};
    percap_csv_options o = {.delimiter = how->delimiter};
    percap_error err;
    percap_error_clear(&err);
    char used = 0;
    percap_status st = percap_csv_read_reference(path, &o, on_strings, &r, &used, &err);
    end_record(&r, st, &err, used);
    return r;
}

static record read_fast(const reading *how, csv_kernel k, size_t chunk, bool spans,
                        csv_stats *stats)
{
    record r = {.stop_after = how->stop_after, .stop_with = how->stop_with};
    percap_csv_options o = {.delimiter = how->delimiter};
    csv_tuning t = {.chunk = chunk, .kernel = k, .stats = stats};
    percap_error err;
    percap_error_clear(&err);
    char used = 0;
    percap_status st = spans ? csv_read_spans(path, &o, &t, on_spans, &r, &used, &err)
                             : csv_read_tuned(path, &o, &t, on_strings, &r, &used, &err);
    end_record(&r, st, &err, used);
    return r;
}

/* ---- comparing ---- */

static size_t n_compared, fast_rows_seen, libcsv_rows_seen;

/* On a failure the input and both readings are left in the test's
 * directory, and the first difference is shown. */
static void keep(const char *name, const void *data, size_t len)
{
    static int serial;
    char p[256];
    snprintf(p, sizeof p, "%s.%d.%s", path, serial++, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
        print_message("kept %s\n", p);
    }
}

static void show_input(const unsigned char *data, size_t len)
{
    char buf[600];
    size_t u = 0;
    for (size_t i = 0; i < len && u + 8 < sizeof buf; i++)
        u += (size_t)snprintf(buf + u, sizeof buf - u, data[i] >= 0x20 && data[i] < 0x7F &&
                              data[i] != '\\' ? "%c" : "\\x%02X", data[i]);
    print_message("input (%zu bytes): %s\n", len, buf);
    keep("failed", data, len);
}

static void expect_same(const record *want, const record *got, const char *what,
                        const unsigned char *data, size_t len)
{
    if (want->len == got->len && memcmp(want->text, got->text, want->len) == 0)
        return;
    show_input(data, len);
    keep("want", want->text, want->len);
    keep("got", got->text, got->len);
    size_t at = 0;
    while (at < want->len && at < got->len && want->text[at] == got->text[at])
        at++;
    size_t from = at > 200 ? at - 200 : 0;
    fail_msg("%s differs from libcsv at byte %zu:\n--- libcsv:\n%.400s\n--- %s:\n%.400s", what,
             at, want->text + from, what, got->text + from);
}

static const size_t chunks[] = {0, 1, 3, 7, 64, 65, 200};

/* Every way of reading `data` must match the reference. */
static void compare_all(const unsigned char *data, size_t len, const reading *how)
{
    write_input(data, len);
    record want = read_reference(how);
    for (int k = CSV_KERNEL_SCALAR; k <= CSV_KERNEL_AVX2; k++) {
        if (!csv_kernel_available((csv_kernel)k))
            continue;
        for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
            /* tiny reads rescan a long row once per read: short inputs only */
            if ((chunks[c] == 1 && len > 300) || (chunks[c] > 1 && chunks[c] < 64 && len > 3000))
                continue;
            csv_stats stats = {0};
            record got = read_fast(how, (csv_kernel)k, chunks[c], c % 2 == 1, &stats);
            char what[64];
            snprintf(what, sizeof what, "fast path (kernel %d, chunk %zu, %s)", k, chunks[c],
                     c % 2 ? "spans" : "strings");
            expect_same(&want, &got, what, data, len);
            fast_rows_seen += stats.fast_rows;
            libcsv_rows_seen += stats.libcsv_rows;
            free(got.text);
        }
    }
    free(want.text);
    n_compared++;
}

static void compare_text(const char *text, char delimiter)
{
    reading how = {.delimiter = delimiter};
    compare_all((const unsigned char *)text, strlen(text), &how);
}

/* ---- random input ---- */

static uint64_t rng_state = 0x243F6A8885A308D3ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

static void add(buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* string literals only: the length is the array's */
#define ADD(b, lit) add((b), "" lit, sizeof(lit) - 1)

/* Pieces of CSV and of trouble, drawn at random. */
static const struct { const char *s; size_t n; } soup[] = {
#define P(lit) {lit, sizeof(lit) - 1}
    P("\""), P("\""), P("\""), P(","), P(","), P(";"), P("\t"), P("\n"), P("\n"), P("\r\n"),
    P("\r"), P(" "), P("  "), P("a"), P("b"), P("x"), P("12"), P("\"\""), P("\0"),
    P("\xD0\xA2"),                    /* Т */
    P("\xE2\x82\xAC"),                /* € */
    P("\xF0\x9F\x98\x80"),            /* U+1F600 */
    P("\xEF\xBB\xBF"),                /* a BOM, anywhere */
    P("\x80"), P("\xC0\xAF"), P("\xFF"), P("\xED\xA0\x80"), P("\xE2\x82"), P("\xF4\x90\x80\x80"),
    P("\xC3"), P("\xE0\x80\x80"), P("\xF0\x80\x80\x80"), P("\xF8\x88\x80\x80\x80"),
#undef P
};

static void random_soup(buf *b, size_t pieces)
{
    for (size_t i = 0; i < pieces; i++) {
        size_t k = below(sizeof soup / sizeof *soup);
        add(b, soup[k].s, soup[k].n);
    }
}

static const char *const words[] = {"Tuva", "Moscow", "12", "", " padded ", "a b",
                                    "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
                                    "2022-03-01", "x\ty", "NA"};

/* A field as a careful writer would quote it. */
static void random_field(buf *b, char delim)
{
    int kind = (int)below(10);
    if (kind < 5) {
        const char *w = words[below(sizeof words / sizeof *words)];
        /* a plain field may not hold the delimiter, a quote or a line end */
        for (const char *p = w; *p; p++)
            if (*p != delim)
                add(b, p, 1);
        return;
    }
    ADD(b, "\"");
    size_t n = kind == 9 ? 60 + below(200) : below(12);
    for (size_t i = 0; i < n; i++) {
        switch (below(12)) {
        case 0: ADD(b, "\"\""); break;
        case 1: ADD(b, "\n"); break;
        case 2: ADD(b, "\r\n"); break;
        case 3: add(b, &delim, 1); break;
        case 4: ADD(b, "\xD1\x8B"); break; /* ы */
        default: add(b, &"abcdefgh"[below(8)], 1); break;
        }
    }
    ADD(b, "\"");
}

static void random_csv(buf *b, char delim, bool clean)
{
    if (below(8) == 0)
        ADD(b, "\xEF\xBB\xBF");
    size_t rows = 1 + below(12), cols = 1 + below(5);
    for (size_t r = 0; r < rows; r++) {
        if (!clean && below(10) == 0) {
            if (below(2))
                ADD(b, "\n");
            else
                ADD(b, "  \r\n");
        }
        size_t n = clean || below(6) ? cols : 1 + below(6);
        for (size_t c = 0; c < n; c++) {
            if (c)
                add(b, &delim, 1);
            random_field(b, delim);
        }
        if (r + 1 < rows || below(2)) {
            if (below(3))
                ADD(b, "\n");
            else
                ADD(b, "\r\n");
        }
    }
}

static void mutate(buf *b, size_t times)
{
    for (size_t t = 0; t < times && b->len; t++) {
        size_t at = below(b->len);
        size_t k = below(sizeof soup / sizeof *soup);
        switch (below(3)) {
        case 0: /* replace one byte */
            b->p[at] = (unsigned char)soup[k].s[0];
            break;
        case 1: /* delete one byte */
            memmove(b->p + at, b->p + at + 1, b->len - at - 1);
            b->len--;
            break;
        default: { /* insert a piece */
            size_t n = soup[k].n;
            add(b, soup[k].s, n); /* grow; then move into place */
            memmove(b->p + at + n, b->p + at, b->len - n - at);
            memcpy(b->p + at, soup[k].s, n);
            break;
        }
        }
    }
}

static const char delimiters[] = {0, ',', ';', '\t'};

/* ---- tests ---- */

static void adversarial_cases_match_libcsv(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "\n", "\n\n\r\n", "\xEF\xBB\xBF", "\xEF\xBB", "a", "a\n", "a\r", "a\r\r\n",
        "a,b\rc,d\n", "\"x\n\"\rz,1\n", "a,b\n\"x\ny\"\rz,2\n", " \"a\",b\n", "\"a\" ,b\n",
        "\"a\"  \n", "\"a\"x,b\n", "ab\"c,d\n", "\"a\"\"b\",\"\"\"\",\"\"\n", "\"\"\"a\"\n",
        "\"a\"\"\"\n", "\"a\" \"b\"\n", "\"unterminated\n", "a,\"open\nmore\n", "\"ab\"\"",
        "a,b\n1,2", "a,b\n1,\"2\"", "a , b \n 1 ,\t2\t\n", "\t\n  \n,\n", "a;b\n\"x;y\";z\n",
        "\"a,b\";c;d\n", "a\tb\n\" x \"\t\ty\n", "a,b\n1,x\xC3\x28y\n", "a\n\xD0\n",
        "a\n\xE2\x82", "a\n\"\xE2\x82\"\n", "a\n\"x\xE2\x82\n", "a,b\n4,5\0x,6\n",
        "a\n\"x\0\"\n", "\r\n\r\n\"a\"\r\n", "\"a\"\r\n\"b\"\r", "a,b\r\n\"x\r\ny\",1\r\nz,2\r\n",
        "a\n\"\"\n", "a\n\" \"\n", "a,b,c\n,\"\",\n", "\xEF\xBB\xBF\"region\",\"n\"\n\"Tuva\",1\n",
        "\na;b\n1;2\n", "a,b\n1,2\n3,\"open\n4,5\n",
        "a\n\"x\"\n\"y\"\"\"\n", "\"\n\"\n\n\"\n", "\"a\nb\"c\n", "x\n\"\"\"\"\"\"\"\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (size_t d = 0; d < sizeof delimiters; d++)
            compare_text(cases[i], delimiters[d]);
}

/* Every character class at every offset of a 64-byte block. */
static void structure_at_every_block_offset(void **state)
{
    (void)state;
    static const char *const probes[] = {"\"", "\"\"", "\r", "\r\n", "\0", "\xD0\xA2",
                                         "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xE2\x82", ",",
                                         " \"", "\" "};
    for (size_t p = 0; p < sizeof probes / sizeof *probes; p++)
        for (size_t at = 0; at < 140; at++) {
            buf b = {0};
            ADD(&b, "h1,h2\n");
            for (size_t i = 0; i < at; i++)
                add(&b, i % 17 == 16 ? "\n" : "x", 1);
            add(&b, probes[p], p == 4 ? 1 : strlen(probes[p]));
            ADD(&b, "y,\"q\"\n\"last,\"\"row\"\"\",z\n");
            reading how = {0};
            compare_all(b.p, b.len, &how);
            free(b.p);
        }
}

static void random_soup_matches_libcsv(void **state)
{
    (void)state;
    for (int i = 0; i < 1500; i++) {
        buf b = {0};
        random_soup(&b, 1 + below(i < 1000 ? 24 : 120));
        reading how = {.delimiter = delimiters[below(sizeof delimiters)]};
        compare_all(b.p, b.len, &how);
        free(b.p);
    }
}

static void random_csv_matches_libcsv(void **state)
{
    (void)state;
    size_t fast0 = fast_rows_seen, libcsv0 = libcsv_rows_seen;
    for (int i = 0; i < 1500; i++) {
        char delim = delimiters[1 + below(3)];
        buf b = {0};
        random_csv(&b, delim, false);
        mutate(&b, i % 3 == 0 ? 0 : 1 + below(3));
        reading how = {.delimiter = below(2) ? delim : 0};
        compare_all(b.p, b.len, &how);
        free(b.p);
    }
    /* the comparison means something only if the scanner did much of the work */
    print_message("rows by the fast path %zu, by libcsv %zu\n", fast_rows_seen - fast0,
                  libcsv_rows_seen - libcsv0);
    assert_true(fast_rows_seen - fast0 > 2 * (libcsv_rows_seen - libcsv0));
}

/* Well-formed CSV is the scanner's alone: libcsv reads no row of it. */
static void clean_csv_never_falls_back(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        char delim = delimiters[1 + below(3)];
        buf b = {0};
        random_csv(&b, delim, true);
        write_input(b.p, b.len);
        reading how = {.delimiter = delim};
        record want = read_reference(&how);
        for (int k = CSV_KERNEL_SCALAR; k <= CSV_KERNEL_AVX2; k++) {
            if (!csv_kernel_available((csv_kernel)k))
                continue;
            csv_stats stats = {0};
            record got = read_fast(&how, (csv_kernel)k, 0, false, &stats);
            expect_same(&want, &got, "fast path on clean CSV", b.p, b.len);
            if (stats.libcsv_rows != 0 || stats.fallbacks != 0) {
                show_input(b.p, b.len);
                fail_msg("libcsv read %zu rows (%zu hand-overs) of clean CSV", stats.libcsv_rows,
                         stats.fallbacks);
            }
            assert_true(stats.fast_rows > 0);
            free(got.text);
        }
        free(want.text);
        free(b.p);
    }
}

static void long_fields_and_rows_match_libcsv(void **state)
{
    (void)state;
    for (int i = 0; i < 60; i++) {
        buf b = {0};
        ADD(&b, "id,note,region\n");
        size_t rows = 1 + below(40);
        for (size_t r = 0; r < rows; r++) {
            ADD(&b, "1,\"");
            size_t n = below(3) == 0 ? 3000 + below(5000) : below(100);
            for (size_t j = 0; j < n; j++)
                add(&b, j % 97 == 96 ? "\"\"" : j % 31 == 30 ? "\n" : "\xD0\xB9",
                    j % 97 == 96 ? 2 : j % 31 == 30 ? 1 : 2);
            ADD(&b, "\",Tuva\n");
        }
        if (i % 2)
            mutate(&b, 1);
        reading how = {0};
        compare_all(b.p, b.len, &how);
        free(b.p);
    }
}

/* A quoted field whose doubled quotes all lie in its first blocks, so
 * that it ends in a block with no quote at all. */
static void doubled_quotes_early_in_a_long_field(void **state)
{
    (void)state;
    for (size_t head = 0; head < 70; head++) {
        buf b = {0};
        ADD(&b, "a,b\n1,\"");
        for (size_t i = 0; i < head; i++)
            ADD(&b, "x");
        ADD(&b, "\"\"");
        for (size_t i = 0; i < 150; i++)
            ADD(&b, "y");
        ADD(&b, "\"\n2,z\n");
        reading how = {0};
        compare_all(b.p, b.len, &how);
        free(b.p);
    }
}

/* Stopping early, by CSV_STOP or an error, at every row. */
static void callback_stops_match_libcsv(void **state)
{
    (void)state;
    static const char text[] = "a,b\n1,\"x\ny\"\n\n2, 3\n\"4\",\"5\"\"\"\r\n6,\xD0\xA2\n7,8";
    for (size_t after = 1; after <= 7; after++)
        for (int e = 0; e < 2; e++) {
            reading how = {.stop_after = after,
                           .stop_with = e ? PERCAP_EDATA : PERCAP_CSV_STOP};
            compare_all((const unsigned char *)text, sizeof text - 1, &how);
        }
}

/* ---- split reads ---- */

typedef struct split_row {
    long line;
    char *text;
} split_row;

typedef struct split_part {
    split_row *rows;
    size_t n, cap;
    bool skip_header;
} split_part;

static percap_status on_split(void *ctx, const csv_field *f, size_t n, long line,
                              percap_error *err)
{
    (void)err;
    split_part *p = ctx;
    if (p->skip_header) {
        p->skip_header = false;
        return PERCAP_OK;
    }
    record r = {0};
    on_spans(&r, f, n, 0, NULL);
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->rows = realloc(p->rows, p->cap * sizeof *p->rows);
        assert_non_null(p->rows);
    }
    p->rows[p->n++] = (split_row){.line = line, .text = r.text};
    if (n == 2 && f[1].len == 3 && memcmp(f[1].p, "err", 3) == 0)
        return percap_error_set(err, PERCAP_EDATA, "callback", line, 2, "row says err");
    return PERCAP_OK;
}

/* The rows of a split read, put back in order with their lines placed,
 * must be exactly the rows of a sequential read. */
static void compare_split(const unsigned char *data, size_t len, size_t nparts)
{
    write_input(data, len);
    split_part seq = {0};
    csv_part one = {.ctx = &seq};
    percap_error err1;
    percap_error_clear(&err1);
    csv_tuning t = {.chunk = 64 + below(200)};
    percap_status st1 = csv_read_spans_split(path, NULL, &t, on_split, &one, 1, &err1);
    record want = {0}, got = {0};
    for (size_t i = 0; i < seq.n; i++) {
        putf(&want, "%ld ", seq.rows[i].line);
        put(&want, seq.rows[i].text, strlen(seq.rows[i].text));
    }
    end_record(&want, st1, &err1, 0);

    split_part parts[6] = {{0}};
    csv_part cp[6];
    for (size_t k = 0; k < nparts; k++) {
        parts[k].skip_header = k > 0;
        cp[k].ctx = &parts[k];
    }
    percap_error err;
    percap_error_clear(&err);
    t.split_min = 1;
    percap_status st = csv_read_spans_split(path, NULL, &t, on_split, cp, nparts, &err);
    for (size_t k = 0; k < nparts; k++)
        for (size_t i = 0; cp[k].used && i < parts[k].n; i++) {
            putf(&got, "%ld ", parts[k].rows[i].line + cp[k].line_offset);
            put(&got, parts[k].rows[i].text, strlen(parts[k].rows[i].text));
        }
    end_record(&got, st, &err, 0);
    expect_same(&want, &got, "split read", data, len);
    for (size_t k = 0; k < nparts; k++) {
        for (size_t i = 0; i < parts[k].n; i++)
            free(parts[k].rows[i].text);
        free(parts[k].rows);
    }
    for (size_t i = 0; i < seq.n; i++)
        free(seq.rows[i].text);
    free(seq.rows);
    free(want.text);
    free(got.text);
}

static void split_reads_match_sequential(void **state)
{
    (void)state;
    for (int i = 0; i < 400; i++) {
        buf b = {0};
        ADD(&b, "name,region\n");
        size_t rows = 20 + below(300);
        for (size_t r = 0; r < rows; r++) {
            switch (below(20)) {
            case 0: ADD(&b, "\"multi\nline\nname\",Tuva\n"); break;          /* LFs inside quotes */
            case 1: ADD(&b, "\"\n\n\n\n\n\n\n\n\",Komi\n"); break;
            case 2: ADD(&b, "x, \"spaced\"\n"); break;                        /* libcsv's */
            case 3: ADD(&b, "\n"); break;
            case 4: ADD(&b, "a,b\rc,d\n"); break;                             /* lone CR */
            default: ADD(&b, "\"Ivanov, I.\",\"\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0\"\n"); break;
            }
        }
        if (i % 4 == 1) /* an error somewhere: the first in file order must win */
            mutate(&b, 1 + below(2));
        if (i % 4 == 2) { /* a callback error somewhere */
            size_t at = 12 + below(b.len - 12);
            while (at < b.len && b.p[at - 1] != '\n')
                at++;
            if (at < b.len) {
                buf c = {0};
                add(&c, (const char *)b.p, at);
                ADD(&c, "x,err\n");
                add(&c, (const char *)b.p + at, b.len - at);
                free(b.p);
                b = c;
            }
        }
        compare_split(b.p, b.len, 2 + below(5));
        free(b.p);
    }
}

/* A quoted field holding the rest of the file: every cut is a wrong
 * guess, and the parts before it must read on alone. */
static void split_inside_one_huge_quoted_field(void **state)
{
    (void)state;
    buf b = {0};
    ADD(&b, "a,b\n1,\"");
    for (int i = 0; i < 3000; i++)
        ADD(&b, "x,y\nz,w\n");
    ADD(&b, "\"\n2,3\n");
    compare_split(b.p, b.len, 4);
    b.len -= 5; /* now unterminated */
    compare_split(b.p, b.len, 4);
    free(b.p);
}

/* ---- counting in parts ---- */

/* Everything percap_records_count tells, as text. */
static void describe_count(record *out, const char *file, const percap_records_options *o,
                           const percap_registry *reg)
{
    percap_records *r = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_records_count(file, reg, o, &r, notes, &err);
    end_record(out, st, &err, 0);
    for (size_t i = 0; r && i < r->nregions; i++)
        putf(out, " %g", r->counts[i]);
    if (r)
        putf(out, "\nrows %zu counted %zu no_region %zu unmatched %zu no_date %zu bad_date %zu "
                  "outside %zu months %d+%zu cols %s %s\n", r->rows, r->counted, r->no_region,
             r->unmatched, r->no_date, r->bad_date, r->outside, (int)r->first_month, r->nmonths,
             r->region_col, r->date_col);
    for (size_t i = 0; r && r->month_counts && i < r->nregions * r->nmonths; i++)
        putf(out, "%g,", r->month_counts[i]);
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        putf(out, "\nnote %s", percap_notes_get(notes, i));
    percap_records_free(r);
    percap_notes_free(notes);
}

static const char *const spellings[] = {"Tuva", "\"Moscow\"", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
                                        "RU-TY", "Tatarstan", "\"Khanty-Mansi Autonomous Okrug, Yugra\"", "",
                                        "Narnia", "Atlantis", "\"\"\"Tuva\"\"\""};

/* A list of a few MB, so that it is cut: rows of every kind, and now and
 * then a multi-line name, a blank line or an unknown region. */
static void write_big_list(size_t rows, unsigned unknown_every, size_t unknown_from)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,name,region,date_of_death\n", f);
    for (size_t i = 0; i < rows; i++) {
        size_t k = below(7);
        if (unknown_every && i >= unknown_from && below(unknown_every) == 0)
            k = 7 + below(2);
        else if (below(50) == 0)
            k = 9;
        const char *name = below(100) == 0 ? "\"Ivanov\nI. I.\"" : "\"Petrov, P.\"";
        char date[40];
        snprintf(date, sizeof date, "%04u-%02u-%02u", 2021 + (unsigned)below(3),
                 1 + (unsigned)below(12), 1 + (unsigned)below(28));
        fprintf(f, "%zu,%s,%s,%s\n", i, name, spellings[k],
                below(60) == 0 ? "" : below(80) == 0 ? "2022-02-30" : date);
        if (below(500) == 0)
            fputs("\n", f);
    }
    fclose(f);
}

static void counts_in_parts_equal_counts_alone(void **state)
{
    (void)state;
    percap_error err;
    percap_registry *reg = percap_registry_load(PERCAP_SOURCE_DIR "/datasets/regions.csv", NULL,
                                                &err);
    assert_non_null(reg);
    for (int round = 0; round < 5; round++) {
        /* above the 4 MiB below which a list is read in one part */
        /* round 4: the first unknown region, whose line the error gives,
         * in the last part */
        write_big_list(140000, round == 0 ? 0 : round == 1 ? 20000 : 300,
                       round == 4 ? 135000 : 0);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        assert_true(ftell(f) > 5 * 1000 * 1000);
        fclose(f);
        percap_records_options o = {.has_since = true, .by_month = round % 2 == 0,
                                    .allow_unmatched = round == 3};
        percap_parse_date("2022-03-01", &o.since);
        record alone = {0}, parts = {0};
        setenv("PERCAP_THREADS", "1", 1);
        describe_count(&alone, path, &o, reg);
        setenv("PERCAP_THREADS", round % 2 ? "2" : "3", 1);
        describe_count(&parts, path, &o, reg);
        unsetenv("PERCAP_THREADS");
        expect_same(&alone, &parts, "count in parts", (const unsigned char *)"(big list)", 10);
        free(alone.text);
        free(parts.text);
    }
    percap_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adversarial_cases_match_libcsv),
        cmocka_unit_test(structure_at_every_block_offset),
        cmocka_unit_test(random_soup_matches_libcsv),
        cmocka_unit_test(random_csv_matches_libcsv),
        cmocka_unit_test(clean_csv_never_falls_back),
        cmocka_unit_test(long_fields_and_rows_match_libcsv),
        cmocka_unit_test(doubled_quotes_early_in_a_long_field),
        cmocka_unit_test(callback_stops_match_libcsv),
        cmocka_unit_test(split_reads_match_sequential),
        cmocka_unit_test(split_inside_one_huge_quoted_field),
        cmocka_unit_test(counts_in_parts_equal_counts_alone),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    print_message("%zu inputs compared\n", n_compared);
    return failed;
}
