/* Tests of percap/join.h: finding the region column, resolving spellings
 * against the shipped registry, own registries for areas it does not know,
 * and joining denominators, counts and covariates.
 *
 * Every input is a small CSV written to a private mkdtemp directory, so
 * each test states its data next to its expectations; the registry is the
 * shipped datasets/regions.csv, because real spellings (Tyva/Tuva,
 * Cyrillic names, ISO codes) are what the joins must cope with. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "percap/join.h"

#include "test_util.h"

/* ---- helpers ---------------------------------------------------------- */

static percap_registry *g_reg;

static int group_setup(void **state)
{
    (void)state;
    return test_make_dir_and_registry("join", &g_reg);
}

static int group_teardown(void **state)
{
    (void)state;
    percap_registry_free(g_reg);
    test_remove_tree(test_dir());
    return 0;
}

static percap_table *table_of(const char *name, const char *text)
{
    percap_error err;
    percap_error_clear(&err);
    percap_table *t = percap_table_read(test_write_file(name, text), NULL, &err);
    if (!t)
        fail_msg("cannot read %s: %s", name, err.message);
    return t;
}

static void print_notes(const percap_notes *notes)
{
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        print_message("  note: %s\n", percap_notes_get(notes, i));
}

#define assert_no_note(notes, needle)                                                    \
    do {                                                                                 \
        if (test_note_index((notes), (needle)) >= 0) {                                   \
            print_notes(notes);                                                          \
            fail_msg("a note contains \"%s\"", (needle));                                \
        }                                                                                \
    } while (0)

static long reg_index(const char *spelling)
{
    long i = percap_registry_lookup(g_reg, spelling);
    if (i < 0)
        fail_msg("registry does not know '%s'", spelling);
    return i;
}

/* Areas of the shipped registry from a population CSV (column "population"). */
static percap_areas *areas_of(const char *name, const char *text)
{
    percap_table *t = table_of(name, text);
    percap_areas *a = NULL;
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_join_denominators(g_reg, t, "population", NULL, &a, NULL, &err);
    percap_table_free(t);
    assert_status(st, PERCAP_OK, err);
    return a;
}

static long area_of(const percap_areas *a, const char *spelling)
{
    long r = percap_areas_find(a, (size_t)reg_index(spelling));
    if (r < 0)
        fail_msg("no area for '%s'", spelling);
    return r;
}

static const char pop3[] = "region,population\n"
                           "RU-MOW,13000000\n"
                           "RU-TY,330000\n"
                           "RU-TA,4000000\n";

/* ---- percap_join_region_column ----------------------------------------- */

/* The documented priority is region, region_code, iso_code, code, name:
 * each case removes the winner of the previous one, so every rung of the
 * ladder is checked, and all candidate columns hold known regions so that
 * only the name can decide. */
static void region_column_follows_name_priority(void **state)
{
    (void)state;
    static const struct { const char *header; size_t want; } cases[] = {
        {"name,code,iso_code,region_code,region,population", 4},
        {"name,code,iso_code,region_code,population", 3},
        {"name,code,iso_code,population", 2},
        {"name,code,population", 1},
        {"population,name", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512] = "";
        strcat(text, cases[i].header);
        strcat(text, "\n");
        /* a data row: Moscow in every column but population */
        char hdr[256];
        snprintf(hdr, sizeof hdr, "%s", cases[i].header);
        int first = 1;
        for (char *save = NULL, *f = strtok_r(hdr, ",", &save); f;
             f = strtok_r(NULL, ",", &save), first = 0) {
            strcat(text, first ? "" : ",");
            strcat(text, strcmp(f, "population") ? "Moscow" : "100");
        }
        strcat(text, "\n");
        percap_table *t = table_of("prio.csv", text);
        percap_notes *notes = percap_notes_alloc();
        percap_error err;
        percap_error_clear(&err);
        size_t col = 99;
        assert_status(percap_join_region_column(g_reg, t, NULL, &col, notes, &err), PERCAP_OK,
                      err);
        if (col != cases[i].want)
            fail_msg("header '%s': chose column %zu, expected %zu", cases[i].header, col,
                     cases[i].want);
        assert_note(notes, "(by its name)");
        percap_notes_free(notes);
        percap_table_free(t);
    }
}

/* Publishers write "Region" or " region "; the name match must not care. */
static void region_column_name_ignores_case_and_spaces(void **state)
{
    (void)state;
    percap_table *t = table_of("case.csv", "population, Region \n100,Moscow\n");
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, NULL, &err), PERCAP_OK, err);
    assert_int_equal(col, 1);
    percap_table_free(t);
}

/* With no column named for regions, the one whose values the registry
 * recognises most often wins, and the note says how many were known. */
static void region_column_by_best_registry_match(void **state)
{
    (void)state;
    percap_table *t = table_of("best.csv",
                               "id,capital,oblast,population\n"
                               "a1,Kyzyl,Tuva,330000\n"
                               "a2,Moscow,Москва,13000000\n"
                               "a3,Kazan,Tatarstan,4000000\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, notes, &err), PERCAP_OK, err);
    assert_int_equal(col, 2);
    assert_note(notes, "'oblast' (3 of 3 values are known regions)");
    percap_notes_free(notes);
    percap_table_free(t);
}

/* No name, no recognised value and no column that could name areas of
 * their own (the only text column repeats its values, the other is
 * numbers): the caller must say, so it is a usage error pointing at the
 * header and at --region-col. */
static void region_column_unknown_is_usage_error(void **state)
{
    (void)state;
    const char *path = test_write_file("none.csv", "kind,population\nshire,100\nshire,200\n");
    percap_table *t = percap_table_read(path, NULL, NULL);
    assert_non_null(t);
    percap_error err;
    percap_error_clear(&err);
    size_t col;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, NULL, &err), PERCAP_EUSAGE,
                  err);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 1);
    assert_contains(err.message, "--region-col");
    percap_table_free(t);
}

/* Ages are numbers, and some ages are Russian region numbers (17 is
 * Tuva, 77 Moscow): a numeric column counts as regions only if every
 * value is a code, else deaths would land on the wrong regions. */
