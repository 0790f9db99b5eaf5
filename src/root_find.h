/* Internal: one-dimensional root finding shared by the modules that invert
 * a distribution function (intervals, funnel limits, rate ratios, rank
 * sets), so that they bracket and polish a root the same way. */
#ifndef PERCAP_ROOT_FIND_H
#define PERCAP_ROOT_FIND_H

#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>

/* Brent's method on f over [lo, hi] with solver s (any GSL bracketing
 * solver; a caller solving many problems keeps one), until the bracket
 * passes gsl_root_test_interval(abs_tol, rel_tol). NAN when [lo, hi]
 * does not bracket a root or the solver fails or does not converge. */
double root_brent(gsl_root_fsolver *s, gsl_function *f, double lo, double hi,
                  double abs_tol, double rel_tol);

/* root_brent with a Brent solver of its own. When that solver cannot be
 * allocated, the NAN comes with errno = ENOMEM: it is no numerical
 * failure, and the caller reports it as out of memory. */
double root_brent_once(gsl_function *f, double lo, double hi, double abs_tol,
                       double rel_tol);

/* For f increasing in a positive argument: walks out geometrically from
 * `guess`, the relative step starting at `first_step` and doubling each
 * time, until f changes sign, never going below `lowest` (0.0 for no
 * bound). Returns 0 with f(*lo) <= 0 <= f(*hi), -1 if f gives NaN or
 * no sign change is found. */
int root_bracket_geometric(gsl_function *f, double guess, double first_step,
                           double lowest, double *lo, double *hi);

#endif
