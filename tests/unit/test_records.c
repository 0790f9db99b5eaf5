/* Tests of percap/records.h: counting a one-row-per-death list by region
 * (and month), with the period bounds, the column choices and the tally
 * of every row that could not be counted.
 *
 * Inputs are written byte for byte to a private mkdtemp directory, so
 * line ends, byte-order marks and quoted newlines are exactly what the
 * test says. The registry is the shipped datasets/regions.csv. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "percap/numparse.h"
#include "percap/records.h"

#include "test_util.h"

/* ---- helpers ---------------------------------------------------------- */

static percap_registry *g_reg;

static int group_setup(void **state)
{
    (void)state;
    return test_make_dir_and_registry("records", &g_reg);
}

static int group_teardown(void **state)
{
    (void)state;
    percap_registry_free(g_reg);
    test_remove_tree(test_dir());
    return 0;
}

static size_t reg_index(const char *spelling)
{
    long i = percap_registry_lookup(g_reg, spelling);
    if (i < 0)
        fail_msg("registry does not know '%s'", spelling);
    return (size_t)i;
}

static int32_t day(const char *iso)
{
    int32_t d;
    if (!percap_parse_date(iso, &d))
        fail_msg("bad test date %s", iso);
    return d;
}

/* Counts `text` (written as `name`) with `o`; expects success. */
static percap_records *count_ok(const char *name, const char *text,
                                const percap_records_options *o, percap_notes *notes)
{
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_records_count(test_write_file(name, text), g_reg, o, &r, notes, &err),
                  PERCAP_OK, err);
    assert_non_null(r);
    return r;
}

/* The sum of all region counts: nothing may be counted twice or lost. */
static double total(const percap_records *r)
{
    double s = 0;
    for (size_t i = 0; i < r->nregions; i++)
        s += r->counts[i];
    return s;
}

/* ---- counting by region ----------------------------------------------- */

/* One death per row, whatever spelling the row uses for its region. */
static void counts_rows_by_region(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_notes *notes = percap_notes_alloc();
    percap_records *r = count_ok("basic.csv",
                                 "id,region\n1,Moscow\n2,Tuva\n3,RU-MOW\n4,Москва\n5,Tyva\n"
                                 "6,Tatarstan\n",
                                 &o, notes);
    assert_int_equal(r->nregions, percap_registry_size(g_reg));
    assert_double_equal(r->counts[reg_index("Moscow")], 3);
    assert_double_equal(r->counts[reg_index("Tuva")], 2);
    assert_double_equal(r->counts[reg_index("Tatarstan")], 1);
    assert_double_equal(total(r), 6);
    assert_int_equal(r->rows, 6);
    assert_int_equal(r->counted, 6);
    assert_string_equal(r->region_col, "region");
    assert_null(r->month_counts);
    assert_note(notes, "6 rows, 6 counted (region column 'region')");
    percap_records_free(r);
    percap_notes_free(notes);
}

/* Among columns named for regions, "code" outranks "name" as in joins. */
static void region_column_by_name_priority(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = count_ok("prio.csv", "name,code\nIvan Petrov,RU-TY\nOleg Sidorov,RU-TY\n",
                                 &o, NULL);
    assert_string_equal(r->region_col, "code");
    assert_double_equal(r->counts[reg_index("Tuva")], 2);
    percap_records_free(r);
}

/* A given column is used even when another is called "region". */
static void region_column_given_is_used(void **state)
{
    (void)state;
    percap_records_options o = {.region_col = "buried_in"};
    percap_records *r = count_ok("given.csv",
                                 "region,buried_in\nMoscow,Tuva\nMoscow,Tuva\nMoscow,Kirov\n",
                                 &o, NULL);
    assert_string_equal(r->region_col, "buried_in");
    assert_double_equal(r->counts[reg_index("Tuva")], 2);
    assert_double_equal(r->counts[reg_index("Kirov Oblast")], 1);
    assert_double_equal(r->counts[reg_index("Moscow")], 0);
    percap_records_free(r);
}

/* No column named for regions: the one whose values the registry knows
 * is found by sampling, then every row is counted (the dates too). */