static void region_column_not_guessed_from_numbers_that_happen_to_be_codes(void **state)
{
    (void)state;
    percap_table *t = table_of("ages.csv", "age,sex\n17,m\n77,f\n101,m\n");
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, NULL, &err), PERCAP_EUSAGE,
                  err);
    percap_table_free(t);
}

/* Every age here is also a region's number (17 Tuva, 77 Moscow, 25
 * Primorsky Krai): small numbers alone are no evidence, so the column is
 * not taken unless its header names codes; two-digit numbers with a
 * leading zero are no age, and qualify by their values. */
static void region_column_small_codes_need_a_code_header(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        percap_status want;
        size_t col;
    } cases[] = {
        {"age,sex\n17,m\n77,f\n25,m\n", PERCAP_EUSAGE, 0},
        {"sex,Код региона\nm,17\nf,77\n", PERCAP_OK, 1},
        {"sex,subject_no\nm,17\nf,77\n", PERCAP_OK, 1},
        {"n,sex\n01,m\n17,f\n", PERCAP_OK, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        percap_table *t = table_of("small_codes.csv", cases[i].text);
        percap_error err;
        percap_error_clear(&err);
        size_t col = 99;
        assert_status(percap_join_region_column(g_reg, t, NULL, &col, NULL, &err),
                      cases[i].want, err);
        if (cases[i].want == PERCAP_OK)
            assert_int_equal(col, cases[i].col);
        percap_table_free(t);
    }
}

/* ...while a numeric column whose every value is a code (OKATO here) is
 * a region column. */
static void region_column_guessed_from_all_numeric_codes(void **state)
{
    (void)state;
    percap_table *t = table_of("okato.csv", "population,okato\n330000,93000000000\n"
                                            "13000000,45000000000\n");
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, NULL, &err), PERCAP_OK, err);
    assert_int_equal(col, 1);
    percap_table_free(t);
}

/* Areas the registry does not know, in a column not named for regions:
 * the first text column without repeated values is taken, and the note
 * says why. */
static void region_column_falls_back_to_unique_text_column(void **state)
{
    (void)state;
    percap_table *t = table_of("shires_area.csv", "id,kind,area,population\n"
                                                  "1,shire,North Shire,100\n"
                                                  "2,shire,South Shire,200\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, NULL, &col, notes, &err), PERCAP_OK, err);
    assert_int_equal(col, 2);
    assert_note(notes, "'area' (the first text column with no repeated value");
    percap_notes_free(notes);
    percap_table_free(t);
}

/* A given column overrides the names, even when "region" exists. */
static void region_column_given_is_used(void **state)
{
    (void)state;
    percap_table *t = table_of("given.csv", "region,Subject,population\nx,Tuva,1\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    size_t col = 99;
    assert_status(percap_join_region_column(g_reg, t, "subject", &col, notes, &err), PERCAP_OK,
                  err);
    assert_int_equal(col, 1);
    assert_note(notes, "(given)");
    percap_notes_free(notes);
    percap_table_free(t);
}

/* A given column the file lacks: the message lists the columns that do
 * exist, so the user can see the typo. */
static void region_column_given_missing_lists_columns(void **state)
{
    (void)state;
    const char *path = test_write_file("given2.csv", "region,population\nMoscow,1\n");
    percap_table *t = percap_table_read(path, NULL, NULL);
    assert_non_null(t);
    percap_error err;
    percap_error_clear(&err);
    size_t col;
    assert_status(percap_join_region_column(g_reg, t, "oblast", &col, NULL, &err), PERCAP_EDATA,
                  err);
    assert_string_equal(err.file, path);
    assert_contains(err.message, "'oblast'");
    assert_contains(err.message, "'region', 'population'");
    percap_table_free(t);
}

/* ---- percap_join_resolve ----------------------------------------------- */

/* Codes, English, Russian and lower-case spellings all land on the right
 * registry entries. */
static void resolve_maps_spellings_to_regions(void **state)
{
    (void)state;
    percap_table *t = table_of("spell.csv",
                               "region,population\n"
                               "RU-MOW,1\n"
                               "Тыва,2\n"
                               "republic of tatarstan,3\n"
                               "St. Petersburg,4\n");
    long index[4];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, NULL, index, NULL, &err), PERCAP_OK, err);
    assert_int_equal(index[0], reg_index("RU-MOW"));
    assert_int_equal(index[1], reg_index("RU-TY"));
    assert_int_equal(index[2], reg_index("RU-TA"));
    assert_int_equal(index[3], reg_index("RU-SPE"));
    percap_table_free(t);
}

/* A misspelt region names file, line and field, and suggests the region
 * that was probably meant. The region is in the second column and on the
 * third line so that neither number can be right by accident. */
static void resolve_unknown_region_has_position_and_suggestion(void **state)
{
    (void)state;
    const char *path = test_write_file("typo.csv",
                                       "population,region\n"
                                       "1,Moscow\n"
                                       "2,Tatarstn\n"
                                       "3,Tuva\n");
    percap_table *t = percap_table_read(path, NULL, NULL);
    assert_non_null(t);
    long index[3];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 1, NULL, index, NULL, &err), PERCAP_EDATA, err);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_contains(err.message, "Tatarstn");
    assert_contains(err.message, "did you mean 'Republic of Tatarstan' (RU-TA)");
    /* and the formatted message puts the position first */
    char buf[2048], want[PATH_MAX + 16];
    percap_error_format(&err, buf, sizeof buf);
    snprintf(want, sizeof want, "%s:3:2: ", path);
    assert_int_equal(strncmp(buf, want, strlen(want)), 0);
    percap_table_free(t);
}

/* Several unknown regions: the error is at the first one, and says how
 * many there are in all so the user fixes them in one go. */
