/* percap: correlation coefficients with confidence intervals and tests,
 * as R's cor.test() gives them. */
#ifndef PERCAP_CORRELATION_H
#define PERCAP_CORRELATION_H

#include <stddef.h>

#include "percap/error.h"

typedef struct percap_correlation {
    double r;           /* Pearson's r or Spearman's rho */
    double low, high;   /* confidence interval; NAN when n <= 3 */
    double p_value;     /* two-sided test of no correlation */
    size_t n;           /* pairs used: those where neither value is NAN */
} percap_correlation;

/* Pearson's r; the interval is Fisher's z, atanh(r) +- z_(1+level)/2 /
 * sqrt(n - 3), mapped back with tanh; the p-value is from
 * t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df. All as cor.test().
 *
 * Pairs with a NAN in either value are skipped (and not counted in n).
 * Errors: PERCAP_EUSAGE for a level outside (0, 1) or NULL arrays with
 * n > 0; PERCAP_EDATA for fewer than 3 complete pairs, an infinite value,
 * or a variable that does not vary. */
percap_status percap_correlation_pearson(const double *x, const double *y, size_t n,
                                         double level, percap_correlation *out,
                                         percap_error *err);

/* Spearman's rho: Pearson's r of the ranks, ties given their average
 * rank. The p-value is cor.test(method = "spearman", exact = FALSE)'s:
 * t = rho sqrt((n - 2) / (1 - rho^2)) on n - 2 df. R gives no interval
 * for rho; this one is Fisher's z with the standard error of Bonett and
 * Wright (2000, Psychometrika 65:23-28), sqrt((1 + rho^2 / 2) / (n - 3)),
 * which keeps its coverage where 1 / sqrt(n - 3) is too narrow for rho.
 * Missing values and errors as for Pearson. */
percap_status percap_correlation_spearman(const double *x, const double *y, size_t n,
                                          double level, percap_correlation *out,
                                          percap_error *err);

#endif
