/* percap: validating a dataset before it is shipped or used. */
#ifndef PERCAP_CHECK_H
#define PERCAP_CHECK_H

#include "percap/csv_read.h"
#include "percap/notes.h"
#include "percap/regions.h"

typedef struct percap_check_options {
    percap_csv_options csv;
    const percap_registry *registry;  /* to resolve region names; may be NULL */
    const char *region_col;           /* the region column in files that have it;
                                         others (and NULL) are searched */
    const char *key;                  /* comma-separated columns that identify a row
                                         (NULL: the region column alone); cells of
                                         the region column may then be empty */
} percap_check_options;

/* Checks one CSV: well-formed, unique header; if it has a region column,
 * every region known (when the registry knows any) and no key twice (the
 * region part compared as resolved, so two spellings are one); every
 * numeric column numeric throughout; count columns (named deaths*,
 * population*, men_*, count or *_count) complete and non-negative. A file
 * with an `aliases` column is also loaded as a registry. Adds a summary
 * with each numeric column's total to `notes`. */
percap_status percap_check_file(const char *path, const percap_check_options *opts,
                                percap_notes *notes, percap_error *err);

/* The total of a numeric column as computed by the last check is given
 * in the notes; this checks it against an expected value. */
percap_status percap_check_total(const char *path, const percap_csv_options *csv,
                                 const char *column, double expected, percap_error *err);

#endif