static void resolve_reports_first_unknown_and_total(void **state)
{
    (void)state;
    percap_table *t = table_of("typos.csv",
                               "region\nMoscow\nAtlantis\nTuva\nNarnia\nLilliput\n");
    long index[5];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, NULL, index, NULL, &err), PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "'Atlantis'");
    assert_contains(err.message, "3 unknown in all");
    assert_contains(err.message, "'Narnia' (line 5)");
    assert_contains(err.message, "'Lilliput' (line 6)");
    percap_table_free(t);
}

/* The caller's hint (the CLI says how to drop such rows) ends the
 * unknown-region message; without one nothing is appended. */
static void resolve_unknown_region_message_carries_hint(void **state)
{
    (void)state;
    percap_table *t = table_of("hint.csv", "region\nAtlantis\n");
    long index[1];
    percap_join_options o = {.unmatched_hint = " (use --allow-unmatched to drop such rows)"};
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, NULL, &err), PERCAP_EDATA, err);
    size_t n = strlen(err.message), h = strlen(o.unmatched_hint);
    assert_true(n >= h);
    assert_string_equal(err.message + n - h, o.unmatched_hint);
    assert_status(percap_join_resolve(g_reg, t, 0, NULL, index, NULL, &err), PERCAP_EDATA, err);
    assert_null(strstr(err.message, "--allow-unmatched"));
    percap_table_free(t);
}

/* With allow_unmatched the unknown row is dropped (index -1), the others
 * still resolve, and a note names what was dropped. */
static void resolve_allow_unmatched_drops_row_with_note(void **state)
{
    (void)state;
    percap_table *t = table_of("drop.csv", "region\nMoscow\nAtlantis\nTuva\n");
    long index[3];
    percap_join_options o = {.allow_unmatched = true};
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, notes, &err), PERCAP_OK, err);
    assert_int_equal(index[0], reg_index("Moscow"));
    assert_int_equal(index[1], -1);
    assert_int_equal(index[2], reg_index("Tuva"));
    assert_note(notes, "1 rows with unknown regions dropped: 'Atlantis' (line 3)");
    percap_notes_free(notes);
    percap_table_free(t);
}

/* Tyva and Tuva are one republic: a file listing both would count it
 * twice. The error is at the second line and names the first. */
static void resolve_same_region_two_spellings_names_both_lines(void **state)
{
    (void)state;
    const char *path = test_write_file("twice.csv", "region,population\n"
                                                    "Tyva,330000\n"
                                                    "Moscow,13000000\n"
                                                    "Tuva,330000\n");
    percap_table *t = percap_table_read(path, NULL, NULL);
    assert_non_null(t);
    long index[3];
    percap_join_options o = {.allow_unmatched = true}; /* does not excuse duplicates */
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, NULL, &err), PERCAP_EDATA, err);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 1);
    assert_contains(err.message, "'Tuva'");
    assert_contains(err.message, "'Tyva'");
    assert_contains(err.message, "line 2");
    assert_contains(err.message, "RU-TY");
    percap_table_free(t);
}

/* A long table (one row per region and year) names regions repeatedly:
 * allow_repeats accepts that, under any spelling, and each row still
 * resolves to its region. */
static void resolve_allow_repeats_accepts_long_tables(void **state)
{
    (void)state;
    percap_table *t = table_of("long.csv", "region,year\nTyva,2021\nTuva,2022\nMoscow,2021\n");
    long index[3];
    percap_join_options o = {.allow_repeats = true};
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, NULL, &err), PERCAP_OK, err);
    assert_int_equal(index[0], reg_index("RU-TY"));
    assert_int_equal(index[1], reg_index("RU-TY"));
    assert_int_equal(index[2], reg_index("RU-MOW"));
    percap_table_free(t);
}

/* An empty region cell is an unknown region by default (an error at its
 * line); with allow_empty such rows are skipped and counted in a note,
 * while a real unknown name is still an error. */
static void resolve_allow_empty_skips_blank_regions(void **state)
{
    (void)state;
    percap_table *t = table_of("blank.csv", "region,deaths\nMoscow,1\n,2\nNA,3\nTuva,4\n");
    long index[4];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, NULL, index, NULL, &err), PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "empty region name");

    percap_join_options o = {.allow_empty = true};
    percap_notes *notes = percap_notes_alloc();
    percap_error_clear(&err);
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, notes, &err), PERCAP_OK, err);
    assert_int_equal(index[1], -1);
    assert_int_equal(index[2], -1);
    assert_int_equal(index[3], reg_index("Tuva"));
    assert_note(notes, "2 rows without a region");
    percap_notes_free(notes);
    percap_table_free(t);

    t = table_of("blank2.csv", "region\n\"\"\nAtlantis\n");
    assert_status(percap_join_resolve(g_reg, t, 0, &o, index, NULL, &err), PERCAP_EDATA, err);
    assert_contains(err.message, "Atlantis");
    percap_table_free(t);
}

/* ---- percap_join_own_registry ----------------------------------------- */

/* Made-up areas the registry cannot know get a registry of their own,
 * and another file's spellings of them match ignoring case and
 * punctuation: the whole join works without the shipped registry. */
