/* Tests of percap/rank.h: league-table ranks with shared ties, display
 * orders for every sort key with a deterministic tie-break, and parsing
 * of the sort keys.
 *
 * Areas live in a small in-memory registry (codes and names chosen so
 * that code order, name order and input order all differ), and each test
 * lists them in an order unlike the expected one, so a sort that does
 * nothing cannot pass. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "percap/rank.h"
#include "percap/rates.h"

#include "test_util.h"

typedef struct spec {
    const char *code, *name;
    double deaths, population, rate, ci_low;
} spec;

typedef test_areas fixture;

/* Builds areas from specs, in the order given. Rates (and lower limits)
 * are taken as given, unless `compute` asks for percap_rates_compute. */
static fixture make(const spec *s, size_t n, int compute)
{
    fixture f = {percap_registry_alloc(), NULL};
    assert_non_null(f.reg);
    f.areas = percap_areas_alloc(f.reg, n);
    assert_non_null(f.areas);
    for (size_t i = 0; i < n; i++) {
        size_t idx;
        assert_int_equal(percap_registry_add(f.reg, s[i].code, s[i].name, &idx, NULL),
                         PERCAP_OK);
        percap_area *r = &f.areas->rows[i];
        r->region = idx;
        r->deaths = s[i].deaths;
        r->population = s[i].population;
        r->rate = s[i].rate;
        r->ci_low = s[i].ci_low;
        r->rank = -99;
    }
    if (compute) {
        percap_rate_options o;
        percap_rate_options_default(&o);
        percap_error err;
        percap_error_clear(&err);
        if (percap_rates_compute(f.areas, &o, &err) != PERCAP_OK)
            fail_msg("rates: %s", err.message);
    }
    return f;
}

static long rank_of(const fixture *f, const char *code)
{
    for (size_t i = 0; i < f->areas->n; i++)
        if (!strcmp(percap_areas_code(f->areas, i), code))
            return f->areas->rows[i].rank;
    fail_msg("no area %s", code);
    return -1;
}

static void assign(fixture *f)
{
    percap_error err;
    percap_error_clear(&err);
    if (percap_rank_assign(f->areas, &err) != PERCAP_OK)
        fail_msg("rank_assign: %s", err.message);
}

/* Checks the display order against a space-separated list of codes. */
static void assert_order(const fixture *f, percap_sort_key key, const char *want)
{
    size_t n = f->areas->n;
    size_t *order = malloc(n * sizeof *order);
    assert_non_null(order);
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_rank_order(f->areas, key, order, &err), PERCAP_OK);
    char got[512] = "";
    for (size_t i = 0; i < n; i++) {
        strcat(got, i ? " " : "");
        strcat(got, percap_areas_code(f->areas, order[i]));
    }
    free(order);
    if (strcmp(got, want) != 0)
        fail_msg("order by key %d: got \"%s\", expected \"%s\"", (int)key, got, want);
}

/* ---- percap_rank_assign ------------------------------------------------- */

/* Equal rates share the best rank and the next rank skips: 1, 2, 2, 4. */
static void ties_share_rank_and_next_rank_skips(void **state)
{
    (void)state;
    const spec s[] = {
        {"DD", "Delta", 1, 1, 10, 0},
        {"BB", "Bravo", 1, 1, 20, 0},
        {"AA", "Alpha", 1, 1, 30, 0},
        {"CC", "Charlie", 1, 1, 20, 0},
    };
    fixture f = make(s, 4, 0);
    assign(&f);
    assert_int_equal(rank_of(&f, "AA"), 1);
    assert_int_equal(rank_of(&f, "BB"), 2);
    assert_int_equal(rank_of(&f, "CC"), 2);
    assert_int_equal(rank_of(&f, "DD"), 4);
    test_areas_free(&f);
}

/* 1 death in 10 people and 2 in 20 are the same rate: computed by
 * percap_rates_compute, they must come out as the same double and tie.
 * Likewise 3/70,000 and 6/140,000 and 9/210,000 (a three-way tie). */
static void equal_ratios_from_different_counts_tie(void **state)
{
    (void)state;
    const spec s[] = {
        {"EE", "Echo", 9, 210000, 0, 0},
        {"AA", "Alpha", 1, 10, 0, 0},
        {"CC", "Charlie", 3, 70000, 0, 0},
        {"BB", "Bravo", 2, 20, 0, 0},
        {"DD", "Delta", 6, 140000, 0, 0},
        {"FF", "Foxtrot", 1, 1000000, 0, 0},
    };
    fixture f = make(s, 6, 1);
    assign(&f);
    assert_int_equal(rank_of(&f, "AA"), 1);
    assert_int_equal(rank_of(&f, "BB"), 1);
    assert_int_equal(rank_of(&f, "CC"), 3);
    assert_int_equal(rank_of(&f, "DD"), 3);
    assert_int_equal(rank_of(&f, "EE"), 3);
    assert_int_equal(rank_of(&f, "FF"), 6);
    test_areas_free(&f);
}

/* All equal: everyone is first. */
static void all_equal_rates_all_rank_one(void **state)
{
    (void)state;
    const spec s[] = {{"CC", "C", 0, 1, 5, 0}, {"AA", "A", 0, 1, 5, 0}, {"BB", "B", 0, 1, 5, 0}};
    fixture f = make(s, 3, 0);
    assign(&f);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(f.areas->rows[i].rank, 1);
    test_areas_free(&f);
}

