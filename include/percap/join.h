/* percap: joining tables from different publishers on region, whatever
 * spelling each uses. */
#ifndef PERCAP_JOIN_H
#define PERCAP_JOIN_H

#include <stdbool.h>

#include "percap/areas.h"
#include "percap/notes.h"
#include "percap/regions.h"
#include "percap/table.h"

typedef struct percap_join_options {
    const char *region_col;   /* NULL: find it (see percap_join_region_column) */
    bool allow_unmatched;     /* drop unknown regions (with a note) instead of failing */
    bool allow_repeats;       /* a long table: several rows may name one region */
    bool allow_empty;         /* rows with no region are skipped, with a note */
    const char *unmatched_hint; /* appended to unknown-region errors, e.g. how to
                                   drop such rows; NULL for none */
} percap_join_options;

/* The column holding regions: `given` if not NULL; else the first column
 * named region, region_code, iso_code, code or name; else the column
 * whose values the registry recognises most often (a column of plain
 * numbers only if all are known codes); else, for areas the registry
 * does not know, the first text column without repeated values. The
 * choice goes to `notes`. */
percap_status percap_join_region_column(const percap_registry *reg, const percap_table *t,
                                        const char *given, size_t *col,
                                        percap_notes *notes, percap_error *err);

/* Resolves every row's region to a registry index (-1 for a dropped row).
 * Unknown names are an error naming file, line, column and the closest
 * spellings, unless allow_unmatched; two rows naming one region are an
 * error. */
percap_status percap_join_resolve(const percap_registry *reg, const percap_table *t,
                                  size_t col, const percap_join_options *opts,
                                  long *index, percap_notes *notes, percap_error *err);

/* If `reg` recognises none of the names in column `col` of `t`, builds a
 * registry from those names themselves (data from elsewhere: other
 * countries, other area types) and returns it in *own; else *own = NULL. */
percap_status percap_join_own_registry(const percap_registry *reg, const percap_table *t,
                                       size_t col, percap_registry **own,
                                       percap_notes *notes, percap_error *err);

/* An area table with one row per region of `t`, in the file's order,
 * denominators unset (NAN) and counts 0. */
percap_status percap_join_areas(const percap_registry *reg, const percap_table *t,
                                const percap_join_options *opts, percap_areas **out,
                                percap_notes *notes, percap_error *err);

/* The area table: one row per region of the denominator table, with the
 * denominator from `value_col` (positive, finite). */
percap_status percap_join_denominators(const percap_registry *reg, const percap_table *t,
                                       const char *value_col,
                                       const percap_join_options *opts,
                                       percap_areas **out, percap_notes *notes,
                                       percap_error *err);

/* Counts from an aggregated table: each region's count from `count_col`
 * (whole, non-negative, not above its denominator). Areas with no row
 * get 0, with a note. */
percap_status percap_join_counts(percap_areas *areas, const percap_table *t,
                                 const char *count_col, const percap_join_options *opts,
                                 percap_notes *notes, percap_error *err);

/* Counts indexed by registry region (as percap_records_count makes them).
 * A region with deaths but no denominator is an error unless
 * allow_unmatched. `source` names the file for messages. */
percap_status percap_join_count_array(percap_areas *areas, const double *counts,
                                      const char *source, const percap_join_options *opts,
                                      percap_notes *notes, percap_error *err);

/* Numeric columns of `t` joined as covariates: `columns` (NULL-terminated)
 * or, if NULL, every column but the region column whose values are
 * numbers (missing values allowed: "", NA). */
percap_status percap_join_covariates(percap_areas *areas, const percap_table *t,
                                     const char *const *columns,
                                     const percap_join_options *opts,
                                     percap_notes *notes, percap_error *err);

#endif