static void own_registry_matches_keys_across_files(void **state)
{
    (void)state;
    percap_table *pop = table_of("shires_pop.csv", "region,population\n"
                                                   " North Shire ,120000\n"
                                                   "South Shire,80000\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    size_t col;
    percap_registry *own = NULL;
    assert_status(percap_join_region_column(g_reg, pop, NULL, &col, NULL, &err), PERCAP_OK, err);
    assert_status(percap_join_own_registry(g_reg, pop, col, &own, notes, &err), PERCAP_OK, err);
    assert_non_null(own);
    assert_int_equal(percap_registry_size(own), 2);
    assert_string_equal(percap_registry_code(own, 0), "North Shire"); /* trimmed */
    assert_note(notes, "matching area names across files as written (2 areas)");

    percap_areas *a = NULL;
    assert_status(percap_join_denominators(own, pop, "population", NULL, &a, notes, &err),
                  PERCAP_OK, err);
    percap_table *deaths = table_of("shires_deaths.csv", "region,deaths\n"
                                                         "SOUTH-SHIRE,7\n"
                                                         "north shire.,12\n");
    assert_status(percap_join_counts(a, deaths, "deaths", NULL, notes, &err), PERCAP_OK, err);
    assert_int_equal(a->n, 2);
    assert_string_equal(percap_areas_code(a, 0), "North Shire");
    assert_double_equal(a->rows[0].deaths, 12);
    assert_double_equal(a->rows[0].population, 120000);
    assert_string_equal(percap_areas_code(a, 1), "South Shire");
    assert_double_equal(a->rows[1].deaths, 7);
    percap_areas_free(a);
    percap_table_free(deaths);
    percap_registry_free(own);
    percap_notes_free(notes);
    percap_table_free(pop);
}

/* US counties: another country, another area type. Names with commas and
 * states in them are quoted in the file; the join is by the whole name. */
static void own_registry_for_us_counties(void **state)
{
    (void)state;
    percap_table *pop = table_of("counties_pop.csv",
                                 "name,population\n"
                                 "\"Los Angeles County, California\",9829544\n"
                                 "\"Cook County, Illinois\",5173146\n"
                                 "\"Harris County, Texas\",4780913\n");
    percap_error err;
    percap_error_clear(&err);
    size_t col;
    percap_registry *own = NULL;
    assert_status(percap_join_region_column(g_reg, pop, NULL, &col, NULL, &err), PERCAP_OK, err);
    assert_status(percap_join_own_registry(g_reg, pop, col, &own, NULL, &err), PERCAP_OK, err);
    assert_non_null(own);
    percap_areas *a = NULL;
    assert_status(percap_join_denominators(own, pop, "population", NULL, &a, NULL, &err),
                  PERCAP_OK, err);
    percap_table *deaths = table_of("counties_deaths.csv",
                                    "name,deaths\n"
                                    "LOS ANGELES COUNTY CALIFORNIA,61\n"
                                    "cook county (illinois),30\n");
    percap_notes *notes = percap_notes_alloc();
    assert_status(percap_join_counts(a, deaths, "deaths", NULL, notes, &err), PERCAP_OK, err);
    assert_double_equal(a->rows[0].deaths, 61);
    assert_double_equal(a->rows[1].deaths, 30);
    assert_double_equal(a->rows[2].deaths, 0);
    assert_note(notes, "1 areas have no row and are counted as 0 deaths: Harris County, Texas");
    percap_notes_free(notes);
    percap_areas_free(a);
    percap_table_free(deaths);
    percap_registry_free(own);
    percap_table_free(pop);
}

/* One recognised value is enough to trust the shipped registry: no own
 * registry, so the unknown value is reported instead of silently
 * becoming an area of its own. */
static void own_registry_not_built_when_any_value_known(void **state)
{
    (void)state;
    percap_table *t = table_of("mixed.csv", "region,population\nNorth Shire,1\nMoscow,2\n");
    percap_error err;
    percap_error_clear(&err);
    percap_registry *own = (percap_registry *)&own; /* must be reset to NULL */
    assert_status(percap_join_own_registry(g_reg, t, 0, &own, NULL, &err), PERCAP_OK, err);
    assert_null(own);
    percap_table_free(t);
}

/* Two spellings of one made-up area are one area, so the own registry
 * has one entry and resolving reports the repetition. */
static void own_registry_repeated_area_is_reported_by_resolve(void **state)
{
    (void)state;
    percap_table *t = table_of("rep.csv", "region,population\nNorth Shire,1\nnorth-shire,2\n");
    percap_error err;
    percap_error_clear(&err);
    percap_registry *own = NULL;
    assert_status(percap_join_own_registry(g_reg, t, 0, &own, NULL, &err), PERCAP_OK, err);
    assert_non_null(own);
    assert_int_equal(percap_registry_size(own), 1);
    long index[2];
    assert_status(percap_join_resolve(own, t, 0, NULL, index, NULL, &err), PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "line 2");
    percap_registry_free(own);
    percap_table_free(t);
}

/* French departments: Loire and Haute-Loire, Savoie and Haute-Savoie are
 * four different areas. An own registry must keep them apart: the part
 * after a hyphen is not a country-prefixed code. */
static void own_registry_keeps_hyphenated_names_distinct(void **state)
{
    (void)state;
    percap_table *pop = table_of("dept_pop.csv", "region,population\n"
                                                 "Loire,765000\n"
                                                 "Haute-Loire,227000\n"
                                                 "Savoie,436000\n"
                                                 "Haute-Savoie,826000\n");
    percap_error err;
    percap_error_clear(&err);
    percap_registry *own = NULL;
    percap_status st = percap_join_own_registry(g_reg, pop, 0, &own, NULL, &err);
    /* results first, then free, then assert: a failure leaks nothing */
    size_t n = own ? percap_registry_size(own) : 0;
    long loire = own ? percap_registry_lookup(own, "loire") : -2;
    long haute = own ? percap_registry_lookup(own, "HAUTE LOIRE") : -2;
    percap_registry_free(own);
    percap_table_free(pop);
    assert_status(st, PERCAP_OK, err);
    assert_int_equal(n, 4);
    assert_int_equal(loire, 0);
    assert_int_equal(haute, 1);
}

/* The same mistake without a collision: with only Haute-Loire in the
 * population file, deaths in Loire must not be joined to Haute-Loire. */
static void own_registry_does_not_match_text_after_hyphen(void **state)
{
    (void)state;
    percap_table *pop = table_of("dept1_pop.csv", "region,population\n"
                                                  "Haute-Loire,227000\n"
                                                  "Cantal,145000\n");
    percap_error err;
    percap_error_clear(&err);
    percap_registry *own = NULL;
    percap_status st = percap_join_own_registry(g_reg, pop, 0, &own, NULL, &err);
    long loire = own ? percap_registry_lookup(own, "Loire") : -2;
    percap_registry_free(own);
    percap_table_free(pop);
    assert_status(st, PERCAP_OK, err);
    assert_int_equal(loire, -1);
}

/* ---- percap_join_areas / percap_join_denominators ---------------------- */

/* Areas come in the file's order with their denominators and lines. */
static void denominators_in_file_order(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    assert_int_equal(a->n, 3);
    assert_ptr_equal(a->registry, g_reg);
    assert_string_equal(percap_areas_code(a, 0), "RU-MOW");
    assert_string_equal(percap_areas_code(a, 1), "RU-TY");
    assert_string_equal(percap_areas_code(a, 2), "RU-TA");
    assert_double_equal(a->rows[0].population, 13000000);
    assert_double_equal(a->rows[1].population, 330000);
    assert_double_equal(a->rows[2].population, 4000000);
    assert_int_equal(a->rows[2].line, 4);
    for (size_t i = 0; i < a->n; i++)
        assert_double_equal(a->rows[i].deaths, 0);
    assert_int_equal(a->ncov, 0);
    percap_areas_free(a);
}

/* Without denominators, percap_join_areas leaves them NAN (unset), not 0,
 * so a forgotten join cannot pass for a real value. */
static void join_areas_leaves_denominators_unset(void **state)
{
    (void)state;
    percap_table *t = table_of("areas.csv", "region\nTuva\nMoscow\n");
    percap_areas *a = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_areas(g_reg, t, NULL, &a, NULL, &err), PERCAP_OK, err);
    assert_int_equal(a->n, 2);
    assert_true(isnan(a->rows[0].population));
    assert_double_equal(a->rows[1].deaths, 0);
    assert_int_equal(a->rows[1].line, 3);
    percap_areas_free(a);
    percap_table_free(t);
}

