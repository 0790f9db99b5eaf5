/* Empirical-Bayes smoothing of small-area rates: Marshall's moment
 * estimator and the Clayton-Kaldor Poisson-gamma model fitted by maximum
 * likelihood. The formulas and the choices at the edges are documented
 * in the header; here are the numerical reasons.
 *
 * The Clayton-Kaldor fit works in tau = 1/nu rather than nu: tau = 0 is
 * the Poisson model, a legitimate boundary value, whereas nu runs off to
 * infinity there. The profile score in tau is a difference of terms that
 * each cancel to O(tau^0) only after losing everything at small tau
 * (digamma differences against logarithms), so it is assembled from
 * pieces that are computed without cancellation: log1p(d) - d over d^2 by
 * its series, and the digamma gap by the asymptotic series of psi. */
#include "enum_names.h"
#include "percap/smooth.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>
#include <gsl/gsl_sf_psi.h>

#include "percap/intervals.h"

/* Above this shape the Cornish-Fisher expansion to O(1/shape) matches R's
 * qgamma to the last bit (its next term is O(shape^-1.5) absolute), while
 * percap_gamma_quantile's series need ~sqrt(shape) terms per evaluation:
 * half a second per interval at shape 1e12. */
#define CF_MIN_SHAPE 1e8

/* For nu >= 100 the asymptotic series of psi, cut after the x^-8 term,
 * is good to ~1e-23 absolute, far below the O(y/nu^2) gap it gives; for
 * smaller nu the direct difference loses at most ~3 digits. */
#define PSI_SERIES_MAX_TAU 0.01

/* (log1p(d) - d)/d^2 by its series below this |d|; 13 terms leave an
 * error below 1e-27. Above it GSL's log_1plusx_mx is accurate and the
 * division loses nothing. */
#define LMX_SERIES_MAX 1e-2

/* Newton on the concave score for mu converges quadratically once on
 * the left of the root, which it reaches in one step; halvings from a
 * bad start are bounded by log2 of the range of a double. */
#define MU_MAX_ITER 2200

/* The profile score is computed to ~1e-13 relative, so a tighter bracket
 * on log(tau) would chase rounding; Brent needs far fewer than 200
 * steps, bracketing at most ~500 (factors of 4 from 1e-300 to 1e15). */
#define LOG_TAU_TOL 1e-13
#define FIT_MAX_ITER 1200
#define BRACKET_FACTOR 4.0
#define TAU_MIN 1e-300
#define TAU_MAX 1e15

static const char *const method_names[] = {"marshall", "clayton-kaldor"};

#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

int percap_smooth_method_parse(const char *name, percap_smooth_method *out)
{
    int i = enum_names_find(method_names, METHOD_COUNT, name);
    if (i >= 0 && out != NULL)
        *out = (percap_smooth_method)i;
    return i < 0 ? -1 : 0;
}

const char *percap_smooth_method_name(percap_smooth_method m)
{
    return enum_names_get(method_names, METHOD_COUNT, (unsigned)m);
}

/* ---- sums and checks -------------------------------------------------- */

/* Neumaier's compensated sum: R's sum() accumulates in long double, and
 * phi = s2 - m/nbar cancels, so plain summation would show up as
 * disagreement with R in the last digits of the shrinkage. */
typedef struct ksum {
    double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
    double t = k->s + x;

    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double ksum_get(const ksum *k)
{
    return k->s + k->c;
}

typedef struct job {
    const percap_area *rows;
    size_t k;
    double Y, N;  /* total deaths and denominators */
    double level, per;
    percap_smoothed *out;
    percap_smooth_summary *sum;
    const percap_areas *areas;
} job;

static percap_status check_args(const percap_areas *a, percap_smooth_method method,
                                double level, double per, const percap_smoothed *out,
                                percap_error *err)
{
    if (a == NULL || out == NULL)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "smoothing needs an area table and somewhere to put the result");
    if ((unsigned)method >= METHOD_COUNT)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "unknown smoothing method %d", (int)method);
    if (!(level > 0.0 && level < 1.0))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the interval level must lie strictly between 0 and 1, "
                                "got %.15g", level);
    if (!(per > 0.0) || !isfinite(per))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the rate base must be a positive number, got %.15g", per);
    if (a->n == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0, "there are no areas to smooth");
    return PERCAP_OK;
}

