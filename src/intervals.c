/* percap: confidence intervals for event counts over a denominator.
 *
 * The exact (Garwood) limits are gamma quantiles. GSL 2.7.1 cannot be
 * trusted with large shapes: its inverse gamma CDFs return NaN, or a
 * plausible-looking wrong number, once the shape passes ~1e4 to ~1e6
 * depending on the tail, and its forward CDF is wrong too above the mean
 * once x > 1e6 (it switches to an expansion meant for x >> a: Q is 0.8%
 * off at a = 1e7, x = a + 1.96 sqrt(a)). So large shapes get their own
 * forward CDF, and each quantile is found by Newton's method on it; an
 * answer that does not reproduce the probability (round trip) is
 * replaced by GSL's, if that does, else solved for by bracketing. */
#include "enum_names.h"
#include "percap/intervals.h"
#include "root_find.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>

/* Below this shape GSL's forward CDF agrees with 45-digit arithmetic to
 * ~5e-14 everywhere we looked (x = a + z sqrt(a), z from -8 to 12); above
 * a few hundred its errors grow, to 3e-12 at a = 1000 and ~1% at 1e7. */
#define SERIES_MIN_SHAPE 100.0

/* The forward CDFs are good to ~1e-13, so a looser check would let GSL's
 * 1e-10-ish Newton answers through and a tighter one would reject
 * answers that are as good as doubles allow. */
#define ROUNDTRIP_RTOL 1e-12

static const char *const method_names[] = {"exact", "byar", "wilson",
                                           "normal"};

#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

int percap_ci_method_parse(const char *name, percap_ci_method *out)
{
    int i = enum_names_find(method_names, METHOD_COUNT, name);
    if (i >= 0 && out != NULL)
        *out = (percap_ci_method)i;
    return i < 0 ? -1 : 0;
}

const char *percap_ci_method_name(percap_ci_method method)
{
    return enum_names_get(method_names, METHOD_COUNT, (unsigned)method);
}

/* ---- gamma quantile ------------------------------------------------- */

/* One tail of Gamma(a, 1). prob is at most 0.5: the smaller tail is the
 * one whose probability a double can hold without cancellation. */
struct gamma_tail {
    double a;
    double prob;
    int upper;
};

/* x^a e^-x / Gamma(a+1), the Poisson probability of a at mean x. Taking
 * the three factors apart would lose the answer: one ulp of a*log(x) is
 * already 2e-9 relative at a = 1e7. */
static double poisson_weight(double a, double x)
{
    double mu = (x - a) / a;

    if (mu <= -1.0) /* x below a * DBL_EPSILON: x^a underflows anyway */
        return 0.0;
    return exp(a * gsl_sf_log_1plusx_mx(mu)) /
           (sqrt(2.0 * M_PI * a) * gsl_sf_gammastar(a));
}

/* Both series need ~9 sqrt(a) terms right at x = a, fewer elsewhere. */
static double max_terms(double a)
{
    return 50.0 * sqrt(a) + 1000.0;
}

/* P(a, x) for x <= a, where each term is the last times x/(a+n) < 1. */
static double lower_series(double a, double x)
{
    double term = 1.0, sum = 1.0, limit = max_terms(a);

    for (double n = 1.0; n < limit; n += 1.0) {
        term *= x / (a + n);
        sum += term;
        if (term < sum * (DBL_EPSILON / 4.0))
            return sum * poisson_weight(a, x);
    }
    return NAN;
}

/* Q(a, x) for x >= a, from the expansion in (a-1)(a-2).../x^k: for
 * a >= SERIES_MIN_SHAPE its terms fall far below DBL_EPSILON before the
 * factors (a-j) turn negative and the expansion starts to diverge. */
static double upper_series(double a, double x)
{
    double term = 1.0, sum = 1.0, limit = max_terms(a);

    for (double j = 1.0; j < limit; j += 1.0) {
        term *= (a - j) / x;
        sum += term;
        if (fabs(term) < sum * (DBL_EPSILON / 4.0))
            return sum * poisson_weight(a, x) * (a / x);
    }
    return NAN;
}

