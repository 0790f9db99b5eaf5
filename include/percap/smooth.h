/* percap: empirical-Bayes smoothing of small-area rates.
 *
 * A region of 12,717 men with 27 deaths has a rate that says more about
 * chance than about the region. Both methods here treat each area's true
 * rate theta_i as drawn from a distribution fitted to all areas, and
 * report its posterior mean: the raw rate y_i/n_i pulled towards the
 * overall mean, the more so the smaller the area's denominator n_i.
 *
 * PERCAP_SMOOTH_MARSHALL: Marshall (1991, Applied Statistics 40:283-294),
 * global method of moments, as spdep::EBest(family = "poisson"):
 *     m   = sum(y) / sum(n)
 *     s2  = sum(n_i (r_i - m)^2) / sum(n),   r_i = y_i / n_i
 *     phi = s2 - m / nbar,  nbar = sum(n) / k;  0 if negative
 *     C_i = phi / (phi + m / n_i)                       (weight on r_i)
 *     rate_i = m + C_i (r_i - m),   shrinkage_i = 1 - C_i
 *   Marshall gives no interval. Ours is the posterior interval under the
 *   gamma prior with Marshall's moments (mean m, variance phi: shape
 *   m^2/phi, rate m/phi), i.e. the equal-tailed interval of
 *   Gamma(y_i + m^2/phi, n_i + m/phi), whose mean is exactly rate_i.
 *
 * PERCAP_SMOOTH_CLAYTON_KALDOR: Clayton & Kaldor (1987, Biometrics
 * 43:671-681), the Poisson-gamma model
 *     y_i ~ Poisson(n_i theta_i),  theta_i ~ Gamma(shape nu, rate alpha),
 *   nu and alpha fitted by maximum likelihood of the negative-binomial
 *   marginal (the model of MASS::glm.nb(y ~ 1 + offset(log(n))), with
 *   theta = nu and exp(intercept) = nu/alpha), not by Clayton and Kaldor's
 *   own iterative moment scheme. Then
 *     rate_i = (y_i + nu) / (n_i + alpha),  shrinkage_i = alpha/(n_i + alpha)
 *   and the interval is the equal-tailed one of Gamma(y_i + nu, n_i + alpha).
 *   The fit: for fixed tau = 1/nu the mean mu = nu/alpha solves a monotone
 *   concave score equation (Newton, started at sum(y)/sum(n)); the profile
 *   score in tau is then solved by Brent's method on log(tau), started
 *   from Marshall's moment estimate tau = phi/m^2 (1 if phi = 0) and
 *   bracketed by steps of x4, and stopped when the bracket on log(tau) is
 *   narrower than 1e-13 (`iterations` counts the bracketing and Brent
 *   steps; more than 1200 is reported as non-convergence). The likelihood
 *   is not known to be unimodal in tau for unequal n_i; the root found is
 *   the local maximum bracketed from the start. nu is not capped: in tau
 *   the Poisson boundary is the ordinary value 0.
 *
 * No overdispersion. When the data show no more variation than Poisson
 * noise (Marshall: phi clipped to 0; Clayton-Kaldor: the profile score at
 * tau = 0, sum((y_i - n_i m)^2 - y_i)/2, is <= 0, so the ML is at
 * nu = infinity) the fitted prior is a point mass at the overall rate:
 * every area gets rate m and shrinkage 1, summary->at_boundary is set,
 * prior_var is 0 and shape and rate_param are INFINITY. The posterior
 * would then be a point, claiming every area's rate is known exactly; we
 * report instead the exact (Garwood) interval of the pooled rate
 * sum(y)/sum(n), the uncertainty of the one rate all areas are then taken
 * to share. Near the boundary (tiny phi, or huge finite nu) the posterior
 * intervals do narrow towards a point: like all plug-in empirical-Bayes
 * intervals they ignore the uncertainty in the fitted prior and are too
 * narrow when the prior is poorly determined. All-zero counts and a
 * single area are boundary cases (rates 0, or the area's own rate).
 *
 * Gamma quantiles come from percap_gamma_quantile up to shape 1e8 and
 * from the Cornish-Fisher expansion to O(1/shape) above it, where its
 * error is below double precision (checked against R's qgamma up to
 * shape 1e14) and where the root finder behind percap_gamma_quantile
 * needs time proportional to sqrt(shape). */
#ifndef PERCAP_SMOOTH_H
#define PERCAP_SMOOTH_H

#include <stdbool.h>

#include "percap/areas.h"
#include "percap/error.h"

typedef enum percap_smooth_method {
    PERCAP_SMOOTH_MARSHALL,
    PERCAP_SMOOTH_CLAYTON_KALDOR
} percap_smooth_method;

/* Parses "marshall" or "clayton-kaldor"; returns -1 if unknown. */
int percap_smooth_method_parse(const char *name, percap_smooth_method *out);
const char *percap_smooth_method_name(percap_smooth_method m);

/* One area: rate and limits per `per` people; shrinkage is the weight on
 * the overall mean, in [0, 1]. */
typedef struct percap_smoothed {
    double rate;
    double low;
    double high;
    double shrinkage;
} percap_smoothed;

/* The fitted prior, rates per person (not per `per`). */
typedef struct percap_smooth_summary {
    double prior_mean;   /* Marshall: m; Clayton-Kaldor: nu/alpha */
    double prior_var;    /* Marshall: phi; Clayton-Kaldor: nu/alpha^2 */
    double shape;        /* nu (Marshall: m^2/phi); INFINITY at the boundary */
    double rate_param;   /* alpha (Marshall: m/phi); INFINITY at the boundary */
    int iterations;      /* 0 for Marshall and at the boundary */
    bool converged;      /* true for Marshall and at the boundary */
    bool at_boundary;    /* no overdispersion: the prior is a point mass */
    double loglik;       /* Clayton-Kaldor: the maximised negative-binomial
                            log-likelihood (as R's logLik of glm.nb);
                            Marshall: NAN */
} percap_smooth_summary;

/* Smooths the rates of all areas (deaths: whole numbers >= 0;
 * populations: finite and > 0) into out[0 .. areas->n - 1]; `summary`
 * may be NULL. `level` in (0, 1) is the interval's probability, `per`
 * the rate base. Bad arguments give PERCAP_EUSAGE, bad or no areas
 * PERCAP_EDATA. If the Clayton-Kaldor fit does not converge the result
 * is PERCAP_EDATA, with out and summary filled from the last iterate and
 * summary->converged false. */
percap_status percap_smooth_compute(const percap_areas *areas, percap_smooth_method method,
                                    double level, double per, percap_smoothed *out,
                                    percap_smooth_summary *summary, percap_error *err);

#endif