static percap_status check_rows(job *j, percap_error *err)
{
    ksum y = {0, 0}, n = {0, 0};

    for (size_t i = 0; i < j->k; i++) {
        double d = j->rows[i].deaths, p = j->rows[i].population;
        if (!isfinite(d) || d < 0.0 || floor(d) != d)
            return percap_error_set(err, PERCAP_EDATA, NULL, j->rows[i].line, 0,
                                    "%s: the death count must be a whole number >= 0, "
                                    "got %.15g", percap_areas_code(j->areas, i), d);
        if (!isfinite(p) || !(p > 0.0))
            return percap_error_set(err, PERCAP_EDATA, NULL, j->rows[i].line, 0,
                                    "%s: the denominator must be finite and > 0, got %.15g",
                                    percap_areas_code(j->areas, i), p);
        ksum_add(&y, d);
        ksum_add(&n, p);
    }
    j->Y = ksum_get(&y);
    j->N = ksum_get(&n);
    if (!isfinite(j->Y) || !isfinite(j->N))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the total deaths or denominator does not fit in a double");
    return PERCAP_OK;
}

/* ---- intervals -------------------------------------------------------- */

static double cornish_fisher(double shape, double tail, int upper)
{
    double z = gsl_cdf_ugaussian_Qinv(tail);
    double s = sqrt(shape), z2;

    if (!upper)
        z = -z;
    z2 = z * z;
    return shape + s * z + (z2 - 1.0) / 3.0 + z * (z2 - 7.0) / (36.0 * s) +
           (16.0 - 7.0 * z2 - 3.0 * z2 * z2) / (810.0 * shape);
}

static double gamma_q(double shape, double tail, int upper)
{
    if (shape > CF_MIN_SHAPE)
        return cornish_fisher(shape, tail, upper);
    return percap_gamma_quantile(shape, tail, upper);
}

static percap_status set_area(job *j, size_t i, double rate, double shrink, double shape,
                              double rate_param, percap_error *err)
{
    double tail = (1.0 - j->level) / 2.0;
    double lo = gamma_q(shape, tail, 0) / rate_param;
    double hi = gamma_q(shape, tail, 1) / rate_param;
    percap_smoothed *o = &j->out[i];

    o->rate = rate * j->per;
    o->low = lo * j->per;
    o->high = hi * j->per;
    o->shrinkage = shrink;
    if (!isfinite(o->rate) || !isfinite(o->low) || !isfinite(o->high))
        return percap_error_set(err, PERCAP_EDATA, NULL, j->rows[i].line, 0,
                                "%s: the posterior interval (gamma shape %.15g, rate %.15g) "
                                "could not be computed", percap_areas_code(j->areas, i),
                                shape, rate_param);
    return PERCAP_OK;
}

/* The prior is a point mass at m: see the header for why the interval is
 * the pooled rate's rather than a point. */
static percap_status set_boundary(job *j, double m, percap_error *err)
{
    double lo, hi;
    percap_status st = percap_interval_poisson_exact(j->Y, j->level, &lo, &hi);

    if (st == PERCAP_ENOMEM)
        return percap_error_set(err, st, NULL, 0, 0, "out of memory");
    if (st != PERCAP_OK)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "could not compute the exact interval for %.15g deaths",
                                j->Y);
    for (size_t i = 0; i < j->k; i++) {
        percap_smoothed *o = &j->out[i];
        o->rate = m * j->per;
        o->low = lo / j->N * j->per;
        o->high = hi / j->N * j->per;
        o->shrinkage = 1.0;
    }
    j->sum->prior_mean = m;
    j->sum->prior_var = 0.0;
    j->sum->shape = INFINITY;
    j->sum->rate_param = INFINITY;
    j->sum->at_boundary = true;
    return PERCAP_OK;
}

/* ---- Marshall ----------------------------------------------------------- */

static double marshall_phi(const job *j, double m)
{
    ksum s = {0, 0};

    for (size_t i = 0; i < j->k; i++) {
        double n = j->rows[i].population, dev = j->rows[i].deaths / n - m;
        ksum_add(&s, n * dev * dev);
    }
    double phi = ksum_get(&s) / j->N - m / (j->N / (double)j->k);
    return phi > 0.0 ? phi : 0.0;
}

