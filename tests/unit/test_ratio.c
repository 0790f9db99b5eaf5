/* Tests for src/ratio.c: rate ratios with exact conditional intervals.
 *
 * Where the expected numbers come from:
 *
 *  - tests/data/ratio_expected.csv, printed by tests/data/ratio_expected.R
 *    (R 4.2.2, base stats only). The reference is poisson.test(c(x1, x2),
 *    c(n1, n2), conf.level): estimate (x1/n1)/(x2/n2), limits from the
 *    Clopper-Pearson interval of binom.test mapped by p/(1-p) * n2/n1.
 *    The limits in the file take p and 1 - p each from its own qbeta
 *    call instead of subtracting (poisson.test's 1 - p loses up to 10% at
 *    1e6 events against 1 at level 1 - 2e-10); the script checks that this
 *    equals poisson.test to 1e-10 wherever p is not within 1e-3 of 0 or 1,
 *    equals the closed forms for shapes of 1, and round-trips through
 *    pbeta. Rows: pairs over counts 0..1e7 and levels 0.5, 0.95, 0.998,
 *    1 - 2e-10; a made-up six-area table against all others and against
 *    two reference rows (one with no deaths); the 85 shipped regions
 *    (deaths_2023-04-12.csv over men_16_61_2021) against all others and
 *    against Moscow. Compared at 1e-9 relative; 0, Inf and NaN must match
 *    exactly.
 *
 *  - by reasoning, stated at each test: the x1 = x2 = 0 convention (not a
 *    question poisson.test answers), the symmetry of swapping the two
 *    groups, and invalid input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/ratio.h"
#include "percap/regions.h"

#include "test_util.h"

#define RTOL 1e-9
#define EXPECTED_CSV PERCAP_TEST_DATA "/ratio_expected.csv"
#define MAX_ROWS 1024
#define MAX_NUMS 10

/* ---- the expected values -------------------------------------------- */

typedef test_kind_row row;

static row rows[MAX_ROWS];
static size_t n_rows;

static int load_rows(void **state)
{
    (void)state;
    return test_load_kind_rows(EXPECTED_CSV, rows, MAX_ROWS, MAX_NUMS, &n_rows);
}

/* 0, infinities and NaN are conventions, not approximations: exact. */
static double rel_err(double got, double want)
{
    if (isnan(want))
        return isnan(got) ? 0.0 : INFINITY;
    if (want == 0.0 || isinf(want))
        return got == want ? 0.0 : INFINITY;
    return fabs(got - want) / fabs(want);
}

static double worst_pair, worst_area;

static void check_ratio(const char *what, const percap_ratio *got, const double want[3],
                        double *worst)
{
    const double g[3] = {got->ratio, got->low, got->high};
    static const char *const names[3] = {"ratio", "low", "high"};

    for (int k = 0; k < 3; k++) {
        double e = rel_err(g[k], want[k]);
        if (!(e <= RTOL))
            fail_msg("%s: %s = %.17g, R says %.17g (rel %.3g)", what, names[k], g[k],
                     want[k], e);
        if (e > *worst)
            *worst = e;
    }
}

/* ---- fixtures --------------------------------------------------------- */

typedef test_areas fixture;

/* Runs one reference against R's `area` rows of `set`. The rows' deaths
 * and denominators must be the table's own, row for row. */
static void check_set(const percap_areas *areas, double set, long reference)
{
    percap_ratio *out = calloc(areas->n, sizeof *out);
    percap_error err;
    size_t seen = 0;

    assert_non_null(out);
    percap_error_clear(&err);
    assert_status(percap_ratio_compute(areas, reference, 0.95, out, &err), PERCAP_OK, err);
    for (size_t i = 0; i < n_rows; i++) {
        const row *r = &rows[i];
        if (strcmp(r->kind, "area") != 0 || r->v[0] != set)
            continue;
        size_t k = (size_t)r->v[1];
        char what[64];
        assert_true(k < areas->n);
        assert_true(r->v[2] == areas->rows[k].deaths);
        assert_true(r->v[3] == areas->rows[k].population);
        assert_true(r->v[4] == (double)reference);
        snprintf(what, sizeof what, "set %g row %zu", set, k);
        check_ratio(what, &out[k], &r->v[5], &worst_area);
        seen++;
    }
    assert_int_equal(seen, areas->n);
    free(out);
}