/* Every unusable denominator is an error at its own cell (line 3,
 * column 2), with a reason that fits the value. */
static void denominators_bad_values_name_file_line_column(void **state)
{
    (void)state;
    static const struct { const char *cell, *shown, *reason; } cases[] = {
        {"0", "'0'", "positive"},
        {"-5", "'-5'", "positive"},
        {"\"1,234\"", "'1,234'", "thousands separators"},
        {"nan", "'nan'", "not a finite number"},
        {"inf", "'inf'", "not a finite number"},
        {"12abc", "'12abc'", "not a number"},
        {"", "''", "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "region,population\nMoscow,13000000\nTuva,%s\nKirov,1\n",
                 cases[i].cell);
        const char *path = test_write_file("badpop.csv", text);
        percap_table *t = percap_table_read(path, NULL, NULL);
        assert_non_null(t);
        percap_areas *a = (percap_areas *)&a; /* must be reset to NULL */
        percap_error err;
        percap_error_clear(&err);
        percap_status st = percap_join_denominators(g_reg, t, "population", NULL, &a, NULL, &err);
        if (st != PERCAP_EDATA || err.line != 3 || err.column != 2 || strcmp(err.file, path) ||
            !strstr(err.message, cases[i].shown) || !strstr(err.message, cases[i].reason))
            fail_msg("cell %s: status %d at %s:%ld:%ld: %s", cases[i].cell, (int)st, err.file,
                     err.line, err.column, err.message);
        assert_null(a);
        percap_table_free(t);
    }
}

/* A missing denominator column is named, with the columns there are. */
static void denominators_missing_column_lists_columns(void **state)
{
    (void)state;
    percap_table *t = table_of("nopop.csv", "region,people\nMoscow,1\n");
    percap_areas *a = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_denominators(g_reg, t, "population", NULL, &a, NULL, &err),
                  PERCAP_EDATA, err);
    assert_contains(err.message, "'population'");
    assert_contains(err.message, "'region', 'people'");
    assert_null(a);
    percap_table_free(t);
}

/* A dropped row is dropped whole: its denominator is not even read, and
 * the rows after it still get theirs (the walk skips it in step). */
static void denominators_skip_dropped_rows(void **state)
{
    (void)state;
    percap_table *t = table_of("droppop.csv", "region,population\n"
                                              "Moscow,13000000\n"
                                              "Atlantis,lots\n"
                                              "Tuva,330000\n");
    percap_join_options o = {.allow_unmatched = true};
    percap_areas *a = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_denominators(g_reg, t, "population", &o, &a, notes, &err),
                  PERCAP_OK, err);
    assert_int_equal(a->n, 2);
    assert_string_equal(percap_areas_code(a, 1), "RU-TY");
    assert_double_equal(a->rows[1].population, 330000);
    assert_int_equal(a->rows[1].line, 4);
    assert_note(notes, "'Atlantis' (line 3)");
    percap_areas_free(a);
    percap_notes_free(notes);
    percap_table_free(t);
}

/* A file whose every region was dropped has no areas: an error, not an
 * empty table that would print as a valid result. */
static void join_areas_with_no_areas_is_error(void **state)
{
    (void)state;
    percap_table *t = table_of("empty.csv", "region,population\nAtlantis,1\n");
    percap_join_options o = {.allow_unmatched = true};
    percap_areas *a = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_areas(g_reg, t, &o, &a, NULL, &err), PERCAP_EDATA, err);
    assert_contains(err.message, "no areas");
    assert_null(a);
    percap_table_free(t);
}

/* ---- percap_join_counts ------------------------------------------------ */

/* Counts in Russian, against denominators by ISO code; the area missing
 * from the deaths file gets 0 and a note names it. */
