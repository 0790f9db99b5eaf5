/* Unit tests for percap/regions.h: the shipped registry
 * (datasets/regions.csv) and registries built in memory. Every death and
 * population figure is attached to a region through percap_registry_lookup,
 * so a spelling that resolves to the wrong region moves deaths between
 * regions, and one that does not resolve drops them. The spellings below
 * are the ones found in the real source files (BBC/Mediazona list,
 * Bessudnov, Rosstat, hflabs).
 *
 * Tests marked BUG_ fail against the current library: see the comment on
 * each for the expected behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/regions.h"

#include "test_util.h"

#define DATA PERCAP_TEST_DATA "/unit/"

static percap_registry *reg; /* the shipped registry, loaded once */

static int setup(void **state)
{
    (void)state;
    return test_make_dir_and_registry("regions", &reg);
}

static int teardown(void **state)
{
    (void)state;
    percap_registry_free(reg);
    return test_remove_tree(test_dir());
}

/* The code `key` resolves to in the shipped registry, or "(none)". */
static const char *resolve(const char *key)
{
    long i = percap_registry_lookup(reg, key);
    return i < 0 ? "(none)" : percap_registry_code(reg, (size_t)i);
}

static void expect_code(const char *key, const char *code)
{
    const char *got = resolve(key);
    if (strcmp(got, code) != 0)
        fail_msg("\"%s\" resolves to %s, expected %s", key, got, code);
}

static long index_of(const char *code)
{
    for (size_t i = 0; i < percap_registry_size(reg); i++)
        if (strcmp(percap_registry_code(reg, i), code) == 0)
            return (long)i;
    fail_msg("no region %s in the registry", code);
    return -1;
}

/* ---- the shipped registry ---- */

static void test_registry_has_89_regions(void **state)
{
    (void)state;
    /* 83 federal subjects + Crimea and Sevastopol + 4 regions of 2022 */
    assert_int_equal(percap_registry_size(reg), 89);
}

static void test_registry_groups(void **state)
{
    (void)state;
    size_t fed = 0, a14 = 0, a22 = 0;
    for (size_t i = 0; i < percap_registry_size(reg); i++) {
        const char *g = percap_registry_attr(reg, i, "group");
        fed += strcmp(g, "federal_subject") == 0;
        a14 += strcmp(g, "annexed_2014") == 0;
        a22 += strcmp(g, "annexed_2022") == 0;
    }
    assert_int_equal(fed, 83);
    assert_int_equal(a14, 2);
    assert_int_equal(a22, 4);
}

static void test_tuva_spellings(void **state)
{
    (void)state;
    const char *keys[] = {"Tyva", "Tuva", "TY", "RU-TY", "ru_ty", "ty",
                          "\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0", /* Тыва */
                          "\xD0\xA0\xD0\xB5\xD1\x81\xD0\xBF\xD1\x83\xD0\xB1\xD0\xBB\xD0\xB8"
                          "\xD0\xBA\xD0\xB0 \xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0", /* Республика Тыва */
                          "Tuva Republic", "Republic of Tyva", "  TUVA  "};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        expect_code(keys[i], "RU-TY");
}

static void test_tuva_code_and_name(void **state)
{
    (void)state;
    long i = percap_registry_lookup(reg, "Tuva");
    assert_true(i >= 0);
    assert_string_equal(percap_registry_code(reg, (size_t)i), "RU-TY");
    assert_string_equal(percap_registry_name(reg, (size_t)i), "Tuva Republic");
}

static void test_okato_resolves(void **state)
{
    (void)state;
    expect_code("93000000000", "RU-TY");
    expect_code("45000000000", "RU-MOW");
}

static void test_saint_petersburg_spellings(void **state)
{
    (void)state;
    expect_code("St.Petersburg", "RU-SPE"); /* the BBC list's spelling */
    expect_code("Saint Petersburg", "RU-SPE");
    expect_code("Sankt-Peterburg", "RU-SPE");
    expect_code("\xD0\xA1\xD0\xB0\xD0\xBD\xD0\xBA\xD1\x82-\xD0\x9F\xD0\xB5\xD1\x82\xD0\xB5"
                "\xD1\x80\xD0\xB1\xD1\x83\xD1\x80\xD0\xB3", "RU-SPE"); /* Санкт-Петербург */
    expect_code("SPE", "RU-SPE");
}

