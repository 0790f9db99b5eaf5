/* percap: rate ratios with exact conditional intervals.
 *
 * The Clopper-Pearson limits are beta quantiles, and GSL 2.7.1 cannot be
 * trusted with them at the counts this library sees. Checked against R:
 * gsl_cdf_beta_Pinv never returns for a = b = 1e6 (an endless loop, so
 * not even a round-trip check can guard it) and returns NaN for, among
 * others, (1e6, 2), (5, 100001) and (50, 1e6); gsl_cdf_beta_P/Q and
 * gsl_sf_beta_inc give up (NaN, GSL_EMAXITER) near the middle of the
 * distribution once both shapes pass ~1e5, because their continued
 * fraction stops after 512 terms; and their prefactor, built from
 * lgamma-sized logarithms, is 3e-9 off at shapes of 1e6. So the
 * incomplete beta is computed here: the prefactor in a form without
 * cancellation and the continued fraction with as many terms as the
 * shapes need, and every quantile is solved for with Brent's method. */
#include "percap/ratio.h"
#include "root_find.h"

#include <errno.h>
#include <stdbool.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>

/* Near the middle of Beta(a, b) the continued fraction needs a few times
 * sqrt(a + b) terms; this leaves a wide margin and still ends. */
#define CF_TERMS(n) (50.0 * sqrt(n) + 1000.0)

/* Each step doubles, so this reaches any log-odds a double can hold. */
#define BRACKET_MAX_STEPS 64

/* ---- the incomplete beta function --------------------------------- */

/* a log(x/p0) + b log((1-x)/q0) for x <= 1/2, p0 = a/n, q0 = b/n: the
 * log of x^a (1-x)^b over its value at the mean. Everything is taken
 * from x and d = p0 - x, never from 1 - x: with b = 1e7 and x = 2.5e-9,
 * the rounding of 1 - x alone (1e-16) moves b log(1 - x) by 1e-9.
 * Near the mean, the linear parts a u + b w = n d - n d cancel exactly
 * and are left out, which leaves two small, accurate terms. */
static double beta_log_kernel(double a, double b, double x)
{
    double n = a + b, p0 = a / n, q0 = b / n;
    double d = p0 - x;  /* exact where it matters: Sterbenz near p0 */
    double u = -d / p0, w = d / q0;

    if (fabs(u) <= 0.5)
        return a * gsl_sf_log_1plusx_mx(u) + b * gsl_sf_log_1plusx_mx(w);
    return a * log(x / p0) + b * log1p(w);
}

/* x^a y^b / B(a, b), y = 1 - x. Written around the mean, the large terms
 * a log p0 + b log q0 cancel against those of B(a, b) analytically
 * (Stirling's series is in gammastar), so nothing large is subtracted.
 * Of x and y the smaller one is the exact one, and leads. */
static double beta_prefactor(double a, double b, double x, double y)
{
    double n = a + b;
    double expo = x <= y ? beta_log_kernel(a, b, x) : beta_log_kernel(b, a, y);

    return exp(expo) * sqrt(a * b / (2.0 * M_PI * n)) *
           (gsl_sf_gammastar(n) / (gsl_sf_gammastar(a) * gsl_sf_gammastar(b)));
}

static double tiny_guard(double t)
{
    const double fpmin = DBL_MIN / DBL_EPSILON;
    return fabs(t) < fpmin ? fpmin : t;
}

/* The continued fraction's first partial denominator,
 * 1 - (a + b) x / (a + 1). For x near 1 (b small) that is a difference of
 * nearly equal numbers; from y = 1 - x it is (n y + 1 - b) / (a + 1),
 * which for b = 1 is y itself, to the last bit. */
static double cf_first(double a, double b, double x, double y)
{
    if (x <= y)
        return 1.0 - (a + b) * x / (a + 1.0);
    return ((a + b) * y + (1.0 - b)) / (a + 1.0);
}

/* The continued fraction for I_x(a, b) (modified Lentz), which converges
 * quickly for x < (a + 1) / (a + b + 2). NAN if it does not. */
static double beta_cf(double a, double b, double x, double y)
{
    double c = 1.0, d = 1.0 / tiny_guard(cf_first(a, b, x, y));
    double h = d, limit = CF_TERMS(a + b);

    for (double m = 1.0; m <= limit; m += 1.0) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
        double del;

        d = 1.0 / tiny_guard(1.0 + aa * d);
        c = tiny_guard(1.0 + aa / c);
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
        d = 1.0 / tiny_guard(1.0 + aa * d);
        c = tiny_guard(1.0 + aa / c);
        del = d * c;
        h *= del;
        if (fabs(del - 1.0) <= 2.0 * DBL_EPSILON)
            return h;
    }
    return NAN;
}

/* P(X <= x) for X ~ Beta(a, b), y = 1 - x. The fraction is always run on
 * the side where it converges; the complement is then only formed when
 * that side holds at least about half the mass. */
