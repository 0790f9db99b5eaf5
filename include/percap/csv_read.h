/* percap: CSV reading on top of libcsv, row by row, with line numbers.
 *
 * Handles comma, semicolon and tab delimiters (given, or detected from the
 * header line), a UTF-8 byte-order mark, LF and CRLF line ends, and quoted
 * fields with embedded delimiters, quotes and newlines. Fields must be
 * valid UTF-8 without NUL bytes. */
#ifndef PERCAP_CSV_READ_H
#define PERCAP_CSV_READ_H

#include <stddef.h>

#include "percap/error.h"

/* Called once per row, the header included (row 0). `line` is the
 * physical line on which the row starts. Fields are NUL-terminated.
 * Return PERCAP_OK to go on, anything else to stop with that status
 * (PERCAP_CSV_STOP stops early without an error). */
typedef percap_status (*percap_csv_row_fn)(void *ctx, const char *const *fields,
                                           size_t nfields, long line,
                                           percap_error *err);

#define PERCAP_CSV_STOP ((percap_status)100)

typedef struct percap_csv_options {
    char delimiter;       /* ',', ';', '\t', or 0 to detect from the header */
} percap_csv_options;

/* Reads `path` ("-" for standard input) and calls `fn` for each row.
 * *used_delimiter (if not NULL) receives the delimiter in force. */
percap_status percap_csv_read(const char *path, const percap_csv_options *opts,
                              percap_csv_row_fn fn, void *ctx,
                              char *used_delimiter, percap_error *err);

/* The same, with libcsv alone: the reference the fast path of
 * percap_csv_read is tested against (same rows, lines and errors), at
 * about a tenth of the speed. */
percap_status percap_csv_read_reference(const char *path, const percap_csv_options *opts,
                                        percap_csv_row_fn fn, void *ctx,
                                        char *used_delimiter, percap_error *err);

/* Parses "," ";" "tab" "\t" "comma" "semicolon"; returns 0 if unknown. */
char percap_csv_delimiter_parse(const char *name);

#endif