/* Each tail is taken from the series that gives it directly whenever it
 * is the smaller one; the complement is only formed when it is >= ~0.47,
 * since the median of Gamma(a) lies just below a. */
static double large_shape_tail(double a, double x, int upper)
{
    double p;

    if (!(x > 0.0))
        return upper ? 1.0 : 0.0;
    if (isinf(x))
        return upper ? 0.0 : 1.0;
    if (x <= a) {
        p = lower_series(a, x);
        return upper ? 1.0 - p : p;
    }
    p = upper_series(a, x);
    return upper ? p : 1.0 - p;
}

static double gamma_tail(double a, double x, int upper)
{
    if (a >= SERIES_MIN_SHAPE)
        return large_shape_tail(a, x, upper);
    return upper ? gsl_cdf_gamma_Q(x, a, 1.0) : gsl_cdf_gamma_P(x, a, 1.0);
}

double percap_gamma_tail(double a, double x, int upper)
{
    gsl_error_handler_t *saved;
    double p;

    if (!(a > 0.0) || !isfinite(a) || isnan(x))
        return NAN;
    saved = gsl_set_error_handler_off(); /* see percap_gamma_quantile */
    p = gamma_tail(a, x, upper != 0);
    gsl_set_error_handler(saved);
    return p;
}

static double tail_prob(const struct gamma_tail *t, double q)
{
    return gamma_tail(t->a, q, t->upper);
}

/* Increasing in q for both tails, so bracketing needs one rule. */
static double tail_residual(double q, void *params)
{
    const struct gamma_tail *t = params;
    double r = tail_prob(t, q) - t->prob;
    return t->upper ? -r : r;
}

static int roundtrip_ok(const struct gamma_tail *t, double q)
{
    if (!(q >= 0.0) || !isfinite(q))
        return 0;
    return fabs(tail_prob(t, q) - t->prob) <= ROUNDTRIP_RTOL * t->prob;
}

static double gsl_guess(const struct gamma_tail *t)
{
    return t->upper ? gsl_cdf_gamma_Qinv(t->prob, t->a, 1.0)
                    : gsl_cdf_gamma_Pinv(t->prob, t->a, 1.0);
}

/* Wilson-Hilferty: the cube root of a gamma variate is nearly normal,
 * ever more so as a grows, so for the large shapes where GSL fails the
 * guess is already within a hair of the root. For small shapes
 * far in a tail the cube goes negative; fall back to the leading term of
 * the tail's asymptotic expansion, which is close there. */
static double wilson_hilferty(const struct gamma_tail *t)
{
    double z = gsl_cdf_ugaussian_Pinv(t->prob);
    double c = 1.0 / (9.0 * t->a);
    double g;

    if (t->upper)
        z = -z;
    g = t->a * pow(1.0 - c + z * sqrt(c), 3);
    if (g > 0.0 && isfinite(g))
        return g;
    if (t->upper)
        return t->a - log(t->prob);
    g = exp((log(t->prob) + gsl_sf_lngamma(t->a + 1.0)) / t->a);
    return g > DBL_MIN ? g : DBL_MIN;
}

/* The bracket starts a hair either side of the guess, as close as
 * Wilson-Hilferty is at the large shapes where GSL fails. No floor: the
 * guess is positive and the walk's lower end only ever moves to a
 * positive point or is divided down, so a floor of 0 never binds. */
static double solve_tail(struct gamma_tail *t)
{
    gsl_function f = {tail_residual, t};
    double lo, hi;

    if (root_bracket_geometric(&f, wilson_hilferty(t), 1e-6, 0.0, &lo, &hi) != 0)
        return NAN;
    return root_brent_once(&f, lo, hi, DBL_MIN, 4.0 * DBL_EPSILON);
}

/* The density of Gamma(a, 1) at x > 0, from the same pieces as the
 * tails, so that Newton steps and tails agree. */
static double gamma_density(double a, double x)
{
    return poisson_weight(a, x) * (a / x);
}