static void test_dagestan_spellings(void **state)
{
    (void)state;
    expect_code("Daghestan", "RU-DA");
    expect_code("Dagestan", "RU-DA");
    expect_code("Republic of Dagestan", "RU-DA");
}

static void test_north_ossetia_spellings(void **state)
{
    (void)state;
    expect_code("North Ossetia-Alania", "RU-SE");
    expect_code("North Ossetia", "RU-SE");
    expect_code("Republic of North Ossetia\xE2\x80\x93" "Alania", "RU-SE");
    expect_code("north ossetia alania", "RU-SE");
}

static void test_jewish_autonomous_oblast_spellings(void **state)
{
    (void)state;
    expect_code("Yevreyskaya", "RU-YEV");
    expect_code("Jewish Autonomous Oblast", "RU-YEV");
}

static void test_khanty_mansi_spellings(void **state)
{
    (void)state;
    expect_code("Khanty-Mansi", "RU-KHM");
    expect_code("Khanty-Mansi Autonomous Okrug \xE2\x80\x93 Yugra", "RU-KHM");
}

static void test_crimea_spellings(void **state)
{
    (void)state;
    expect_code("Crimea", "UA-43");
    expect_code("RU-CR", "UA-43"); /* Russia's code, not ISO */
    expect_code("UA-43", "UA-43");
    expect_code("Republic of Crimea", "UA-43");
    expect_code("\xD0\xA0\xD0\xB5\xD1\x81\xD0\xBF\xD1\x83\xD0\xB1\xD0\xBB\xD0\xB8\xD0\xBA\xD0\xB0"
                " \xD0\x9A\xD1\x80\xD1\x8B\xD0\xBC", "UA-43"); /* Республика Крым */
}

static void test_sevastopol_spellings(void **state)
{
    (void)state;
    expect_code("Sevastopol", "UA-40");
    expect_code("RU-SEV", "UA-40");
    expect_code("UA-40", "UA-40");
}

static void test_region_number_43_is_kirov_not_crimea(void **state)
{
    (void)state;
    /* "43" is Kirov's Russian region number; Crimea's ISO code UA-43 must
     * not also register its numeric suffix, or "43" would name two */
    expect_code("43", "RU-KIR");
    expect_code("40", "RU-KLU");
    expect_code("17", "RU-TY");
    expect_code("01", "RU-AD");
}

static void test_altai_alone_is_ambiguous_and_unknown(void **state)
{
    (void)state;
    /* Altai Republic or Altai Krai? Deliberately not resolved. */
    assert_int_equal(percap_registry_lookup(reg, "Altai"), -1);
    assert_int_equal(percap_registry_lookup(reg, "Altay"), -1);
    assert_int_equal(percap_registry_lookup(reg, "\xD0\x90\xD0\xBB\xD1\x82\xD0\xB0\xD0\xB9"), -1);
    expect_code("Altai Republic", "RU-AL");
    expect_code("Altai Krai", "RU-ALT");
}

static void test_unknown_and_empty_keys(void **state)
{
    (void)state;
    assert_int_equal(percap_registry_lookup(reg, "Atlantis"), -1);
    assert_int_equal(percap_registry_lookup(reg, ""), -1);
    assert_int_equal(percap_registry_lookup(reg, " - "), -1);
    assert_int_equal(percap_registry_lookup(reg, "RU"), -1);
}