static percap_status marshall(job *j, percap_error *err)
{
    double m = j->Y / j->N, phi = marshall_phi(j, m);

    j->sum->iterations = 0;
    j->sum->converged = true;
    j->sum->loglik = NAN;
    if (phi == 0.0)
        return set_boundary(j, m, err);
    for (size_t i = 0; i < j->k; i++) {
        double y = j->rows[i].deaths, n = j->rows[i].population;
        double noise = m / n, c = phi / (phi + noise);
        /* m + C (r - m) is spdep::EBest's form; the posterior mean
         * (y + m^2/phi)/(n + m/phi) is the same number by algebra. */
        percap_status st = set_area(j, i, m + c * (y / n - m), noise / (phi + noise),
                                    y + m * m / phi, n + m / phi, err);
        if (st != PERCAP_OK)
            return st;
    }
    j->sum->prior_mean = m;
    j->sum->prior_var = phi;
    j->sum->shape = m * m / phi;
    j->sum->rate_param = m / phi;
    j->sum->at_boundary = false;
    return PERCAP_OK;
}

/* ---- Clayton-Kaldor: the score equations ------------------------------- */

/* The mean mu at fixed tau solves G(mu) = sum (n mu - y)/(1 + tau n mu) = 0,
 * the negative-binomial score for the intercept. G increases and is
 * concave in mu, so a Newton step from anywhere lands left of the root
 * (or below 0, which halving repairs) and then climbs to it monotonically. */
static double mu_score(const job *j, double tau, double mu, double *slope)
{
    ksum g = {0, 0}, s = {0, 0};

    for (size_t i = 0; i < j->k; i++) {
        double y = j->rows[i].deaths, n = j->rows[i].population;
        double w = 1.0 / (1.0 + tau * n * mu);
        ksum_add(&g, (n * mu - y) * w);
        ksum_add(&s, n * (1.0 + tau * y) * w * w);
    }
    *slope = ksum_get(&s);
    return ksum_get(&g);
}

static double mu_hat(const job *j, double tau)
{
    double mu = j->Y / j->N;

    if (tau == 0.0)
        return mu;
    for (int it = 0; it < MU_MAX_ITER; it++) {
        double slope, g = mu_score(j, tau, mu, &slope);
        double next = mu - g / slope;
        if (!(next > 0.0))
            next = mu / 2.0;
        if (fabs(next - mu) <= 4.0 * DBL_EPSILON * mu)
            return next;
        mu = next;
    }
    return mu;
}

/* nu^2 (psi(nu + y) - psi(nu) - log1p(y/nu)). For large nu the bracket
 * is O(y/nu^2) while each of its terms is O(y/nu), so it is taken from
 * the asymptotic series of psi, with 1 - r^k (r = nu/(nu + y)) factored
 * so that nothing cancels. Finite at tau = 0, where it is y/2. */
static double digamma_gap(double tau, double y)
{
    if (y == 0.0)
        return 0.0;
    if (tau > PSI_SERIES_MAX_TAU) {
        double nu = 1.0 / tau;
        return (gsl_sf_psi(nu + y) - gsl_sf_psi(nu) - log1p(y * tau)) * nu * nu;
    }
    double r = 1.0 / (1.0 + tau * y), omr = tau * y * r;
    double r2 = r * r, t2 = tau * tau;
    double s2 = omr * (1.0 + r);                                  /* 1 - r^2 */
    double s4 = s2 * (1.0 + r2);                                  /* 1 - r^4 */
    double s6 = omr * (1.0 + r) * (1.0 + r2 + r2 * r2);           /* 1 - r^6 */
    double s8 = s4 * (1.0 + r2 * r2);                             /* 1 - r^8 */
    return 0.5 * y * r + s2 / 12.0 - t2 * s4 / 120.0 + t2 * t2 * s6 / 252.0 -
           t2 * t2 * t2 * s8 / 240.0;
}

static double log1p_mx_over_sq(double d)
{
    if (fabs(d) < LMX_SERIES_MAX) {
        double s = 0.0;
        for (int k = 12; k >= 0; k--)
            s = s * d + ((k % 2) ? 1.0 : -1.0) / (k + 2.0);
        return s;
    }
    return gsl_sf_log_1plusx_mx(d) / (d * d);
}

/* d(log-likelihood)/d(tau) of one area at mean m = n mu, from
 * dl/dnu = psi(y + nu) - psi(nu) + log(nu/(nu + m)) + (m - y)/(nu + m)
 * times -nu^2; at tau = 0 it is ((y - m)^2 - y)/2. */
