/* Poisson and negative-binomial regression of deaths with offset
 * log(population), replaying R's own algorithms step for step:
 * glm.fit's IRLS (start, convergence test, step halving, the covariance
 * from the last weighted least squares) and MASS::glm.nb's alternation
 * of IRLS with theta.ml. Iterative answers only agree to the
 * convergence tolerance, so following the same path is what makes them
 * agree with R far more closely than that. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "model_internal.h"

/* glm.control() and MASS's defaults. */
#define GLM_MAXIT 25
#define GLM_EPSILON 1e-8
#define THETA_LIMIT GLM_MAXIT   /* glm.nb passes control$maxit to theta.ml */

/* ---- the two families (log link) ---------------------------------------- */

typedef struct family {
    bool nb;
    double theta;
} family;

/* R's log link clamps at machine epsilon, so a mean is never 0. */
static double linkinv(double eta)
{
    return fmax(exp(eta), DBL_EPSILON);
}

static double variance(const family *fm, double mu)
{
    return fm->nb ? mu + mu * mu / fm->theta : mu;
}

/* poisson()$dev.resids and negative.binomial()$dev.resids, as written
 * there, so that the convergence test sees R's numbers. */
static double unit_deviance(const family *fm, double y, double mu)
{
    if (!fm->nb)
        return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu));
    double th = fm->theta;
    return 2 * (y * log(fmax(1, y) / mu) - (y + th) * log((y + th) / (mu + th)));
}

static bool valid_mu(const family *fm, double mu)
{
    return fm->nb ? mu > 0 : (isfinite(mu) && mu > 0);
}

/* ---- data and fits ------------------------------------------------------ */

typedef struct glm_data {
    size_t n, p;
    const double *x, *y, *offset;
    const percap_formula *f;
} glm_data;

typedef struct glm_fit {
    double *coef, *cov, *eta, *mu;
    double deviance;
    int iter;
    bool converged;
} glm_fit;

static void fit_free(glm_fit *g)
{
    free(g->coef);
    free(g->cov);
    free(g->eta);
    free(g->mu);
}

static bool fit_alloc(glm_fit *g, size_t n, size_t p)
{
    g->coef = calloc(p, sizeof *g->coef);
    g->cov = calloc(p * p, sizeof *g->cov);
    g->eta = calloc(n, sizeof *g->eta);
    g->mu = calloc(n, sizeof *g->mu);
    return g->coef && g->cov && g->eta && g->mu;
}

static double total_deviance(const glm_data *d, const family *fm, const double *mu)
{
    double s = 0;
    for (size_t i = 0; i < d->n; i++)
        s += unit_deviance(fm, d->y[i], mu[i]);
    return s;
}

static void update_mu(const glm_data *d, const double *coef, glm_fit *g)
{
    model_predict(d->x, coef, d->n, d->p, g->eta);
    for (size_t i = 0; i < d->n; i++) {
        g->eta[i] += d->offset[i];
        g->mu[i] = linkinv(g->eta[i]);
    }
}

static bool usable(const glm_data *d, const family *fm, const glm_fit *g, double dev)
{
    if (!isfinite(dev))
        return false;
    for (size_t i = 0; i < d->n; i++)
        if (!valid_mu(fm, g->mu[i]))
            return false;
    return true;
}

/* ---- IRLS (glm.fit) ----------------------------------------------------- */

typedef struct irls_work {
    double *z, *rw, *coefold;
} irls_work;

static void work_free(irls_work *w)
{
    free(w->z);
    free(w->rw);
    free(w->coefold);
}

static bool work_alloc(irls_work *w, size_t n, size_t p)
{
    w->z = malloc(n * sizeof *w->z);
    w->rw = malloc(n * sizeof *w->rw);
    w->coefold = malloc(p * sizeof *w->coefold);
    return w->z && w->rw && w->coefold;
}

/* One weighted least squares of the working response on x. */
static percap_status irls_step(const glm_data *d, const family *fm, glm_fit *g, irls_work *w,
                               percap_error *err)
{
    for (size_t i = 0; i < d->n; i++) {
        double mu_eta = linkinv(g->eta[i]);
        w->z[i] = (g->eta[i] - d->offset[i]) + (d->y[i] - g->mu[i]) / mu_eta;
        w->rw[i] = sqrt(mu_eta * mu_eta / variance(fm, g->mu[i]));
    }
    if (model_least_squares(d->x, w->z, w->rw, d->n, d->p, MODEL_GLM_TOL, d->f, g->coef,
                            g->cov, err) != PERCAP_OK)
        return err->code;
    for (size_t j = 0; j < d->p; j++)
        if (!isfinite(g->coef[j]))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "the fit broke down: non-finite coefficients at "
                                    "iteration %d",
                                    g->iter);
    return PERCAP_OK;
}