static void test_overlong_key_is_unknown(void **state)
{
    (void)state;
    char key[2000];
    memset(key, 'a', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    assert_int_equal(percap_registry_lookup(reg, key), -1);
}

static void test_all_85_bbc_short_names_resolve(void **state)
{
    (void)state;
    /* The casualty list uses the short_en names of the 83 federal subjects
     * plus Crimea and Sevastopol; every one must come back to its row. */
    size_t n = 0;
    for (size_t i = 0; i < percap_registry_size(reg); i++) {
        const char *g = percap_registry_attr(reg, i, "group");
        if (strcmp(g, "federal_subject") != 0 && strcmp(g, "annexed_2014") != 0)
            continue;
        const char *s = percap_registry_attr(reg, i, "short_en");
        assert_true(s[0] != '\0');
        long got = percap_registry_lookup(reg, s);
        if (got != (long)i)
            fail_msg("short name \"%s\" of %s resolves to %s", s, percap_registry_code(reg, i),
                     got < 0 ? "(none)" : percap_registry_code(reg, (size_t)got));
        n++;
    }
    assert_int_equal(n, 85);
}

static void test_every_code_and_name_resolves_to_its_row(void **state)
{
    (void)state;
    static const char *const columns[] = {"iso_code", "name_en", "name_ru", "short_en",
                                          "okato",    "oktmo",   "region_number"};
    for (size_t i = 0; i < percap_registry_size(reg); i++)
        for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
            const char *v = percap_registry_attr(reg, i, columns[c]);
            if (!v[0])
                continue;
            long got = percap_registry_lookup(reg, v);
            if (got != (long)i)
                fail_msg("%s \"%s\" of %s resolves to %ld", columns[c], v,
                         percap_registry_code(reg, i), got);
        }
}

static void test_every_alias_resolves_to_its_row(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < percap_registry_size(reg); i++) {
        char *list = strdup(percap_registry_attr(reg, i, "aliases"));
        assert_non_null(list);
        char *save = NULL;
        for (char *a = strtok_r(list, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
            long got = percap_registry_lookup(reg, a);
            if (got != (long)i) {
                char msg[512];
                snprintf(msg, sizeof msg, "alias \"%s\" of %s resolves to %ld", a,
                         percap_registry_code(reg, i), got);
                free(list);
                fail_msg("%s", msg);
            }
            checked++;
        }
        free(list);
    }
    assert_true(checked > 400); /* the column is not silently empty (496 today) */
}

static void test_attr_returns_column_values(void **state)
{
    (void)state;
    size_t ty = (size_t)index_of("RU-TY");
    assert_string_equal(percap_registry_attr(reg, ty, "group"), "federal_subject");
    assert_string_equal(percap_registry_attr(reg, ty, "federal_district"), "Siberian");
    assert_string_equal(percap_registry_attr(reg, ty, "GROUP"), "federal_subject");
    assert_string_equal(percap_registry_attr(reg, (size_t)index_of("UA-43"), "group"),
                        "annexed_2014");
    assert_string_equal(percap_registry_attr(reg, (size_t)index_of("UA-14"), "group"),
                        "annexed_2022");
    /* a 2022 region has no federal district: empty, not another row's */
    assert_string_equal(percap_registry_attr(reg, (size_t)index_of("UA-14"),
                                             "federal_district"), "");
}

static void test_attr_unknown_column_is_empty(void **state)
{
    (void)state;
    assert_string_equal(percap_registry_attr(reg, 0, "no_such_column"), "");
    assert_string_equal(percap_registry_attr(reg, 0, ""), "");
}

static void test_suggest_tuvaa_gives_tuva_first(void **state)
{
    (void)state;
    size_t out[5];
    size_t n = percap_registry_suggest(reg, "Tuvaa", out, 5);
    assert_true(n >= 1);
    assert_string_equal(percap_registry_code(reg, out[0]), "RU-TY");
}

static void test_suggest_typos(void **state)
{
    (void)state;
    size_t out[3];
    assert_true(percap_registry_suggest(reg, "Tatarstn", out, 3) >= 1);
    assert_string_equal(percap_registry_code(reg, out[0]), "RU-TA");
    assert_true(percap_registry_suggest(reg, "Novosibirks", out, 3) >= 1);
    assert_string_equal(percap_registry_code(reg, out[0]), "RU-NVS");
}