static double area_tau_score(double tau, double y, double m)
{
    double dev = (y - m) / (1.0 + tau * m);

    return -(digamma_gap(tau, y) + log1p_mx_over_sq(tau * dev) * dev * dev);
}

/* The profile score: by the envelope theorem the partial derivative at
 * mu = mu_hat(tau) is the derivative of the profile log-likelihood. */
static double profile_score(const job *j, double tau)
{
    double mu = mu_hat(j, tau);
    ksum u = {0, 0};

    for (size_t i = 0; i < j->k; i++)
        ksum_add(&u, area_tau_score(tau, j->rows[i].deaths, j->rows[i].population * mu));
    return ksum_get(&u);
}

/* lgamma(nu + y) - lgamma(nu) - y log(nu) = sum_{t<y} log(1 + t tau),
 * which the lgamma difference would give only after cancelling ~y log(nu)
 * down to ~y^2 tau / 2 when y << nu: summed directly when short, else
 * from Stirling's form, (nu + y - 1/2) log1p(x) - y with x = y tau plus
 * the ratio of the gammastar corrections. */
static double lnpoch_scaled(double tau, double y)
{
    if (tau == 0.0 || y == 0.0)
        return 0.0;
    if (y <= 1000.0) {
        double s = 0.0;
        for (double t = 1.0; t < y; t += 1.0)
            s += log1p(t * tau);
        return s;
    }
    /* (nu + y - 1/2) log1p(x) - y, which cancels only while x < 1 */
    double nu = 1.0 / tau, x = y * tau;
    double main = x < 1.0 ? (nu + y - 0.5) * gsl_sf_log_1plusx_mx(x) + (y - 0.5) * x
                          : (nu + y - 0.5) * log1p(x) - y;
    return main + log(gsl_sf_gammastar(nu + y) / gsl_sf_gammastar(nu));
}

/* log(1 + x)/x, 1 at x = 0 */
static double log1p_over(double x)
{
    return x == 0.0 ? 1.0 : log1p(x) / x;
}

/* The negative-binomial log-likelihood, written so that tau = 0 gives
 * the Poisson one without 0 * infinity. */
static double nb_loglik(const job *j, double tau, double mu)
{
    ksum l = {0, 0};

    for (size_t i = 0; i < j->k; i++) {
        double y = j->rows[i].deaths, m = j->rows[i].population * mu;
        ksum_add(&l, lnpoch_scaled(tau, y) - (1.0 + tau * y) * m * log1p_over(tau * m) -
                         lgamma(y + 1.0));
        if (y > 0.0)
            ksum_add(&l, y * log(m));
    }
    return ksum_get(&l);
}

/* ---- Clayton-Kaldor: the fit ------------------------------------------- */

typedef struct ck_fit {
    const job *j;
    int iterations;
} ck_fit;

static double log_tau_score(double x, void *params)
{
    return profile_score(((ck_fit *)params)->j, exp(x));
}

/* Steps by BRACKET_FACTOR from tau0 until the score changes sign. Returns
 * 0 with [lo, hi] (lo == hi: an exact root), -1 if no sign change. */
static int bracket_tau(ck_fit *f, double tau0, double *lo, double *hi)
{
    double t = tau0, u = profile_score(f->j, t);
    int up = u > 0.0;

    *lo = *hi = t;
    while (u != 0.0 && (u > 0.0) == up) {
        if (isnan(u) || t > TAU_MAX || t < TAU_MIN || f->iterations >= FIT_MAX_ITER)
            return -1;
        if (up)
            *lo = t;
        else
            *hi = t;
        t = up ? t * BRACKET_FACTOR : t / BRACKET_FACTOR;
        u = profile_score(f->j, t);
        f->iterations++;
    }
    if (isnan(u))
        return -1;
    if (u == 0.0)
        *lo = *hi = t;
    else if (up)
        *hi = t;
    else
        *lo = t;
    return 0;
}

