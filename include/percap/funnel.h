/* percap: funnel plots of rates (Spiegelhalter 2005, "Funnel plots for
 * comparing institutional performance", Statistics in Medicine
 * 24:1185-1202), with the exact Poisson limits PHEindicatormethods uses
 * for rates and Spiegelhalter's additive random-effects limits for
 * overdispersed data. */
#ifndef PERCAP_FUNNEL_H
#define PERCAP_FUNNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "percap/areas.h"
#include "percap/error.h"

typedef enum percap_funnel_class {
    PERCAP_FUNNEL_LOW_998 = -2,  /* below the 99.8% funnel */
    PERCAP_FUNNEL_LOW_95 = -1,   /* below the 95% funnel only */
    PERCAP_FUNNEL_WITHIN = 0,
    PERCAP_FUNNEL_HIGH_95 = 1,
    PERCAP_FUNNEL_HIGH_998 = 2
} percap_funnel_class;

/* "low_99.8", "low_95", "within", "high_95", "high_99.8"; "unknown" for
 * anything else. */
const char *percap_funnel_class_name(percap_funnel_class c);

/* The exact Poisson funnel limit, as a rate per person, for an area with
 * this denominator when the true rate is `target` (per person), at
 * lower-tail probability prob in (0, 1): 0.001 and 0.025 for the lower
 * 99.8% and 95% limits, 0.975 and 0.999 for the upper ones.
 *
 * This is PHEindicatormethods' construction for rates
 * (calculate_funnel_limits, statistic = "rate"): the limit is where an
 * area's exact (Garwood, chi-square) interval just touches the target.
 * With mu = target * denominator, the limiting count y solves
 *   prob < 0.5:  pgamma(mu, y + 1, lower.tail = FALSE) = prob
 *                (the upper Garwood limit of y events is mu; y = 0 when
 *                even zero events would not reach that, exp(-mu) >= prob)
 *   prob >= 0.5: pgamma(mu, y, lower.tail = FALSE) = prob
 *                (the lower Garwood limit of y events is mu)
 * and the limit is y / denominator. At whole y these are ppois(y, mu) =
 * prob and ppois(y - 1, mu) = prob, so the count is the continuous
 * version of the Poisson quantile; PHE evaluates the same curve only at
 * whole numbers of events (by bisection on the Poisson sum), we at any
 * denominator. Spiegelhalter's linear interpolation between Poisson
 * quantiles (his appendix) is another continuous version, not used here:
 * the two agree for large counts but differ where the limit is a few
 * events (by up to 58% on the shipped data, changing one class of 85).
 * target = 0 gives 0. target must be finite and >= 0 and prob in (0, 1)
 * (PERCAP_EUSAGE), denominator finite and > 0 (PERCAP_EDATA). */
percap_status percap_funnel_poisson_limit(double target, double denominator, double prob,
                                          double *limit, percap_error *err);

typedef struct percap_funnel_summary {
    double target;           /* pooled rate per person: all deaths / all denominators */
    double phi;              /* mean of the squared winsorised z-scores */
    double tau2;             /* DerSimonian-Laird between-area variance of log rates */
    size_t n;                /* areas */
    size_t winsorised_low;   /* z-scores raised to the 10th percentile */
    size_t winsorised_high;  /* z-scores lowered to the 90th percentile */
} percap_funnel_summary;

/* Classifies every area (out holds areas->n entries) against the 95% and
 * 99.8% limits at its own denominator around target = the pooled rate of
 * all areas: high_99.8 if its rate is above the upper 99.8% limit, else
 * high_95 if above the upper 95% one, low_99.8 / low_95 likewise below;
 * a rate exactly on a limit is within it.
 *
 * Without overdispersion the limits are percap_funnel_poisson_limit's.
 * PHE's assign_funnel_significance classifies instead by comparing the
 * target with each area's own interval, exact below 10 events and Byar's
 * approximation from 10 up; here the exact interval is used throughout,
 * so that the classification always agrees with the plotted funnel.
 *
 * With overdispersion, Spiegelhalter's additive random-effects limits on
 * the log scale:
 *   z_i   = (log(y_i / n_i) - log(target)) / s_i,  s_i = 1 / sqrt(target n_i)
 *   winsorise: with k = floor(n / 10), z-scores below the (k+1)-th
 *         smallest are raised to it and those above the (k+1)-th largest
 *         lowered to it (Spiegelhalter's "set the lowest 10% to the 10th
 *         percentile", with the percentile an order statistic)
 *   phi   = mean of the squared winsorised z-scores
 *   tau2  = (n phi - (n - 1)) / (sum w - sum w^2 / sum w), w = 1 / s^2,
 *           if n phi > n - 1 (and n > 1), else 0
 *   limit = target exp(z_p sqrt(s^2 + tau2)), z_p = qnorm(prob)
 * A zero count has no log: its z-score, and the rate it is classified
 * by, use 0.5 events instead (the usual continuity correction); with 0
 * the z-score would be minus infinity and every zero-count area would
 * fall below any positive log-scale limit, however small its
 * denominator. When tau2 comes out 0 these limits are the normal
 * approximation on the log scale, not the exact ones.
 *
 * phi, tau2 and the winsorised counts are computed and reported either
 * way. Errors: no areas, or no deaths at all (nothing to compare), or a
 * count that is not a whole number >= 0 or a denominator that is not
 * finite and > 0: PERCAP_EDATA naming the area. */
percap_status percap_funnel_classify(const percap_areas *areas, bool overdispersed,
                                     percap_funnel_class *out, percap_funnel_summary *summary,
                                     percap_error *err);

/* The limit at lower-tail probability prob for each of n denominators,
 * for drawing: percap_funnel_poisson_limit(s->target, ...) without
 * overdispersion, the random-effects formula above (with s->tau2) with
 * it. Rates per person, as in the summary. */
percap_status percap_funnel_curve(const percap_funnel_summary *s, bool overdispersed,
                                  double prob, const double *denominators, size_t n,
                                  double *limits, percap_error *err);

#endif