static void test_suggest_respects_max_and_has_no_duplicates(void **state)
{
    (void)state;
    /* In memory, so the test does not depend on the distance limit: four
     * regions one edit apart, the first with two close spellings (it must
     * still be suggested once). */
    percap_registry *r = percap_registry_alloc();
    size_t a;
    assert_int_equal(percap_registry_add(r, "Kaaa", "Kaaa", &a, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, a, "Kaae", NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add(r, "Kaab", NULL, NULL, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add(r, "Kaac", NULL, NULL, NULL), PERCAP_OK);
    size_t out[6] = {999, 999, 999, 999, 999, 999};
    size_t n = percap_registry_suggest(r, "Kaaa", out, 2);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], 0); /* the exact match first */
    assert_int_not_equal(out[1], 0);
    assert_int_equal(out[2], 999); /* never more than asked for */
    n = percap_registry_suggest(r, "Kaaa", out, 6);
    assert_int_equal(n, 3); /* three regions, however many spellings */
    assert_int_equal(out[0], 0);
    assert_true(out[1] != out[2] && out[1] >= 1 && out[1] <= 2 && out[2] >= 1 && out[2] <= 2);
    assert_int_equal(percap_registry_suggest(r, "Kaaa", out, 0), 0);
    percap_registry_free(r);
}

static void test_suggest_nothing_for_distant_key(void **state)
{
    (void)state;
    size_t out[5];
    assert_int_equal(percap_registry_suggest(reg, "qqqqqqqqqqqqqqqq", out, 5), 0);
}

/* ---- loading registry files ---- */

static void test_load_with_code_and_name_columns(void **state)
{
    (void)state;
    /* "code" and "name" are accepted in place of iso_code and name_en */
    percap_error err;
    percap_error_clear(&err);
    percap_registry *r = percap_registry_load(DATA "registry_code_name.csv", NULL, &err);
    assert_non_null(r);
    assert_int_equal(percap_registry_size(r), 3);
    long a = percap_registry_lookup(r, "alpha land");
    assert_int_equal(a, 0);
    assert_string_equal(percap_registry_code(r, 0), "X-AA");
    assert_string_equal(percap_registry_name(r, 0), "Alpha Land");
    assert_int_equal(percap_registry_lookup(r, "AA"), 0);     /* code suffix */
    assert_int_equal(percap_registry_lookup(r, "Alfa"), 0);   /* alias */
    assert_int_equal(percap_registry_lookup(r, "\xD0\x90\xD0\x9B\xD0\xAC\xD0\xA4\xD0\x90"), 0);
    assert_int_equal(percap_registry_lookup(r, "aa land"), 0);
    assert_int_equal(percap_registry_lookup(r, "Dozen"), 2);
    assert_int_equal(percap_registry_lookup(r, "12"), -1);    /* numeric suffix left out */
    assert_string_equal(percap_registry_attr(r, 1, "population"), "200");
    assert_string_equal(percap_registry_attr(r, 2, "group"), "south");
    percap_registry_free(r);
}

static void test_load_alias_collision_names_file_line_and_both_regions(void **state)
{
    (void)state;
    percap_error err;
    percap_error_clear(&err);
    const char *path = DATA "registry_alias_collision.csv";
    assert_null(percap_registry_load(path, NULL, &err));
    assert_int_equal(err.code, PERCAP_EDATA);
    char msg[2048], prefix[1024];
    percap_error_format(&err, msg, sizeof msg);
    snprintf(prefix, sizeof prefix, "%s:3:", path);
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not start with \"%s\"", msg, prefix);
    assert_non_null(strstr(err.message, "X-AA"));
    assert_non_null(strstr(err.message, "X-BB"));
    assert_non_null(strstr(err.message, "FOO"));
    assert_int_equal(err.column, 3); /* the aliases column */
}

static void test_load_without_code_column_fails(void **state)
{
    (void)state;
    percap_error err;
    percap_error_clear(&err);
    const char *path = DATA "registry_no_code.csv";
    assert_null(percap_registry_load(path, NULL, &err));
    assert_int_equal(err.code, PERCAP_EDATA);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "iso_code"));
}

