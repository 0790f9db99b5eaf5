/* Tests of percap/check.h: validating a dataset before it is used or
 * shipped (regions known and not repeated, numbers numeric, counts
 * complete and non-negative, registry files consistent) and checking a
 * column's total.
 *
 * Inputs are small CSVs in a private mkdtemp directory; the registry is
 * the shipped datasets/regions.csv. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "percap/check.h"

#include "test_util.h"

/* ---- helpers ---------------------------------------------------------- */

static percap_registry *g_reg;

static int group_setup(void **state)
{
    (void)state;
    return test_make_dir_and_registry("check", &g_reg);
}

static int group_teardown(void **state)
{
    (void)state;
    percap_registry_free(g_reg);
    test_remove_tree(test_dir());
    return 0;
}

/* Checks `text` (as file `name`) with the shipped registry. */
static percap_status check_text(const char *name, const char *text, const char *key,
                                percap_notes *notes, percap_error *err)
{
    percap_check_options o = {.registry = g_reg, .key = key};
    percap_error_clear(err);
    return percap_check_file(test_write_file(name, text), &o, notes, err);
}

/* ---- good files --------------------------------------------------------- */

/* A clean population-and-deaths file passes, and the summary gives each
 * numeric column's total and the number of regions. */
static void valid_file_passes_with_totals(void **state)
{
    (void)state;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    assert_status(check_text("good.csv",
                             "region,population,deaths,source\n"
                             "Moscow,13000000,120,BBC\n"
                             "Tuva,330000,25,BBC\n"
                             "Tatarstan,4000000,0,Mediazona\n",
                             NULL, notes, &err),
                  PERCAP_OK, err);
    assert_note(notes, "region column 'region': 3 distinct known regions");
    assert_note(notes, "ok: 3 rows, 4 columns; totals: population=17330000, deaths=145");
    percap_notes_free(notes);
}

/* Missing values are allowed in a numeric column that is not a count. */
static void missing_values_allowed_outside_count_columns(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("share.csv", "region,share\nMoscow,0.5\nTuva,NA\nKirov,\n", NULL,
                             NULL, &err),
                  PERCAP_OK, err);
}

/* The shipped registry is itself a dataset the check must pass: it has
 * an aliases column, so it is also loaded as a registry. */
static void shipped_registry_passes(void **state)
{
    (void)state;
    percap_check_options o = {.registry = g_reg};
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_file(PERCAP_SOURCE_DIR "/datasets/regions.csv", &o, notes, &err),
                  PERCAP_OK, err);
    char want[64];
    snprintf(want, sizeof want, "registry of %zu regions", percap_registry_size(g_reg));
    assert_note(notes, want);
    percap_notes_free(notes);
}

/* Without a registry, region names are not checked at all. */
static void no_registry_skips_region_check(void **state)
{
    (void)state;
    percap_check_options o = {0};
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_file(test_write_file("noreg.csv", "region,deaths\nNarnia,3\n"), &o,
                                    NULL, &err),
                  PERCAP_OK, err);
}

/* Areas the registry does not know at all (another country) are checked
 * against each other: fine once each, an error when repeated. */
