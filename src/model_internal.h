/* Shared by the linear (model_linear.c) and count (model_count.c)
 * models: least squares, the result object, the coefficient table. */
#ifndef PERCAP_MODEL_INTERNAL_H
#define PERCAP_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "percap/model.h"

/* R's tolerances for declaring a column collinear with those before it
 * (the pivoting tolerance of its QR): lm uses 1e-7, glm.fit
 * min(1e-7, epsilon / 1000) = 1e-11. */
#define MODEL_LM_TOL 1e-7
#define MODEL_GLM_TOL 1e-11

/* Least squares of rw*z on rw*x (x n x p row-major; rw NULL for no
 * weighting), by Householder QR as R does. Writes the coefficients (p)
 * and, if cov is not NULL, the unscaled covariance (R'R)^-1 (p x p). A
 * column that is (numerically) a combination of those before it is an
 * error naming it, where R would report an NA coefficient. Needs n >= p. */
percap_status model_least_squares(const double *x, const double *z, const double *rw,
                                  size_t n, size_t p, double tol, const percap_formula *f,
                                  double *coef, double *cov, percap_error *err);

/* A model of `family` with the formula's columns as terms, every
 * statistic NAN, converged true. */
percap_model *model_alloc(percap_model_family family, const percap_formula *f);

/* Fills the coefficient table from estimates and their covariance:
 * statistic, p-value and interval from t with `df` degrees of freedom, or
 * from the normal when df is 0; rate ratios when `ratios`. */
void model_fill_terms(percap_model *m, const double *coef, const double *cov, double scale,
                      double level, double df, bool ratios);

/* x * coef for every row: the linear predictor. */
void model_predict(const double *x, const double *coef, size_t n, size_t p, double *out);

/* The count families (model_count.c). */
percap_status model_count_fit(const percap_formula *f, const percap_areas *areas,
                              const percap_model_options *o, percap_model **out,
                              percap_notes *notes, percap_error *err);

#endif
