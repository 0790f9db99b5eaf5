/* Internal: the fast CSV scanner and the row-span interface built on it.
 *
 * libcsv (src/csv_read.c) is the reference parser. The scanner here finds
 * rows and fields 64 bytes at a time with bit masks (one bit per byte:
 * quotes, delimiters, line ends; the quoted regions by a prefix XOR of the
 * quote bits) and hands over rows that libcsv would read without a murmur.
 * Anything else -- a quote not at a field's edge, a space beside a quote,
 * a lone carriage return, a NUL byte, invalid UTF-8, a quote left open --
 * makes it stop at the start of that row, and libcsv reads from there, one
 * line at a time, until it stands between rows at a line end. So libcsv
 * decides every unusual row and writes every error message, and the
 * scanner only has to be right about the rows it accepts:
 *
 *   fields   split at delimiters and LFs outside quotes; a CR before the
 *            LF ends the row (as libcsv's CR does), any other CR outside
 *            quotes is unusual;
 *   quoted   a field whose first byte is a quote, whose last byte is a
 *            quote, and whose inner quotes come in adjacent pairs: its
 *            value is the inside with each pair made one quote;
 *   plain    a field without quotes: its value is the field less leading
 *            and trailing spaces and tabs (not the delimiter);
 *   blank    a row of one plain, empty field is a blank line: skipped;
 *   lines    a row's line is 1 + the LFs before its first byte.
 *
 * tests/unit/test_csv_fast.c and tests/fuzz/fuzz_csv_diff.c compare the
 * two parsers on random and adversarial input. */
#ifndef PERCAP_CSV_FAST_H
#define PERCAP_CSV_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "percap/csv_read.h"

/* Bytes the scanner may read past the data; the caller fills them. */
#define CSV_FAST_PAD 160

/* One field of a row: raw from the scanner -- the bytes between two
 * separators, still in quotes or with the spaces libcsv trims -- or, from
 * libcsv, the exact value, NUL-terminated. Consumers take the value with
 * csv_field_view, and only of the fields they need. */
typedef struct csv_field {
    const char *p;
    size_t len;
    bool raw;
    bool pairs;             /* a raw field holds doubled quotes */
    char delimiter;         /* of a raw field: not trimmed as a space */
} csv_field;

/* The value's bytes, in place: *p and the length. *pairs is set when
 * they hold doubled quotes, which only csv_field_unescape undoubles. */
size_t csv_field_view(const csv_field *f, const char **p, bool *pairs);

/* Writes the value (no NUL added) to out, which has room for f->len
 * bytes and may be f->p itself; returns its length. */
size_t csv_field_unescape(const csv_field *f, char *out);

/* Called once per row, the header included. Same contract as
 * percap_csv_row_fn. */
typedef percap_status (*csv_span_fn)(void *ctx, const csv_field *fields, size_t n,
                                     long line, percap_error *err);

/* Which block classifier to use: the best this CPU has, or the portable
 * one (the tests run both). */
typedef enum csv_kernel { CSV_KERNEL_AUTO, CSV_KERNEL_SCALAR, CSV_KERNEL_AVX2 } csv_kernel;

bool csv_kernel_available(csv_kernel k);

typedef enum csv_stop {
    CSV_STOP_DONE,      /* every row up to the end of the input delivered */
    CSV_STOP_MORE,      /* the row at stop_pos continues past the data */
    CSV_STOP_FALLBACK,  /* the row at stop_pos is unusual: libcsv must read it */
    CSV_STOP_LIMIT,     /* a row starts at stop_pos >= limit */
    CSV_STOP_STATUS,    /* the callback returned `status` (not PERCAP_OK) */
    CSV_STOP_NOMEM
} csv_stop;

typedef struct csv_fast {
    char delimiter;
    csv_kernel kernel;
    csv_span_fn fn;
    void *ctx;
    percap_error *err;
    size_t limit;           /* stop before a row that starts at or past this */
    csv_field *fields;      /* the current row */
    size_t cap;
    size_t rows;            /* rows delivered */
    size_t stop_pos;        /* where scanning stopped: always a row's start */
    long stop_line;         /* the line of stop_pos */
    percap_status status;
} csv_fast;

/* Scans the rows of buf[start, end), where buf[start] begins a row (the
 * input's start, or just after an LF that ended a row) on line `line`.
 * buf must hold CSV_FAST_PAD bytes past end: at the end of the input
 * ('at_eof') an LF then spaces, which ends a last line without one;
 * otherwise anything (the scanner stops short of end). */
csv_stop csv_fast_scan(csv_fast *s, char *buf, size_t start, size_t end, bool at_eof,
                       long line);

void csv_fast_free(csv_fast *s);

/* How a sequential read went: rows each parser delivered, and how often
 * the scanner handed over to libcsv. */
typedef struct csv_stats {
    size_t fast_rows, libcsv_rows, fallbacks;
} csv_stats;

/* Knobs for tests and benchmarks. chunk: bytes read at a time (0: the
 * default, 1 MiB); reference: libcsv alone, as percap_csv_read_reference;
 * split_min: the smallest file csv_read_spans_split cuts (0: 4 MiB);
 * stats: if not NULL, filled by sequential reads. */
typedef struct csv_tuning {
    size_t chunk;
    csv_kernel kernel;
    bool reference;
    size_t split_min;
    csv_stats *stats;
} csv_tuning;

/* percap_csv_read, delivering spans; `tune` may be NULL. */
percap_status csv_read_spans(const char *path, const percap_csv_options *opts,
                             const csv_tuning *tune, csv_span_fn fn, void *ctx,
                             char *used_delimiter, percap_error *err);

/* One share of a split read (csv_read_spans_split): the caller's context
 * for its rows, and what the caller must know to merge it. */
typedef struct csv_part {
    void *ctx;
    bool used;              /* out: rows went to ctx: merge it, in part order */
    long line_offset;       /* out: add to the lines its callbacks were given */
    percap_error err;       /* this part's errors, before they are placed */
} csv_part;

/* csv_read_spans for a callback whose work does not depend on the order
 * of rows (counting): a large regular file is cut at up to nparts LFs
 * and the pieces read at once, one thread each. The header row goes to
 * every part's ctx, every other row to exactly one, and each part sees
 * its rows in file order, after those of the parts before it. A cut is
 * a guess (an LF may lie inside quotes); it is confirmed when the part
 * before it ends exactly there, and otherwise that part reads on alone
 * and the parts after it are left unused. Errors are the first in file
 * order, with their lines placed. Small files, standard input and files
 * whose header libcsv must read are read by parts[0] alone. */
percap_status csv_read_spans_split(const char *path, const percap_csv_options *opts,
                                   const csv_tuning *tune, csv_span_fn fn, csv_part *parts,
                                   size_t nparts, percap_error *err);

/* percap_csv_read with the knobs above. */
percap_status csv_read_tuned(const char *path, const percap_csv_options *opts,
                             const csv_tuning *tune, percap_csv_row_fn fn, void *ctx,
                             char *used_delimiter, percap_error *err);

#endif