/* Newton's method on the tail from the Wilson-Hilferty guess: within a
 * few parts in 10^4 of the root for the shapes of real counts, so three
 * or four steps reach the root to the last digit, where the bracketing
 * solver needs a dozen tail evaluations and GSL's own inverse more. NAN
 * when a step leaves (0, inf) or the steps do not settle; the caller
 * then solves by bracketing. */
#define NEWTON_MAX_STEPS 12
/* Above this shape the round trip fails ever more often whatever the
 * method (at 1e11 always: the quantile's last bit moves the tail by more
 * than 1e-12), and each Newton step costs O(sqrt(a)) terms: straight to
 * the old path. */
#define NEWTON_MAX_SHAPE 1e7
static double newton_tail(const struct gamma_tail *t)
{
    if (t->a > NEWTON_MAX_SHAPE)
        return NAN;
    double q = wilson_hilferty(t);
    for (int i = 0; i < NEWTON_MAX_STEPS; i++) {
        double f = gamma_density(t->a, q);
        double step = (tail_prob(t, q) - t->prob) / f;
        double next = t->upper ? q + step : q - step;
        if (!(next > 0.0) || !isfinite(next) || !(f > 0.0))
            return NAN;
        if (fabs(next - q) <= 4.0 * DBL_EPSILON * next)
            return next;
        q = next;
    }
    return NAN;
}

static double gamma_quantile(double a, double prob, int upper)
{
    struct gamma_tail t = {a, prob, upper != 0};
    double q;

    if (!(a > 0.0) || !isfinite(a) || !(prob >= 0.0 && prob <= 1.0))
        return NAN;
    /* 1 - prob is exact for prob in [0.5, 1] (Sterbenz). */
    if (prob > 0.5) {
        t.prob = 1.0 - prob;
        t.upper = !t.upper;
    }
    if (t.prob == 0.0)
        return t.upper ? INFINITY : 0.0;
    q = newton_tail(&t);
    if (roundtrip_ok(&t, q))
        return q;
    q = gsl_guess(&t);
    if (roundtrip_ok(&t, q))
        return q;
    return solve_tail(&t);
}

double percap_gamma_quantile(double a, double prob, int upper)
{
    /* GSL's default handler aborts, and its inverse CDFs report failure
     * through it; the handler is process-wide, so restore the caller's.
     * Not thread-safe, like everything else that touches that handler. */
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    double q = gamma_quantile(a, prob, upper);

    gsl_set_error_handler(saved);
    return q;
}

/* ---- intervals ------------------------------------------------------ */

static int valid_level(double level)
{
    return level > 0.0 && level < 1.0;
}

static int valid_events(double x)
{
    return isfinite(x) && x >= 0.0 && floor(x) == x;
}

percap_status percap_interval_poisson_exact(double x, double level,
                                            double *low, double *high)
{
    double tail, lo, hi;

    if (low == NULL || high == NULL || !valid_level(level))
        return PERCAP_EUSAGE;
    if (!valid_events(x))
        return PERCAP_EDATA;
    tail = (1.0 - level) / 2.0;
    /* errno is looked at right after each quantile: later arithmetic may
     * set it too (ERANGE) */
    errno = 0;
    lo = x == 0.0 ? 0.0 : percap_gamma_quantile(x, tail, 0);
    if (!isfinite(lo))
        return errno == ENOMEM ? PERCAP_ENOMEM : PERCAP_EDATA;
    hi = percap_gamma_quantile(x + 1.0, tail, 1);
    if (!isfinite(hi))
        return errno == ENOMEM ? PERCAP_ENOMEM : PERCAP_EDATA;
    *low = lo;
    *high = hi;
    return PERCAP_OK;
}

/* z for a two-sided interval; the upper-tail inverse avoids rounding
 * 1 - alpha/2, which matters at levels within 1e-10 of 1. */
static double z_for_level(double level)
{
    return gsl_cdf_ugaussian_Qinv((1.0 - level) / 2.0);
}

