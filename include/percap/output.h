/* percap: writing the rates table as CSV, JSON or Markdown. */
#ifndef PERCAP_OUTPUT_H
#define PERCAP_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "percap/areas.h"
#include "percap/rates.h"

typedef enum percap_format {
    PERCAP_FORMAT_CSV,
    PERCAP_FORMAT_JSON,
    PERCAP_FORMAT_MD
} percap_format;

int percap_format_parse(const char *name, percap_format *out);

/* A column computed beyond the rates (rank intervals, ratios, funnel
 * classes, smoothed rates), written after the covariates. */
typedef struct percap_column {
    const char *name;
    const double *values;        /* one per area row (not display order), or NULL */
    const char *const *text;     /* used when values is NULL */
    double pooled;               /* the pooled row's value; NAN for none */
    bool whole;                  /* whole numbers (ranks): no decimals in Markdown */
} percap_column;

/* What the table shows, for the headers and captions. */
typedef struct percap_report {
    const percap_areas *areas;
    const size_t *order;              /* rows in display order */
    const percap_area *pooled;        /* NULL: no pooled row */
    const percap_rate_options *rates;
    const char *counted;              /* what the counts are, e.g. the file */
    const char *denominator;          /* what the denominator is */
    const percap_column *extra;       /* more columns, after the covariates */
    size_t nextra;
    const char *const *notes;         /* more caveats for Markdown and JSON, NULL-ended */
} percap_report;

/* The fixed first columns, in order; covariates follow. */
extern const char *const percap_output_columns[9];

/* Writes the table. Full double precision in CSV and JSON, rounded in
 * Markdown, which also states what the numbers can and cannot show. */
percap_status percap_output_rates(FILE *fp, percap_format format, const percap_report *rep,
                                  percap_error *err);

/* Shortest text that reads back as exactly v ("" for NaN); whole numbers
 * without a decimal point. */
void percap_output_number(double v, char *buf, size_t size);

/* Counts from a record list as CSV: region_code,region_name,deaths (and
 * month, as YYYY-MM, second-to-last with by_month). Regions with no
 * deaths are left out unless `listed` (one flag per registry region, or
 * NULL) marks them; rows follow the registry's order. */
struct percap_records;
percap_status percap_output_counts(FILE *fp, const percap_registry *reg,
                                   const struct percap_records *rec, bool by_month,
                                   const bool *listed, percap_error *err);

/* A joined table as CSV: region_code,region_name and the covariates, in
 * the registry's order. */
percap_status percap_output_joined(FILE *fp, const percap_areas *areas, percap_error *err);

/* CSV field quoting (RFC 4180) and JSON string escaping. */
void percap_output_csv_field(FILE *fp, const char *s);
void percap_output_json_string(FILE *fp, const char *s);

#endif