static void own_areas_checked_among_themselves(void **state)
{
    (void)state;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    assert_status(check_text("shires.csv", "region,population\nNorth Shire,1\nSouth Shire,2\n",
                             NULL, notes, &err),
                  PERCAP_OK, err);
    assert_note(notes, "2 distinct area names (not in the registry)");
    percap_notes_free(notes);
    assert_status(check_text("shires2.csv", "region,population\nNorth Shire,1\nnorth-shire,2\n",
                             NULL, NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
}

/* ---- region problems ---------------------------------------------------- */

static void unknown_region_fails_at_its_line(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("unknown.csv", "population,region\n1,Moscow\n2,Tatarstn\n", NULL,
                             NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_contains(err.message, "did you mean 'Republic of Tatarstan' (RU-TA)");
}

/* Tyva and Tuva are one region: listed twice, it would be counted twice. */
static void same_region_twice_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("twice.csv", "region,deaths\nTyva,1\nMoscow,2\nTuva,3\n", NULL,
                             NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 4);
    assert_contains(err.message, "line 2");
}

/* One --region-col serves several files: a file without that column is
 * searched as usual, so its regions are still checked (here the
 * misspelling in "region" is found). */
static void given_region_column_absent_falls_back_to_search(void **state)
{
    (void)state;
    percap_check_options o = {.registry = g_reg, .region_col = "oblast"};
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_file(test_write_file("nocol.csv", "region,deaths\nMoscow,1\n"), &o,
                                    NULL, &err),
                  PERCAP_OK, err);
    percap_error_clear(&err);
    assert_status(
        percap_check_file(test_write_file("nocol2.csv", "region,deaths\nMoscow,1\nTatarstn,2\n"),
                          &o, NULL, &err),
        PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
}

/* A given region column the file has is used, even over "region". */
static void given_region_column_is_used(void **state)
{
    (void)state;
    percap_check_options o = {.registry = g_reg, .region_col = "oblast"};
    percap_error err;
    percap_error_clear(&err);
    assert_status(
        percap_check_file(
            test_write_file("oblast.csv", "region,oblast,deaths\nxx,Moscow,1\nxx,Tuva,2\n"), &o,
            NULL, &err),
        PERCAP_OK, err);
    percap_error_clear(&err);
    assert_status(
        percap_check_file(
            test_write_file("oblast2.csv", "region,oblast,deaths\nMoscow,Moscow,1\nTuva,Tuvaa,2\n"),
            &o, NULL, &err),
        PERCAP_EDATA, err);
    assert_int_equal(err.column, 2);
}

/* ---- keys: long tables ---------------------------------------------------- */

/* A long table repeats regions by design; with a key the pair must be
 * unique instead, and rows without a region are allowed. */
static void key_allows_long_tables(void **state)
{
    (void)state;
    percap_error err;
    static const char text[] = "region,year,deaths\n"
                               "Moscow,2022,10\n"
                               "Moscow,2023,12\n"
                               "Tuva,2022,3\n"
                               ",2022,1\n";
    assert_status(check_text("long.csv", text, "region,year", NULL, &err), PERCAP_OK, err);
    /* without a key the same file repeats Moscow */
    assert_status(check_text("long.csv", text, NULL, NULL, &err), PERCAP_EDATA, err);
}

/* The same key twice is an error naming both lines. */
static void repeated_key_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("rep.csv",
                             "region,year,deaths\nMoscow,2022,10\nTuva,2022,3\nMoscow,2022,12\n",
                             "region,year", NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 4);
    assert_contains(err.message, "line 2");
}

/* The region part of a key is a region, not a spelling: Tyva 2022 and
 * Tuva 2022 are the same row twice (so are Moscow and MOSCOW). */
static void repeated_key_under_two_spellings_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("rep2.csv",
                             "region,year,deaths\nTyva,2022,10\nMoscow,2022,3\nTuva,2022,12\n",
                             "region,year", NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 4);
}

/* A key column the file lacks is an error. */
static void missing_key_column_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_int_not_equal(check_text("nokey.csv", "region,deaths\nMoscow,1\n", "region,year", NULL,
                                    &err),
                         PERCAP_OK);
    assert_contains(err.message, "'year'");
}

/* ---- numbers ------------------------------------------------------------ */

/* One bad cell in a numeric column fails at that cell. */
static void bad_cell_in_numeric_column_fails(void **state)
{
    (void)state;
    static const char *const bad[] = {"12abc", "\"1,234\"", "nan", "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "region,share,x\nMoscow,0.5,a\nTuva,%s,b\nKirov,0.25,c\n",
                 bad[i]);
        percap_error err;
        percap_status st = check_text("badnum.csv", text, NULL, NULL, &err);
        if (st != PERCAP_EDATA || err.line != 3 || err.column != 2)
            fail_msg("'%s': status %d at line %ld column %ld: %s", bad[i], (int)st, err.line,
                     err.column, err.message);
    }
}

/* Count columns, by each documented naming rule, must be non-negative
 * and complete. */
static void count_columns_must_be_complete_and_non_negative(void **state)
{
    (void)state;
    static const char *const names[] = {"deaths", "deaths_2023", "Population", "population_m",
                                        "men_18_60", "count", "death_count"};
    static const struct { const char *cell, *reason; } bad[] = {
        {"-1", "negative"},
        {"NA", "missing"},
        {"", "missing"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
            char text[160];
            snprintf(text, sizeof text, "region,%s\nMoscow,5\nTuva,%s\nKirov,7\n", names[i],
                     bad[j].cell);
            percap_error err;
            percap_status st = check_text("count.csv", text, NULL, NULL, &err);
            if (st != PERCAP_EDATA || err.line != 3 || err.column != 2 ||
                !strstr(err.message, bad[j].reason))
                fail_msg("column %s, cell '%s': status %d at line %ld column %ld: %s", names[i],
                         bad[j].cell, (int)st, err.line, err.column, err.message);
        }
}

/* A column merely containing "count" in its name is not a count column
 * (the rules are prefixes and the _count suffix): missing values pass. */
static void non_count_column_may_have_gaps(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("acct.csv", "region,account_no\nMoscow,5\nTuva,NA\n", NULL, NULL,
                             &err),
                  PERCAP_OK, err);
}

