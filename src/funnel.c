/* percap: funnel limits for rates and the classification of areas
 * against them. The exact limits invert the Garwood interval in the
 * count, which means solving for the shape of a gamma distribution; the
 * gamma tail probabilities come from percap_gamma_tail, which stays
 * correct at the large shapes where GSL's own CDF does not. */
#include "percap/funnel.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>

#include "percap/intervals.h"
#include "root_find.h"

/* Spiegelhalter's 10% at each end, as a count: floor(n / 10). */
#define WINSOR_DIVISOR 10

/* The four limits every area is classified by, in order. */
static const double class_probs[4] = {0.001, 0.025, 0.975, 0.999};

static const char *const class_names[] = {"low_99.8", "low_95", "within", "high_95",
                                          "high_99.8"};

const char *percap_funnel_class_name(percap_funnel_class c)
{
    int i = (int)c + 2;
    if (i < 0 || i > 4)
        return "unknown";
    return class_names[i];
}

/* ---- the exact Poisson limit ------------------------------------ */

/* Shape a of Gamma(a, 1) whose upper-tail-`prob` point is mu, that is
 * P(X > mu) = prob. */
struct shape_problem {
    double mu, prob;
};

/* Increasing in a: a larger shape moves mass above mu. Solved in the
 * tail probabilities themselves (one CDF per step, not a quantile, which
 * is a root-finding of its own), in whichever tail is the smaller, so
 * that no cancellation blurs the root: 1 - prob is exact for prob >= 0.5
 * (Sterbenz). */
static double shape_residual(double a, void *params)
{
    const struct shape_problem *sp = params;

    if (sp->prob < 0.5)
        return percap_gamma_tail(a, sp->mu, 1) - sp->prob;
    return (1.0 - sp->prob) - percap_gamma_tail(a, sp->mu, 0);
}

/* The normal approximation mu = a + z sqrt(a), z the upper-tail normal
 * point of prob; within O(1) of the root, so a good place to start. */
static double shape_guess(const struct shape_problem *sp)
{
    double z = gsl_cdf_ugaussian_Qinv(sp->prob);
    double r = (-z + sqrt(z * z + 4.0 * sp->mu)) / 2.0;
    return r * r > DBL_MIN ? r * r : DBL_MIN;
}

/* The bracket starts about one standard deviation, sqrt(guess), either
 * side of the guess, and never goes below `floor_a`, where the residual
 * is known negative. */
static double solve_shape(double mu, double prob, double floor_a)
{
    struct shape_problem sp = {mu, prob};
    gsl_function f = {shape_residual, &sp};
    double guess = fmax(shape_guess(&sp), floor_a);
    double lo, hi;

    if (root_bracket_geometric(&f, guess, 1.0 / sqrt(guess + 1.0), floor_a, &lo,
                               &hi) != 0)
        return NAN;
    if (lo == hi)
        return lo;
    return root_brent_once(&f, lo, hi, DBL_MIN, 4.0 * DBL_EPSILON);
}

/* The limiting count y (see funnel.h); NAN if it cannot be found. */
static double limit_count(double mu, double prob)
{
    if (mu == 0.0)
        return 0.0;
    if (prob < 0.5) {
        /* P(X <= 0) = exp(-mu) >= prob: no count is low enough. Asked of
         * the same tail the solver uses (Q(mu; 1) = exp(-mu)), so that the
         * two never disagree a few ulps from the edge. */
        if (percap_gamma_tail(1.0, mu, 1) >= prob)
            return 0.0;
        return solve_shape(mu, prob, 1.0) - 1.0;
    }
    return solve_shape(mu, prob, 0.0);
}

static int valid_prob(double p)
{
    return p > 0.0 && p < 1.0;
}

static int valid_denominator(double n)
{
    return isfinite(n) && n > 0.0;
}