static double beta_lower(double a, double b, double x, double y)
{
    if (!(x > 0.0))
        return 0.0;
    if (!(y > 0.0))
        return 1.0;
    if (x < (a + 1.0) / (a + b + 2.0))
        return beta_prefactor(a, b, x, y) * beta_cf(a, b, x, y) / a;
    return 1.0 - beta_prefactor(a, b, x, y) * beta_cf(b, a, y, x) / b;
}

/* ---- beta quantiles on the log-odds scale -------------------------- */

/* One tail of Beta(a, b) at probability prob. The unknown is the
 * log-odds t of the quantile: the rate ratio is a multiple of the odds,
 * and x = 1/(1 + e^-t), 1 - x = 1/(1 + e^t) are both exact to rounding
 * wherever the quantile lies. */
struct beta_tail {
    double a, b, prob;
    int upper;
};

static double tail_residual(double t, void *params)
{
    const struct beta_tail *bt = params;
    double x = 1.0 / (1.0 + exp(-t));
    double y = 1.0 / (1.0 + exp(t));

    /* Both residuals increase with t, so one bracketing rule serves. */
    if (bt->upper)
        return bt->prob - beta_lower(bt->b, bt->a, y, x);
    return beta_lower(bt->a, bt->b, x, y) - bt->prob;
}

static int bracket_log_odds(gsl_function *f, double guess, double *lo,
                            double *hi)
{
    double l = guess - 1.0, h = guess + 1.0, step = 1.0;
    double fl = GSL_FN_EVAL(f, l), fh = GSL_FN_EVAL(f, h);

    for (int i = 0; i < BRACKET_MAX_STEPS; i++) {
        if (isnan(fl) || isnan(fh))
            return -1;
        if (fl <= 0.0 && fh >= 0.0) {
            *lo = l;
            *hi = h;
            return 0;
        }
        step *= 2.0;
        if (fl > 0.0) {
            h = l;
            fh = fl;
            l -= step;
            fl = GSL_FN_EVAL(f, l);
        } else {
            l = h;
            fl = fh;
            h += step;
            fh = GSL_FN_EVAL(f, h);
        }
    }
    return -1;
}

/* The odds x/(1-x) of the quantile; NAN on failure. */
static double beta_quantile_odds(double a, double b, double prob, int upper)
{
    struct beta_tail bt = {a, b, prob, upper};
    gsl_function f = {tail_residual, &bt};
    double lo, hi;

    if (bracket_log_odds(&f, log(a / b), &lo, &hi) != 0)
        return NAN;
    /* 1e-15 absolute: a log-odds root near 0 is an odds near 1, where a
     * relative test alone would never be met. */
    return exp(root_brent_once(&f, lo, hi, 1e-15, 4.0 * DBL_EPSILON));
}

/* ---- rate ratios --------------------------------------------------- */

static int valid_count(double x)
{
    return isfinite(x) && x >= 0.0 && floor(x) == x;
}

static int valid_denominator(double n)
{
    return isfinite(n) && n > 0.0;
}

static percap_status check_pair(double x1, double n1, double x2, double n2,
                                percap_error *err)
{
    if (!valid_count(x1) || !valid_count(x2))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "event counts must be finite whole numbers "
                                ">= 0, got %.15g and %.15g",
                                x1, x2);
    if (!valid_denominator(n1) || !valid_denominator(n2))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "denominators must be finite and > 0, got "
                                "%.15g and %.15g",
                                n1, n2);
    return PERCAP_OK;
}

static int valid_level(double level)
{
    return level > 0.0 && level < 1.0;
}

/* Clopper-Pearson for p = n1 RR / (n1 RR + n2), as odds times n2/n1. */
static percap_status exact_limits(double x1, double n1, double x2, double n2,
                                  double level, percap_ratio *r,
                                  percap_error *err)
{
    double tail = (1.0 - level) / 2.0;
    double scale = n2 / n1;

    /* errno is looked at right after each quantile: later arithmetic may
     * set it too (ERANGE) */
    errno = 0;
    r->low = x1 == 0.0 ? 0.0 : beta_quantile_odds(x1, x2 + 1.0, tail, 0) * scale;
    bool no_memory = isnan(r->low) && errno == ENOMEM;
    errno = 0;
    r->high = x2 == 0.0 ? INFINITY
                        : beta_quantile_odds(x1 + 1.0, x2, tail, 1) * scale;
    if (no_memory || (isnan(r->high) && errno == ENOMEM))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (!isfinite(r->low) || isnan(r->high) || (x2 > 0.0 && isinf(r->high)))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "could not compute the interval for the "
                                "rate ratio of %.15g/%.15g to %.15g/%.15g",
                                x1, n1, x2, n2);
    return PERCAP_OK;
}

