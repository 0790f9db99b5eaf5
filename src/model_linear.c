/* Linear models (OLS and WLS) and what every model shares: the family
 * names, the entry point, least squares by QR, the coefficient table.
 *
 * Everything follows R's lm() and summary.lm(): the same Householder QR,
 * R^2 from the fitted values' spread (so it also means what R means
 * without an intercept), weights entering as sqrt(w) on each row, rows of
 * weight 0 left out of every count. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "model_internal.h"

static const char *const family_names[] = {"ols", "wls", "poisson", "negbin"};

#define NFAMILIES (sizeof family_names / sizeof family_names[0])

int percap_model_family_parse(const char *name, percap_model_family *out)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < NFAMILIES; i++) {
        if (strcmp(name, family_names[i]) == 0) {
            if (out)
                *out = (percap_model_family)i;
            return 0;
        }
    }
    return -1;
}

const char *percap_model_family_name(percap_model_family family)
{
    return (unsigned)family < NFAMILIES ? family_names[family] : "unknown";
}

void percap_model_options_default(percap_model_options *o)
{
    o->family = PERCAP_MODEL_OLS;
    o->level = 0.95;
    o->weights = NULL;
}

void percap_model_free(percap_model *m)
{
    if (!m)
        return;
    free(m->terms);
    free(m);
}

percap_model *model_alloc(percap_model_family family, const percap_formula *f)
{
    percap_model *m = calloc(1, sizeof *m);
    size_t p = percap_formula_ncols(f);
    if (!m)
        return NULL;
    m->terms = calloc(p ? p : 1, sizeof *m->terms);
    if (!m->terms) {
        free(m);
        return NULL;
    }
    m->family = family;
    m->nterms = p;
    for (size_t j = 0; j < p; j++) {
        percap_model_term *t = &m->terms[j];
        snprintf(t->name, sizeof t->name, "%s", percap_formula_column(f, j));
        t->estimate = t->std_error = t->statistic = t->p_value = NAN;
        t->ci_low = t->ci_high = t->ratio = t->ratio_low = t->ratio_high = NAN;
    }
    m->r_squared = m->adj_r_squared = m->sigma = NAN;
    m->deviance = m->null_deviance = m->aic = m->log_likelihood = NAN;
    m->theta = m->theta_se = NAN;
    m->converged = true;
    return m;
}

/* ---- least squares ------------------------------------------------------ */

typedef struct ls_work {
    gsl_matrix *a;
    gsl_vector *tau, *b, *coef, *resid;
    double *norms;
} ls_work;

static void ls_work_free(ls_work *w)
{
    gsl_matrix_free(w->a);
    gsl_vector_free(w->tau);
    gsl_vector_free(w->b);
    gsl_vector_free(w->coef);
    gsl_vector_free(w->resid);
    free(w->norms);
}

static bool ls_work_alloc(ls_work *w, size_t n, size_t p)
{
    w->a = gsl_matrix_alloc(n, p);
    w->tau = gsl_vector_alloc(p);
    w->b = gsl_vector_alloc(n);
    w->coef = gsl_vector_alloc(p);
    w->resid = gsl_vector_alloc(n);
    w->norms = calloc(p, sizeof *w->norms);
    return w->a && w->tau && w->b && w->coef && w->resid && w->norms;
}

static void ls_load(ls_work *w, const double *x, const double *z, const double *rw, size_t n,
                    size_t p)
{
    for (size_t i = 0; i < n; i++) {
        double s = rw ? rw[i] : 1.0;
        for (size_t j = 0; j < p; j++) {
            double v = s * x[i * p + j];
            gsl_matrix_set(w->a, i, j, v);
            w->norms[j] += v * v;
        }
        gsl_vector_set(w->b, i, s * z[i]);
    }
    for (size_t j = 0; j < p; j++)
        w->norms[j] = sqrt(w->norms[j]);
}

/* What is left of column j once the columns before it are projected out
 * is |R_jj|; R (dqrdc2) declares the column aliased when that falls below
 * tol times the column's own norm. */