/* glm.fit's rescue when a step overshoots: back halfway towards the last
 * good coefficients until the deviance is finite and the means valid. */
static percap_status halve_step(const glm_data *d, const family *fm, glm_fit *g,
                                const irls_work *w, bool have_old, double *dev,
                                percap_error *err)
{
    if (!have_old)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the fit broke down at its first step (no valid set of "
                                "coefficients)");
    for (int ii = 1; !usable(d, fm, g, *dev); ii++) {
        if (ii > GLM_MAXIT)
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "the fit broke down: halving the step %d times did "
                                    "not give valid means",
                                    GLM_MAXIT);
        for (size_t j = 0; j < d->p; j++)
            g->coef[j] = (g->coef[j] + w->coefold[j]) / 2;
        update_mu(d, g->coef, g);
        *dev = total_deviance(d, fm, g->mu);
    }
    return PERCAP_OK;
}

static percap_status irls_loop(const glm_data *d, const family *fm, glm_fit *g, irls_work *w,
                               percap_error *err)
{
    double devold = total_deviance(d, fm, g->mu), dev = devold;
    bool have_old = false;
    g->converged = false;
    for (g->iter = 1; g->iter <= GLM_MAXIT; g->iter++) {
        if (irls_step(d, fm, g, w, err) != PERCAP_OK)
            return err->code;
        update_mu(d, g->coef, g);
        dev = total_deviance(d, fm, g->mu);
        if (!usable(d, fm, g, dev) && halve_step(d, fm, g, w, have_old, &dev, err))
            return err->code;
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < GLM_EPSILON) {
            g->converged = true;
            break;
        }
        devold = dev;
        memcpy(w->coefold, g->coef, d->p * sizeof *g->coef);
        have_old = true;
    }
    if (!g->converged)
        g->iter = GLM_MAXIT;
    g->deviance = dev;
    return PERCAP_OK;
}

/* Fits from the linear predictor eta0 (glm.fit's etastart). */
static percap_status irls(const glm_data *d, const family *fm, const double *eta0,
                          glm_fit *g, percap_error *err)
{
    irls_work w = {0};
    percap_status st;
    if (!work_alloc(&w, d->n, d->p)) {
        work_free(&w);
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++) {
        g->eta[i] = eta0[i];
        g->mu[i] = linkinv(eta0[i]);
    }
    st = irls_loop(d, fm, g, &w, err);
    work_free(&w);
    return st;
}

/* ---- null deviance ------------------------------------------------------ */

/* With an intercept, glm() and glm.nb() refit the intercept alone (with
 * the offset), starting from `mustart`; without one the null model is the
 * offset itself. */
static percap_status null_deviance(const glm_data *d, const family *fm, bool intercept,
                                   const double *mustart, double *out, percap_error *err)
{
    glm_fit g = {0};
    double *ones = malloc(d->n * sizeof *ones), *eta0 = malloc(d->n * sizeof *eta0);
    percap_status st = PERCAP_OK;
    if (!ones || !eta0 || !fit_alloc(&g, d->n, 1)) {
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    } else if (!intercept) {
        for (size_t i = 0; i < d->n; i++)
            g.mu[i] = linkinv(d->offset[i]);
        *out = total_deviance(d, fm, g.mu);
    } else {
        glm_data d0 = {d->n, 1, ones, d->y, d->offset, d->f};
        for (size_t i = 0; i < d->n; i++) {
            ones[i] = 1.0;
            eta0[i] = log(mustart[i]);
        }
        st = irls(&d0, fm, eta0, &g, err);
        *out = g.deviance;
    }
    free(ones);
    free(eta0);
    fit_free(&g);
    return st;
}

/* ---- likelihoods -------------------------------------------------------- */

/* x log(x/np) + np - x without cancellation near x = np (Loader's bd0,
 * as R's dpois uses). */
static double bd0(double x, double np)
{
    if (fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np), s = (x - np) * v, ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
    }
    return x * log(x / np) + np - x;
}

