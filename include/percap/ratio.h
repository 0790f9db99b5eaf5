/* percap: each area's rate as a ratio to a comparison rate, with exact
 * intervals from the conditional binomial argument. */
#ifndef PERCAP_RATIO_H
#define PERCAP_RATIO_H

#include "percap/areas.h"
#include "percap/error.h"

typedef struct percap_ratio {
    double ratio;  /* (x1/n1) / (x2/n2) */
    double low;    /* limits of the exact interval at the requested level */
    double high;
} percap_ratio;

/* The rate ratio of x1 events over n1 to x2 events over n2, as R's
 * poisson.test(c(x1, x2), c(n1, n2), conf.level = level) reports it:
 * given x1 + x2 events, x1 is Binomial(x1 + x2, p) with
 * p = n1 RR / (n1 RR + n2), and the Clopper-Pearson limits for p map to
 * RR = p / (1 - p) * n2 / n1.
 *   x1 = 0:          ratio 0, low 0
 *   x2 = 0:          ratio +INFINITY, high +INFINITY (low is finite)
 *   x1 = x2 = 0:     ratio NAN, low 0, high +INFINITY: no events, no
 *                    information, so the interval is everything
 * Counts must be finite whole numbers >= 0, denominators finite and > 0
 * (PERCAP_EDATA otherwise); level strictly between 0 and 1 (PERCAP_EUSAGE).
 * Correct for counts to at least 1e7. */
percap_status percap_ratio_pair(double x1, double n1, double x2, double n2,
                                double level, percap_ratio *out,
                                percap_error *err);

/* out[i] for every row i of `areas` (out holds areas->n entries).
 * reference_row = -1: each area against all the OTHER areas pooled (their
 * deaths and denominators summed); needs at least two areas.
 * reference_row = r >= 0: each area against row r; row r's own entry is
 * ratio 1 with low and high NAN. Any other reference_row is PERCAP_EUSAGE.
 * On failure out is left partly filled and the error names the area. */
percap_status percap_ratio_compute(const percap_areas *areas, long reference_row,
                                   double level, percap_ratio *out,
                                   percap_error *err);

#endif