static void counts_join_across_spellings_and_note_absent_areas(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("deaths_ru.csv", "oblast,deaths\nТыва,25\nМосква,120\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, notes, &err), PERCAP_OK, err);
    assert_double_equal(a->rows[area_of(a, "Moscow")].deaths, 120);
    assert_double_equal(a->rows[area_of(a, "Tuva")].deaths, 25);
    assert_double_equal(a->rows[area_of(a, "Tatarstan")].deaths, 0);
    assert_note(notes, "1 areas have no row and are counted as 0 deaths: RU-TA");
    percap_notes_free(notes);
    percap_table_free(d);
    percap_areas_free(a);
}

/* Every area counted: no note about areas without a row. */
static void counts_complete_file_adds_no_zero_note(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("deaths3.csv",
                               "region,deaths\nMoscow,120\nTuva,25\nTatarstan,0\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, notes, &err), PERCAP_OK, err);
    assert_no_note(notes, "counted as 0 deaths");
    percap_notes_free(notes);
    percap_table_free(d);
    percap_areas_free(a);
}

/* A count must be a whole number from 0 up to the denominator; each bad
 * value is reported at its cell (line 3, column 2). */
static void counts_bad_values_name_file_line_column(void **state)
{
    (void)state;
    static const struct { const char *cell, *reason; } cases[] = {
        {"2.5", "not a whole number"},
        {"-1", "negative"},
        {"330001", "more deaths than the denominator (330000)"},
        {"many", "not a number"},
        {"", "empty"},
    };
    percap_areas *a = areas_of("pop3.csv", pop3);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "region,deaths\nMoscow,120\nTuva,%s\n", cases[i].cell);
        const char *path = test_write_file("baddeaths.csv", text);
        percap_table *d = percap_table_read(path, NULL, NULL);
        assert_non_null(d);
        percap_error err;
        percap_error_clear(&err);
        percap_status st = percap_join_counts(a, d, "deaths", NULL, NULL, &err);
        if (st != PERCAP_EDATA || err.line != 3 || err.column != 2 || strcmp(err.file, path) ||
            !strstr(err.message, cases[i].reason))
            fail_msg("cell '%s': status %d at %s:%ld:%ld: %s", cases[i].cell, (int)st,
                     err.file, err.line, err.column, err.message);
        percap_table_free(d);
    }
    percap_areas_free(a);
}

/* Exactly the denominator is allowed (everyone died is possible in a
 * tiny area); one more is not (tested above). */
static void counts_equal_to_denominator_allowed(void **state)
{
    (void)state;
    percap_areas *a = areas_of("tiny.csv", "region,population\nNenets,12\n");
    percap_table *d = table_of("tinyd.csv", "region,deaths\nNenets,12\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, NULL, &err), PERCAP_OK, err);
    assert_double_equal(a->rows[0].deaths, 12);
    percap_table_free(d);
    percap_areas_free(a);
}

/* A row of 0 deaths for a region with no denominator carries nothing:
 * it is skipped without an error and without a note. */
static void counts_zero_row_without_denominator_ignored_silently(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("zero.csv", "region,deaths\n"
                                           "Moscow,120\nTuva,25\nTatarstan,3\n"
                                           "Chechnya,0\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, notes, &err), PERCAP_OK, err);
    assert_no_note(notes, "Chechnya");
    assert_no_note(notes, "RU-CE");
    assert_no_note(notes, "denominator");
    assert_int_equal(a->n, 3);
    percap_notes_free(notes);
    percap_table_free(d);
    percap_areas_free(a);
}

/* Deaths in a region without a denominator cannot become a rate: an error
 * at the row, or with allow_unmatched a note saying they were left out. */
static void counts_deaths_without_denominator(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    const char *path = test_write_file("nodenom.csv", "region,deaths\nMoscow,120\nChechnya,4\n");
    percap_table *d = percap_table_read(path, NULL, NULL);
    assert_non_null(d);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, NULL, &err), PERCAP_EDATA, err);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "'Chechnya' (line 3)");
    assert_contains(err.message, "no denominator");

    percap_join_options o = {.allow_unmatched = true};
    percap_notes *notes = percap_notes_alloc();
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", &o, notes, &err), PERCAP_OK, err);
    assert_note(notes, "1 regions with deaths but no denominator left out: 'Chechnya'");
    assert_double_equal(a->rows[area_of(a, "Moscow")].deaths, 120);
    percap_notes_free(notes);
    percap_table_free(d);
    percap_areas_free(a);
}

/* A deaths file with an unknown region fails like any other join, with
 * the position and a suggestion. */
static void counts_unknown_region_is_error(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("unk.csv", "region,deaths\nMoscow,1\nTuvaa,2\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, NULL, &err), PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "did you mean 'Tuva Republic' (RU-TY)");
    percap_table_free(d);
    percap_areas_free(a);
}

/* A deaths file with a header and no rows is almost certainly a broken
 * export: an error, not a table of zeros. */
static void counts_header_only_is_error(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("hdr.csv", "region,deaths\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, NULL, &err), PERCAP_EDATA, err);
    percap_table_free(d);
    percap_areas_free(a);
}

/* A missing count column is named with the columns that exist. */
static void counts_missing_column_lists_columns(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *d = table_of("nocount.csv", "region,killed\nMoscow,1\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_counts(a, d, "deaths", NULL, NULL, &err), PERCAP_EDATA, err);
    assert_contains(err.message, "'deaths'");
    assert_contains(err.message, "'region', 'killed'");
    percap_table_free(d);
    percap_areas_free(a);
}

/* ---- percap_join_count_array ------------------------------------------ */

static double *zero_counts(void)
{
    double *c = calloc(percap_registry_size(g_reg), sizeof *c);
    assert_non_null(c);
    return c;
}

/* Counts indexed by registry region land on the matching areas; regions
 * with no count keep 0. */
static void count_array_assigns_by_region(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    double *c = zero_counts();
    c[reg_index("Moscow")] = 120;
    c[reg_index("Tuva")] = 25;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_count_array(a, c, "records.csv", NULL, NULL, &err), PERCAP_OK, err);
    assert_double_equal(a->rows[area_of(a, "Moscow")].deaths, 120);
    assert_double_equal(a->rows[area_of(a, "Tuva")].deaths, 25);
    assert_double_equal(a->rows[area_of(a, "Tatarstan")].deaths, 0);
    free(c);
    percap_areas_free(a);
}

/* Deaths counted in a region without a denominator: an error naming the
 * source, the region and its code; with allow_unmatched, a note. A zero
 * count for such a region is no problem at all. */
static void count_array_region_without_denominator(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    double *c = zero_counts();
    c[reg_index("Moscow")] = 120;
    c[reg_index("Chechnya")] = 4;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_count_array(a, c, "records.csv", NULL, NULL, &err), PERCAP_EDATA,
                  err);
    assert_string_equal(err.file, "records.csv");
    assert_contains(err.message, "4 deaths in Chechen Republic (RU-CE)");

    percap_join_options o = {.allow_unmatched = true};
    percap_notes *notes = percap_notes_alloc();
    percap_error_clear(&err);
    assert_status(percap_join_count_array(a, c, "records.csv", &o, notes, &err), PERCAP_OK, err);
    assert_note(notes, "records.csv: 4 deaths in Chechen Republic (RU-CE) left out");
    assert_double_equal(a->rows[area_of(a, "Moscow")].deaths, 120);
    percap_notes_free(notes);
    free(c);
    percap_areas_free(a);
}

/* More deaths than people is an error even from a record list. */
static void count_array_above_denominator_is_error(void **state)
{
    (void)state;
    percap_areas *a = areas_of("tiny.csv", "region,population\nNenets,12\n");
    double *c = zero_counts();
    c[reg_index("Nenets")] = 13;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_count_array(a, c, "records.csv", NULL, NULL, &err), PERCAP_EDATA,
                  err);
    assert_contains(err.message, "more than its denominator (12)");
    free(c);
    percap_areas_free(a);
}

