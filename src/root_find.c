/* Internal: the Brent iteration and the geometric bracketing walk that
 * the quantile and limit solvers share (see root_find.h). Kept in one
 * place so that a fix to either reaches every caller. */
#include "root_find.h"

#include <errno.h>
#include <float.h>
#include <math.h>

#include <gsl/gsl_errno.h>

/* Bisection alone halves a bracket of relative width ~1 down to
 * DBL_EPSILON in ~60 steps; Brent is never slower than that by much. */
#define ROOT_BRENT_MAX_ITER 200

/* Each widening step doubles the step factor, so this reaches from a
 * poor guess to anywhere in the range of a double. */
#define ROOT_BRACKET_MAX_STEPS 2200

double root_brent(gsl_root_fsolver *s, gsl_function *f, double lo, double hi,
                  double abs_tol, double rel_tol)
{
    if (gsl_root_fsolver_set(s, f, lo, hi) != GSL_SUCCESS)
        return NAN;
    for (int i = 0; i < ROOT_BRENT_MAX_ITER; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            return NAN;
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                   gsl_root_fsolver_x_upper(s), abs_tol,
                                   rel_tol) == GSL_SUCCESS)
            return gsl_root_fsolver_root(s);
    }
    return NAN;
}

double root_brent_once(gsl_function *f, double lo, double hi, double abs_tol,
                       double rel_tol)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double root;

    if (s == NULL) {
        errno = ENOMEM;
        return NAN;
    }
    root = root_brent(s, f, lo, hi, abs_tol, rel_tol);
    gsl_root_fsolver_free(s);
    return root;
}

int root_bracket_geometric(gsl_function *f, double guess, double first_step,
                           double lowest, double *lo, double *hi)
{
    double w = first_step;
    double l = fmax(guess / (1.0 + w), lowest), h = guess * (1.0 + w);

    for (int i = 0; i < ROOT_BRACKET_MAX_STEPS; i++) {
        double fl = GSL_FN_EVAL(f, l), fh = GSL_FN_EVAL(f, h);

        if (isnan(fl) || isnan(fh))
            return -1;
        if (fl <= 0.0 && fh >= 0.0) {
            *lo = l;
            *hi = h;
            return 0;
        }
        w *= 2.0;
        if (fh < 0.0) {
            /* Capped, not overflowed: Brent needs finite ends. */
            l = h;
            h = h < DBL_MAX / (1.0 + w) ? h * (1.0 + w) : DBL_MAX;
        } else {
            h = l;
            l = fmax(l / (1.0 + w), lowest);
        }
    }
    return -1;
}
