/* Tests for the count models (src/model_count.c): Poisson and negative
 * binomial regression of deaths with offset log(population), against
 * R's glm(family = poisson) and MASS::glm.nb().
 *
 * Where the numbers come from: tests/data/model_count_expected.csv was
 * printed by tests/data/model_count_expected.R (R 4.2.2, MASS 7.3-58.2) for
 * the poisson and negbin cases of tests/data/model_cases.csv, every value
 * via sprintf("%.17g"). R's model is deaths ~ <the case's right side> +
 * offset(log(population)), whatever the case's left side (rate or deaths):
 * summary() coefficients (estimate, std. error, z, p), confint.default() at
 * the case's level (Wald), exp() of those as rate ratios, nobs(),
 * df.residual, deviance, null.deviance, logLik(), AIC() (for glm.nb the
 * same as fit$aic: theta counts as a parameter), fit$iter, and for glm.nb
 * fit$theta and fit$SE.theta; plus the codes of the rows left out. The
 * data: the synthetic tables of tests/data/model_synthetic.csv (0 deaths,
 * ~1e7 deaths, missing covariates) and the shipped data, built here through
 * the library's joins as `percap rates` does and in R with merge() -- the
 * Poisson and negative-binomial versions of Bessudnov's (2023) model.
 *
 * Iterative fits are compared at 1e-6 relative tolerance (the fitting
 * iterations exactly: the algorithm replays R's). One case, nb_zeros,
 * is nearly Poisson: theta.ml stops at its iteration limit with theta ~
 * 6000 (R warns "iteration limit reached"); reproducing it checks that
 * the Newton path is MASS's own. We flag that fit as not converged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/model.h"

#include "test_util.h"

#define RTOL 1e-6
#define MAX_ROWS 1024
#define MAX_CASES 64
#define EXPECTED_CSV PERCAP_TEST_DATA "/model_count_expected.csv"

/* ---- data ----------------------------------------------------------------- */

static test_model_row rows[MAX_ROWS];
static size_t n_rows;
static test_model_case cases[MAX_CASES];
static size_t n_cases;

static int setup(void **state)
{
    (void)state;
    n_rows = test_load_model_rows(EXPECTED_CSV, rows, MAX_ROWS);
    n_cases = test_load_model_cases(cases, MAX_CASES);
    return 0;
}

/* ---- comparing with R ------------------------------------------------------ */

static const char *const quantities[] = {
    "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high",
    "ratio", "ratio_low", "ratio_high",
    "n", "df_residual", "deviance", "null_deviance", "log_likelihood", "aic",
    "iterations", "theta", "theta_se"};
#define NQ (sizeof quantities / sizeof quantities[0])
#define NTERMQ 9
static double max_rel[NQ];

static long quantity_index(const char *q)
{
    for (size_t k = 0; k < NQ; k++)
        if (strcmp(quantities[k], q) == 0)
            return (long)k;
    return -1;
}

static double term_value(const percap_model_term *t, const char *q)
{
    const double v[] = {t->estimate, t->std_error, t->statistic, t->p_value, t->ci_low,
                        t->ci_high, t->ratio, t->ratio_low, t->ratio_high};
    long k = quantity_index(q);
    assert_true(k >= 0 && k < NTERMQ);
    return v[k];
}

static double model_value(const percap_model *m, const char *q)
{
    const double v[] = {(double)m->n, (double)m->df_residual, m->deviance,
                        m->null_deviance, m->log_likelihood, m->aic,
                        (double)m->iterations, m->theta, m->theta_se};
    long k = quantity_index(q);
    assert_true(k >= NTERMQ);
    return v[k - NTERMQ];
}

/* Counts (n, df, iterations) exactly; an expected 0 (a deviance of an
 * exact fit, a p-value below the smallest double) within RTOL of 0. */
static void check(const test_model_row *r, double got)
{
    double want = test_number(r->value);
    long k = quantity_index(r->quantity);
    bool exact = !strcmp(r->quantity, "n") || !strcmp(r->quantity, "df_residual") ||
                 !strcmp(r->quantity, "iterations");
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (exact ? got != want : !(rel <= RTOL))
        fail_msg("%s %s %s = %.17g, expected %.17g (rel. error %.3g)", r->cas, r->term,
                 r->quantity, got, want, rel);
    if (rel > max_rel[k])
        max_rel[k] = rel;
    if (getenv("PERCAP_TEST_VERBOSE") && rel > 1e-10)
        print_message("%s %s %s rel %.3g\n", r->cas, r->term, r->quantity, rel);
}

static bool noted(const percap_notes *notes, const char *what)
{
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        if (strstr(percap_notes_get(notes, i), what))
            return true;
    return false;
}

static bool noted_drop(const percap_notes *notes, const char *code)
{
    char want[64];
    snprintf(want, sizeof want, "dropped %s (", code);
    return noted(notes, want);
}

