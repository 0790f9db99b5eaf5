/* percap: regression models of areas' rates or counts on covariates,
 * fitted to the rows a formula selects (see formula.h), with the numbers
 * R prints for the same model.
 *
 *   ols      lm(formula)                        least squares
 *   wls      lm(formula, weights = population)  weights default to the
 *            denominator; any column (or term) may be named instead
 *   poisson  glm(deaths ~ terms + offset(log(population)), family = poisson)
 *   negbin   MASS::glm.nb(deaths ~ terms + offset(log(population)))
 *
 * The count families model the number of deaths with the log of the
 * denominator as offset, so their coefficients act on the log rate and
 * exp(b) is a rate ratio. Their formula's left side must be `rate` or
 * `deaths`; either means this same model. */
#ifndef PERCAP_MODEL_H
#define PERCAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "percap/areas.h"
#include "percap/error.h"
#include "percap/formula.h"
#include "percap/notes.h"

typedef enum percap_model_family {
    PERCAP_MODEL_OLS,
    PERCAP_MODEL_WLS,
    PERCAP_MODEL_POISSON,
    PERCAP_MODEL_NEGBIN
} percap_model_family;

/* "ols", "wls", "poisson" or "negbin"; returns -1 if unknown. */
int percap_model_family_parse(const char *name, percap_model_family *out);
const char *percap_model_family_name(percap_model_family family);

typedef struct percap_model_term {
    char name[256];       /* as R names the coefficient */
    double estimate, std_error;
    double statistic;     /* t (linear) or Wald z (count) */
    double p_value;       /* two-sided, from t with df_residual, or normal */
    double ci_low, ci_high;   /* t-based (confint.lm) or Wald (confint.default) */
    double ratio, ratio_low, ratio_high;  /* exp() of the three above for count
                                             models (rate ratios), NAN for linear */
} percap_model_term;

/* NAN where a quantity does not apply to the family. */
typedef struct percap_model {
    percap_model_family family;
    size_t n, nterms, df_residual;
    percap_model_term *terms;
    double r_squared, adj_r_squared, sigma;   /* linear only, as summary.lm */
    /* Linear: deviance = (weighted) residual sum of squares and null
     * deviance = the same about the (weighted) mean, or about 0 without
     * an intercept, as glm(family = gaussian) reports them; log_likelihood
     * and aic as logLik() and AIC() of the lm (the variance counts as a
     * parameter). Poisson: AIC = -2 loglik + 2p. Negative binomial: as
     * MASS, -2 loglik + 2(p + 1). */
    double deviance, null_deviance, aic, log_likelihood;
    double theta, theta_se;   /* negative binomial only, as MASS::glm.nb */
    int iterations;           /* Fisher scoring iterations of the (last) fit,
                                 as summary.glm prints them; 0 for linear */
    bool converged;
} percap_model;

typedef struct percap_model_options {
    percap_model_family family;
    double level;          /* of the confidence intervals, in (0, 1) */
    const char *weights;   /* wls: the weights column (or term); NULL = population */
} percap_model_options;

/* ols, level 0.95, no weights column. */
void percap_model_options_default(percap_model_options *o);

/* Fits the model. Rows are selected as percap_formula_evaluate does, each
 * dropped one noted; wls also drops rows of weight 0 (with a note, as R
 * leaves them out of every statistic) and refuses negative weights.
 * Errors: PERCAP_EUSAGE for an impossible request (level outside (0,1),
 * weights for a family other than wls, a count model whose left side is
 * not rate or deaths, unknown variables); PERCAP_EDATA when the data
 * cannot give the model (no more rows than coefficients for linear
 * models, collinear columns, counts that are negative or not whole, all
 * counts 0, a fit that breaks down). A fit that stops without converging
 * is returned with converged = false and a note. */
percap_status percap_model_fit(const percap_formula *f, const percap_areas *areas,
                               const percap_model_options *o, percap_model **out,
                               percap_notes *notes, percap_error *err);
void percap_model_free(percap_model *m);

#endif
