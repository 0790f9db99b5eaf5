/* Tests for src/correlation.c.
 *
 * Where the numbers come from: tests/data/correlation_expected.csv was
 * printed by tests/data/correlation_expected.R (R 4.2.2, base stats), every
 * value via sprintf("%.17g"):
 *   pearson   r, conf.int, p.value of cor.test(x, y, conf.level = level);
 *             the interval is NA for n <= 3, where cor.test gives none;
 *   spearman  rho and p.value of cor.test(method = "spearman",
 *             exact = FALSE); the interval is not R's (it has none) but the
 *             Bonett-Wright formula tanh(atanh(rho) -+ qnorm((1+level)/2) *
 *             sqrt((1 + rho^2/2)/(n - 3))) evaluated in R.
 * The pairs: the small sets of tests/data/correlation_data.csv (ties, a
 * perfect line, n = 3 and 4, missing values, rho = 0), columns of the
 * "synth" table of tests/data/model_synthetic.csv, and the shipped data
 * (deaths_2023-04-12.csv over men_16_61_2021 of region_stats.csv), which
 * the test builds through the library's joins as the CLI does and R builds
 * with merge(). Everything is compared at 1e-9 relative tolerance; n
 * exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/correlation.h"

#include "test_util.h"

#define RTOL 1e-9
#define MAX_ROWS 1024
#define MAX_SETS 32
#define MAX_PAIRS 128
#define EXPECTED_CSV PERCAP_TEST_DATA "/correlation_expected.csv"
#define SMALL_CSV PERCAP_TEST_DATA "/correlation_data.csv"

typedef struct expected_row {
    char set[64], method[16], quantity[16];
    double level, value;
} expected_row;

typedef struct pair_set {
    char name[64];
    size_t n;
    double x[MAX_PAIRS], y[MAX_PAIRS];
} pair_set;

static expected_row rows[MAX_ROWS];
static size_t n_rows;
static pair_set sets[MAX_SETS];
static size_t n_sets;
static double max_rel[4];   /* r, low, high, p_value */

static pair_set *set_named(const char *name)
{
    for (size_t i = 0; i < n_sets; i++)
        if (strcmp(sets[i].name, name) == 0)
            return &sets[i];
    if (n_sets == MAX_SETS)
        return NULL;
    pair_set *s = &sets[n_sets++];
    if (snprintf(s->name, sizeof s->name, "%s", name) >= (int)sizeof s->name)
        return NULL;
    return s;
}

static void add_pair(const char *name, double x, double y)
{
    pair_set *s = set_named(name);
    assert_non_null(s);
    assert_true(s->n < MAX_PAIRS);
    s->x[s->n] = x;
    s->y[s->n] = y;
    s->n++;
}

static void load_expected(void)
{
    char line[512], *f[8] = {0};
    FILE *fp = test_open_csv(EXPECTED_CSV, line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        assert_int_equal(test_split(line, f, 8), 5);
        assert_true(n_rows < MAX_ROWS);
        expected_row *r = &rows[n_rows++];
        assert_true(snprintf(r->set, sizeof r->set, "%s", f[0]) < (int)sizeof r->set);
        assert_true(snprintf(r->method, sizeof r->method, "%s", f[1]) < (int)sizeof r->method);
        r->level = test_number(f[2]);
        snprintf(r->quantity, sizeof r->quantity, "%s", f[3]);
        r->value = test_number(f[4]);
    }
    fclose(fp);
}

static void load_small(void)
{
    char line[256], *f[4] = {0};
    FILE *fp = test_open_csv(SMALL_CSV, line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        assert_int_equal(test_split(line, f, 4), 3);
        add_pair(f[0], test_number(f[1]), test_number(f[2]));
    }
    fclose(fp);
}

/* The pairs of the "synth" table. */
static void load_synth(void)
{
    size_t n;
    const test_synth_row *synth = test_synth_rows(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(synth[i].dataset, "synth") != 0)
            continue;
        const double *v = synth[i].v; /* deaths, population, x1, x2, x3, wt */
        double rate = v[0] * 1e5 / v[1];
        add_pair("synth_rate_x1", rate, v[2]);
        add_pair("synth_rate_x2", rate, v[3]);
        add_pair("synth_rate_x3", rate, v[4]);
        add_pair("synth_x1_x3", v[2], v[4]);
    }
}

static long covariate(const percap_areas *a, const char *name)
{
    for (size_t i = 0; i < a->ncov; i++)
        if (strcmp(a->cov_names[i], name) == 0)
            return (long)i;
    return -1;
}

/* The shipped data through the library, as `percap rates` reads it. */
static void load_real(void)
{
    test_areas t = test_areas_shipped(true);
    const percap_areas *a = t.areas;
    long pov = covariate(a, "poverty_pct_2020"), rus = covariate(a, "russian_pct_men_2010");
    long inc = covariate(a, "mean_income_2020");
    assert_true(pov >= 0 && rus >= 0 && inc >= 0);
    assert_int_equal(a->n, 85);
    for (size_t i = 0; i < a->n; i++) {
        double rate = a->rows[i].rate;
        add_pair("real_rate_poverty", rate, percap_areas_cov(a, i, (size_t)pov));
        add_pair("real_rate_nonrussian", rate, 100 - percap_areas_cov(a, i, (size_t)rus));
        add_pair("real_rate_income", rate, percap_areas_cov(a, i, (size_t)inc));
    }
    test_areas_free(&t);
}

