/* Tests for the linear models (src/model_linear.c): OLS and WLS against
 * R's lm(), and the checks every model shares (options, family names,
 * collinearity, too few rows).
 *
 * Where the numbers come from: tests/data/model_linear_expected.csv was
 * printed by tests/data/model_linear_expected.R (R 4.2.2, base stats) for
 * the ols and wls cases of tests/data/model_cases.csv, every value via
 * sprintf("%.17g"): summary.lm() coefficients (estimate, std. error, t, p),
 * confint() at the case's level, nobs(), df.residual, r.squared,
 * adj.r.squared, sigma, deviance(), the null deviance of the same model as
 * glm(family = gaussian), logLik() and AIC(), and the codes of the rows
 * left out. The data: the synthetic tables of tests/data/model_synthetic.csv
 * (made by tests/data/model_synthetic.R) and the shipped data -- deaths to
 * 12 April 2023 over men aged 16-61.5 (2021 census) with region_stats.csv
 * as covariates -- which this test builds through the library's joins as
 * `percap rates` does, and R with merge(). Among them the replication of
 * Bessudnov (2023): rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010),
 * n = 83. All compared at 1e-9 relative tolerance; counts exactly.
 *
 * replicates_bessudnov checks the same model against the author's own
 * output, to the digits it prints: summary(lm(mortalityRate ~
 * percBelowSubsistence + percentNonRus)) in replicationAnalysis.md of
 * github.com/abessudnov/ruCasualtiesPublic (commit 29aa86c8d838), the
 * replication repository of A. Bessudnov, "Ethnic and regional
 * inequalities in Russian military fatalities in Ukraine", Demographic
 * Research 48(31), 2023. */
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

#define RTOL 1e-9
#define MAX_ROWS 1024
#define MAX_CASES 64
#define EXPECTED_CSV PERCAP_TEST_DATA "/model_linear_expected.csv"

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
    "n", "df_residual", "r_squared", "adj_r_squared", "sigma", "deviance",
    "null_deviance", "log_likelihood", "aic"};
#define NQ (sizeof quantities / sizeof quantities[0])
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
    const double v[] = {t->estimate, t->std_error, t->statistic,
                        t->p_value, t->ci_low, t->ci_high};
    long k = quantity_index(q);
    assert_true(k >= 0 && k < 6);
    return v[k];
}

static double model_value(const percap_model *m, const char *q)
{
    const double v[] = {(double)m->n, (double)m->df_residual, m->r_squared,
                        m->adj_r_squared, m->sigma, m->deviance,
                        m->null_deviance, m->log_likelihood, m->aic};
    long k = quantity_index(q);
    assert_true(k >= 6);
    return v[k - 6];
}

static void check(const test_model_row *r, double got)
{
    double want = test_number(r->value);
    long k = quantity_index(r->quantity);
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(rel <= RTOL))
        fail_msg("%s %s %s = %.17g, expected %.17g (rel. error %.3g)", r->cas, r->term,
                 r->quantity, got, want, rel);
    if (rel > max_rel[k])
        max_rel[k] = rel;
}

static bool noted(const percap_notes *notes, const char *what, const char *code)
{
    char want[64];
    snprintf(want, sizeof want, "%s %s (", what, code);
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        if (strstr(percap_notes_get(notes, i), want))
            return true;
    return false;
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
            if (!noted(notes, "dropped", r->value))
                fail_msg("%s: no note for the dropped row %s", c->name, r->value);
        } else if (r->term[0]) {
            long j = find_term(m, r->term);
            if (j < 0)
                fail_msg("%s: no term '%s'", c->name, r->term);
            /* R lists terms in the model's order: so must we */
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
    o.weights = c->weights[0] ? c->weights : NULL;
    percap_formula *f = percap_formula_parse(c->formula, &err);
    if (!f)
        fail_msg("%s: %s", c->name, err.message);
    assert_status(percap_model_fit(f, t.areas, &o, &m, notes, &err), PERCAP_OK, err);
    check_rows(c, m, notes);
    /* what does not apply to linear models */
    assert_int_equal(m->family, o.family);
    assert_true(isnan(m->theta) && isnan(m->theta_se) && isnan(m->terms[0].ratio));
    assert_true(m->converged && m->iterations == 0);
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
        if (strcmp(cases[i].family, "ols") && strcmp(cases[i].family, "wls"))
            continue;
        check_case(&cases[i]);
        done++;
    }
    assert_true(done >= 12);
    print_message("model_linear: %zu cases; max rel. error:\n", done);
    for (size_t k = 0; k < NQ; k++)
        print_message("  %-15s %.2g\n", quantities[k], max_rel[k]);
}