static long aliased_column(const ls_work *w, size_t p, double tol)
{
    for (size_t j = 0; j < p; j++)
        if (!(fabs(gsl_matrix_get(w->a, j, j)) > tol * w->norms[j]))
            return (long)j;
    return -1;
}

/* (R'R)^-1 = R^-1 R^-T, with R^-1 by back substitution. */
static bool unscaled_covariance(const gsl_matrix *qr, size_t p, double *cov)
{
    double *rinv = calloc(p * p, sizeof *rinv);
    if (!rinv)
        return false;
    for (size_t c = 0; c < p; c++) {
        for (size_t r = c + 1; r-- > 0;) {
            double s = r == c ? 1.0 : 0.0;
            for (size_t k = r + 1; k <= c; k++)
                s -= gsl_matrix_get(qr, r, k) * rinv[k * p + c];
            rinv[r * p + c] = s / gsl_matrix_get(qr, r, r);
        }
    }
    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < p; j++) {
            double s = 0;
            for (size_t k = (i > j ? i : j); k < p; k++)
                s += rinv[i * p + k] * rinv[j * p + k];
            cov[i * p + j] = s;
        }
    }
    free(rinv);
    return true;
}

static percap_status ls_run(ls_work *w, size_t p, double tol,
                            const percap_formula *f, double *coef, double *cov,
                            percap_error *err)
{
    if (gsl_linalg_QR_decomp(w->a, w->tau) != GSL_SUCCESS)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the least-squares problem could not be solved");
    long bad = aliased_column(w, p, tol);
    if (bad >= 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the column '%s' is a linear combination of the columns "
                                "before it (R would give it an NA coefficient); drop it",
                                percap_formula_column(f, (size_t)bad));
    if (gsl_linalg_QR_lssolve(w->a, w->tau, w->b, w->coef, w->resid) != GSL_SUCCESS)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the least-squares problem could not be solved");
    for (size_t j = 0; j < p; j++)
        coef[j] = gsl_vector_get(w->coef, j);
    if (cov && !unscaled_covariance(w->a, p, cov))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    return PERCAP_OK;
}

percap_status model_least_squares(const double *x, const double *z, const double *rw,
                                  size_t n, size_t p, double tol, const percap_formula *f,
                                  double *coef, double *cov, percap_error *err)
{
    if (n < p || p == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "%zu rows cannot determine %zu coefficients", n, p);
    ls_work w = {0};
    percap_status st;
    /* GSL's default handler aborts; R's answer for a singular system is a
     * message, and so is ours. The handler is process-wide: restore it. */
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    if (!ls_work_alloc(&w, n, p)) {
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    } else {
        ls_load(&w, x, z, rw, n, p);
        st = ls_run(&w, p, tol, f, coef, cov, err);
    }
    ls_work_free(&w);
    gsl_set_error_handler(saved);
    return st;
}

void model_predict(const double *x, const double *coef, size_t n, size_t p, double *out)
{
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < p; j++)
            s += x[i * p + j] * coef[j];
        out[i] = s;
    }
}

/* ---- the coefficient table ---------------------------------------------- */

/* Two-sided: the upper-tail functions keep tiny p-values that 1 - P would
 * round to 0. */
static double two_sided_p(double stat, double df)
{
    if (isnan(stat))
        return NAN;
    double q = df > 0 ? gsl_cdf_tdist_Q(fabs(stat), df) : gsl_cdf_ugaussian_Q(fabs(stat));
    return 2.0 * q;
}

static double critical_value(double level, double df)
{
    double tail = (1.0 - level) / 2.0;
    return df > 0 ? gsl_cdf_tdist_Qinv(tail, df) : gsl_cdf_ugaussian_Qinv(tail);
}

