/* Pearson and Spearman correlations with the intervals and p-values of
 * R's cor.test(). */
#include "percap/correlation.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

typedef struct pairs {
    double *x, *y;
    size_t n;
} pairs;

static void pairs_free(pairs *p)
{
    free(p->x);
    free(p->y);
}

static percap_status check_args(const double *x, const double *y, size_t n, double level,
                                const percap_correlation *out, percap_error *err)
{
    if (!out || (n > 0 && (!x || !y)))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "a correlation needs two arrays and a result");
    if (!(level > 0 && level < 1))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the confidence level must lie strictly between 0 and 1 "
                                "(got %.15g)",
                                level);
    return PERCAP_OK;
}

/* The pairs where both values are present; an infinite value is bad
 * data, not a missing one. */
static percap_status complete_pairs(const double *x, const double *y, size_t n, pairs *p,
                                    percap_error *err)
{
    p->x = malloc((n ? n : 1) * sizeof *p->x);
    p->y = malloc((n ? n : 1) * sizeof *p->y);
    if (!p->x || !p->y)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i]))
            continue;
        if (isinf(x[i]) || isinf(y[i]))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "pair %zu has an infinite value", i + 1);
        p->x[p->n] = x[i];
        p->y[p->n] = y[i];
        p->n++;
    }
    if (p->n < 3)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "a correlation test needs at least 3 complete pairs, "
                                "there are %zu",
                                p->n);
    return PERCAP_OK;
}

/* Two passes with long double sums, as R's cor() does, and clamped to
 * [-1, 1] where rounding would step outside. */
static percap_status pearson_r(const pairs *p, double *r, percap_error *err)
{
    long double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < p->n; i++) {
        mx += p->x[i];
        my += p->y[i];
    }
    mx /= p->n;
    my /= p->n;
    for (size_t i = 0; i < p->n; i++) {
        long double dx = p->x[i] - mx, dy = p->y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (sxx == 0 || syy == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the %s values are all equal: no correlation to measure",
                                sxx == 0 ? "first" : "second");
    double v = (double)(sxy / sqrtl(sxx * syy));
    *r = v > 1 ? 1 : (v < -1 ? -1 : v);
    return PERCAP_OK;
}

/* tanh(atanh(r) +- z se); n <= 3 leaves no interval, as in cor.test. */
static void fisher_interval(double r, double se, size_t n, double level,
                            percap_correlation *out)
{
    if (n <= 3) {
        out->low = out->high = NAN;
        return;
    }
    double z = atanh(r), q = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
    out->low = tanh(z - q * se);
    out->high = tanh(z + q * se);
}

/* Upper tail of |t|: keeps tiny p-values, and r = +-1 gives t = inf and
 * p = 0 as in R. */
static double t_two_sided(double t, double df)
{
    if (isnan(t))
        return NAN;
    if (isinf(t))
        return 0;
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

static percap_status pearson(const pairs *p, double level, percap_correlation *out,
                             percap_error *err)
{
    double r, df = (double)p->n - 2;
    if (pearson_r(p, &r, err) != PERCAP_OK)
        return err->code;
    out->r = r;
    out->n = p->n;
    out->p_value = t_two_sided(sqrt(df) * r / sqrt(1 - r * r), df);
    fisher_interval(r, 1 / sqrt((double)p->n - 3), p->n, level, out);
    return PERCAP_OK;
}

percap_status percap_correlation_pearson(const double *x, const double *y, size_t n,
                                         double level, percap_correlation *out,
                                         percap_error *err)
{
    pairs p = {0};
    percap_status st = check_args(x, y, n, level, out, err);
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    if (st == PERCAP_OK)
        st = complete_pairs(x, y, n, &p, err);
    if (st == PERCAP_OK)
        st = pearson(&p, level, out, err);
    gsl_set_error_handler(saved);
    pairs_free(&p);
    return st;
}

/* ---- Spearman ----------------------------------------------------------- */

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int by_value(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
    return (x > y) - (x < y);
}

/* Ranks from 1, ties sharing the mean of the ranks they span. */
static bool rank_average(double *v, size_t n)
{
    ranked *s = malloc(n * sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < n; i++)
        s[i] = (ranked){v[i], i};
    qsort(s, n, sizeof *s, by_value);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && s[b + 1].v == s[a].v)
            b++;
        double r = (double)(a + b) / 2 + 1;
        for (size_t k = a; k <= b; k++)
            v[s[k].i] = r;
        a = b + 1;
    }
    free(s);
    return true;
}

/* cor.test's two-sided p-value with exact = FALSE, computed its way: from
 * the statistic S = (n^3 - n)(1 - rho)/6 and back, so that rho = 0 gives
 * exactly 1. */
static double spearman_p(double rho, size_t n)
{
    double nd = (double)n, den = nd * (nd * nd - 1) / 6;
    double q = (nd * nd * nd - nd) * (1 - rho) / 6;
    double r = 1 - q / den, df = nd - 2;
    double t = r / sqrt((1 - r * r) / df);
    double tail;
    if (isinf(t) || isnan(t))
        return isnan(t) ? NAN : 0;
    tail = q > den ? gsl_cdf_tdist_P(t, df) : gsl_cdf_tdist_Q(t, df);
    return fmin(2 * tail, 1);
}

static percap_status spearman(pairs *p, double level, percap_correlation *out,
                              percap_error *err)
{
    double rho;
    if (!rank_average(p->x, p->n) || !rank_average(p->y, p->n))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (pearson_r(p, &rho, err) != PERCAP_OK)
        return err->code;
    out->r = rho;
    out->n = p->n;
    out->p_value = spearman_p(rho, p->n);
    fisher_interval(rho, sqrt((1 + rho * rho / 2) / ((double)p->n - 3)), p->n, level, out);
    return PERCAP_OK;
}

percap_status percap_correlation_spearman(const double *x, const double *y, size_t n,
                                          double level, percap_correlation *out,
                                          percap_error *err)
{
    pairs p = {0};
    percap_status st = check_args(x, y, n, level, out, err);
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    if (st == PERCAP_OK)
        st = complete_pairs(x, y, n, &p, err);
    if (st == PERCAP_OK)
        st = spearman(&p, level, out, err);
    gsl_set_error_handler(saved);
    pairs_free(&p);
    return st;
}