/* Brent on log(tau) within the bracket; NAN if it fails to converge. */
static double brent_tau(ck_fit *f, double lo, double hi, bool *converged)
{
    gsl_function fn = {log_tau_score, f};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double x = NAN;

    *converged = false;
    if (s == NULL) {
        errno = ENOMEM; /* the NAN is no numerical failure */
        return NAN;
    }
    if (gsl_root_fsolver_set(s, &fn, log(lo), log(hi)) == GSL_SUCCESS) {
        while (f->iterations < FIT_MAX_ITER) {
            f->iterations++;
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            x = gsl_root_fsolver_root(s);
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                       gsl_root_fsolver_x_upper(s), LOG_TAU_TOL,
                                       0.0) == GSL_SUCCESS) {
                *converged = true;
                break;
            }
        }
    }
    gsl_root_fsolver_free(s);
    return exp(x);
}

/* tau at the maximum of the profile likelihood, or NAN. */
static double fit_tau(ck_fit *f, double tau0, bool *converged)
{
    double lo, hi;

    *converged = false;
    if (bracket_tau(f, tau0, &lo, &hi) != 0)
        return NAN;
    if (lo == hi) {
        *converged = true;
        return lo;
    }
    return brent_tau(f, lo, hi, converged);
}

static percap_status ck_areas(job *j, double tau, double mu, percap_error *err)
{
    for (size_t i = 0; i < j->k; i++) {
        double y = j->rows[i].deaths, n = j->rows[i].population;
        double w = 1.0 / (1.0 + tau * n * mu);
        /* (y + nu)/(n + alpha) and alpha/(n + alpha) multiplied through by
         * tau, so that huge nu loses nothing */
        percap_status st = set_area(j, i, mu * (1.0 + tau * y) * w, w, y + 1.0 / tau,
                                    n + 1.0 / (tau * mu), err);
        if (st != PERCAP_OK)
            return st;
    }
    return PERCAP_OK;
}

static void ck_summary(job *j, double tau, double mu, int iterations, bool converged)
{
    j->sum->prior_mean = mu;
    j->sum->prior_var = mu * mu * tau;
    j->sum->shape = 1.0 / tau;
    j->sum->rate_param = 1.0 / (tau * mu);
    j->sum->iterations = iterations;
    j->sum->converged = converged;
    j->sum->at_boundary = false;
    j->sum->loglik = nb_loglik(j, tau, mu);
}

static percap_status clayton_kaldor(job *j, percap_error *err)
{
    double m = j->Y / j->N, phi, tau;
    ck_fit f = {j, 0};
    bool converged;

    /* A positive score at tau = 0 is the overdispersion test: without
     * it the maximum is at the Poisson boundary (and with no deaths at
     * all the mean is 0 whatever nu is). */
    if (j->Y == 0.0 || !(profile_score(j, 0.0) > 0.0)) {
        j->sum->iterations = 0;
        j->sum->converged = true;
        j->sum->loglik = nb_loglik(j, 0.0, m);
        return set_boundary(j, m, err);
    }
    phi = marshall_phi(j, m);
    errno = 0;
    tau = fit_tau(&f, phi > 0.0 ? phi / (m * m) : 1.0, &converged);
    if (isnan(tau) && errno == ENOMEM)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (!isfinite(tau) || !(tau > 0.0))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the Clayton-Kaldor fit failed: the likelihood has no "
                                "maximum in 0 < 1/nu < %g", TAU_MAX);
    double mu = mu_hat(j, tau);
    ck_summary(j, tau, mu, f.iterations, converged);
    percap_status st = ck_areas(j, tau, mu, err);
    if (st == PERCAP_OK && !converged)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the Clayton-Kaldor fit did not converge in %d iterations",
                                f.iterations);
    return st;
}

/* ---- entry point -------------------------------------------------------- */

percap_status percap_smooth_compute(const percap_areas *areas, percap_smooth_method method,
                                    double level, double per, percap_smoothed *out,
                                    percap_smooth_summary *summary, percap_error *err)
{
    percap_smooth_summary scratch;
    job j;
    percap_status st = check_args(areas, method, level, per, out, err);

    if (st != PERCAP_OK)
        return st;
    j = (job){.rows = areas->rows, .k = areas->n, .level = level, .per = per, .out = out,
              .sum = summary ? summary : &scratch, .areas = areas};
    if ((st = check_rows(&j, err)) != PERCAP_OK)
        return st;
    /* GSL's default handler aborts; the special functions and the root
     * finder report through it. Not thread-safe, as in intervals.c. */
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    st = method == PERCAP_SMOOTH_MARSHALL ? marshall(&j, err) : clayton_kaldor(&j, err);
    gsl_set_error_handler(saved);
    return st;
}