static double point_ratio(double x1, double n1, double x2, double n2)
{
    if (x2 == 0.0)
        return x1 == 0.0 ? NAN : INFINITY;
    /* products of whole counts and populations stay exact far longer than
     * the quotients do, so 30/200000 against 10/1000000 is 15, not
     * 14.999999999999998; fall back to quotients if a product overflows */
    double num = x1 * n2, den = x2 * n1;
    return isfinite(num) && isfinite(den) ? num / den : (x1 / n1) / (x2 / n2);
}

percap_status percap_ratio_pair(double x1, double n1, double x2, double n2,
                                double level, percap_ratio *out,
                                percap_error *err)
{
    percap_ratio r;
    percap_status st;
    gsl_error_handler_t *saved;

    if (out == NULL)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_ratio_pair needs somewhere to store "
                                "the ratio");
    if (!valid_level(level))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "confidence level must be strictly between "
                                "0 and 1, got %.15g",
                                level);
    st = check_pair(x1, n1, x2, n2, err);
    if (st != PERCAP_OK)
        return st;
    r.ratio = point_ratio(x1, n1, x2, n2);
    /* GSL's default handler aborts; it is process-wide, so restore the
     * caller's afterwards (not thread-safe, like intervals.c). */
    saved = gsl_set_error_handler_off();
    st = exact_limits(x1, n1, x2, n2, level, &r, err);
    gsl_set_error_handler(saved);
    if (st == PERCAP_OK)
        *out = r;
    return st;
}

/* Prefixes the area's code to the message the pair left in err. */
static percap_status name_area(const percap_areas *areas, size_t row,
                               percap_status st, percap_error *err)
{
    char msg[PERCAP_ERROR_MSG_MAX];

    if (err == NULL)
        return st;
    snprintf(msg, sizeof msg, "%s", err->message);
    return percap_error_set(err, st, NULL, 0, 0, "%s: %s",
                            percap_areas_code(areas, row), msg);
}

/* Every row up front, so that a bad one is named itself rather than
 * through the pooled "others" of whichever area comes first. */
static percap_status check_rows(const percap_areas *areas, percap_error *err)
{
    for (size_t i = 0; i < areas->n; i++) {
        const percap_area *r = &areas->rows[i];
        if (!valid_count(r->deaths))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the count must be a finite whole "
                                    "number >= 0, got %.15g",
                                    percap_areas_code(areas, i), r->deaths);
        if (!valid_denominator(r->population))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the denominator must be finite and "
                                    "> 0, got %.15g",
                                    percap_areas_code(areas, i), r->population);
    }
    return PERCAP_OK;
}

static percap_status against_others(const percap_areas *areas, double level,
                                    percap_ratio *out, percap_error *err)
{
    if (areas->n < 2)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "comparing each area with all the others "
                                "needs at least two areas, got %zu",
                                areas->n);
    for (size_t i = 0; i < areas->n; i++) {
        double x2 = 0.0, n2 = 0.0;
        percap_status st;

        /* Summed afresh rather than total minus own: subtraction would
         * cancel when one area holds most of the total. */
        for (size_t j = 0; j < areas->n; j++) {
            if (j == i)
                continue;
            x2 += areas->rows[j].deaths;
            n2 += areas->rows[j].population;
        }
        st = percap_ratio_pair(areas->rows[i].deaths, areas->rows[i].population,
                               x2, n2, level, &out[i], err);
        if (st != PERCAP_OK)
            return name_area(areas, i, st, err);
    }
    return PERCAP_OK;
}

static percap_status against_row(const percap_areas *areas, size_t ref,
                                 double level, percap_ratio *out,
                                 percap_error *err)
{
    const percap_area *r = &areas->rows[ref];
    percap_status st;

    for (size_t i = 0; i < areas->n; i++) {
        if (i == ref) {
            out[i] = (percap_ratio){1.0, NAN, NAN};
            continue;
        }
        st = percap_ratio_pair(areas->rows[i].deaths, areas->rows[i].population,
                               r->deaths, r->population, level, &out[i], err);
        if (st != PERCAP_OK)
            return name_area(areas, i, st, err);
    }
    return PERCAP_OK;
}

percap_status percap_ratio_compute(const percap_areas *areas, long reference_row,
                                   double level, percap_ratio *out,
                                   percap_error *err)
{
    if (areas == NULL || out == NULL)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_ratio_compute needs areas and "
                                "somewhere to store the ratios");
    if (!valid_level(level))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "confidence level must be strictly between "
                                "0 and 1, got %.15g",
                                level);
    if (reference_row < -1 || (reference_row >= 0 && (size_t)reference_row >= areas->n))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "reference row %ld is not a row of the "
                                "%zu areas (or -1 for all the others)",
                                reference_row, areas->n);
    if (check_rows(areas, err) != PERCAP_OK)
        return PERCAP_EDATA;
    if (reference_row == -1)
        return against_others(areas, level, out, err);
    return against_row(areas, (size_t)reference_row, level, out, err);
}