static long find_term(const percap_model *m, const char *name)
{
    for (size_t j = 0; j < m->nterms; j++)
        if (strcmp(m->terms[j].name, name) == 0)
            return (long)j;
    return -1;
}

static void check_rows(const test_model_case *c, const percap_model *m, const percap_notes *notes)
{
    size_t terms_seen = 0, checked = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const test_model_row *r = &rows[i];
        if (strcmp(r->cas, c->name) != 0)
            continue;
        checked++;
        if (strcmp(r->quantity, "dropped") == 0) {
            if (!noted_drop(notes, r->value))
                fail_msg("%s: no note for the dropped row %s", c->name, r->value);
        } else if (r->term[0]) {
            long j = find_term(m, r->term);
            if (j < 0)
                fail_msg("%s: no term '%s'", c->name, r->term);
            if (strcmp(r->quantity, "estimate") == 0)
                assert_int_equal(j, terms_seen++);
            check(r, term_value(&m->terms[j], r->quantity));
        } else {
            check(r, model_value(m, r->quantity));
        }
    }
    assert_true(checked > 10);
    assert_int_equal(terms_seen, m->nterms);
}

static void check_case(const test_model_case *c)
{
    percap_error err;
    percap_model_options o;
    percap_model *m = NULL;
    percap_notes *notes = percap_notes_alloc();
    test_areas t = test_areas_dataset(c->dataset);
    percap_error_clear(&err);
    percap_model_options_default(&o);
    assert_int_equal(percap_model_family_parse(c->family, &o.family), 0);
    o.level = c->level;
    percap_formula *f = percap_formula_parse(c->formula, &err);
    if (!f)
        fail_msg("%s: %s", c->name, err.message);
    assert_status(percap_model_fit(f, t.areas, &o, &m, notes, &err), PERCAP_OK, err);
    check_rows(c, m, notes);
    /* what does not apply to count models */
    assert_true(isnan(m->r_squared) && isnan(m->adj_r_squared) && isnan(m->sigma));
    if (o.family == PERCAP_MODEL_POISSON)
        assert_true(isnan(m->theta) && isnan(m->theta_se));
    /* rate ratios are exp() of the estimates */
    for (size_t j = 0; j < m->nterms; j++)
        assert_true(m->terms[j].ratio == exp(m->terms[j].estimate));
    bool theta_limit = strcmp(c->name, "nb_zeros") == 0;
    if (m->converged == theta_limit)
        fail_msg("%s: converged = %d", c->name, m->converged);
    if (theta_limit && !noted(notes, "theta reached its iteration limit"))
        fail_msg("%s: no note about theta's iteration limit", c->name);
    percap_model_free(m);
    percap_formula_free(f);
    percap_notes_free(notes);
    test_areas_free(&t);
}

static void matches_r(void **state)
{
    (void)state;
    size_t done = 0;
    for (size_t i = 0; i < n_cases; i++) {
        if (strcmp(cases[i].family, "poisson") && strcmp(cases[i].family, "negbin"))
            continue;
        check_case(&cases[i]);
        done++;
    }
    assert_true(done >= 12);
    print_message("model_count: %zu cases; max rel. error:\n", done);
    for (size_t k = 0; k < NQ; k++)
        print_message("  %-15s %.2g\n", quantities[k], max_rel[k]);
}

/* ---- edge cases -------------------------------------------------------------- */

static percap_status fit(const test_areas *t, const char *formula, percap_model_family family,
                         percap_model **m, percap_notes *notes, percap_error *err)
{
    percap_model_options o = {family, 0.95, NULL};
    percap_formula *f = percap_formula_parse(formula, err);
    assert_non_null(f);
    percap_status st = percap_model_fit(f, t->areas, &o, m, notes, err);
    percap_formula_free(f);
    return st;
}

/* The count families model deaths: other left sides are refused. */
static void response_must_be_rate_or_deaths(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("synth");
    percap_error_clear(&err);
    assert_int_equal(fit(&t, "log(rate) ~ x1", PERCAP_MODEL_POISSON, &m, NULL, &err),
                     PERCAP_EUSAGE);
    assert_non_null(strstr(err.message, "must be 'rate' or 'deaths', not 'log(rate)'"));
    assert_int_equal(fit(&t, "population ~ x1", PERCAP_MODEL_NEGBIN, &m, NULL, &err),
                     PERCAP_EUSAGE);
    /* weights belong to wls */
    percap_model_options o = {PERCAP_MODEL_POISSON, 0.95, "wt"};
    percap_formula *f = percap_formula_parse("rate ~ x1", NULL);
    assert_int_equal(percap_model_fit(f, t.areas, &o, &m, NULL, &err), PERCAP_EUSAGE);
    assert_null(m);
    percap_formula_free(f);
    test_areas_free(&t);
}