static void region_column_sampled_from_values(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-03-01")};
    percap_records *r = count_ok("sample.csv",
                                 "person,hometown,died_on_date\n"
                                 "Ivan,Kirov,2022-03-05\n"
                                 "Oleg,Tuva,2022-03-06\n"
                                 "Pavel,Moscow,2022-03-07\n"
                                 "Yuri,Tyva,2022-02-07\n",
                                 &o, NULL);
    assert_string_equal(r->region_col, "hometown");
    assert_string_equal(r->date_col, "died_on_date");
    assert_int_equal(r->rows, 4);
    assert_int_equal(r->outside, 1);
    assert_double_equal(r->counts[reg_index("Tuva")], 1);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    assert_double_equal(r->counts[reg_index("Kirov Oblast")], 1);
    assert_int_equal(r->counted, 3);
    percap_records_free(r);
}

/* A --region-col that this file lacks falls back to the search by name
 * and then by values ("one --region-col serves several files"): the
 * sampled column must then be counted, not nothing at all. */
static void given_region_column_absent_falls_back_to_sampling(void **state)
{
    (void)state;
    percap_records_options o = {.region_col = "oblast"};
    percap_records *r = count_ok("fallback.csv", "person,hometown\nIvan,Tuva\nOleg,Moscow\n"
                                                 "Pavel,Tuva\n",
                                 &o, NULL);
    /* copy, free, then assert: a failure leaks nothing */
    char col[sizeof r->region_col];
    memcpy(col, r->region_col, sizeof col);
    size_t rows = r->rows, counted = r->counted;
    double tuva = r->counts[reg_index("Tuva")];
    percap_records_free(r);
    assert_string_equal(col, "hometown");
    assert_int_equal(rows, 3);
    assert_int_equal(counted, 3);
    assert_double_equal(tuva, 2);
}

/* With region_col_required the given column must be there: a usage
 * error naming it, rather than a search. */
static void required_region_column_absent_is_usage_error(void **state)
{
    (void)state;
    percap_records_options o = {.region_col = "oblast", .region_col_required = true};
    percap_records *r = (percap_records *)&r;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_records_count(test_write_file("required.csv", "region\nMoscow\n"), g_reg,
                                       &o, &r, NULL, &err),
                  PERCAP_EUSAGE, err);
    assert_null(r);
    assert_contains(err.message, "'oblast'");
}

/* Nothing to go on: a usage error asking for the column. */
static void no_recognisable_region_column_is_usage_error(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = (percap_records *)&r;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_records_count(test_write_file("none.csv", "person,town\nIvan,Kyzyl\n"),
                                       g_reg, &o, &r, NULL, &err),
                  PERCAP_EUSAGE, err);
    assert_null(r);
    assert_contains(err.message, "--region-col");
}

/* ---- the period -------------------------------------------------------- */

/* Both bounds are inclusive: a death on 24 February with --since
 * 2022-02-24 counts, and so does one on the --until day, even with a
 * time of day attached; the days just outside do not. */
static void since_until_bounds_are_inclusive(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-02-24"),
                                .has_until = true, .until = day("2022-06-30")};
    percap_notes *notes = percap_notes_alloc();
    percap_records *r = count_ok("bounds.csv",
                                 "region,date\n"
                                 "Moscow,2022-02-23\n"
                                 "Moscow,2022-02-24\n"
                                 "Tuva,2022-06-30T23:59:59\n"
                                 "Tuva,2022-07-01\n"
                                 "Tuva,2022-04-01\n",
                                 &o, notes);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    assert_double_equal(r->counts[reg_index("Tuva")], 2);
    assert_int_equal(r->counted, 3);
    assert_int_equal(r->outside, 2);
    assert_note(notes, "2 rows dated outside the period, not counted");
    percap_records_free(r);
    percap_notes_free(notes);
}

/* Only one bound: the other side is open. */
static void until_alone_leaves_start_open(void **state)
{
    (void)state;
    percap_records_options o = {.has_until = true, .until = day("2022-12-31")};
    percap_records *r = count_ok("until.csv",
                                 "region,date\nMoscow,1999-01-01\nMoscow,2022-12-31\n"
                                 "Moscow,2023-01-01\n",
                                 &o, NULL);
    assert_double_equal(r->counts[reg_index("Moscow")], 2);
    assert_int_equal(r->outside, 1);
    percap_records_free(r);
}