/* ---- percap_join_covariates ------------------------------------------- */

/* Numeric columns are joined by region; a text column is skipped with a
 * note; "NA" and "" are missing (NAN) and the coverage note says how many
 * areas lack the value; extra regions in the covariate file are harmless. */
static void covariates_numeric_joined_text_skipped(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *t = table_of("cov.csv", "region,gdp,capital,share\n"
                                          "Tatarstan,3.5,Kazan,\n"
                                          "Moscow,1.5,Moscow City,0.25\n"
                                          "Tuva,2.5,Kyzyl,NA\n"
                                          "Chechnya,9,Grozny,0.5\n"
                                          "Atlantis,1,Poseidonis,1\n");
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_covariates(a, t, NULL, NULL, notes, &err), PERCAP_OK, err);
    assert_int_equal(a->ncov, 2);
    assert_string_equal(a->cov_names[0], "gdp");
    assert_string_equal(a->cov_names[1], "share");
    size_t mow = (size_t)area_of(a, "Moscow"), ty = (size_t)area_of(a, "Tuva"),
           ta = (size_t)area_of(a, "Tatarstan");
    assert_double_equal(percap_areas_cov(a, mow, 0), 1.5);
    assert_double_equal(percap_areas_cov(a, ty, 0), 2.5);
    assert_double_equal(percap_areas_cov(a, ta, 0), 3.5);
    assert_double_equal(percap_areas_cov(a, mow, 1), 0.25);
    assert_true(isnan(percap_areas_cov(a, ty, 1)));
    assert_true(isnan(percap_areas_cov(a, ta, 1)));
    assert_note(notes, "text column 'capital' not used as a covariate");
    assert_note(notes, "covariate 'share' is missing for 2 of 3 areas");
    assert_no_note(notes, "covariate 'gdp' is missing");
    percap_notes_free(notes);
    percap_table_free(t);
    percap_areas_free(a);
}

/* Areas the covariate file does not list get NAN, not 0. */
static void covariates_absent_area_is_nan(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *t = table_of("cov2.csv", "region,gdp\nMoscow,1.5\n");
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_covariates(a, t, NULL, NULL, NULL, &err), PERCAP_OK, err);
    assert_true(isnan(percap_areas_cov(a, (size_t)area_of(a, "Tuva"), 0)));
    percap_table_free(t);
    percap_areas_free(a);
}

/* One bad cell in a numeric column is an error at that cell, not a
 * reason to treat the column as text and drop it quietly. */
static void covariates_mixed_column_is_error_at_cell(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    const char *path = test_write_file("mixed.csv", "region,year,gdp\n"
                                                    "Moscow,2021,1.5\n"
                                                    "Tuva,2021,2.5\n"
                                                    "Tatarstan,2021,12abc\n");
    percap_table *t = percap_table_read(path, NULL, NULL);
    assert_non_null(t);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_covariates(a, t, NULL, NULL, NULL, &err), PERCAP_EDATA, err);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 3);
    assert_contains(err.message, "'12abc'");
    assert_contains(err.message, "gdp");
    percap_table_free(t);
    percap_areas_free(a);
}

/* Two files giving the same covariate name (in any case) would make two
 * columns no one can tell apart: an error at the second file's header. */
static void covariates_duplicate_name_across_files_is_error(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *t1 = table_of("cova.csv", "region,GDP\nMoscow,1.5\n");
    const char *path2 = test_write_file("covb.csv", "region,unemployment,gdp\nMoscow,3,2.5\n");
    percap_table *t2 = percap_table_read(path2, NULL, NULL);
    assert_non_null(t2);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_covariates(a, t1, NULL, NULL, NULL, &err), PERCAP_OK, err);
    percap_status st = percap_join_covariates(a, t2, NULL, NULL, NULL, &err);
    assert_true(st == PERCAP_EUSAGE || st == PERCAP_EDATA);
    assert_string_equal(err.file, path2);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 3);
    assert_contains(err.message, "gdp");
    percap_table_free(t2);
    percap_table_free(t1);
    percap_areas_free(a);
}

/* Column names are kept whole, however long: they were once cut at 255
 * bytes, which split a Cyrillic letter in the output header (found by
 * fuzz_covariates) and made two long names that differ only at the end
 * one name given twice. */
static void covariates_long_names_kept_whole(void **state)
{
    (void)state;
    char header[2048] = "region";
    char name1[700] = "", name2[720];
    for (int i = 0; i < 64; i++)
        strcat(name1, "доля "); /* "доля ", 9 bytes */
    snprintf(name2, sizeof name2, "%sB", name1);
    strcat(name1, "A");
    snprintf(header + strlen(header), sizeof header - strlen(header), ", %s ,%s\n", name1,
             name2);
    char text[4096];
    snprintf(text, sizeof text, "%sMoscow,1.5,2.5\n", header);
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *t = table_of("cov_long.csv", text);
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_join_covariates(a, t, NULL, NULL, NULL, &err);
    percap_table_free(t);
    assert_status(st, PERCAP_OK, err);
    assert_int_equal(a->ncov, 2);
    assert_string_equal(a->cov_names[0], name1);
    assert_string_equal(a->cov_names[1], name2);
    assert_true(a->cov[(size_t)area_of(a, "Moscow") * 2 + 1] == 2.5);
    percap_areas_free(a);
}