static percap_status rate_exact(double x, double n, double level,
                                double *low, double *high,
                                percap_error *err)
{
    double lo, hi;
    percap_status st = percap_interval_poisson_exact(x, level, &lo, &hi);

    if (st == PERCAP_ENOMEM)
        return percap_error_set(err, st, NULL, 0, 0, "out of memory");
    if (st != PERCAP_OK)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "could not compute the exact interval for "
                                "%.15g events at level %.15g",
                                x, level);
    *low = lo / n;
    *high = hi / n;
    return PERCAP_OK;
}

static void rate_byar(double x, double n, double z, double *low,
                      double *high)
{
    double x1 = x + 1.0;
    double lo = 0.0;

    /* The cube goes negative for x = 1 above ~99.2% confidence (and x = 0
     * gives 0 * inf); a negative count makes no sense, so clip at 0. */
    if (x > 0.0)
        lo = x * pow(1.0 - 1.0 / (9.0 * x) - z / (3.0 * sqrt(x)), 3);
    *low = fmax(lo, 0.0) / n;
    *high = x1 * pow(1.0 - 1.0 / (9.0 * x1) + z / (3.0 * sqrt(x1)), 3) / n;
}

static percap_status rate_wilson(double x, double n, double z, double *low,
                                 double *high, percap_error *err)
{
    double p = x / n;
    double centre, half, scale;

    if (x > n)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the Wilson interval is for proportions: "
                                "%.15g events exceed the denominator %.15g",
                                x, n);
    centre = p + z * z / (2.0 * n);
    half = z * sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n));
    scale = 1.0 + z * z / n;
    /* At x = 0 and x = n the limits are exactly 0 and 1, but the formula
     * reaches them by cancellation and can miss by an ulp either way. */
    *low = x == 0.0 ? 0.0 : (centre - half) / scale;
    *high = x == n ? 1.0 : (centre + half) / scale;
    return PERCAP_OK;
}

static void rate_normal(double x, double n, double z, double *low,
                        double *high)
{
    *low = fmax(x / n - z * sqrt(x) / n, 0.0);
    *high = x / n + z * sqrt(x) / n;
}

static percap_status check_rate_args(double events, double denominator,
                                     double level, percap_error *err)
{
    if (!valid_level(level))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "confidence level must be strictly between "
                                "0 and 1, got %.15g",
                                level);
    if (!valid_events(events))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "event count must be a finite whole number "
                                ">= 0, got %.15g",
                                events);
    if (!(denominator > 0.0) || !isfinite(denominator))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "denominator must be finite and > 0, "
                                "got %.15g",
                                denominator);
    return PERCAP_OK;
}

static percap_status dispatch(percap_ci_method method, double x, double n,
                              double level, double *low, double *high,
                              percap_error *err)
{
    switch (method) {
    case PERCAP_CI_EXACT:
        return rate_exact(x, n, level, low, high, err);
    case PERCAP_CI_BYAR:
        rate_byar(x, n, z_for_level(level), low, high);
        return PERCAP_OK;
    case PERCAP_CI_WILSON:
        return rate_wilson(x, n, z_for_level(level), low, high, err);
    case PERCAP_CI_NORMAL:
        rate_normal(x, n, z_for_level(level), low, high);
        return PERCAP_OK;
    }
    return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                            "unknown confidence interval method %d",
                            (int)method);
}

percap_status percap_interval_rate(percap_ci_method method, double events,
                                   double denominator, double level,
                                   double *low, double *high,
                                   percap_error *err)
{
    double lo = 0.0, hi = 0.0;
    percap_status st;

    if (low == NULL || high == NULL)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_interval_rate needs somewhere to "
                                "store both limits");
    /* Zero, not NaN, on failure: a caller that ignores the status must
     * still not spread NaN through its sums. */
    *low = *high = 0.0;
    st = check_rate_args(events, denominator, level, err);
    if (st == PERCAP_OK)
        st = dispatch(method, events, denominator, level, &lo, &hi, err);
    if (st != PERCAP_OK)
        return st;
    /* A tiny denominator can push a limit past DBL_MAX. */
    if (!isfinite(lo) || !isfinite(hi))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the interval for %.15g events over %.15g "
                                "does not fit in a double",
                                events, denominator);
    *low = lo;
    *high = hi;
    return PERCAP_OK;
}