/* The date column is the one header containing "date" in any case. */
static void date_column_found_case_insensitively(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-01-01")};
    percap_records *r = count_ok("datecol.csv",
                                 "region,Death_DATE,age\nMoscow,2022-05-01,30\n"
                                 "Moscow,2021-05-01,31\n",
                                 &o, NULL);
    assert_string_equal(r->date_col, "Death_DATE");
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    percap_records_free(r);
}

/* Two candidate date columns: guessing could count the wrong deaths, so
 * it is a usage error naming both. */
static void two_date_columns_is_usage_error(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-01-01")};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    const char *path = test_write_file(
        "twodates.csv", "region,birth_date,death_date\nMoscow,1990-01-01,2022-05-01\n");
    assert_status(percap_records_count(path, g_reg, &o, &r, NULL, &err), PERCAP_EUSAGE, err);
    assert_contains(err.message, "birth_date");
    assert_contains(err.message, "death_date");
    assert_string_equal(err.file, path);
    assert_null(r);

    /* naming the column settles it */
    o.date_col = "death_date";
    r = count_ok("twodates.csv", "region,birth_date,death_date\nMoscow,1990-01-01,2022-05-01\n",
                 &o, NULL);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    percap_records_free(r);
}

/* Dates needed but no column could hold them: a usage error. */
static void no_date_column_when_needed_is_error(void **state)
{
    (void)state;
    percap_records_options o = {.by_month = true};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(
        percap_records_count(test_write_file("nodate.csv", "region,when\nMoscow,2022-05-01\n"),
                             g_reg, &o, &r, NULL, &err),
        PERCAP_EUSAGE, err);
    assert_contains(err.message, "date");
    assert_null(r);
}

/* A named date column the file lacks is an error, not a silent "no
 * dates needed". */
static void given_date_column_missing_is_error(void **state)
{
    (void)state;
    percap_records_options o = {.date_col = "died", .has_since = true,
                                .since = day("2022-01-01")};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_int_not_equal(percap_records_count(test_write_file("nodied.csv",
                                                              "region,date\nMoscow,2022-05-01\n"),
                                              g_reg, &o, &r, NULL, &err),
                         PERCAP_OK);
    assert_contains(err.message, "'died'");
    assert_null(r);
}

/* Without a period or months, dates are not read at all: a bad date in
 * an unused column must not lose the row. */
static void dates_ignored_when_not_needed(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = count_ok("nodates.csv", "region,date\nMoscow,soon\nMoscow,\n", &o, NULL);
    assert_double_equal(r->counts[reg_index("Moscow")], 2);
    assert_int_equal(r->bad_date + r->no_date, 0);
    percap_records_free(r);
}

/* ---- rows that cannot be counted ------------------------------------- */

/* Each reason is tallied on its own and described in a note; rows + the
 * tallies add up, so nothing is lost silently. */
static void uncountable_rows_are_tallied_and_noted(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-02-24"),
                                .has_until = true, .until = day("2023-12-31")};
    percap_notes *notes = percap_notes_alloc();
    percap_records *r = count_ok("tally.csv",
                                 "region,date\n"
                                 "Moscow,2022-03-01\n"   /* counted */
                                 ",2022-03-01\n"         /* no region */
                                 "NA,2022-03-01\n"       /* no region */
                                 "Moscow,\n"             /* no date */
                                 "Moscow,2022-13-45\n"   /* bad date */
                                 "Moscow,2022-02-30\n"   /* bad date: no such day */
                                 "Moscow,01.03.2022\n"   /* bad date: not ISO */
                                 "Moscow,2021-12-31\n"   /* outside */
                                 "Tuva,2023-01-01\n",    /* counted */
                                 &o, notes);
    assert_int_equal(r->rows, 9);
    assert_int_equal(r->counted, 2);
    assert_int_equal(r->no_region, 2);
    assert_int_equal(r->no_date, 1);
    assert_int_equal(r->bad_date, 3);
    assert_int_equal(r->outside, 1);
    assert_int_equal(r->unmatched, 0);
    assert_int_equal(r->rows, r->counted + r->no_region + r->no_date + r->bad_date + r->outside +
                                  r->unmatched);
    assert_double_equal(total(r), 2);
    assert_note(notes, "2 rows without a region, not counted");
    assert_note(notes, "1 rows without a date, not counted");
    assert_note(notes, "3 rows with an unusable date, not counted");
    assert_note(notes, "1 rows dated outside the period, not counted");
    percap_records_free(r);
    percap_notes_free(notes);
}

