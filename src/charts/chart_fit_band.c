/* A fitted model's line over one covariate, with the confidence band of
 * the mean, for the scatter chart. The model object holds coefficients
 * but not their covariance, so the covariance is rebuilt here from the
 * data and the fit: sigma^2 (X'WX)^-1 for linear models, the inverse
 * Fisher information (X'WX)^-1 at the fitted means for the count ones,
 * which is what R's vcov() returns for lm and glm/glm.nb. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "chart_common.h"

static percap_status nomem(percap_error *err)
{
    return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
}

static long find_covariate(const percap_areas *a, const char *name)
{
    for (size_t j = 0; j < a->ncov; j++)
        if (strcmp(a->cov_names[j], name) == 0)
            return (long)j;
    for (size_t j = 0; j < a->ncov; j++)
        if (strcasecmp(a->cov_names[j], name) == 0)
            return (long)j;
    return -1;
}

static bool is_count(percap_model_family f)
{
    return f == PERCAP_MODEL_POISSON || f == PERCAP_MODEL_NEGBIN;
}

/* The rows and weights the model was fitted to, as the model takes them. */
static percap_status fit_frame(const percap_areas *a, const percap_formula *f,
                               const percap_model_options *o, percap_formula_frame **fr,
                               percap_error *err)
{
    static const char *const count_extra[] = {"deaths", "log(population)", NULL};
    const char *wls_extra[] = {o->weights ? o->weights : "population", NULL};
    percap_formula_eval_options eo = {false, NULL};
    if (is_count(o->family))
        eo = (percap_formula_eval_options){true, count_extra};
    else if (o->family == PERCAP_MODEL_WLS)
        eo.extra = wls_extra;
    return percap_formula_evaluate(f, a, &eo, fr, NULL, err);
}

static double row_weight(const percap_formula_frame *fr, size_t i, const percap_model *m,
                         const double *coef)
{
    size_t p = fr->p;
    if (m->family == PERCAP_MODEL_OLS)
        return 1;
    if (m->family == PERCAP_MODEL_WLS)
        return fr->extra[i];
    double eta = fr->extra[i * 2 + 1];
    for (size_t j = 0; j < p; j++)
        eta += fr->x[i * p + j] * coef[j];
    double mu = exp(eta);
    return m->family == PERCAP_MODEL_POISSON ? mu : mu / (1 + mu / m->theta);
}

/* V = scale * (X'WX)^-1, p x p row-major. */
static percap_status covariance(const percap_formula_frame *fr, const percap_model *m,
                                const double *coef, double *v, percap_error *err)
{
    size_t p = fr->p;
    gsl_matrix *xtwx = gsl_matrix_calloc(p, p);
    if (!xtwx)
        return nomem(err);
    for (size_t i = 0; i < fr->n; i++) {
        double w = row_weight(fr, i, m, coef);
        const double *x = fr->x + i * p;
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < p; k++)
                *gsl_matrix_ptr(xtwx, j, k) += w * x[j] * x[k];
    }
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    int bad = gsl_linalg_cholesky_decomp1(xtwx) || gsl_linalg_cholesky_invert(xtwx);
    gsl_set_error_handler(saved);
    double scale = is_count(m->family) ? 1 : m->sigma * m->sigma;
    for (size_t j = 0; j < p * p; j++)
        v[j] = scale * gsl_matrix_get(xtwx, j / p, j % p);
    gsl_matrix_free(xtwx);
    if (bad)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the model's design is singular: no band can be drawn");
    return PERCAP_OK;
}

/* WLS leaves rows of weight 0 out of every statistic, as R does. */
static bool used(const percap_formula_frame *fr, const percap_model *m, size_t i)
{
    return m->family != PERCAP_MODEL_WLS || fr->extra[i] != 0;
}

/* Mean of column `col` (a covariate index, or -1 for the denominator)
 * over the rows the model used, missing values left out. */