percap_status percap_funnel_poisson_limit(double target, double denominator, double prob,
                                          double *limit, percap_error *err)
{
    gsl_error_handler_t *saved;
    double y;

    if (limit == NULL || !(isfinite(target) && target >= 0.0) || !valid_prob(prob))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "funnel limit: need a finite target >= 0 (got %.15g), a "
                                "probability strictly between 0 and 1 (got %.15g) and "
                                "somewhere to store the limit",
                                target, prob);
    if (!valid_denominator(denominator))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "funnel limit: the denominator must be finite and > 0, "
                                "got %.15g",
                                denominator);
    /* GSL's default handler aborts (the root solver reports through it);
     * it is process-wide, so restore the caller's. */
    saved = gsl_set_error_handler_off();
    errno = 0;
    y = limit_count(target * denominator, prob);
    gsl_set_error_handler(saved);
    if (!isfinite(y) && errno == ENOMEM)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (!isfinite(y))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "could not compute the funnel limit at probability %.15g "
                                "for a denominator of %.15g at rate %.15g",
                                prob, denominator, target);
    *limit = y / denominator;
    return PERCAP_OK;
}

/* ---- limits for one area ---------------------------------------- */

static double od_limit(const percap_funnel_summary *s, double prob, double denominator)
{
    double s2 = 1.0 / (s->target * denominator);
    return s->target * exp(gsl_cdf_ugaussian_Pinv(prob) * sqrt(s2 + s->tau2));
}

static percap_status limit_at(const percap_funnel_summary *s, bool overdispersed, double prob,
                              double denominator, double *limit, percap_error *err)
{
    if (!overdispersed)
        return percap_funnel_poisson_limit(s->target, denominator, prob, limit, err);
    if (!valid_denominator(denominator))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "funnel limit: the denominator must be finite and > 0, "
                                "got %.15g",
                                denominator);
    *limit = od_limit(s, prob, denominator);
    return PERCAP_OK;
}

static percap_status check_summary(const percap_funnel_summary *s, bool overdispersed,
                                   double prob, percap_error *err)
{
    if (s == NULL || !(isfinite(s->target) && s->target > 0.0))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "funnel curve: need a summary with a finite target > 0");
    if (overdispersed && !(isfinite(s->tau2) && s->tau2 >= 0.0))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "funnel curve: tau2 must be finite and >= 0, got %.15g",
                                s->tau2);
    if (!valid_prob(prob))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "funnel curve: the probability must lie strictly between "
                                "0 and 1, got %.15g",
                                prob);
    return PERCAP_OK;
}

percap_status percap_funnel_curve(const percap_funnel_summary *s, bool overdispersed,
                                  double prob, const double *denominators, size_t n,
                                  double *limits, percap_error *err)
{
    percap_status st = check_summary(s, overdispersed, prob, err);

    if (st != PERCAP_OK)
        return st;
    if (n > 0 && (denominators == NULL || limits == NULL))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "funnel curve: need denominators and somewhere to store "
                                "the limits");
    for (size_t i = 0; i < n; i++) {
        st = limit_at(s, overdispersed, prob, denominators[i], &limits[i], err);
        if (st != PERCAP_OK)
            return st;
    }
    return PERCAP_OK;
}

/* ---- overdispersion ------------------------------------------------ */

/* 0.5 for a zero count: see funnel.h. */
static double log_rate_count(double deaths)
{
    return deaths > 0.0 ? deaths : 0.5;
}

static double z_score(double deaths, double population, double target)
{
    double s = 1.0 / sqrt(target * population);
    return (log(log_rate_count(deaths) / population) - log(target)) / s;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* phi from the winsorised z-scores; `sorted` is scratch of n doubles. */
static void winsorise(const double *z, double *sorted, size_t n, percap_funnel_summary *s)
{
    size_t k = n / WINSOR_DIVISOR;
    double lo, hi, sum = 0.0;

    memcpy(sorted, z, n * sizeof *z);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    lo = sorted[k];
    hi = sorted[n - 1 - k];
    s->winsorised_low = s->winsorised_high = 0;
    for (size_t i = 0; i < n; i++) {
        double wz = z[i];
        if (wz < lo) {
            wz = lo;
            s->winsorised_low++;
        } else if (wz > hi) {
            wz = hi;
            s->winsorised_high++;
        }
        sum += wz * wz;
    }
    s->phi = sum / (double)n;
}

/* DerSimonian-Laird with w_i = 1/s_i^2 = target n_i. One area has no
 * between-area variance to estimate (and a zero weight spread). */
static double dl_tau2(const percap_areas *areas, const percap_funnel_summary *s)
{
    double n = (double)s->n, sw = 0.0, sw2 = 0.0;

    if (s->n < 2 || !(n * s->phi > n - 1.0))
        return 0.0;
    for (size_t i = 0; i < s->n; i++) {
        double w = s->target * areas->rows[i].population;
        sw += w;
        sw2 += w * w;
    }
    return (n * s->phi - (n - 1.0)) / (sw - sw2 / sw);
}

static percap_status dispersion(const percap_areas *areas, percap_funnel_summary *s,
                                percap_error *err)
{
    double *z = malloc(2 * areas->n * sizeof *z);

    if (z == NULL)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < areas->n; i++)
        z[i] = z_score(areas->rows[i].deaths, areas->rows[i].population, s->target);
    winsorise(z, z + areas->n, areas->n, s);
    free(z);
    s->tau2 = dl_tau2(areas, s);
    return PERCAP_OK;
}