/* 2024 is a leap year: 29 February exists and must count. */
static void leap_day_is_a_valid_date(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2024-01-01")};
    percap_records *r = count_ok("leap.csv", "region,date\nMoscow,2024-02-29\nMoscow,2023-02-29\n",
                                 &o, NULL);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    assert_int_equal(r->bad_date, 1);
    percap_records_free(r);
}

/* An unknown region fails the count at the first row naming one, with
 * file, line and column, a suggestion, and how many rows and names. */
static void unknown_region_error_has_first_line(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = (percap_records *)&r;
    percap_error err;
    percap_error_clear(&err);
    const char *path = test_write_file("unknown.csv", "id,region\n"
                                                      "1,Moscow\n"
                                                      "2,Tatarstn\n"
                                                      "3,Tuva\n"
                                                      "4,Narnia\n"
                                                      "5,Tatarstn\n");
    assert_status(percap_records_count(path, g_reg, &o, &r, NULL, &err), PERCAP_EDATA, err);
    assert_null(r);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_contains(err.message, "'Tatarstn'");
    assert_contains(err.message, "did you mean 'Republic of Tatarstan' (RU-TA)");
    assert_contains(err.message, "3 rows name 2 unknown regions");
    assert_contains(err.message, "'Narnia'");
}

/* Names too long to be registry keys (600 bytes here; the limit is 512
 * after normalising) are still unknown regions, counted and told apart:
 * they used to vanish, the rows neither counted nor reported. */
static void long_unknown_names_are_reported(void **state)
{
    (void)state;
    char text[4096];
    char a[601], b[601];
    memset(a, 'a', 600);
    memset(b, 'a', 600);
    a[600] = b[600] = '\0';
    b[599] = 'b'; /* differs only at the end */
    snprintf(text, sizeof text, "region\nMoscow\n%s\n%s\n%s\n", a, b, a);
    percap_records_options o = {0};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    const char *path = test_write_file("long_unknown.csv", text);
    assert_status(percap_records_count(path, g_reg, &o, &r, NULL, &err), PERCAP_EDATA, err);
    assert_null(r);
    assert_int_equal(err.line, 3);
    assert_contains(err.message, "3 rows name 2 unknown regions");
    o.allow_unmatched = true;
    r = count_ok("long_unknown.csv", text, &o, NULL);
    assert_int_equal(r->unmatched, 3);
    assert_int_equal(r->counted, 1);
    percap_records_free(r);
}

/* The caller's hint ends the unknown-region message, and the grammar
 * follows the numbers (one row, one region). */
static void unknown_region_message_carries_hint(void **state)
{
    (void)state;
    percap_records_options o = {.unmatched_hint = " (use --allow-unmatched to drop them)"};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_records_count(test_write_file("hint.csv", "region\nMoscow\nNarnia\n"),
                                       g_reg, &o, &r, NULL, &err),
                  PERCAP_EDATA, err);
    assert_contains(err.message, "1 row names 1 unknown region:");
    size_t n = strlen(err.message), h = strlen(o.unmatched_hint);
    assert_true(n >= h);
    assert_string_equal(err.message + n - h, o.unmatched_hint);
}

/* allow_unmatched drops such rows, counts the rest, and says so. */
static void allow_unmatched_drops_unknown_rows(void **state)
{
    (void)state;
    percap_records_options o = {.allow_unmatched = true};
    percap_notes *notes = percap_notes_alloc();
    percap_records *r = count_ok("drop.csv", "id,region\n1,Moscow\n2,Narnia\n3,Tuva\n4,Narnia\n",
                                 &o, notes);
    assert_int_equal(r->unmatched, 2);
    assert_int_equal(r->counted, 2);
    assert_double_equal(total(r), 2);
    assert_note(notes, "2 rows naming 1 unknown regions dropped");
    percap_records_free(r);
    percap_notes_free(notes);
}

/* The number of distinct unknown names must stay right past the five
 * that are shown by name: six names, each on two rows, are six names. */
