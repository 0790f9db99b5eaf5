/* percap: a whole CSV file held in memory as text cells, for the small
 * tables (populations, covariates, registries) that are read by column. */
#ifndef PERCAP_TABLE_H
#define PERCAP_TABLE_H

#include <stddef.h>

#include "percap/csv_read.h"

typedef struct percap_table percap_table;

/* Reads a CSV with a header row. Every row must have as many fields as
 * the header; header names must be unique (empty names excepted). */
percap_table *percap_table_read(const char *path, const percap_csv_options *opts,
                                percap_error *err);
void percap_table_free(percap_table *table);

const char *percap_table_path(const percap_table *table);
size_t percap_table_rows(const percap_table *table);
size_t percap_table_cols(const percap_table *table);
const char *percap_table_header(const percap_table *table, size_t col);
const char *percap_table_cell(const percap_table *table, size_t row, size_t col);
long percap_table_line(const percap_table *table, size_t row);

/* Index of the column whose header equals `name` ignoring case and
 * surrounding spaces, or -1. */
long percap_table_find(const percap_table *table, const char *name);

/* Like percap_table_find, but a missing column is an error naming the
 * columns that do exist. */
percap_status percap_table_require(const percap_table *table, const char *name,
                                   const char *role, size_t *col, percap_error *err);

#endif
