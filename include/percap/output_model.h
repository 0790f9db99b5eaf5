/* percap: writing fitted models and correlations as CSV, JSON or Markdown. */
#ifndef PERCAP_OUTPUT_MODEL_H
#define PERCAP_OUTPUT_MODEL_H

#include <stdio.h>

#include "percap/correlation.h"
#include "percap/model.h"
#include "percap/output.h"

/* CSV: one row per term (term,estimate,std_error,statistic,p_value,
 * ci_low,ci_high, and ratio,ratio_low,ratio_high for count models).
 * JSON: {"formula":..,"family":..,"n":..,"r_squared":..,"terms":[..]}
 * with r_squared for linear models and deviance and aic for count ones.
 * Markdown: a table with the fit statistics under it. */
percap_status percap_output_model(FILE *fp, percap_format format, const percap_model *m,
                                  const char *formula, double level, percap_error *err);

/* One correlation result, labelled. */
typedef struct percap_correlation_row {
    const char *x, *y;
    const char *method;                /* "pearson" or "spearman" */
    percap_correlation value;
} percap_correlation_row;

/* CSV: x,y,method,n,r,ci_low,ci_high,p_value; JSON: an array of objects;
 * Markdown: a table. */
percap_status percap_output_correlations(FILE *fp, percap_format format,
                                         const percap_correlation_row *rows, size_t n,
                                         double level, percap_error *err);

#endif