static void test_load_empty_code_fails_at_its_line(void **state)
{
    (void)state;
    percap_error err;
    percap_error_clear(&err);
    const char *path = DATA "registry_empty_code.csv";
    assert_null(percap_registry_load(path, NULL, &err));
    char msg[2048], expected[2048];
    percap_error_format(&err, msg, sizeof msg);
    snprintf(expected, sizeof expected, "%s:3:1: empty region code", path);
    assert_string_equal(msg, expected);
}

static void test_load_collision_between_name_and_other_code(void **state)
{
    (void)state;
    /* a name that is another region's code suffix: caught, with the line */
    const char *p = test_write_file("namecode.csv", "iso_code,name_en\nX-AB,First\nX-CD,ab\n");
    percap_error err;
    percap_error_clear(&err);
    assert_null(percap_registry_load(p, NULL, &err));
    assert_int_equal(err.code, PERCAP_EDATA);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "X-AB"));
    assert_non_null(strstr(err.message, "X-CD"));
}

static void test_load_spelling_variants_do_not_collide_within_a_row(void **state)
{
    (void)state;
    /* the same region spelled twice in its own row is harmless */
    const char *p = test_write_file(
        "selfdup.csv", "iso_code,name_en,short_en,aliases\nX-AA,Alpha,ALPHA,alpha; A-A\n");
    percap_registry *r = percap_registry_load(p, NULL, NULL);
    assert_non_null(r);
    assert_int_equal(percap_registry_lookup(r, "alpha"), 0);
    percap_registry_free(r);
}

static void test_load_nonexistent_file(void **state)
{
    (void)state;
    percap_error err;
    percap_error_clear(&err);
    assert_null(percap_registry_load(DATA "no_such_registry.csv", NULL, &err));
    assert_int_equal(err.code, PERCAP_EIO);
    assert_null(percap_registry_load(DATA "no_such_registry.csv", NULL, NULL));
}

/* ---- registries built in memory ---- */

static void test_alloc_gives_empty_registry(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    assert_non_null(r);
    assert_int_equal(percap_registry_size(r), 0);
    assert_int_equal(percap_registry_lookup(r, "anything"), -1);
    size_t out[2];
    assert_int_equal(percap_registry_suggest(r, "anything", out, 2), 0);
    percap_registry_free(r);
    percap_registry_free(NULL);
}

static void test_add_registers_code_suffix_name_and_alias(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a = 99, b = 99;
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_registry_add(r, "X-NORTH", "North Land", &a, &err), PERCAP_OK);
    assert_int_equal(percap_registry_add(r, "X-SOUTH", "South Land", &b, &err), PERCAP_OK);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(percap_registry_size(r), 2);
    assert_int_equal(percap_registry_add_alias(r, b, "Sud", &err), PERCAP_OK);
    assert_int_equal(percap_registry_lookup(r, "x-north"), 0);
    /* the suffix of a code is a spelling only when it is ISO-shaped (one to
     * three characters): "NORTH" is not, so "Haute-Loire" never answers to
     * "Loire" */
    assert_int_equal(percap_registry_lookup(r, "NORTH"), -1);
    assert_int_equal(percap_registry_lookup(r, "north land"), 0);
    assert_int_equal(percap_registry_lookup(r, "SUD"), 1);
    assert_int_equal(percap_registry_lookup(r, "South"), -1);
    assert_int_equal(percap_registry_lookup(r, "East"), -1);
    assert_string_equal(percap_registry_code(r, 1), "X-SOUTH");
    assert_string_equal(percap_registry_name(r, 1), "South Land");
    percap_registry_free(r);
}