void model_fill_terms(percap_model *m, const double *coef, const double *cov, double scale,
                      double level, double df, bool ratios)
{
    size_t p = m->nterms;
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    double crit = critical_value(level, df);
    for (size_t j = 0; j < p; j++) {
        percap_model_term *t = &m->terms[j];
        t->estimate = coef[j];
        t->std_error = sqrt(scale * cov[j * p + j]);
        t->statistic = t->estimate / t->std_error;
        t->p_value = two_sided_p(t->statistic, df);
        t->ci_low = t->estimate - crit * t->std_error;
        t->ci_high = t->estimate + crit * t->std_error;
        if (ratios) {
            t->ratio = exp(t->estimate);
            t->ratio_low = exp(t->ci_low);
            t->ratio_high = exp(t->ci_high);
        }
    }
    gsl_set_error_handler(saved);
}

/* ---- linear models ------------------------------------------------------ */

typedef struct linear {
    percap_formula_frame *fr;
    double *w;       /* weights (NULL for OLS) */
    double *rw;      /* their square roots */
    double *coef, *cov, *fitted;
} linear;

static void linear_free(linear *l)
{
    percap_formula_frame_free(l->fr);
    free(l->w);
    free(l->rw);
    free(l->coef);
    free(l->cov);
    free(l->fitted);
}

/* Negative weights are an error (as in R); rows of weight 0 are dropped,
 * since R leaves them out of n, the residual df and every sum. */
static percap_status take_weights(linear *l, const percap_areas *a, const char *wname,
                                  percap_notes *notes, percap_error *err)
{
    percap_formula_frame *fr = l->fr;
    size_t kept = 0, p = fr->p, dropped = 0;
    l->w = malloc(fr->n * sizeof *l->w);
    l->rw = malloc(fr->n * sizeof *l->rw);
    if (!l->w || !l->rw)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < fr->n; i++) {
        double w = fr->extra[i * fr->nextra];
        const char *code = percap_areas_code(a, fr->area[i]);
        if (w < 0)
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the weight (%s) is negative: %.15g", code, wname, w);
        if (w == 0) {
            dropped++;
            percap_notes_add(notes, "wls: dropped %s (%s): its weight (%s) is 0", code,
                             percap_areas_name(a, fr->area[i]), wname);
            continue;
        }
        fr->area[kept] = fr->area[i];
        fr->y[kept] = fr->y[i];
        memmove(fr->x + kept * p, fr->x + i * p, p * sizeof *fr->x);
        l->w[kept] = w;
        l->rw[kept] = sqrt(w);
        kept++;
    }
    fr->n = kept;
    if (dropped)
        percap_notes_add(notes, "wls: %zu rows of weight 0 dropped, %zu left", dropped, kept);
    return PERCAP_OK;
}

static double weight(const linear *l, size_t i)
{
    return l->w ? l->w[i] : 1.0;
}

/* The sums summary.lm and logLik.lm are made of. */
typedef struct sums {
    double rss, mss, tss, sumw, sumlogw;
} sums;

static sums linear_sums(const linear *l, bool intercept)
{
    const percap_formula_frame *fr = l->fr;
    sums s = {0};
    double fmean = 0, ymean = 0;
    for (size_t i = 0; i < fr->n; i++) {
        double w = weight(l, i);
        s.sumw += w;
        s.sumlogw += log(w);
        fmean += w * l->fitted[i];
        ymean += w * fr->y[i];
    }
    fmean = intercept ? fmean / s.sumw : 0;
    ymean = intercept ? ymean / s.sumw : 0;
    for (size_t i = 0; i < fr->n; i++) {
        double w = weight(l, i), r = fr->y[i] - l->fitted[i];
        s.rss += w * r * r;
        s.mss += w * (l->fitted[i] - fmean) * (l->fitted[i] - fmean);
        s.tss += w * (fr->y[i] - ymean) * (fr->y[i] - ymean);
    }
    return s;
}