static double frame_mean(const percap_areas *a, const percap_formula_frame *fr,
                         const percap_model *m, long col)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < fr->n; i++) {
        if (!used(fr, m, i))
            continue;
        size_t r = fr->area[i];
        double v = col < 0 ? a->rows[r].population : a->cov[r * a->ncov + (size_t)col];
        if (isfinite(v)) {
            sum += v;
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

/* A table of `n` rows where x runs over [lo, hi] and everything else
 * sits at its mean, to evaluate the formula along the line. */
static percap_status grid_table(const percap_areas *a, const percap_formula_frame *fr,
                                const percap_model *m, size_t xcol, double lo, double hi, size_t n,
                                percap_areas **out, percap_error *err)
{
    percap_areas *g = percap_areas_alloc(a->registry, n);
    if (!g)
        return nomem(err);
    for (size_t j = 0; j < a->ncov; j++) {
        size_t col;
        percap_status st = percap_areas_add_covariate(g, a->cov_names[j], &col, err);
        if (st != PERCAP_OK) {
            percap_areas_free(g);
            return st;
        }
    }
    double pop = frame_mean(a, fr, m, -1);
    for (size_t i = 0; i < n; i++) {
        g->rows[i] = a->rows[fr->area[0]];
        g->rows[i].population = pop;
        for (size_t j = 0; j < a->ncov; j++)
            g->cov[i * a->ncov + j] = j == xcol ? lo + (hi - lo) * (double)i / (double)(n - 1)
                                                : frame_mean(a, fr, m, (long)j);
    }
    *out = g;
    return PERCAP_OK;
}

static percap_chart_fit *fit_alloc(size_t n)
{
    percap_chart_fit *fit = calloc(1, sizeof *fit);
    if (!fit)
        return NULL;
    fit->x = malloc(n * sizeof *fit->x);
    fit->fit = malloc(n * sizeof *fit->fit);
    fit->low = malloc(n * sizeof *fit->low);
    fit->high = malloc(n * sizeof *fit->high);
    if (!fit->x || !fit->fit || !fit->low || !fit->high) {
        percap_chart_fit_free(fit);
        return NULL;
    }
    return fit;
}

void percap_chart_fit_free(percap_chart_fit *fit)
{
    if (!fit)
        return;
    free(fit->x);
    free(fit->fit);
    free(fit->low);
    free(fit->high);
    free(fit);
}

static bool column_constant(const percap_formula_frame *g, size_t j)
{
    for (size_t i = 1; i < g->n; i++)
        if (g->x[i * g->p + j] != g->x[j])
            return false;
    return true;
}

/* Whether x moves the design, and whether other terms sit at their means. */
static percap_status check_design(const percap_formula *f, const percap_formula_frame *g,
                                  const char *x_col, percap_chart_fit *fit, percap_error *err)
{
    size_t first = percap_formula_has_intercept(f) ? 1 : 0;
    bool moves = false;
    for (size_t j = first; j < g->p; j++) {
        if (column_constant(g, j))
            fit->others_at_mean = true;
        else
            moves = true;
    }
    if (!moves)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the formula '%s' does not use '%s', so it has no line "
                                "against it", percap_formula_text(f), x_col);
    return PERCAP_OK;
}

static void predict(const percap_formula_frame *g, const percap_areas *grid, size_t xcol,
                    const percap_model *m, const double *coef, const double *v, double per,
                    double level, percap_chart_fit *fit)
{
    size_t p = g->p;
    double q = is_count(m->family)
                   ? gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2)
                   : gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)m->df_residual);
    for (size_t i = 0; i < g->n; i++) {
        const double *x = g->x + i * p;
        double eta = 0, var = 0;
        for (size_t j = 0; j < p; j++) {
            eta += x[j] * coef[j];
            for (size_t k = 0; k < p; k++)
                var += x[j] * v[j * p + k] * x[k];
        }
        double se = sqrt(var > 0 ? var : 0);
        fit->x[i] = grid->cov[g->area[i] * grid->ncov + xcol];
        if (is_count(m->family)) {
            fit->fit[i] = per * exp(eta);
            fit->low[i] = per * exp(eta - q * se);
            fit->high[i] = per * exp(eta + q * se);
        } else {
            fit->fit[i] = eta;
            fit->low[i] = eta - q * se;
            fit->high[i] = eta + q * se;
        }
    }
    fit->n = g->n;
    fit->level = level;
}