/* log dpois(x, lambda) by Loader's saddle point, as R: the naive
 * x log(lambda) - lambda - lgamma(x + 1) loses digits to cancellation for
 * large counts. log(gammastar(x)) is R's stirlerr(x). */
static double dpois_log(double x, double lambda)
{
    if (x == 0)
        return -lambda;
    return -log(gsl_sf_gammastar(x)) - bd0(x, lambda) - 0.5 * log(2 * M_PI * x);
}

static double poisson_loglik(const glm_data *d, const double *mu)
{
    double s = 0;
    for (size_t i = 0; i < d->n; i++)
        s += dpois_log(d->y[i], mu[i]);
    return s;
}

/* glm.nb's loglik(), term by term. */
static double nb_loglik(const glm_data *d, double th, const double *mu)
{
    double s = 0;
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        s += gsl_sf_lngamma(th + y) - gsl_sf_lngamma(th) - gsl_sf_lngamma(y + 1) +
             th * log(th) + y * log(mu[i] + (y == 0 ? 1 : 0)) - (th + y) * log(th + mu[i]);
    }
    return s;
}

/* ---- theta (MASS::theta.ml) --------------------------------------------- */

typedef struct theta_est {
    double theta, se;
    bool hit_limit;
} theta_est;

static double theta_score(const glm_data *d, double th, const double *mu)
{
    double s = 0;
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        s += gsl_sf_psi(th + y) - gsl_sf_psi(th) + log(th) + 1 - log(th + mu[i]) -
             (y + th) / (mu[i] + th);
    }
    return s;
}

static double theta_info(const glm_data *d, double th, const double *mu)
{
    double s = 0;
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        s += -gsl_sf_psi_1(th + y) + gsl_sf_psi_1(th) - 1 / th + 2 / (mu[i] + th) -
             (y + th) / ((mu[i] + th) * (mu[i] + th));
    }
    return s;
}

/* Newton's method on the score from the moment estimate; the standard
 * error is 1/sqrt(information) at the last point the information was
 * taken, one step before the returned theta, exactly as MASS. */
static percap_status theta_ml(const glm_data *d, const double *mu, theta_est *out,
                              percap_error *err)
{
    double eps = pow(DBL_EPSILON, 0.25), t0 = 0, del = 1, info = NAN;
    int it = 0;
    for (size_t i = 0; i < d->n; i++)
        t0 += (d->y[i] / mu[i] - 1) * (d->y[i] / mu[i] - 1);
    t0 = (double)d->n / t0;
    while (++it < THETA_LIMIT && fabs(del) > eps) {
        t0 = fabs(t0);
        info = theta_info(d, t0, mu);
        del = theta_score(d, t0, mu) / info;
        t0 += del;
    }
    /* Once mu^2/theta is below an ulp of mu for every area the variance is
     * Poisson's to the last bit, and theta is only the noise of a
     * likelihood that no longer depends on it (MASS fails outright). */
    double mumax = 0;
    for (size_t i = 0; i < d->n; i++)
        mumax = fmax(mumax, mu[i]);
    if (!isfinite(t0) || !(t0 > 0) || t0 * DBL_EPSILON > mumax)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "theta of the negative binomial cannot be estimated "
                                "(got %.6g): the counts show no overdispersion to model; "
                                "use poisson",
                                t0);
    out->theta = t0;
    out->se = sqrt(1 / info);
    out->hit_limit = it == THETA_LIMIT;
    return PERCAP_OK;
}

/* ---- the two models ----------------------------------------------------- */

typedef struct count_result {
    glm_fit fit;
    double null_dev, loglik, aic;
    theta_est th;
    bool converged;
} count_result;

/* `full`: also the null deviance and likelihood, which glm.nb's starting
 * fit does not need. */
static percap_status fit_poisson(const glm_data *d, bool intercept, bool full,
                                 count_result *r, percap_error *err)
{
    family pois = {false, 0};
    double *eta0 = malloc(d->n * sizeof *eta0);
    if (!eta0)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < d->n; i++)
        eta0[i] = log(d->y[i] + 0.1);  /* poisson()$initialize: mustart = y + 0.1 */
    percap_status st = irls(d, &pois, eta0, &r->fit, err);
    free(eta0);
    if (st != PERCAP_OK || !full)
        return st;
    st = null_deviance(d, &pois, intercept, r->fit.mu, &r->null_dev, err);
    r->loglik = poisson_loglik(d, r->fit.mu);
    r->aic = -2 * r->loglik + 2 * (double)d->p;
    r->converged = r->fit.converged;
    return st;
}

