/* Tests of percap/rates.h: the rate itself, its reliability flag, the
 * scaling of the interval to `per`, the pooled row and option checks.
 *
 * The interval methods have their own tests (test_intervals.c); here the
 * point is that rates.c hands them the right numbers and scales what
 * comes back. The reference values come from R, once:
 *
 *   Rscript -e 'cat(sprintf("%.17g", c(qchisq(0.025, 50)/2,
 *       qchisq(0.975, 52)/2, qchisq(0.05, 50)/2, qchisq(0.95, 52)/2)), sep="\n")'
 *
 * which printed the four constants below (R 4.x, base stats). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "percap/rates.h"

#include "test_util.h"

/* Garwood limits for x = 25 events (means of a Poisson count). */
#define R_LOW_95 16.178681847829328   /* qchisq(0.025, 50)/2 */
#define R_HIGH_95 36.904931697530365  /* qchisq(0.975, 52)/2 */
#define R_LOW_90 17.382125841750877   /* qchisq(0.05, 50)/2 */
#define R_HIGH_90 34.916080169924065  /* qchisq(0.95, 52)/2 */

/* Relative agreement expected with R: the quantile code is checked to
 * ~1e-12 by its own tests; scaling adds a few ulps at most. */
#define REL_TOL 1e-11

#define assert_close(a, b, rel)                                                          \
    do {                                                                                 \
        double a_ = (a), b_ = (b);                                                       \
        if (!(fabs(a_ - b_) <= (rel) * fabs(b_)))                                        \
            fail_msg("%s = %.17g, expected %.17g (rel. error %.3g)", #a, a_, b_,         \
                     fabs(a_ - b_) / fabs(b_));                                          \
    } while (0)

/* A registry of made-up areas AA, BB, ... and an area table over it. */
typedef test_areas fixture;

static fixture make(size_t n, const double *deaths, const double *population)
{
    fixture f = {percap_registry_alloc(), NULL};
    assert_non_null(f.reg);
    for (size_t i = 0; i < n; i++) {
        char code[8], name[32];
        snprintf(code, sizeof code, "%c%c", (char)('A' + i), (char)('A' + i));
        snprintf(name, sizeof name, "Area %c", (char)('A' + i));
        assert_int_equal(percap_registry_add(f.reg, code, name, NULL, NULL), PERCAP_OK);
    }
    f.areas = percap_areas_alloc(f.reg, n);
    assert_non_null(f.areas);
    for (size_t i = 0; i < n; i++) {
        f.areas->rows[i].region = i;
        f.areas->rows[i].deaths = deaths[i];
        f.areas->rows[i].population = population[i];
    }
    return f;
}

/* ---- the rate ---------------------------------------------------------- */