/* Ranks depend on the data, not on the order of the rows. */
static void ranks_do_not_depend_on_row_order(void **state)
{
    (void)state;
    const spec a[] = {{"AA", "A", 0, 1, 3, 0}, {"BB", "B", 0, 1, 2, 0}, {"CC", "C", 0, 1, 2, 0},
                      {"DD", "D", 0, 1, 1, 0}};
    const spec b[] = {{"DD", "D", 0, 1, 1, 0}, {"CC", "C", 0, 1, 2, 0}, {"AA", "A", 0, 1, 3, 0},
                      {"BB", "B", 0, 1, 2, 0}};
    fixture f = make(a, 4, 0), g = make(b, 4, 0);
    assign(&f);
    assign(&g);
    static const char *const codes[] = {"AA", "BB", "CC", "DD"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rank_of(&f, codes[i]), rank_of(&g, codes[i]));
    test_areas_free(&f);
    test_areas_free(&g);
}

/* ---- percap_rank_order -------------------------------------------------- */

/* By rate, highest first; equal rates by code, whatever the input order. */
static void order_by_rate_breaks_ties_by_code(void **state)
{
    (void)state;
    const spec s[] = {
        {"CC", "Zulu", 0, 1, 20, 0},
        {"DD", "Yankee", 0, 1, 5, 0},
        {"AA", "X-ray", 0, 1, 20, 0},
        {"EE", "Whiskey", 0, 1, 30, 0},
        {"BB", "Victor", 0, 1, 20, 0},
    };
    fixture f = make(s, 5, 0);
    assert_order(&f, PERCAP_SORT_RATE, "EE AA BB CC DD");
    test_areas_free(&f);
    /* the same rows reversed give the same order */
    const spec r[] = {s[4], s[3], s[2], s[1], s[0]};
    f = make(r, 5, 0);
    assert_order(&f, PERCAP_SORT_RATE, "EE AA BB CC DD");
    test_areas_free(&f);
}

/* By deaths, most first; equal deaths by rate, then by code. */
static void order_by_deaths_then_rate_then_code(void **state)
{
    (void)state;
    const spec s[] = {
        {"AA", "Alpha", 10, 1, 1, 0},
        {"BB", "Bravo", 50, 1, 2, 0},
        {"CC", "Charlie", 10, 1, 9, 0},
        {"DD", "Delta", 10, 1, 1, 0},
        {"EE", "Echo", 5, 1, 99, 0},
    };
    fixture f = make(s, 5, 0);
    assert_order(&f, PERCAP_SORT_DEATHS, "BB CC AA DD EE");
    test_areas_free(&f);
}

/* By lower confidence limit, highest first: a big uncertain rate can
 * rank below a smaller well-measured one. Ties by rate, then code. */
static void order_by_lower_limit(void **state)
{
    (void)state;
    const spec s[] = {
        {"AA", "Alpha", 0, 1, 90, 5},
        {"BB", "Bravo", 0, 1, 40, 30},
        {"CC", "Charlie", 0, 1, 50, 20},
        {"DD", "Delta", 0, 1, 60, 20},
        {"EE", "Echo", 0, 1, 60, 20},
    };
    fixture f = make(s, 5, 0);
    assert_order(&f, PERCAP_SORT_LOWER, "BB DD EE CC AA");
    test_areas_free(&f);
}

/* By name, A to Z bytewise (upper case before lower, UTF-8 after ASCII),
 * regardless of rates or codes. (Names differing only in case cannot
 * both be in one registry: they are one spelling.) */
static void order_by_name_bytewise(void **state)
{
    (void)state;
    const spec s[] = {
        {"AA", "beta", 0, 1, 1, 0},
        {"BB", "Ärger", 0, 1, 2, 0},
        {"CC", "alpha", 0, 1, 3, 0},
        {"DD", "Mu", 0, 1, 4, 0},
        {"EE", "Zeta", 0, 1, 5, 0},
    };
    fixture f = make(s, 5, 0);
    assert_order(&f, PERCAP_SORT_NAME, "DD EE CC AA BB");
    test_areas_free(&f);
}

/* ---- percap_sort_key_parse ---------------------------------------------- */

/* The documented keys parse (ci_low is a synonym of lower); anything
 * else is refused and leaves the output alone. */
static void sort_keys_parse(void **state)
{
    (void)state;
    static const struct { const char *name; percap_sort_key key; } good[] = {
        {"rate", PERCAP_SORT_RATE},     {"deaths", PERCAP_SORT_DEATHS},
        {"lower", PERCAP_SORT_LOWER},   {"ci_low", PERCAP_SORT_LOWER},
        {"name", PERCAP_SORT_NAME},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        percap_sort_key k = (percap_sort_key)-1;
        assert_int_equal(percap_sort_key_parse(good[i].name, &k), 0);
        assert_int_equal(k, good[i].key);
    }
    static const char *const bad[] = {"", "population", "rates", "rate ", "upper"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        percap_sort_key k = PERCAP_SORT_NAME;
        if (percap_sort_key_parse(bad[i], &k) != -1)
            fail_msg("sort key '%s' accepted", bad[i]);
        assert_int_equal(k, PERCAP_SORT_NAME);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ties_share_rank_and_next_rank_skips),
        cmocka_unit_test(equal_ratios_from_different_counts_tie),
        cmocka_unit_test(all_equal_rates_all_rank_one),
        cmocka_unit_test(ranks_do_not_depend_on_row_order),
        cmocka_unit_test(order_by_rate_breaks_ties_by_code),
        cmocka_unit_test(order_by_deaths_then_rate_then_code),
        cmocka_unit_test(order_by_lower_limit),
        cmocka_unit_test(order_by_name_bytewise),
        cmocka_unit_test(sort_keys_parse),
    };
    return cmocka_run_group_tests_name("rank", tests, NULL, NULL);
}