/* glm.nb's loop. Its order matters for agreeing with MASS to more than
 * the tolerance: each theta is estimated from the means of the fit
 * before, and the coefficients returned were fitted with the
 * next-to-last theta. */
typedef struct nb_loop {
    double *mu, *eta;
    double lm, lm0, del, d1, fit_theta;
    int iter;
} nb_loop;

static percap_status nb_iterate(const glm_data *d, count_result *r, nb_loop *s,
                                percap_error *err)
{
    for (size_t i = 0; i < d->n; i++)
        s->eta[i] = log(s->mu[i]);
    family fm = {true, r->th.theta};
    if (irls(d, &fm, s->eta, &r->fit, err) != PERCAP_OK)
        return err->code;
    s->fit_theta = r->th.theta;
    if (theta_ml(d, s->mu, &r->th, err) != PERCAP_OK)
        return err->code;
    memcpy(s->mu, r->fit.mu, d->n * sizeof *s->mu);
    s->del = s->fit_theta - r->th.theta;
    s->lm0 = s->lm;
    s->lm = nb_loglik(d, r->th.theta, s->mu);
    return PERCAP_OK;
}

static percap_status nb_alternate(const glm_data *d, count_result *r, nb_loop *s,
                                  percap_error *err)
{
    memcpy(s->mu, r->fit.mu, d->n * sizeof *s->mu);
    if (theta_ml(d, s->mu, &r->th, err) != PERCAP_OK)
        return err->code;
    s->d1 = sqrt(2 * fmax(1, (double)d->n - (double)d->p));
    s->del = 1;
    s->lm = nb_loglik(d, r->th.theta, s->mu);
    s->lm0 = s->lm + 2 * s->d1;
    s->iter = 0;
    while (++s->iter <= GLM_MAXIT &&
           fabs(s->lm0 - s->lm) / s->d1 + fabs(s->del) > GLM_EPSILON)
        if (nb_iterate(d, r, s, err) != PERCAP_OK)
            return err->code;
    return PERCAP_OK;
}

static percap_status fit_negbin(const glm_data *d, bool intercept, count_result *r,
                                percap_notes *notes, percap_error *err)
{
    nb_loop s = {0};
    percap_status st = fit_poisson(d, intercept, false, r, err);
    s.mu = malloc(d->n * sizeof *s.mu);
    s.eta = malloc(d->n * sizeof *s.eta);
    if (st == PERCAP_OK && (!s.mu || !s.eta))
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        st = nb_alternate(d, r, &s, err);
    if (st == PERCAP_OK) {
        /* negative.binomial()$initialize: mustart = y + (y == 0)/6 */
        for (size_t i = 0; i < d->n; i++)
            s.mu[i] = d->y[i] + (d->y[i] == 0 ? 1.0 / 6.0 : 0.0);
        family latest = {true, r->th.theta}, fitted = {true, s.fit_theta};
        st = null_deviance(d, intercept ? &latest : &fitted, intercept, s.mu, &r->null_dev,
                           err);
    }
    if (st == PERCAP_OK) {
        r->loglik = s.lm;
        r->aic = -2 * s.lm + 2 * (double)d->p + 2;
        r->converged = r->fit.converged && s.iter <= GLM_MAXIT && !r->th.hit_limit;
        if (s.iter > GLM_MAXIT)
            percap_notes_add(notes, "negbin: the alternation of theta and the "
                                    "coefficients reached its limit of %d rounds",
                             GLM_MAXIT);
        if (r->th.hit_limit)
            percap_notes_add(notes, "negbin: the estimate of theta reached its iteration "
                                    "limit (theta = %.6g); the counts may show no "
                                    "overdispersion",
                             r->th.theta);
    }
    free(s.mu);
    free(s.eta);
    return st;
}

/* ---- the frame and the entry point -------------------------------------- */

typedef struct count_data {
    percap_formula_frame *fr;
    double *y, *offset;
} count_data;

static void count_data_free(count_data *c)
{
    percap_formula_frame_free(c->fr);
    free(c->y);
    free(c->offset);
}