static void distinct_unknown_names_counted_past_those_shown(void **state)
{
    (void)state;
    percap_records_options o = {.allow_unmatched = true};
    percap_notes *notes = percap_notes_alloc();
    percap_records *r = count_ok("six.csv",
                                 "region\nAa\nBb\nCc\nDd\nEe\nFf\nAa\nBb\nCc\nDd\nEe\nFf\n",
                                 &o, notes);
    size_t unmatched = r->unmatched;
    bool noted = test_note_index(notes, "12 rows naming 6 unknown regions dropped") >= 0;
    if (!noted)
        for (size_t i = 0; i < percap_notes_count(notes); i++)
            print_message("  note: %s\n", percap_notes_get(notes, i));
    percap_records_free(r);
    percap_notes_free(notes);
    assert_int_equal(unmatched, 12);
    assert_true(noted);
}

/* A row with more or fewer fields than the header is malformed: an error
 * at its line, not a guess at which field is which. */
static void ragged_row_is_error(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_records_count(test_write_file("ragged.csv",
                                                       "id,region\n1,Moscow\n2,Tuva,extra\n"),
                                       g_reg, &o, &r, NULL, &err),
                  PERCAP_EDATA, err);
    assert_int_equal(err.line, 3);
    assert_null(r);
}

/* ---- by month ----------------------------------------------------------- */

/* Monthly counts cover the months from the first to the last death, gaps
 * included, and agree with the totals. */
static void by_month_counts_and_range(void **state)
{
    (void)state;
    percap_records_options o = {.by_month = true};
    percap_records *r = count_ok("months.csv",
                                 "region,date\n"
                                 "Moscow,2022-05-31\n"
                                 "Tuva,2022-03-01\n"
                                 "Moscow,2022-03-15\n"
                                 "Moscow,2022-03-31\n",
                                 &o, NULL);
    assert_non_null(r->month_counts);
    assert_int_equal(r->first_month, 2022 * 12 + 2);
    assert_int_equal(r->nmonths, 3);
    size_t mow = reg_index("Moscow"), ty = reg_index("Tuva");
    const double *m = r->month_counts;
    assert_double_equal(m[mow * r->nmonths + 0], 2);
    assert_double_equal(m[mow * r->nmonths + 1], 0);
    assert_double_equal(m[mow * r->nmonths + 2], 1);
    assert_double_equal(m[ty * r->nmonths + 0], 1);
    assert_double_equal(m[ty * r->nmonths + 2], 0);
    /* every region's months add up to its total */
    for (size_t i = 0; i < r->nregions; i++) {
        double s = 0;
        for (size_t k = 0; k < r->nmonths; k++)
            s += m[i * r->nmonths + k];
        assert_double_equal(s, r->counts[i]);
    }
    percap_records_free(r);
}

/* Months across a year end: December then January are adjacent. */
static void by_month_across_year_end(void **state)
{
    (void)state;
    percap_records_options o = {.by_month = true};
    percap_records *r = count_ok("yearend.csv", "region,date\nTuva,2023-01-02\nTuva,2022-12-31\n",
                                 &o, NULL);
    assert_int_equal(r->first_month, 2022 * 12 + 11);
    assert_int_equal(r->nmonths, 2);
    size_t ty = reg_index("Tuva");
    assert_double_equal(r->month_counts[ty * 2 + 0], 1);
    assert_double_equal(r->month_counts[ty * 2 + 1], 1);
    percap_records_free(r);
}

/* Nothing counted: no months, not a 201-year table of zeros. */
static void by_month_with_nothing_counted(void **state)
{
    (void)state;
    percap_records_options o = {.by_month = true, .has_since = true,
                                .since = day("2022-02-24")};
    percap_records *r = count_ok("nomonths.csv", "region,date\nMoscow,2021-05-09\n", &o, NULL);
    assert_int_equal(r->nmonths, 0);
    assert_int_equal(r->rows, 1);
    assert_int_equal(r->outside, 1);
    percap_records_free(r);
}

/* ---- file encodings ----------------------------------------------------- */

/* A Windows export: byte-order mark and CRLF. The BOM must not stick to
 * the first header (or "region" is not found by name), and the CR must
 * not stick to the last field (or every date is bad). */
static void crlf_and_bom_are_handled(void **state)
{
    (void)state;
    percap_records_options o = {.has_since = true, .since = day("2022-03-01")};
    percap_records *r = count_ok("windows.csv",
                                 "\xEF\xBB\xBFregion,date\r\n"
                                 "Moscow,2022-03-01\r\n"
                                 "Tuva,2022-03-02\r\n"
                                 "Tuva,2022-02-28\r\n",
                                 &o, NULL);
    assert_string_equal(r->region_col, "region");
    assert_string_equal(r->date_col, "date");
    assert_int_equal(r->rows, 3);
    assert_int_equal(r->bad_date, 0);
    assert_int_equal(r->outside, 1);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    assert_double_equal(r->counts[reg_index("Tuva")], 1);
    percap_records_free(r);
}

