/* percap: lists with one row per death, counted by region (and month). */
#ifndef PERCAP_RECORDS_H
#define PERCAP_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "percap/csv_read.h"
#include "percap/notes.h"
#include "percap/regions.h"

typedef struct percap_records_options {
    percap_csv_options csv;
    const char *region_col;   /* this column if the file has it; else found by its
                                 name, else the best match on the first rows */
    const char *date_col;     /* NULL: none, unless a date is needed (see below) */
    bool has_since, has_until;
    int32_t since, until;     /* inclusive, days since 1970-01-01 */
    bool by_month;            /* also count by calendar month */
    bool allow_unmatched;     /* drop rows of unknown regions instead of failing */
    bool region_col_required; /* a region_col the file lacks is an error */
    const char *unmatched_hint; /* appended to unknown-region errors; NULL for none */
} percap_records_options;

typedef struct percap_records {
    size_t nregions;
    double *counts;           /* deaths per registry region */
    size_t rows;              /* data rows read */
    size_t counted;           /* rows in `counts` */
    size_t no_region;         /* empty region cell */
    size_t unmatched;         /* region not in the registry (allow_unmatched) */
    size_t no_date;           /* empty date, when dates were needed */
    size_t bad_date;          /* not a valid YYYY-MM-DD, when dates were needed */
    size_t outside;           /* dated outside [since, until] */
    int32_t first_month;      /* year*12 + month-1 of month column 0 */
    size_t nmonths;
    double *month_counts;     /* nregions x nmonths, with by_month */
    char region_col[128];     /* the columns used */
    char date_col[128];
} percap_records;

/* Streams `path` and counts its rows by region. When since/until or
 * by_month is set and no date_col is given, the one column whose name
 * contains "date" is used. Rows that cannot be counted are tallied in the
 * result and described in `notes`, never silently lost. A large file
 * (4 MiB or more) is counted in parts by as many threads as there are
 * processors, or as the environment variable PERCAP_THREADS says (1: one
 * thread); the result is the same either way. */
percap_status percap_records_count(const char *path, const percap_registry *reg,
                                   const percap_records_options *opts,
                                   percap_records **out, percap_notes *notes,
                                   percap_error *err);
void percap_records_free(percap_records *records);

#endif