/* ---- classification ---------------------------------------------- */

static percap_status check_areas(const percap_areas *areas, percap_error *err)
{
    if (areas->n == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "a funnel plot needs at least one area");
    for (size_t i = 0; i < areas->n; i++) {
        const percap_area *r = &areas->rows[i];
        if (!(isfinite(r->deaths) && r->deaths >= 0.0 && floor(r->deaths) == r->deaths))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the count must be a finite whole number >= 0, "
                                    "got %.15g",
                                    percap_areas_code(areas, i), r->deaths);
        if (!valid_denominator(r->population))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the denominator must be finite and > 0, got %.15g",
                                    percap_areas_code(areas, i), r->population);
    }
    return PERCAP_OK;
}

static percap_status pooled_target(const percap_areas *areas, percap_funnel_summary *s,
                                   percap_error *err)
{
    double deaths = 0.0, population = 0.0;

    for (size_t i = 0; i < areas->n; i++) {
        deaths += areas->rows[i].deaths;
        population += areas->rows[i].population;
    }
    if (deaths == 0.0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "no area has any deaths: a funnel plot has nothing to "
                                "compare");
    *s = (percap_funnel_summary){.target = deaths / population, .n = areas->n};
    return PERCAP_OK;
}

static percap_funnel_class classify_rate(double rate, const double lim[4])
{
    if (rate > lim[3])
        return PERCAP_FUNNEL_HIGH_998;
    if (rate > lim[2])
        return PERCAP_FUNNEL_HIGH_95;
    if (rate < lim[0])
        return PERCAP_FUNNEL_LOW_998;
    if (rate < lim[1])
        return PERCAP_FUNNEL_LOW_95;
    return PERCAP_FUNNEL_WITHIN;
}

static percap_status classify_area(const percap_areas *areas, size_t i, bool overdispersed,
                                   const percap_funnel_summary *s, percap_funnel_class *out,
                                   percap_error *err)
{
    const percap_area *r = &areas->rows[i];
    double lim[4];
    double count = overdispersed ? log_rate_count(r->deaths) : r->deaths;

    for (size_t k = 0; k < 4; k++) {
        percap_status st = limit_at(s, overdispersed, class_probs[k], r->population,
                                    &lim[k], err);
        if (st != PERCAP_OK) {
            char msg[PERCAP_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err ? err->message : "");
            return percap_error_set(err, st, NULL, 0, 0, "%s: %s",
                                    percap_areas_code(areas, i), msg);
        }
    }
    *out = classify_rate(count / r->population, lim);
    return PERCAP_OK;
}

percap_status percap_funnel_classify(const percap_areas *areas, bool overdispersed,
                                     percap_funnel_class *out, percap_funnel_summary *summary,
                                     percap_error *err)
{
    percap_funnel_summary s;
    percap_status st;

    if (areas == NULL || out == NULL)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_funnel_classify needs areas and somewhere to store "
                                "the classes");
    st = check_areas(areas, err);
    if (st == PERCAP_OK)
        st = pooled_target(areas, &s, err);
    if (st == PERCAP_OK)
        st = dispersion(areas, &s, err);
    for (size_t i = 0; st == PERCAP_OK && i < areas->n; i++)
        st = classify_area(areas, i, overdispersed, &s, &out[i], err);
    if (st == PERCAP_OK && summary != NULL)
        *summary = s;
    return st;
}