/* A covariate called like an output column (rate, deaths...) would make
 * the output header ambiguous: every reserved name, in any case and with
 * spaces around it, is refused. */
static void covariates_reserved_names_are_errors(void **state)
{
    (void)state;
    static const char *const names[] = {"rank", "region_code", "region_name", "deaths",
                                        "population", "rate", "ci_low", "ci_high", "flag",
                                        "Rate", " Deaths "};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        percap_areas *a = areas_of("pop3.csv", pop3);
        char text[128];
        snprintf(text, sizeof text, "region,%s\nMoscow,1\n", names[i]);
        percap_table *t = table_of("reserved.csv", text);
        percap_error err;
        percap_error_clear(&err);
        percap_status st = percap_join_covariates(a, t, NULL, NULL, NULL, &err);
        if (st == PERCAP_OK)
            fail_msg("covariate named '%s' was accepted", names[i]);
        assert_int_equal(err.column, 2);
        assert_int_equal(a->ncov, 0);
        percap_table_free(t);
        percap_areas_free(a);
    }
}

/* With explicit columns only those are joined; a missing one is an error
 * listing the columns there are. */
static void covariates_explicit_columns(void **state)
{
    (void)state;
    percap_areas *a = areas_of("pop3.csv", pop3);
    percap_table *t = table_of("cov3.csv", "region,gdp,share\nMoscow,1.5,0.25\n");
    const char *const only_share[] = {"share", NULL};
    const char *const missing[] = {"income", NULL};
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_join_covariates(a, t, only_share, NULL, NULL, &err), PERCAP_OK, err);
    assert_int_equal(a->ncov, 1);
    assert_string_equal(a->cov_names[0], "share");
    assert_double_equal(percap_areas_cov(a, (size_t)area_of(a, "Moscow"), 0), 0.25);
    assert_int_not_equal(percap_join_covariates(a, t, missing, NULL, NULL, &err), PERCAP_OK);
    assert_contains(err.message, "'income'");
    assert_contains(err.message, "'region', 'gdp', 'share'");
    percap_table_free(t);
    percap_areas_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_column_follows_name_priority),
        cmocka_unit_test(region_column_name_ignores_case_and_spaces),
        cmocka_unit_test(region_column_by_best_registry_match),
        cmocka_unit_test(region_column_unknown_is_usage_error),
        cmocka_unit_test(region_column_not_guessed_from_numbers_that_happen_to_be_codes),
        cmocka_unit_test(region_column_guessed_from_all_numeric_codes),
        cmocka_unit_test(region_column_small_codes_need_a_code_header),
        cmocka_unit_test(region_column_falls_back_to_unique_text_column),
        cmocka_unit_test(region_column_given_is_used),
        cmocka_unit_test(region_column_given_missing_lists_columns),
        cmocka_unit_test(resolve_maps_spellings_to_regions),
        cmocka_unit_test(resolve_unknown_region_has_position_and_suggestion),
        cmocka_unit_test(resolve_reports_first_unknown_and_total),
        cmocka_unit_test(resolve_unknown_region_message_carries_hint),
        cmocka_unit_test(resolve_allow_unmatched_drops_row_with_note),
        cmocka_unit_test(resolve_same_region_two_spellings_names_both_lines),
        cmocka_unit_test(resolve_allow_repeats_accepts_long_tables),
        cmocka_unit_test(resolve_allow_empty_skips_blank_regions),
        cmocka_unit_test(own_registry_matches_keys_across_files),
        cmocka_unit_test(own_registry_for_us_counties),
        cmocka_unit_test(own_registry_not_built_when_any_value_known),
        cmocka_unit_test(own_registry_repeated_area_is_reported_by_resolve),
        cmocka_unit_test(own_registry_keeps_hyphenated_names_distinct),
        cmocka_unit_test(own_registry_does_not_match_text_after_hyphen),
        cmocka_unit_test(denominators_in_file_order),
        cmocka_unit_test(join_areas_leaves_denominators_unset),
        cmocka_unit_test(denominators_bad_values_name_file_line_column),
        cmocka_unit_test(denominators_missing_column_lists_columns),
        cmocka_unit_test(denominators_skip_dropped_rows),
        cmocka_unit_test(join_areas_with_no_areas_is_error),
        cmocka_unit_test(counts_join_across_spellings_and_note_absent_areas),
        cmocka_unit_test(counts_complete_file_adds_no_zero_note),
        cmocka_unit_test(counts_bad_values_name_file_line_column),
        cmocka_unit_test(counts_equal_to_denominator_allowed),
        cmocka_unit_test(counts_zero_row_without_denominator_ignored_silently),
        cmocka_unit_test(counts_deaths_without_denominator),
        cmocka_unit_test(counts_unknown_region_is_error),
        cmocka_unit_test(counts_header_only_is_error),
        cmocka_unit_test(counts_missing_column_lists_columns),
        cmocka_unit_test(count_array_assigns_by_region),
        cmocka_unit_test(count_array_region_without_denominator),
        cmocka_unit_test(count_array_above_denominator_is_error),
        cmocka_unit_test(covariates_numeric_joined_text_skipped),
        cmocka_unit_test(covariates_absent_area_is_nan),
        cmocka_unit_test(covariates_mixed_column_is_error_at_cell),
        cmocka_unit_test(covariates_duplicate_name_across_files_is_error),
        cmocka_unit_test(covariates_long_names_kept_whole),
        cmocka_unit_test(covariates_reserved_names_are_errors),
        cmocka_unit_test(covariates_explicit_columns),
    };
    return cmocka_run_group_tests_name("join", tests, group_setup, group_teardown);
}