static void test_add_without_name_uses_code(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t i;
    assert_int_equal(percap_registry_add(r, "Oblast 7", NULL, &i, NULL), PERCAP_OK);
    assert_string_equal(percap_registry_name(r, i), "Oblast 7");
    assert_int_equal(percap_registry_add(r, "Oblast 8", "", &i, NULL), PERCAP_OK);
    assert_string_equal(percap_registry_name(r, i), "Oblast 8");
    assert_int_equal(percap_registry_lookup(r, "oblast-8"), 1);
    percap_registry_free(r);
}

static void test_add_numeric_code_suffix_not_registered(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t i;
    assert_int_equal(percap_registry_add(r, "UA-43", "Crimea", &i, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_lookup(r, "43"), -1);
    /* so a region numbered 43 can still be added */
    assert_int_equal(percap_registry_add(r, "RU-KIR", "Kirov", &i, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, i, "43", NULL), PERCAP_OK);
    assert_int_equal(percap_registry_lookup(r, "43"), 1);
    percap_registry_free(r);
}

static void test_add_collision_names_both_codes(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", NULL, &err), PERCAP_OK);
    /* same name once spaces and case are ignored */
    assert_int_equal(percap_registry_add(r, "X-BB", "AL PHA", NULL, &err), PERCAP_EDATA);
    assert_int_equal(err.code, PERCAP_EDATA);
    assert_non_null(strstr(err.message, "X-AA"));
    assert_non_null(strstr(err.message, "X-BB"));
    /* the first region keeps the spelling */
    assert_int_equal(percap_registry_lookup(r, "alpha"), 0);
    percap_registry_free(r);
}

static void test_add_alias_collision_names_both_codes(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a, b;
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", &a, &err), PERCAP_OK);
    assert_int_equal(percap_registry_add(r, "X-BB", "Beta", &b, &err), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, b, "X_AA", &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "X-AA"));
    assert_non_null(strstr(err.message, "X-BB"));
    assert_int_equal(percap_registry_lookup(r, "xaa"), (long)a);
    percap_registry_free(r);
}

static void test_add_alias_repeated_for_same_region_is_ok(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a;
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", &a, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, a, "Alfa", NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, a, "ALFA", NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, a, "alpha", NULL), PERCAP_OK);
    percap_registry_free(r);
}

static void test_add_alias_of_punctuation_only_matches_nothing(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a;
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", &a, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add_alias(r, a, " -- ", NULL), PERCAP_OK);
    assert_int_equal(percap_registry_lookup(r, ""), -1);
    assert_int_equal(percap_registry_lookup(r, "-"), -1);
    percap_registry_free(r);
}

static void test_add_alias_too_long_is_an_error(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a;
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", &a, NULL), PERCAP_OK);
    char alias[1200];
    memset(alias, 'z', sizeof alias - 1);
    alias[sizeof alias - 1] = '\0';
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(percap_registry_add_alias(r, a, alias, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "too long"));
    percap_registry_free(r);
}

static void test_attr_of_in_memory_registry_is_empty(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    size_t a;
    assert_int_equal(percap_registry_add(r, "X-AA", "Alpha", &a, NULL), PERCAP_OK);
    assert_string_equal(percap_registry_attr(r, a, "group"), "");
    percap_registry_free(r);
}

static void test_many_regions_all_resolve(void **state)
{
    (void)state;
    /* thousands of spellings force the hash table to grow several times;
     * every one must still be found afterwards */
    percap_registry *r = percap_registry_alloc();
    char code[32], name[32], alias[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(code, sizeof code, "Q-%d", i);
        snprintf(name, sizeof name, "Area %d", i);
        snprintf(alias, sizeof alias, "zone%dx", i);
        size_t idx;
        assert_int_equal(percap_registry_add(r, code, name, &idx, NULL), PERCAP_OK);
        assert_int_equal(idx, (size_t)i);
        assert_int_equal(percap_registry_add_alias(r, idx, alias, NULL), PERCAP_OK);
    }
    assert_int_equal(percap_registry_size(r), 3000);
    for (int i = 0; i < 3000; i++) {
        snprintf(code, sizeof code, "q%d", i);
        snprintf(name, sizeof name, "AREA-%d", i);
        snprintf(alias, sizeof alias, "Zone %d X", i);
        assert_int_equal(percap_registry_lookup(r, code), i);
        assert_int_equal(percap_registry_lookup(r, name), i);
        assert_int_equal(percap_registry_lookup(r, alias), i);
    }
    percap_registry_free(r);
}