static void linear_summary(percap_model *m, const linear *l, const percap_formula *f,
                           double level)
{
    size_t n = l->fr->n, p = l->fr->p;
    bool intercept = percap_formula_has_intercept(f);
    double rdf = (double)(n - p), nd = (double)n;
    sums s = linear_sums(l, intercept);
    m->n = n;
    m->df_residual = n - p;
    m->r_squared = s.mss / (s.mss + s.rss);
    m->adj_r_squared = 1 - (1 - m->r_squared) * ((nd - (intercept ? 1 : 0)) / rdf);
    m->sigma = sqrt(s.rss / rdf);
    m->deviance = s.rss;
    m->null_deviance = s.tss;
    m->log_likelihood = 0.5 * (s.sumlogw - nd * (log(2 * M_PI) + 1 - log(nd) + log(s.rss)));
    m->aic = -2 * m->log_likelihood + 2 * ((double)p + 1);
    m->iterations = 0;
    m->converged = true;
    model_fill_terms(m, l->coef, l->cov, s.rss / rdf, level, rdf, false);
}

static percap_status linear_frame(linear *l, const percap_formula *f, const percap_areas *a,
                                  const percap_model_options *o, percap_notes *notes,
                                  percap_error *err)
{
    const char *wname = o->weights ? o->weights : "population";
    const char *extra[] = {wname, NULL};
    percap_formula_eval_options eo = {false, o->family == PERCAP_MODEL_WLS ? extra : NULL};
    if (percap_formula_evaluate(f, a, &eo, &l->fr, notes, err) != PERCAP_OK)
        return err->code;
    if (o->family == PERCAP_MODEL_WLS && take_weights(l, a, wname, notes, err) != PERCAP_OK)
        return err->code;
    if (l->fr->n <= l->fr->p)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "%zu rows for %zu coefficients leave no residual degrees "
                                "of freedom",
                                l->fr->n, l->fr->p);
    return PERCAP_OK;
}

static percap_status linear_fit(const percap_formula *f, const percap_areas *a,
                                const percap_model_options *o, percap_model **out,
                                percap_notes *notes, percap_error *err)
{
    linear l = {0};
    percap_model *m = NULL;
    percap_status st = linear_frame(&l, f, a, o, notes, err);
    size_t n = l.fr ? l.fr->n : 0, p = l.fr ? l.fr->p : 0;
    if (st == PERCAP_OK) {
        l.coef = malloc(p * sizeof *l.coef);
        l.cov = malloc(p * p * sizeof *l.cov);
        l.fitted = malloc(n * sizeof *l.fitted);
        m = model_alloc(o->family, f);
        if (!l.coef || !l.cov || !l.fitted || !m)
            st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st == PERCAP_OK)
        st = model_least_squares(l.fr->x, l.fr->y, l.rw, n, p, MODEL_LM_TOL, f, l.coef, l.cov,
                                 err);
    if (st == PERCAP_OK) {
        model_predict(l.fr->x, l.coef, n, p, l.fitted);
        linear_summary(m, &l, f, o->level);
        *out = m;
        m = NULL;
    }
    percap_model_free(m);
    linear_free(&l);
    return st;
}

/* ---- the entry point ---------------------------------------------------- */

static percap_status check_options(const percap_model_options *o, percap_error *err)
{
    if ((unsigned)o->family >= NFAMILIES)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "unknown model family %d",
                                (int)o->family);
    if (!(o->level > 0 && o->level < 1))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the confidence level must lie strictly between 0 and 1 "
                                "(got %.15g)",
                                o->level);
    if (o->weights && o->family != PERCAP_MODEL_WLS)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "weights ('%s') go with the wls family, not %s", o->weights,
                                percap_model_family_name(o->family));
    return PERCAP_OK;
}

percap_status percap_model_fit(const percap_formula *f, const percap_areas *areas,
                               const percap_model_options *o, percap_model **out,
                               percap_notes *notes, percap_error *err)
{
    percap_model_options defaults;
    if (!f || !areas || !out)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_model_fit needs a formula, areas and a result");
    *out = NULL;
    if (!o) {
        percap_model_options_default(&defaults);
        o = &defaults;
    }
    if (check_options(o, err) != PERCAP_OK)
        return err->code;
    if (o->family == PERCAP_MODEL_POISSON || o->family == PERCAP_MODEL_NEGBIN)
        return model_count_fit(f, areas, o, out, notes, err);
    return linear_fit(f, areas, o, out, notes, err);
}