/* ---- edge cases -------------------------------------------------------------- */

static percap_status fit(const test_areas *t, const char *formula, percap_model_family family,
                         const char *weights, double level, percap_model **m,
                         percap_notes *notes, percap_error *err)
{
    percap_model_options o = {family, level, weights};
    percap_formula *f = percap_formula_parse(formula, err);
    assert_non_null(f);
    percap_status st = percap_model_fit(f, t->areas, &o, m, notes, err);
    percap_formula_free(f);
    return st;
}

/* One area, or as many areas as coefficients: no residual df. */
static void too_few_rows(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("one");
    percap_error_clear(&err);
    assert_int_equal(fit(&t, "rate ~ 1", PERCAP_MODEL_OLS, NULL, 0.95, &m, NULL, &err),
                     PERCAP_EDATA);
    assert_null(m);
    assert_non_null(strstr(err.message, "no residual degrees of freedom"));
    test_areas_free(&t);
    const char *codes[] = {"AA", "BB"};
    const double v[][6] = {{1, 100, 1, 0, 0, 1}, {2, 100, 2, 0, 0, 1}};
    t = test_areas_values(codes, v, 2);
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_WLS, NULL, 0.95, &m, NULL, &err),
                     PERCAP_EDATA);
    test_areas_free(&t);
}

/* All rates equal: the fit is exact, the slope 0 and sigma 0. */
static void all_rates_equal(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("equal");
    percap_error_clear(&err);
    assert_status(fit(&t, "rate ~ x1", PERCAP_MODEL_OLS, NULL, 0.95, &m, NULL, &err),
                  PERCAP_OK, err);
    assert_true(fabs(m->terms[0].estimate - 500) < 1e-9);
    assert_true(fabs(m->terms[1].estimate) < 1e-10);
    assert_true(m->sigma < 1e-10);
    percap_model_free(m);
    test_areas_free(&t);
}

/* Where R would report an NA coefficient we refuse, naming the column. */
static void collinear_columns(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    test_areas t = test_areas_synthetic("synth");
    percap_error_clear(&err);
    assert_int_equal(fit(&t, "rate ~ x1 + I(2 * x1)", PERCAP_MODEL_OLS, NULL, 0.95, &m, NULL,
                         &err),
                     PERCAP_EDATA);
    assert_non_null(strstr(err.message, "'I(2 * x1)' is a linear combination"));
    assert_int_equal(fit(&t, "rate ~ x1 + I(0 * x2)", PERCAP_MODEL_WLS, NULL, 0.95, &m, NULL,
                         &err),
                     PERCAP_EDATA);
    assert_non_null(strstr(err.message, "'I(0 * x2)'"));
    assert_int_equal(fit(&t, "rate ~ x1 + I(x1 + 3) ", PERCAP_MODEL_OLS, NULL, 0.95, &m, NULL,
                         &err),
                     PERCAP_EDATA);
    assert_null(m);
    test_areas_free(&t);
}

static void weights(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL, *m2 = NULL;
    percap_notes *notes = percap_notes_alloc();
    test_areas t = test_areas_synthetic("synth");
    percap_error_clear(&err);
    /* x3 is negative in some areas */
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_WLS, "x3", 0.95, &m, NULL, &err),
                     PERCAP_EDATA);
    assert_non_null(strstr(err.message, "negative"));
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_WLS, "wgt", 0.95, &m, NULL, &err),
                     PERCAP_EUSAGE);
    assert_non_null(strstr(err.message, "unknown variable 'wgt'"));
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_OLS, "wt", 0.95, &m, NULL, &err),
                     PERCAP_EUSAGE);
    /* the weight-0 row is dropped with a note; weights may be terms */
    assert_status(fit(&t, "rate ~ x1", PERCAP_MODEL_WLS, "wt", 0.95, &m, notes, &err),
                  PERCAP_OK, err);
    assert_true(noted(notes, "dropped", "S11"));
    assert_int_equal(m->n, 39);
    assert_status(fit(&t, "rate ~ x1", PERCAP_MODEL_WLS, "I(2 * wt)", 0.95, &m2, NULL, &err),
                  PERCAP_OK, err);
    assert_true(fabs(m2->terms[1].estimate - m->terms[1].estimate) <
                1e-12 * fabs(m->terms[1].estimate));
    percap_model_free(m);
    percap_model_free(m2);
    percap_notes_free(notes);
    test_areas_free(&t);
}