static void test_suggest_in_memory(void **state)
{
    (void)state;
    percap_registry *r = percap_registry_alloc();
    assert_int_equal(percap_registry_add(r, "X-AA", "Krasnodar", NULL, NULL), PERCAP_OK);
    assert_int_equal(percap_registry_add(r, "X-BB", "Krasnoyarsk", NULL, NULL), PERCAP_OK);
    size_t out[2];
    assert_int_equal(percap_registry_suggest(r, "Krasnojarsk", out, 1), 1);
    assert_int_equal(out[0], 1);
    assert_int_equal(percap_registry_suggest(r, "Krasnodr", out, 1), 1);
    assert_int_equal(out[0], 0);
    percap_registry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_has_89_regions),
        cmocka_unit_test(test_registry_groups),
        cmocka_unit_test(test_tuva_spellings),
        cmocka_unit_test(test_tuva_code_and_name),
        cmocka_unit_test(test_okato_resolves),
        cmocka_unit_test(test_saint_petersburg_spellings),
        cmocka_unit_test(test_dagestan_spellings),
        cmocka_unit_test(test_north_ossetia_spellings),
        cmocka_unit_test(test_jewish_autonomous_oblast_spellings),
        cmocka_unit_test(test_khanty_mansi_spellings),
        cmocka_unit_test(test_crimea_spellings),
        cmocka_unit_test(test_sevastopol_spellings),
        cmocka_unit_test(test_region_number_43_is_kirov_not_crimea),
        cmocka_unit_test(test_altai_alone_is_ambiguous_and_unknown),
        cmocka_unit_test(test_unknown_and_empty_keys),
        cmocka_unit_test(test_overlong_key_is_unknown),
        cmocka_unit_test(test_all_85_bbc_short_names_resolve),
        cmocka_unit_test(test_every_code_and_name_resolves_to_its_row),
        cmocka_unit_test(test_every_alias_resolves_to_its_row),
        cmocka_unit_test(test_attr_returns_column_values),
        cmocka_unit_test(test_attr_unknown_column_is_empty),
        cmocka_unit_test(test_suggest_tuvaa_gives_tuva_first),
        cmocka_unit_test(test_suggest_typos),
        cmocka_unit_test(test_suggest_respects_max_and_has_no_duplicates),
        cmocka_unit_test(test_suggest_nothing_for_distant_key),
        cmocka_unit_test(test_load_with_code_and_name_columns),
        cmocka_unit_test(test_load_alias_collision_names_file_line_and_both_regions),
        cmocka_unit_test(test_load_without_code_column_fails),
        cmocka_unit_test(test_load_empty_code_fails_at_its_line),
        cmocka_unit_test(test_load_collision_between_name_and_other_code),
        cmocka_unit_test(test_load_spelling_variants_do_not_collide_within_a_row),
        cmocka_unit_test(test_load_nonexistent_file),
        cmocka_unit_test(test_alloc_gives_empty_registry),
        cmocka_unit_test(test_add_registers_code_suffix_name_and_alias),
        cmocka_unit_test(test_add_without_name_uses_code),
        cmocka_unit_test(test_add_numeric_code_suffix_not_registered),
        cmocka_unit_test(test_add_collision_names_both_codes),
        cmocka_unit_test(test_add_alias_collision_names_both_codes),
        cmocka_unit_test(test_add_alias_repeated_for_same_region_is_ok),
        cmocka_unit_test(test_add_alias_of_punctuation_only_matches_nothing),
        cmocka_unit_test(test_add_alias_too_long_is_an_error),
        cmocka_unit_test(test_attr_of_in_memory_registry_is_empty),
        cmocka_unit_test(test_many_regions_all_resolve),
        cmocka_unit_test(test_suggest_in_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