/* ---- against R ---------------------------------------------------------- */

static void pairs_match_r(void **state)
{
    size_t seen = 0;

    (void)state;
    for (size_t i = 0; i < n_rows; i++) {
        const row *r = &rows[i];
        percap_ratio got;
        percap_error err;
        char what[160];

        if (strcmp(r->kind, "pair") != 0)
            continue;
        percap_error_clear(&err);
        assert_status(percap_ratio_pair(r->v[0], r->v[1], r->v[2], r->v[3], r->v[4], &got,
                                        &err),
                      PERCAP_OK, err);
        snprintf(what, sizeof what, "%.17g/%.17g vs %.17g/%.17g at %.17g", r->v[0], r->v[1],
                 r->v[2], r->v[3], r->v[4]);
        check_ratio(what, &got, &r->v[5], &worst_pair);
        seen++;
    }
    assert_true(seen > 400);
    print_message("pairs: %zu, max relative error vs R %.3g\n", seen, worst_pair);
}

static void made_up_table_matches_r(void **state)
{
    static const double deaths[] = {0, 3, 12, 40, 0, 7};
    static const double pop[] = {1000, 2500, 8000, 20000, 300, 5000};
    fixture f = test_areas_numbered(6, deaths, pop);

    (void)state;
    check_set(f.areas, 1, -1);
    check_set(f.areas, 2, 2);
    /* Row 0 has no deaths: everyone else's ratio is +Inf, and the other
     * zero-death row gets the x1 = x2 = 0 convention. */
    check_set(f.areas, 3, 0);
    test_areas_free(&f);
}

static void shipped_regions_match_r(void **state)
{
    fixture f = test_areas_shipped(false);
    long moscow = percap_areas_find(f.areas, (size_t)percap_registry_lookup(f.reg, "RU-MOW"));

    (void)state;
    assert_true(moscow >= 0);
    check_set(f.areas, 9, -1);
    check_set(f.areas, 10, moscow);
    print_message("areas: max relative error vs R %.3g\n", worst_area);
    test_areas_free(&f);
}

/* ---- by reasoning --------------------------------------------------------- */

/* No events in either group: the conditional binomial has no trials, so
 * its Clopper-Pearson interval is all of [0, 1], i.e. RR in [0, Inf], and
 * there is no point estimate. */
static void no_events_at_all(void **state)
{
    percap_ratio r = {0};
    percap_error err;

    (void)state;
    assert_status(percap_ratio_pair(0, 100, 0, 200, 0.95, &r, &err), PERCAP_OK, err);
    assert_true(isnan(r.ratio));
    assert_true(r.low == 0.0);
    assert_true(isinf(r.high) && r.high > 0);
}

/* Swapping the groups turns p into 1 - p: the ratio inverts and the
 * limits swap and invert. Exact in theory; the two solves are separate,
 * so allow the usual tolerance. */
static void swapping_groups_inverts(void **state)
{
    static const double cases[][4] = {{3, 1e4, 17, 2e5},   {57, 145977, 612, 1239319},
                                      {1, 10, 1e6, 3e7},   {2e5, 1e8, 3e5, 1e8},
                                      {1e6, 2e6, 999999, 2e6}};
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const double *c = cases[i];
        percap_ratio ab, ba;
        percap_error err;
        assert_status(percap_ratio_pair(c[0], c[1], c[2], c[3], 0.95, &ab, &err), PERCAP_OK,
                      err);
        assert_status(percap_ratio_pair(c[2], c[3], c[0], c[1], 0.95, &ba, &err), PERCAP_OK,
                      err);
        assert_true(rel_err(ab.ratio * ba.ratio, 1.0) < 1e-15);
        assert_true(rel_err(ab.low * ba.high, 1.0) < RTOL);
        assert_true(rel_err(ab.high * ba.low, 1.0) < RTOL);
        assert_true(ab.low < ab.ratio && ab.ratio < ab.high);
    }
}