static void bad_options(void **state)
{
    (void)state;
    percap_error err;
    percap_model *m = NULL;
    percap_model_options o;
    test_areas t = test_areas_synthetic("synth");
    percap_formula *f = percap_formula_parse("rate ~ x1", NULL);
    percap_error_clear(&err);
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_OLS, NULL, 1.0, &m, NULL, &err),
                     PERCAP_EUSAGE);
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_OLS, NULL, 0.0, &m, NULL, &err),
                     PERCAP_EUSAGE);
    assert_int_equal(fit(&t, "rate ~ x1", PERCAP_MODEL_OLS, NULL, NAN, &m, NULL, &err),
                     PERCAP_EUSAGE);
    assert_int_equal(fit(&t, "rate ~ x1", (percap_model_family)7, NULL, 0.95, &m, NULL, &err),
                     PERCAP_EUSAGE);
    percap_model_options_default(&o);
    assert_int_equal(percap_model_fit(NULL, t.areas, &o, &m, NULL, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_model_fit(f, NULL, &o, &m, NULL, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_model_fit(f, t.areas, &o, NULL, NULL, &err), PERCAP_EUSAGE);
    /* no options: the defaults */
    assert_int_equal(percap_model_fit(f, t.areas, NULL, &m, NULL, &err), PERCAP_OK);
    assert_int_equal(m->family, PERCAP_MODEL_OLS);
    percap_model_free(m);
    percap_model_free(NULL);
    percap_formula_free(f);
    test_areas_free(&t);
}

/* The author's printed numbers (see the top of this file), each to half a
 * unit of its last printed digit. */
static void replicates_bessudnov(void **state)
{
    (void)state;
    static const double printed[3][4] = {{28.36623, 13.85164, 2.048, 0.0439},
                                         {2.60051, 1.06703, 2.437, 0.0170},
                                         {-0.01555, 0.20937, -0.074, 0.9410}};
    static const double half_unit[4] = {0.5e-5, 0.5e-5, 0.5e-3, 0.5e-4};
    percap_error err;
    percap_model *m = NULL;
    percap_notes *notes = percap_notes_alloc();
    test_areas t = test_areas_shipped(true);
    percap_error_clear(&err);
    assert_status(fit(&t, "rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)",
                      PERCAP_MODEL_OLS, NULL, 0.95, &m, notes, &err),
                  PERCAP_OK, err);
    for (size_t j = 0; j < 3; j++) {
        const percap_model_term *tm = &m->terms[j];
        const double got[4] = {tm->estimate, tm->std_error, tm->statistic, tm->p_value};
        for (size_t k = 0; k < 4; k++)
            if (!(fabs(got[k] - printed[j][k]) <= half_unit[k]))
                fail_msg("%s: %.10g, printed %g", tm->name, got[k], printed[j][k]);
    }
    assert_string_equal(m->terms[2].name, "I(100 - russian_pct_men_2010)");
    assert_true(fabs(m->sigma - 42.42) <= 0.005);
    assert_true(fabs(m->r_squared - 0.08803) <= 0.5e-5);
    assert_true(fabs(m->adj_r_squared - 0.06523) <= 0.5e-5);
    assert_int_equal(m->n, 83);
    assert_int_equal(m->df_residual, 80);
    /* "(2 observations deleted due to missingness)": Crimea and Sevastopol */
    assert_true(noted(notes, "dropped", "UA-43") && noted(notes, "dropped", "UA-40"));
    percap_model_free(m);
    percap_notes_free(notes);
    test_areas_free(&t);
}

static void family_names(void **state)
{
    (void)state;
    percap_model_family fam;
    percap_model_options o;
    static const char *const names[] = {"ols", "wls", "poisson", "negbin"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(percap_model_family_parse(names[i], &fam), 0);
        assert_int_equal(fam, i);
        assert_string_equal(percap_model_family_name(fam), names[i]);
    }
    assert_int_equal(percap_model_family_parse("OLS", &fam), -1);
    assert_int_equal(percap_model_family_parse("nb", &fam), -1);
    assert_int_equal(percap_model_family_parse(NULL, &fam), -1);
    assert_int_equal(percap_model_family_parse("wls", NULL), 0);
    assert_string_equal(percap_model_family_name((percap_model_family)9), "unknown");
    percap_model_options_default(&o);
    assert_true(o.family == PERCAP_MODEL_OLS && o.level == 0.95 && o.weights == NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_r),
        cmocka_unit_test(too_few_rows),
        cmocka_unit_test(all_rates_equal),
        cmocka_unit_test(collinear_columns),
        cmocka_unit_test(weights),
        cmocka_unit_test(bad_options),
        cmocka_unit_test(replicates_bessudnov),
        cmocka_unit_test(family_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