static percap_status check_inputs(const percap_areas *a, const char *x_col,
                                  const percap_formula *f, const percap_model_options *o,
                                  const percap_model *m, size_t npoints, percap_error *err)
{
    if (!a || !x_col || !f || !o || !m || npoints < 2)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "a fitted line needs the areas, x, the model and 2+ points");
    if (m->nterms != percap_formula_ncols(f) || m->family != o->family)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the model was not fitted with this formula and family");
    if (!(o->level > 0 && o->level < 1))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the band's level must lie strictly between 0 and 1");
    const char *resp = percap_formula_response_variable(f);
    if (!is_count(m->family) && !(resp && strcmp(resp, "rate") == 0))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the chart plots rate: a linear model's left side must be "
                                "'rate', not '%s'", percap_formula_response(f));
    if (find_covariate(a, x_col) < 0)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "no covariate column '%s' to draw the line against", x_col);
    return PERCAP_OK;
}

static const char *family_label(percap_model_family f)
{
    switch (f) {
    case PERCAP_MODEL_OLS: return "OLS";
    case PERCAP_MODEL_WLS: return "WLS";
    case PERCAP_MODEL_POISSON: return "Poisson";
    case PERCAP_MODEL_NEGBIN: return "negative binomial";
    }
    return "model";
}

/* The range of x over the rows the model used. */
static percap_status x_range(const percap_areas *a, const percap_formula_frame *fr,
                             const percap_model *m, size_t xcol, double *lo, double *hi,
                             percap_error *err)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < fr->n; i++) {
        if (!used(fr, m, i))
            continue;
        double x = a->cov[fr->area[i] * a->ncov + xcol];
        if (x < *lo) *lo = x;
        if (x > *hi) *hi = x;
    }
    if (!(*lo < *hi))
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "'%s' takes a single value in the model's rows: no line",
                                a->cov_names[xcol]);
    return PERCAP_OK;
}

percap_status percap_chart_fit_compute(const percap_areas *areas, const char *x_col,
                                       const percap_formula *f, const percap_model_options *o,
                                       const percap_model *m, double per, size_t npoints,
                                       percap_chart_fit **out, percap_error *err)
{
    *out = NULL;
    percap_status st = check_inputs(areas, x_col, f, o, m, npoints, err);
    if (st != PERCAP_OK)
        return st;
    size_t xcol = (size_t)find_covariate(areas, x_col), p = m->nterms;
    percap_formula_frame *fr = NULL, *g = NULL;
    percap_areas *grid = NULL;
    percap_chart_fit *fit = fit_alloc(npoints);
    double *coef = malloc(p * sizeof *coef), *v = malloc(p * p * sizeof *v);
    double lo, hi;
    if (!fit || !coef || !v)
        st = nomem(err);
    for (size_t j = 0; st == PERCAP_OK && j < p; j++)
        coef[j] = m->terms[j].estimate;
    if (st == PERCAP_OK)
        st = fit_frame(areas, f, o, &fr, err);
    if (st == PERCAP_OK)
        st = covariance(fr, m, coef, v, err);
    if (st == PERCAP_OK)
        st = x_range(areas, fr, m, xcol, &lo, &hi, err);
    if (st == PERCAP_OK)
        st = grid_table(areas, fr, m, xcol, lo, hi, npoints, &grid, err);
    if (st == PERCAP_OK) {
        percap_formula_eval_options eo = {true, NULL};
        st = percap_formula_evaluate(f, grid, &eo, &g, NULL, err);
        if (st == PERCAP_EDATA)
            st = percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                  "the formula cannot be computed anywhere along '%s'", x_col);
    }
    if (st == PERCAP_OK && g->n < 2)
        st = percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                              "the formula can be computed at too few points along '%s'", x_col);
    if (st == PERCAP_OK)
        st = check_design(f, g, x_col, fit, err);
    if (st == PERCAP_OK) {
        predict(g, grid, xcol, m, coef, v, per, o->level, fit);
        snprintf(fit->label, sizeof fit->label, "%s: %s", family_label(m->family),
                 percap_formula_text(f));
        *out = fit;
        fit = NULL;
    }
    percap_formula_frame_free(fr);
    percap_formula_frame_free(g);
    percap_areas_free(grid);
    percap_chart_fit_free(fit);
    free(coef);
    free(v);
    return st;
}