/* The reference row's own entry, and a one-area table against itself. */
static void reference_row_itself(void **state)
{
    static const double deaths[] = {5};
    static const double pop[] = {1000};
    fixture f = test_areas_numbered(1, deaths, pop);
    percap_ratio out[1];
    percap_error err;

    (void)state;
    assert_status(percap_ratio_compute(f.areas, 0, 0.95, out, &err), PERCAP_OK, err);
    assert_true(out[0].ratio == 1.0 && isnan(out[0].low) && isnan(out[0].high));
    /* ...but "all the others" of a single area is nobody. */
    assert_int_equal(percap_ratio_compute(f.areas, -1, 0.95, out, &err), PERCAP_EUSAGE);
    test_areas_free(&f);
}

static void invalid_pairs(void **state)
{
    percap_ratio r;
    percap_error err;

    (void)state;
    assert_int_equal(percap_ratio_pair(1, 10, 1, 10, 0.0, &r, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_pair(1, 10, 1, 10, 1.0, &r, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_pair(1, 10, 1, 10, NAN, &r, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_pair(1, 10, 1, 10, 0.95, NULL, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_pair(-1, 10, 1, 10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(1.5, 10, 1, 10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(1, 10, NAN, 10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(INFINITY, 10, 1, 10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(1, 0, 1, 10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(1, 10, 1, -10, 0.95, &r, &err), PERCAP_EDATA);
    assert_int_equal(percap_ratio_pair(1, 10, 1, INFINITY, 0.95, &r, &err), PERCAP_EDATA);
    /* err may be NULL */
    assert_int_equal(percap_ratio_pair(1, 10, 1, 10, 2.0, &r, NULL), PERCAP_EUSAGE);
}

static void invalid_tables(void **state)
{
    static const double deaths[] = {3, 4, 5};
    static const double pop[] = {100, 200, 300};
    fixture f = test_areas_numbered(3, deaths, pop);
    percap_ratio out[3];
    percap_error err;

    (void)state;
    percap_error_clear(&err);
    assert_int_equal(percap_ratio_compute(f.areas, 3, 0.95, out, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_compute(f.areas, -2, 0.95, out, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_compute(f.areas, -1, 1.5, out, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_compute(NULL, -1, 0.95, out, &err), PERCAP_EUSAGE);
    assert_int_equal(percap_ratio_compute(f.areas, -1, 0.95, NULL, &err), PERCAP_EUSAGE);

    /* A bad row is named, whether it is compared or is the reference. */
    f.areas->rows[1].deaths = 2.5;
    assert_int_equal(percap_ratio_compute(f.areas, -1, 0.95, out, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "A1"));
    assert_int_equal(percap_ratio_compute(f.areas, 0, 0.95, out, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "A1"));
    assert_int_equal(percap_ratio_compute(f.areas, 1, 0.95, out, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "A1"));
    f.areas->rows[1].deaths = 4;
    f.areas->rows[2].population = 0;
    assert_int_equal(percap_ratio_compute(f.areas, 0, 0.95, out, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "A2"));
    test_areas_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_match_r),
        cmocka_unit_test(made_up_table_matches_r),
        cmocka_unit_test(shipped_regions_match_r),
        cmocka_unit_test(no_events_at_all),
        cmocka_unit_test(swapping_groups_inverts),
        cmocka_unit_test(reference_row_itself),
        cmocka_unit_test(invalid_pairs),
        cmocka_unit_test(invalid_tables),
    };
    return cmocka_run_group_tests(tests, load_rows, NULL);
}