static int setup(void **state)
{
    (void)state;
    load_expected();
    load_small();
    load_synth();
    load_real();
    return 0;
}

/* NAN matches NAN; 0 matches only 0; otherwise relative. */
static void check(const char *what, const char *set, double got, double want, size_t slot)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s %s = %.17g, expected NaN", set, what, got);
        return;
    }
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (want == 0 ? got != 0 : !(rel <= RTOL))
        fail_msg("%s %s = %.17g, expected %.17g (rel. error %.3g)", set, what, got, want,
                 rel);
    if (slot < 4 && rel > max_rel[slot])
        max_rel[slot] = rel;
}

static void compare(const expected_row *r, const percap_correlation *c)
{
    static const char *const names[] = {"r", "low", "high", "p_value"};
    const double got[] = {c->r, c->low, c->high, c->p_value};
    if (strcmp(r->quantity, "n") == 0) {
        if ((double)c->n != r->value)
            fail_msg("%s %s n = %zu, expected %g", r->set, r->method, c->n, r->value);
        return;
    }
    for (size_t k = 0; k < 4; k++)
        if (strcmp(r->quantity, names[k]) == 0)
            check(names[k], r->set, got[k], r->value, k);
}

/* Every expected row, recomputed. */
static void matches_r(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const expected_row *r = &rows[i];
        pair_set *s = set_named(r->set);
        percap_correlation c;
        percap_error err;
        percap_error_clear(&err);
        assert_non_null(s);
        assert_true(s->n > 0);
        percap_status st = strcmp(r->method, "pearson") == 0
                               ? percap_correlation_pearson(s->x, s->y, s->n, r->level, &c, &err)
                               : percap_correlation_spearman(s->x, s->y, s->n, r->level, &c,
                                                             &err);
        assert_status(st, PERCAP_OK, err);
        compare(r, &c);
        checked++;
    }
    assert_true(checked >= 280);
    print_message("correlation: %zu values; max rel. error r %.2g, low %.2g, high %.2g, "
                  "p %.2g\n",
                  checked, max_rel[0], max_rel[1], max_rel[2], max_rel[3]);
}

/* A perfect line: r exactly 1, p exactly 0, the interval [1, 1], as R. */
static void perfect_line_is_exact(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6}, y[] = {3, 5, 7, 9, 11, 13};
    percap_correlation c;
    assert_int_equal(percap_correlation_pearson(x, y, 6, 0.95, &c, NULL), PERCAP_OK);
    assert_true(c.r == 1 && c.p_value == 0 && c.low == 1 && c.high == 1);
    assert_int_equal(percap_correlation_spearman(x, y, 6, 0.95, &c, NULL), PERCAP_OK);
    assert_true(c.r == 1 && c.p_value == 0);
}

/* Ties take their average rank: rho of (1,1,2) against (1,2,3) is the
 * Pearson r of ranks (1.5,1.5,3) and (1,2,3) = sqrt(3)/2. */
static void ties_take_average_ranks(void **state)
{
    (void)state;
    const double x[] = {1, 1, 2}, y[] = {1, 2, 3};
    percap_correlation c;
    assert_int_equal(percap_correlation_spearman(x, y, 3, 0.95, &c, NULL), PERCAP_OK);
    assert_true(fabs(c.r - sqrt(3) / 2) < 1e-15);
    assert_true(isnan(c.low) && isnan(c.high));
    assert_int_equal(c.n, 3);
}

/* NaN in either value drops the pair and n counts what is left. */
static void missing_pairs_are_skipped(void **state)
{
    (void)state;
    const double x[] = {NAN, 1, 2, 3, 4, NAN}, y[] = {5, 2, NAN, 4, 9, NAN};
    const double xc[] = {1, 3, 4}, yc[] = {2, 4, 9};
    percap_correlation c, d;
    assert_int_equal(percap_correlation_pearson(x, y, 6, 0.9, &c, NULL), PERCAP_OK);
    assert_int_equal(percap_correlation_pearson(xc, yc, 3, 0.9, &d, NULL), PERCAP_OK);
    assert_int_equal(c.n, 3);
    assert_true(c.r == d.r && c.p_value == d.p_value);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4}, y[] = {2, 1, 4, 3}, k[] = {5, 5, 5, 5};
    const double inf[] = {1, INFINITY, 3, 4}, nan2[] = {1, 2, NAN, NAN};
    percap_correlation c;
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_correlation_pearson(x, y, 2, 0.95, &c, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "at least 3"));
    assert_int_equal(percap_correlation_spearman(x, nan2, 4, 0.95, &c, &err), PERCAP_EDATA);
    assert_int_equal(percap_correlation_pearson(x, k, 4, 0.95, &c, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "all equal"));
    assert_int_equal(percap_correlation_spearman(k, y, 4, 0.95, &c, &err), PERCAP_EDATA);
    assert_int_equal(percap_correlation_pearson(inf, y, 4, 0.95, &c, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "infinite"));
    assert_int_equal(percap_correlation_pearson(x, y, 4, 1.0, &c, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_correlation_pearson(x, y, 4, 0.0, &c, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_correlation_spearman(x, y, 4, NAN, &c, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_correlation_pearson(NULL, y, 4, 0.95, &c, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_correlation_pearson(x, y, 4, 0.95, NULL, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_correlation_pearson(NULL, NULL, 0, 0.95, &c, &err), PERCAP_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_r),
        cmocka_unit_test(perfect_line_is_exact),
        cmocka_unit_test(ties_take_average_ranks),
        cmocka_unit_test(missing_pairs_are_skipped),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