/* rate = deaths * per / population, for several bases. */
static void rate_is_deaths_per_population_times_per(void **state)
{
    (void)state;
    const double d[] = {25, 1, 3, 0};
    const double p[] = {100000, 10, 7000, 500};
    fixture f = make(4, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_double_equal(f.areas->rows[0].rate, 25);
    assert_double_equal(f.areas->rows[1].rate, 10000);
    assert_close(f.areas->rows[2].rate, 300000.0 / 7000.0, 1e-15);
    assert_double_equal(f.areas->rows[3].rate, 0);

    o.per = 1000;
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_double_equal(f.areas->rows[0].rate, 0.25);
    assert_double_equal(f.areas->rows[1].rate, 100);
    assert_close(f.areas->rows[2].rate, 3000.0 / 7000.0, 1e-15);
    test_areas_free(&f);
}

/* The defaults are the documented ones: per 100,000, exact, 95%, 9, 20. */
static void default_options_are_documented_values(void **state)
{
    (void)state;
    percap_rate_options o;
    memset(&o, 0xff, sizeof o);
    percap_rate_options_default(&o);
    assert_double_equal(o.per, 100000);
    assert_int_equal(o.method, PERCAP_CI_EXACT);
    assert_double_equal(o.level, 0.95);
    assert_double_equal(o.suppress_max, 9);
    assert_double_equal(o.unreliable_below, 20);
}

/* ---- flags -------------------------------------------------------------- */

/* Default thresholds at and around their edges: <= 9 suppressed, 10..19
 * unreliable, 20 and up ok. */
static void flags_with_default_thresholds(void **state)
{
    (void)state;
    percap_rate_options o;
    percap_rate_options_default(&o);
    static const struct { double deaths; percap_flag flag; } cases[] = {
        {0, PERCAP_FLAG_SUPPRESSED},  {1, PERCAP_FLAG_SUPPRESSED},
        {9, PERCAP_FLAG_SUPPRESSED},  {10, PERCAP_FLAG_UNRELIABLE},
        {19, PERCAP_FLAG_UNRELIABLE}, {20, PERCAP_FLAG_OK},
        {21, PERCAP_FLAG_OK},         {100000, PERCAP_FLAG_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        percap_flag got = percap_rates_flag(cases[i].deaths, &o);
        if (got != cases[i].flag)
            fail_msg("%g deaths: flag %s, expected %s", cases[i].deaths, percap_flag_name(got),
                     percap_flag_name(cases[i].flag));
    }
}

/* Custom thresholds are honoured, including turning suppression off. */
static void flags_with_custom_thresholds(void **state)
{
    (void)state;
    percap_rate_options o;
    percap_rate_options_default(&o);
    o.suppress_max = 4;
    o.unreliable_below = 10;
    assert_int_equal(percap_rates_flag(4, &o), PERCAP_FLAG_SUPPRESSED);
    assert_int_equal(percap_rates_flag(5, &o), PERCAP_FLAG_UNRELIABLE);
    assert_int_equal(percap_rates_flag(9, &o), PERCAP_FLAG_UNRELIABLE);
    assert_int_equal(percap_rates_flag(10, &o), PERCAP_FLAG_OK);
    o.suppress_max = -1;   /* nothing suppressed */
    o.unreliable_below = 0; /* nothing unreliable */
    assert_int_equal(percap_rates_flag(0, &o), PERCAP_FLAG_OK);
}

/* percap_rates_compute sets each area's flag from its own deaths. */
static void compute_sets_flags(void **state)
{
    (void)state;
    const double d[] = {9, 10, 19, 20};
    const double p[] = {1e5, 1e5, 1e5, 1e5};
    fixture f = make(4, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_int_equal(f.areas->rows[0].flag, PERCAP_FLAG_SUPPRESSED);
    assert_int_equal(f.areas->rows[1].flag, PERCAP_FLAG_UNRELIABLE);
    assert_int_equal(f.areas->rows[2].flag, PERCAP_FLAG_UNRELIABLE);
    assert_int_equal(f.areas->rows[3].flag, PERCAP_FLAG_OK);
    assert_string_equal(percap_flag_name(PERCAP_FLAG_SUPPRESSED), "suppressed");
    assert_string_equal(percap_flag_name(PERCAP_FLAG_UNRELIABLE), "unreliable");
    assert_string_equal(percap_flag_name(PERCAP_FLAG_OK), "ok");
    test_areas_free(&f);
}

/* ---- interval scaling --------------------------------------------------- */

/* 25 deaths among 100,000 per 100,000: the exact limits are the Poisson
 * limits themselves, as R gives them. */
static void exact_interval_matches_r_at_per_100000(void **state)
{
    (void)state;
    const double d[] = {25};
    const double p[] = {100000};
    fixture f = make(1, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_close(f.areas->rows[0].ci_low, R_LOW_95, REL_TOL);
    assert_close(f.areas->rows[0].ci_high, R_HIGH_95, REL_TOL);

    o.level = 0.90;
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_close(f.areas->rows[0].ci_low, R_LOW_90, REL_TOL);
    assert_close(f.areas->rows[0].ci_high, R_HIGH_90, REL_TOL);
    test_areas_free(&f);
}

/* The same deaths per 1,000 are a hundred times smaller, and the same
 * rate over a ten times larger population has the same per-100k scale
 * but not the same interval (it is the count that sets the width). */
static void interval_scales_with_per(void **state)
{
    (void)state;
    const double d[] = {25, 250};
    const double p[] = {100000, 1000000};
    fixture f = make(2, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    o.per = 1000;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_double_equal(f.areas->rows[0].rate, 0.25);
    assert_close(f.areas->rows[0].ci_low, R_LOW_95 / 100, REL_TOL);
    assert_close(f.areas->rows[0].ci_high, R_HIGH_95 / 100, REL_TOL);
    /* same rate, more deaths: narrower interval around it */
    assert_double_equal(f.areas->rows[1].rate, 0.25);
    assert_true(f.areas->rows[1].ci_low > f.areas->rows[0].ci_low);
    assert_true(f.areas->rows[1].ci_high < f.areas->rows[0].ci_high);
    assert_true(f.areas->rows[1].ci_low < 0.25 && 0.25 < f.areas->rows[1].ci_high);
    test_areas_free(&f);
}

/* The method and level in the options reach the interval code: Byar's
 * limits differ from the exact ones, and 99% is wider than 95%. */
static void method_and_level_are_passed_on(void **state)
{
    (void)state;
    const double d[] = {25};
    const double p[] = {100000};
    fixture f = make(1, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_error err;
    percap_error_clear(&err);
    o.method = PERCAP_CI_BYAR;
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    double byar_low = f.areas->rows[0].ci_low;
    assert_true(fabs(byar_low - R_LOW_95) > 1e-6);
    assert_close(byar_low, R_LOW_95, 1e-2); /* but close: Byar approximates exact */
    o.method = PERCAP_CI_EXACT;
    o.level = 0.99;
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_OK, err);
    assert_true(f.areas->rows[0].ci_low < R_LOW_95);
    assert_true(f.areas->rows[0].ci_high > R_HIGH_95);
    test_areas_free(&f);
}

/* ---- pooled --------------------------------------------------------------- */

/* The pooled row sums deaths and denominators, and its rate and interval
 * are those of the sums; it has no rank. */
static void pooled_sums_deaths_and_populations(void **state)
{
    (void)state;
    const double d[] = {10, 15, 0};
    const double p[] = {40000, 50000, 10000};
    fixture f = make(3, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_area pooled;
    memset(&pooled, 0x55, sizeof pooled);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_pooled(f.areas, &o, &pooled, &err), PERCAP_OK, err);
    assert_double_equal(pooled.deaths, 25);
    assert_double_equal(pooled.population, 100000);
    assert_double_equal(pooled.rate, 25);
    assert_close(pooled.ci_low, R_LOW_95, REL_TOL);
    assert_close(pooled.ci_high, R_HIGH_95, REL_TOL);
    assert_int_equal(pooled.flag, PERCAP_FLAG_OK);
    assert_int_equal(pooled.rank, 0);
    /* the areas themselves are not touched */
    assert_double_equal(f.areas->rows[0].deaths, 10);
    test_areas_free(&f);
}

/* ---- bad options and data ---------------------------------------------- */

/* A rate base that is not a positive finite number is a usage error,
 * for the areas and for the pooled row alike. */
static void bad_per_is_usage_error(void **state)
{
    (void)state;
    const double d[] = {25};
    const double p[] = {100000};
    fixture f = make(1, d, p);
    const double bad[] = {0, -100000, INFINITY, NAN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        percap_rate_options o;
        percap_rate_options_default(&o);
        o.per = bad[i];
        percap_error err;
        percap_error_clear(&err);
        percap_area pooled;
        if (percap_rates_compute(f.areas, &o, &err) != PERCAP_EUSAGE)
            fail_msg("per = %g accepted by percap_rates_compute", bad[i]);
        assert_true(strstr(err.message, "per") != NULL);
        if (percap_rates_pooled(f.areas, &o, &pooled, &err) != PERCAP_EUSAGE)
            fail_msg("per = %g accepted by percap_rates_pooled", bad[i]);
    }
    test_areas_free(&f);
}

/* A confidence level outside (0, 1) is a usage error. */
static void bad_level_is_usage_error(void **state)
{
    (void)state;
    const double d[] = {25};
    const double p[] = {100000};
    fixture f = make(1, d, p);
    const double bad[] = {0, 1, 1.5, -0.05, 95, NAN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        percap_rate_options o;
        percap_rate_options_default(&o);
        o.level = bad[i];
        percap_error err;
        percap_error_clear(&err);
        percap_area pooled;
        if (percap_rates_compute(f.areas, &o, &err) != PERCAP_EUSAGE)
            fail_msg("level = %g accepted by percap_rates_compute", bad[i]);
        if (percap_rates_pooled(f.areas, &o, &pooled, &err) != PERCAP_EUSAGE)
            fail_msg("level = %g accepted by percap_rates_pooled", bad[i]);
    }
    test_areas_free(&f);
}

/* An area whose numbers the interval code refuses (a fractional count, a
 * zero denominator) is an error that names the area. */
static void bad_area_error_names_area(void **state)
{
    (void)state;
    const double d[] = {25, 2.5};
    const double p[] = {100000, 1000};
    fixture f = make(2, d, p);
    percap_rate_options o;
    percap_rate_options_default(&o);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_EDATA, err);
    assert_true(strstr(err.message, "BB") != NULL);
    f.areas->rows[1].deaths = 2;
    f.areas->rows[1].population = NAN; /* a denominator never joined */
    assert_status(percap_rates_compute(f.areas, &o, &err), PERCAP_EDATA, err);
    assert_true(strstr(err.message, "BB") != NULL);
    test_areas_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_is_deaths_per_population_times_per),
        cmocka_unit_test(default_options_are_documented_values),
        cmocka_unit_test(flags_with_default_thresholds),
        cmocka_unit_test(flags_with_custom_thresholds),
        cmocka_unit_test(compute_sets_flags),
        cmocka_unit_test(exact_interval_matches_r_at_per_100000),
        cmocka_unit_test(interval_scales_with_per),
        cmocka_unit_test(method_and_level_are_passed_on),
        cmocka_unit_test(pooled_sums_deaths_and_populations),
        cmocka_unit_test(bad_per_is_usage_error),
        cmocka_unit_test(bad_level_is_usage_error),
        cmocka_unit_test(bad_area_error_names_area),
    };
    return cmocka_run_group_tests_name("rates", tests, NULL, NULL);
}