/* A count column with no values at all is as incomplete as one with a
 * gap: it must not pass as a "text column". */
static void count_column_with_no_values_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("allna.csv", "region,deaths\nMoscow,NA\nTuva,\n", NULL, NULL, &err),
                  PERCAP_EDATA, err);
}

/* ---- file structure ---------------------------------------------------- */

static void duplicate_header_fails(void **state)
{
    (void)state;
    percap_error err;
    assert_status(check_text("duphdr.csv", "region,deaths,Deaths\nMoscow,1,2\n", NULL, NULL,
                             &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 3);
}

static void missing_file_is_io_error(void **state)
{
    (void)state;
    percap_check_options o = {.registry = g_reg};
    const char *path = test_path("no-such-file.csv");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_file(path, &o, NULL, &err), PERCAP_EIO, err);
}

/* ---- registry files ------------------------------------------------------ */

/* A file with an aliases column is loaded as a registry: consistent
 * spellings pass (with a note), a spelling naming two regions fails and
 * names both. */
static void registry_file_is_checked_as_registry(void **state)
{
    (void)state;
    percap_check_options o = {0};
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_file(test_write_file("reg.csv",
                                                    "code,name,aliases\n"
                                                    "XX-N,North Shire,Nord; N Shire\n"
                                                    "XX-S,South Shire,Sud\n"),
                                    &o, notes, &err),
                  PERCAP_OK, err);
    assert_note(notes, "registry of 2 regions");
    percap_notes_free(notes);

    percap_error_clear(&err);
    assert_status(percap_check_file(test_write_file("reg2.csv",
                                                    "code,name,aliases\n"
                                                    "XX-N,North Shire,Shire\n"
                                                    "XX-S,South Shire,shire\n"),
                                    &o, NULL, &err),
                  PERCAP_EDATA, err);
    assert_contains(err.message, "XX-N");
    assert_contains(err.message, "XX-S");
    assert_int_equal(err.line, 3);
}

/* ---- percap_check_total ------------------------------------------------- */

static void check_total_matches_and_mismatches(void **state)
{
    (void)state;
    const char *path =
        test_write_file("total.csv", "region,deaths\nMoscow,120\nTuva,25\nKirov,5\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_total(path, NULL, "deaths", 150, &err), PERCAP_OK, err);
    assert_status(percap_check_total(path, NULL, "Deaths", 150, &err), PERCAP_OK, err);
    assert_status(percap_check_total(path, NULL, "deaths", 151, &err), PERCAP_EDATA, err);
    assert_contains(err.message, "150");
    assert_contains(err.message, "151");
    assert_string_equal(err.file, path);
    assert_int_not_equal(percap_check_total(path, NULL, "population", 150, &err), PERCAP_OK);
    assert_contains(err.message, "'population'");
}

/* A total over a column with a bad cell is an error at the cell, not a
 * total of the good ones. */
static void check_total_bad_cell_is_error(void **state)
{
    (void)state;
    const char *path = test_write_file("total2.csv", "region,deaths\nMoscow,120\nTuva,2x5\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_check_total(path, NULL, "deaths", 120, &err), PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_file_passes_with_totals),
        cmocka_unit_test(missing_values_allowed_outside_count_columns),
        cmocka_unit_test(shipped_registry_passes),
        cmocka_unit_test(no_registry_skips_region_check),
        cmocka_unit_test(own_areas_checked_among_themselves),
        cmocka_unit_test(unknown_region_fails_at_its_line),
        cmocka_unit_test(same_region_twice_fails),
        cmocka_unit_test(given_region_column_absent_falls_back_to_search),
        cmocka_unit_test(given_region_column_is_used),
        cmocka_unit_test(key_allows_long_tables),
        cmocka_unit_test(repeated_key_fails),
        cmocka_unit_test(repeated_key_under_two_spellings_fails),
        cmocka_unit_test(missing_key_column_fails),
        cmocka_unit_test(bad_cell_in_numeric_column_fails),
        cmocka_unit_test(count_columns_must_be_complete_and_non_negative),
        cmocka_unit_test(non_count_column_may_have_gaps),
        cmocka_unit_test(count_column_with_no_values_fails),
        cmocka_unit_test(duplicate_header_fails),
        cmocka_unit_test(missing_file_is_io_error),
        cmocka_unit_test(registry_file_is_checked_as_registry),
        cmocka_unit_test(check_total_matches_and_mismatches),
        cmocka_unit_test(check_total_bad_cell_is_error),
    };
    return cmocka_run_group_tests_name("check", tests, group_setup, group_teardown);
}
