/* percap: confidence intervals for a count of events over a denominator. */
#ifndef PERCAP_INTERVALS_H
#define PERCAP_INTERVALS_H

#include "percap/error.h"

typedef enum percap_ci_method {
    PERCAP_CI_EXACT,  /* Garwood (1936): chi-square quantiles of 2x and 2x+2 df */
    PERCAP_CI_BYAR,   /* Byar's approximation as in PHEindicatormethods */
    PERCAP_CI_WILSON, /* Wilson score interval for the proportion x/n */
    PERCAP_CI_NORMAL  /* x/n +- z sqrt(x)/n, lower limit clipped at 0 */
} percap_ci_method;

/* Parses "exact", "byar", "wilson" or "normal"; returns -1 if unknown. */
int percap_ci_method_parse(const char *name, percap_ci_method *out);
const char *percap_ci_method_name(percap_ci_method method);

/* Interval for the rate events/denominator (per person, not per 100k)
 * at confidence `level` in (0,1). events >= 0 and a whole number;
 * denominator > 0; events <= denominator for Wilson. */
percap_status percap_interval_rate(percap_ci_method method, double events,
                                   double denominator, double level,
                                   double *low, double *high,
                                   percap_error *err);

/* Exact Poisson limits for the mean of a Poisson count x:
 * low = qchisq(alpha/2, 2x)/2 (0 for x = 0), high = qchisq(1-alpha/2, 2x+2)/2.
 * Correct from 0 to at least 1e7 events: GSL's inverse CDFs fail above
 * about 15,000 events, so each quantile is checked by a round trip
 * through the forward CDF and refined with a root finder. */
percap_status percap_interval_poisson_exact(double x, double level,
                                            double *low, double *high);
/* (PERCAP_ENOMEM if the root finder cannot be allocated; PERCAP_EDATA for
 * counts that are not whole, finite and >= 0, or limits not found.) */

/* The gamma quantile (shape a, scale 1) at lower-tail probability p, or
 * upper-tail probability q when `upper` is set; robust as above. NAN if
 * it cannot be found, with errno set to ENOMEM if memory ran out. */
double percap_gamma_quantile(double a, double prob, int upper);

/* The forward CDF behind it: P(X <= x), or P(X > x) when `upper` is set,
 * for X ~ Gamma(a, 1); good to ~1e-13 relative in the tail asked for,
 * at any shape (GSL's own is 0.8% off at a = 1e7). NAN for a shape that
 * is not finite and > 0, or x NaN. */
double percap_gamma_tail(double a, double x, int upper);

#endif