static percap_status check_response(const percap_formula *f, percap_model_family fam,
                                    percap_error *err)
{
    const char *v = percap_formula_response_variable(f);
    if (v && (strcmp(v, "rate") == 0 || strcmp(v, "deaths") == 0))
        return PERCAP_OK;
    return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                            "the %s model counts deaths (with log(population) as offset): "
                            "the formula's left side must be 'rate' or 'deaths', not '%s'",
                            percap_model_family_name(fam), percap_formula_response(f));
}

static percap_status check_counts(const count_data *c, const percap_areas *a,
                                  percap_error *err)
{
    double total = 0;
    for (size_t i = 0; i < c->fr->n; i++) {
        double y = c->y[i];
        if (y < 0 || floor(y) != y)
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the count of deaths must be a whole number >= 0, "
                                    "got %.15g",
                                    percap_areas_code(a, c->fr->area[i]), y);
        total += y;
    }
    if (total == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "every area in the model has 0 deaths: a count model has no "
                                "finite estimates");
    return PERCAP_OK;
}

static percap_status count_frame(count_data *c, const percap_formula *f, const percap_areas *a,
                                 const percap_model_options *o, percap_notes *notes,
                                 percap_error *err)
{
    static const char *const extra[] = {"deaths", "log(population)", NULL};
    percap_formula_eval_options eo = {true, extra};
    if (check_response(f, o->family, err) != PERCAP_OK ||
        percap_formula_evaluate(f, a, &eo, &c->fr, notes, err) != PERCAP_OK)
        return err->code;
    size_t n = c->fr->n;
    c->y = malloc(n * sizeof *c->y);
    c->offset = malloc(n * sizeof *c->offset);
    if (!c->y || !c->offset)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        c->y[i] = c->fr->extra[i * 2];
        c->offset[i] = c->fr->extra[i * 2 + 1];
    }
    if (check_counts(c, a, err) != PERCAP_OK)
        return err->code;
    if (n < c->fr->p || (o->family == PERCAP_MODEL_NEGBIN && n == c->fr->p))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "%zu rows are too few for %zu coefficients%s", n, c->fr->p,
                                o->family == PERCAP_MODEL_NEGBIN ? " and theta" : "");
    return PERCAP_OK;
}

static void count_summary(percap_model *m, const glm_data *d, const count_result *r,
                          const percap_model_options *o, percap_notes *notes)
{
    m->n = d->n;
    m->df_residual = d->n - d->p;
    model_fill_terms(m, r->fit.coef, r->fit.cov, 1.0, o->level, 0, true);
    m->deviance = r->fit.deviance;
    m->null_deviance = r->null_dev;
    m->log_likelihood = r->loglik;
    m->aic = r->aic;
    m->iterations = r->fit.iter;
    m->converged = r->converged;
    if (o->family == PERCAP_MODEL_NEGBIN) {
        m->theta = r->th.theta;
        m->theta_se = r->th.se;
    }
    if (!r->fit.converged)
        percap_notes_add(notes, "%s: the fit did not converge in %d iterations",
                         percap_model_family_name(o->family), GLM_MAXIT);
}

percap_status model_count_fit(const percap_formula *f, const percap_areas *areas,
                              const percap_model_options *o, percap_model **out,
                              percap_notes *notes, percap_error *err)
{
    count_data c = {0};
    count_result r = {0};
    percap_model *m = NULL;
    percap_status st = count_frame(&c, f, areas, o, notes, err);
    glm_data d = {0};
    if (st == PERCAP_OK) {
        d = (glm_data){c.fr->n, c.fr->p, c.fr->x, c.y, c.offset, f};
        m = model_alloc(o->family, f);
        if (!m || !fit_alloc(&r.fit, d.n, d.p))
            st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st == PERCAP_OK) {
        /* GSL's special functions report domain errors through a handler
         * that aborts by default; ours come back as non-finite numbers and
         * are caught. The handler is process-wide: restore the caller's. */
        gsl_error_handler_t *saved = gsl_set_error_handler_off();
        bool intercept = percap_formula_has_intercept(f);
        st = o->family == PERCAP_MODEL_POISSON ? fit_poisson(&d, intercept, true, &r, err)
                                               : fit_negbin(&d, intercept, &r, notes, err);
        gsl_set_error_handler(saved);
    }
    if (st == PERCAP_OK) {
        count_summary(m, &d, &r, o, notes);
        *out = m;
        m = NULL;
    }
    percap_model_free(m);
    fit_free(&r.fit);
    count_data_free(&c);
    return st;
}