static void counts_must_be_whole_and_not_all_zero(void **state)
{
    (void)state;
    const char *codes[] = {"AA", "BB", "CC", "DD"};
    const double frac[][6] = {{1.5, 100, 1, 0, 0, 1}, {2, 100, 2, 0, 0, 1},
                              {3, 100, 3, 0, 0, 1}, {1, 100, 5, 0, 0, 1}};
    const double neg[][6] = {{-1, 100, 1, 0, 0, 1}, {2, 100, 2, 0, 0, 1},
                             {3, 100, 3, 0, 0, 1}, {1, 100, 5, 0, 0, 1}};
    const double zero[][6] = {{0, 100, 1, 0, 0, 1}, {0, 100, 2, 0, 0, 1},
                              {0, 100, 3, 0, 0, 1}, {0, 100, 5, 0, 0, 1}};
    percap_error err;
    percap_model *m = NULL;
    percap_error_clear(&err);
    test_areas t = test_areas_values(codes, frac, 4);
    assert_int_equal(fit(&t, "deaths ~ x1", PERCAP_MODEL_POISSON, &m, NULL, &err),
                     PERCAP_EDATA);
    assert_non_null(strstr(err.message, "AA: the count of deaths must be a whole number"));
    test_areas_free(&t);
    t = test_areas_values(codes, neg, 4);
    assert_int_equal(fit(&t, "deaths ~ x1", PERCAP_MODEL_NEGBIN, &m, NULL, &err),
                     PERCAP_EDATA);
    test_areas_free(&t);
    t = test_areas_values(codes, zero, 4);
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_POISSON, &m, NULL, &err),
                     PERCAP_EDATA);
    assert_non_null(strstr(err.message, "0 deaths"));
    assert_null(m);
    test_areas_free(&t);
}

/* A zero denominator has no log: the row goes, with a note. */
static void zero_population_is_dropped(void **state)
{
    (void)state;
    const char *codes[] = {"AA", "BB", "CC", "DD", "EE"};
    const double v[][6] = {{4, 100, 1, 0, 0, 1}, {2, 0, 2, 0, 0, 1}, {3, 100, 3, 0, 0, 1},
                           {1, 100, 5, 0, 0, 1}, {7, 300, 4, 0, 0, 1}};
    percap_error err;
    percap_model *m = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error_clear(&err);
    test_areas t = test_areas_values(codes, v, 5);
    assert_status(fit(&t, "deaths ~ x1", PERCAP_MODEL_POISSON, &m, notes, &err), PERCAP_OK,
                  err);
    assert_int_equal(m->n, 4);
    assert_true(noted(notes, "dropped BB (Area BB): log of 0 is undefined (in log(population))"));
    percap_model_free(m);
    percap_notes_free(notes);
    test_areas_free(&t);
}

/* One area: the Poisson intercept is log(deaths/population) with standard
 * error 1/sqrt(deaths) (also among the R cases); a negative binomial needs
 * more rows than coefficients to estimate theta. */
static void one_area(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("one");
    percap_error_clear(&err);
    assert_status(fit(&t, "rate ~ 1", PERCAP_MODEL_POISSON, &m, NULL, &err), PERCAP_OK, err);
    assert_true(fabs(m->terms[0].estimate - log(17.0 / 23456)) < 1e-9);
    assert_true(fabs(m->terms[0].std_error - 1 / sqrt(17.0)) < 1e-9);
    assert_int_equal(m->df_residual, 0);
    percap_model_free(m);
    m = NULL;
    assert_int_equal(fit(&t, "rate ~ 1", PERCAP_MODEL_NEGBIN, &m, NULL, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "too few for 1 coefficients and theta"));
    assert_null(m);
    test_areas_free(&t);
}

/* Every area with the same rate: Poisson fits it exactly (slope 0,
 * deviance 0); the negative binomial has no overdispersion to find and
 * says so rather than return a theta of 1e15. */
static void all_rates_equal(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("equal");
    percap_error_clear(&err);
    assert_status(fit(&t, "rate ~ x1", PERCAP_MODEL_POISSON, &m, NULL, &err), PERCAP_OK, err);
    assert_true(fabs(m->terms[0].estimate - log(0.005)) < 1e-9);
    assert_true(fabs(m->terms[1].estimate) < 1e-9);
    assert_true(m->deviance < 1e-9 && m->converged);
    percap_model_free(m);
    m = NULL;
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_NEGBIN, &m, NULL, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "theta"));
    assert_null(m);
    test_areas_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_r),
        cmocka_unit_test(response_must_be_rate_or_deaths),
        cmocka_unit_test(counts_must_be_whole_and_not_all_zero),
        cmocka_unit_test(zero_population_is_dropped),
        cmocka_unit_test(one_area),
        cmocka_unit_test(all_rates_equal),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