/* Quoted fields with commas and newlines are one field: rows are not
 * split or merged, and the line of an error is the physical line where
 * its row starts (line 6 here, because row 2 spans lines 3 and 4). */
static void quoted_newlines_keep_rows_and_lines(void **state)
{
    (void)state;
    static const char text[] = "id,note,region\n"
                               "1,\"wounded, then died\",Moscow\n"
                               "2,\"first line\nsecond line\",Tuva\n"
                               "3,\"said \"\"no\"\"\",Tuva\n"
                               "4,plain,Narnia\n";
    percap_records_options o = {0};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_status(
        percap_records_count(test_write_file("quoted.csv", text), g_reg, &o, &r, NULL, &err),
        PERCAP_EDATA, err);
    assert_int_equal(err.line, 6);

    o.allow_unmatched = true;
    r = count_ok("quoted.csv", text, &o, NULL);
    assert_int_equal(r->rows, 4);
    assert_double_equal(r->counts[reg_index("Moscow")], 1);
    assert_double_equal(r->counts[reg_index("Tuva")], 2);
    assert_int_equal(r->unmatched, 1);
    percap_records_free(r);
}

/* A header and nothing else is an empty list, not an error. */
/* A header and no rows is a list cut short (a failed download, a wrong
 * export), not a list of no deaths: an error, as for a table of counts. */
static void header_only_is_error(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    const char *path = test_write_file("header.csv", "region,date\n\n");
    assert_int_equal(percap_records_count(path, g_reg, &o, &r, NULL, &err), PERCAP_EDATA);
    assert_null(r);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.message, "no records, only a header");
}

/* An empty file has no header: an error. */
static void empty_file_is_error(void **state)
{
    (void)state;
    percap_records_options o = {0};
    percap_records *r = NULL;
    percap_error err;
    percap_error_clear(&err);
    assert_int_not_equal(percap_records_count(test_write_file("empty.csv", ""), g_reg, &o, &r, NULL,
                                              &err),
                         PERCAP_OK);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_rows_by_region),
        cmocka_unit_test(region_column_by_name_priority),
        cmocka_unit_test(region_column_given_is_used),
        cmocka_unit_test(region_column_sampled_from_values),
        cmocka_unit_test(given_region_column_absent_falls_back_to_sampling),
        cmocka_unit_test(required_region_column_absent_is_usage_error),
        cmocka_unit_test(no_recognisable_region_column_is_usage_error),
        cmocka_unit_test(since_until_bounds_are_inclusive),
        cmocka_unit_test(until_alone_leaves_start_open),
        cmocka_unit_test(date_column_found_case_insensitively),
        cmocka_unit_test(two_date_columns_is_usage_error),
        cmocka_unit_test(no_date_column_when_needed_is_error),
        cmocka_unit_test(given_date_column_missing_is_error),
        cmocka_unit_test(dates_ignored_when_not_needed),
        cmocka_unit_test(uncountable_rows_are_tallied_and_noted),
        cmocka_unit_test(leap_day_is_a_valid_date),
        cmocka_unit_test(unknown_region_error_has_first_line),
        cmocka_unit_test(long_unknown_names_are_reported),
        cmocka_unit_test(unknown_region_message_carries_hint),
        cmocka_unit_test(allow_unmatched_drops_unknown_rows),
        cmocka_unit_test(distinct_unknown_names_counted_past_those_shown),
        cmocka_unit_test(ragged_row_is_error),
        cmocka_unit_test(by_month_counts_and_range),
        cmocka_unit_test(by_month_across_year_end),
        cmocka_unit_test(by_month_with_nothing_counted),
        cmocka_unit_test(crlf_and_bom_are_handled),
        cmocka_unit_test(quoted_newlines_keep_rows_and_lines),
        cmocka_unit_test(header_only_is_error),
        cmocka_unit_test(empty_file_is_error),
    };
    return cmocka_run_group_tests_name("records", tests, group_setup, group_teardown);
}
