/* Unit tests for percap/numparse.h: strict, locale-independent numbers,
 * counts and ISO dates. Numbers in user files are the raw material of every
 * rate; a parser that quietly accepts "1,234" as 1 or "nan" as a number
 * produces wrong results instead of an error, so most cases here are
 * inputs that must be REJECTED, each with the reason the user will see.
 *
 * Tests marked BUG_ fail against the current library: see the comment on
 * each for the expected behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/numparse.h"

#include "test_util.h"

#define SENTINEL (-12345.5)

/* Exact double comparison with a readable failure message. */
#define assert_double_eq(actual, expected)                                          \
    do {                                                                            \
        double a_ = (actual), e_ = (expected);                                      \
        if (!(a_ == e_))                                                            \
            fail_msg("%s == %.17g, expected %.17g", #actual, a_, e_);               \
    } while (0)

static void expect_number(const char *text, double expected)
{
    double v = SENTINEL;
    percap_num_result r = percap_parse_number(text, &v);
    if (r != PERCAP_NUM_OK)
        fail_msg("percap_parse_number(\"%s\") = %d, expected OK", text, (int)r);
    if (v != expected)
        fail_msg("percap_parse_number(\"%s\") gave %.17g, expected %.17g", text, v,
                 expected);
}

static void expect_number_fails(const char *text, percap_num_result expected)
{
    double v = SENTINEL;
    percap_num_result r = percap_parse_number(text, &v);
    if (r != expected)
        fail_msg("percap_parse_number(\"%s\") = %d, expected %d", text, (int)r,
                 (int)expected);
}

static void expect_count(const char *text, double expected)
{
    double v = SENTINEL;
    percap_num_result r = percap_parse_count(text, &v);
    if (r != PERCAP_NUM_OK)
        fail_msg("percap_parse_count(\"%s\") = %d, expected OK", text, (int)r);
    if (v != expected)
        fail_msg("percap_parse_count(\"%s\") gave %.17g, expected %.17g", text, v,
                 expected);
}

static void expect_count_fails(const char *text, percap_num_result expected)
{
    double v = SENTINEL;
    percap_num_result r = percap_parse_count(text, &v);
    if (r != expected)
        fail_msg("percap_parse_count(\"%s\") = %d (value %.17g), expected %d", text,
                 (int)r, v, (int)expected);
}

/* ---- percap_parse_number: accepted forms ---- */

static void test_number_plain_integer(void **state)
{
    (void)state;
    expect_number("12", 12.0);
    expect_number("0", 0.0);
}

static void test_number_surrounding_spaces_and_tabs_ignored(void **state)
{
    (void)state;
    /* spreadsheets pad cells; padding must not turn a number into an error */
    expect_number(" 12 ", 12.0);
    expect_number("\t12\t", 12.0);
    expect_number("  -3.25   ", -3.25);
}

static void test_number_signs(void **state)
{
    (void)state;
    expect_number("+5", 5.0);
    expect_number("-5", -5.0);
}

static void test_number_leading_or_trailing_point(void **state)
{
    (void)state;
    expect_number(".5", 0.5);
    expect_number("5.", 5.0);
    expect_number("-.25", -0.25);
}

static void test_number_exponents(void **state)
{
    (void)state;
    expect_number("1e-5", 1e-5);
    expect_number("1E3", 1000.0);
    expect_number("2.5e+2", 250.0);
    expect_number("1e308", 1e308);
}

static void test_number_decimal_value_is_correctly_rounded(void **state)
{
    (void)state;
    /* strtod's correctly rounded result, not an accumulation of digits */
    expect_number("0.1", 0.1);
    expect_number("123456.789", 123456.789);
}

static void test_number_denormal_is_accepted(void **state)
{
    (void)state;
    /* The smallest denormal: strtod reports ERANGE for it, but it is a
     * finite, nonzero value; RANGE is documented for "too large" only. */
    double v = 0;
    assert_int_equal(percap_parse_number("4.9e-324", &v), PERCAP_NUM_OK);
    assert_true(v > 0.0);
    assert_double_eq(v, 4.9406564584124654e-324);
}

static void test_number_underflow_to_zero_is_accepted_as_zero(void **state)
{
    (void)state;
    /* Documented behaviour: RANGE is "finite in text but too large".
     * Text too small for a double becomes 0 (it is not an error). */
    expect_number("1e-400", 0.0);
    double v = SENTINEL;
    assert_int_equal(percap_parse_number("-1e-400", &v), PERCAP_NUM_OK);
    assert_double_eq(v, 0.0);
}

static void test_number_negative_zero_keeps_its_sign(void **state)
{
    (void)state;
    /* Only counts fold -0 to 0 (see the count test); a plain number keeps
     * it, as strtod gives it. */
    double v = SENTINEL;
    assert_int_equal(percap_parse_number("-0", &v), PERCAP_NUM_OK);
    assert_double_eq(v, 0.0);
    assert_true(signbit(v));
}

/* ---- percap_parse_number: rejected forms ---- */

static void test_number_thousands_separator_rejected(void **state)
{
    (void)state;
    /* "1,234" must not be read as 1 (strtod would stop at the comma) */
    expect_number_fails("1,234", PERCAP_NUM_SYNTAX);
    expect_number_fails("12,345,678", PERCAP_NUM_SYNTAX);
    expect_number_fails("1 234", PERCAP_NUM_SYNTAX);
}

static void test_number_trailing_garbage_rejected(void **state)
{
    (void)state;
    expect_number_fails("12abc", PERCAP_NUM_SYNTAX);
    expect_number_fails("12 abc", PERCAP_NUM_SYNTAX);
    expect_number_fails("12%", PERCAP_NUM_SYNTAX);
    expect_number_fails("1.2.3", PERCAP_NUM_SYNTAX);
}

static void test_number_empty_and_blank_are_empty(void **state)
{
    (void)state;
    expect_number_fails("", PERCAP_NUM_EMPTY);
    expect_number_fails("  ", PERCAP_NUM_EMPTY);
    expect_number_fails("\t \t", PERCAP_NUM_EMPTY);
}

static void test_number_nan_rejected(void **state)
{
    (void)state;
    /* strtod accepts these; the grammar check must stop them */
    expect_number_fails("nan", PERCAP_NUM_SYNTAX);
    expect_number_fails("NaN", PERCAP_NUM_SYNTAX);
    expect_number_fails("-nan", PERCAP_NUM_SYNTAX);
    expect_number_fails("nan(0x1)", PERCAP_NUM_SYNTAX);
}

static void test_number_infinity_rejected(void **state)
{
    (void)state;
    expect_number_fails("inf", PERCAP_NUM_SYNTAX);
    expect_number_fails("-inf", PERCAP_NUM_SYNTAX);
    expect_number_fails("+INF", PERCAP_NUM_SYNTAX);
    expect_number_fails("Infinity", PERCAP_NUM_SYNTAX);
}

static void test_number_hex_rejected(void **state)
{
    (void)state;
    /* strtod reads "0x10" as 16 */
    expect_number_fails("0x10", PERCAP_NUM_SYNTAX);
    expect_number_fails("0X1p3", PERCAP_NUM_SYNTAX);
}

static void test_number_overflow_is_range(void **state)
{
    (void)state;
    expect_number_fails("1e400", PERCAP_NUM_RANGE);
    expect_number_fails("-1e400", PERCAP_NUM_RANGE);
    expect_number_fails("2e308", PERCAP_NUM_RANGE);
}

static void test_number_incomplete_forms_rejected(void **state)
{
    (void)state;
    expect_number_fails(".", PERCAP_NUM_SYNTAX);
    expect_number_fails("-", PERCAP_NUM_SYNTAX);
    expect_number_fails("+", PERCAP_NUM_SYNTAX);
    expect_number_fails("1e", PERCAP_NUM_SYNTAX);
    expect_number_fails("1e+", PERCAP_NUM_SYNTAX);
    expect_number_fails("e5", PERCAP_NUM_SYNTAX);
    expect_number_fails("+-5", PERCAP_NUM_SYNTAX);
    expect_number_fails("--5", PERCAP_NUM_SYNTAX);
}

static void test_number_failure_leaves_output_alone(void **state)
{
    (void)state;
    /* callers may keep a default in *out; a failed parse of "12abc" must
     * not leave 12 there */
    double v = SENTINEL;
    assert_int_not_equal(percap_parse_number("12abc", &v), PERCAP_NUM_OK);
    assert_double_eq(v, SENTINEL);
    assert_int_not_equal(percap_parse_number("1e400", &v), PERCAP_NUM_OK);
    assert_double_eq(v, SENTINEL);
}

/* ---- percap_parse_count ---- */

/* ---- numbers longer than 127 characters ---- */

static char *repeat(const char *before, char c, size_t n, const char *after)
{
    size_t lb = strlen(before), la = strlen(after);
    char *t = malloc(lb + n + la + 1);
    assert_non_null(t);
    memcpy(t, before, lb);
    memset(t + lb, c, n);
    memcpy(t + lb + n, after, la + 1);
    return t;
}

/* Long decimals used to be "not a number" (they were copied into a
 * 128-byte buffer). Expected values: glibc's strtod on the whole text, an
 * independent, correctly rounded reader of any length; the text is
 * random digits, 130 to 3,000 of them, with the point anywhere. */
static void test_number_long_decimals_match_strtod(void **state)
{
    (void)state;
    srand(20261122);
    char text[3100];
    int compared = 0;
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 130 + (size_t)rand() % 2870, used = 0;
        if (rand() % 2)
            text[used++] = '-';
        size_t zeros = (size_t)rand() % 4 ? 0 : (size_t)rand() % n; /* 0.000...ddd */
        size_t point = (size_t)rand() % (n < 300 ? n + 1 : 300); /* mostly finite */
        for (size_t i = 0; i < n; i++) {
            if (i == point)
                text[used++] = '.';
            text[used++] = i < zeros ? '0' : (char)('0' + rand() % 10);
        }
        if (rand() % 3 == 0)
            used += (size_t)sprintf(text + used, "e%d", rand() % 800 - 400);
        text[used] = '\0';
        double want = strtod(text, NULL), got = SENTINEL;
        percap_num_result r = percap_parse_number(text, &got);
        if (!isfinite(want) || (want != 0 && fabs(want) < 1e-300))
            continue; /* overflow and subnormals: the tests above */
        if (r != PERCAP_NUM_OK || got != want)
            fail_msg("%.60s... (%zu chars): %d, %.17g; strtod %.17g", text, used, (int)r, got,
                     want);
        compared++;
    }
    assert_true(compared > 1500);
}

/* A tie broken only by a digit far out: 2^53 + 1 lies halfway between two
 * doubles, and a 1 a thousand digits later must round it up, as strtod
 * does; without that digit it rounds to even (down). */
static void test_number_long_halfway_case_rounds_as_strtod(void **state)
{
    (void)state;
    char *up = repeat("9007199254740993.", '0', 1000, "1");
    char *even = repeat("9007199254740993.", '0', 1000, "");
    expect_number(up, 9007199254740994.0);
    expect_number(even, 9007199254740992.0);
    assert_double_eq(strtod(up, NULL), 9007199254740994.0);
    free(up);
    free(even);
}

/* A population written with many zeros is a population; a count of ten
 * million digits is out of range, not "not a number"; a long fraction is
 * a fraction. */
static void test_count_long_forms(void **state)
{
    (void)state;
    char *zeros = repeat("100000.", '0', 200, "");
    char *lead = repeat("", '0', 300, "42");
    char *nines = repeat("", '9', 10u << 20, "");
    char *frac = repeat("5.", '0', 300, "1");
    char *small = repeat("0.", '0', 400, "1e402");
    expect_count(zeros, 100000);
    expect_count(lead, 42);
    expect_number_fails(nines, PERCAP_NUM_RANGE);
    expect_count_fails(nines, PERCAP_NUM_RANGE);
    expect_count_fails(frac, PERCAP_NUM_FRACTION);
    expect_count(small, 10);
    free(zeros);
    free(lead);
    free(nines);
    free(frac);
    free(small);
}

static void test_count_plain_and_padded(void **state)
{
    (void)state;
    expect_count("12", 12.0);
    expect_count(" 12 ", 12.0);
    expect_count("0", 0.0);
}

static void test_count_whole_decimal_forms(void **state)
{
    (void)state;
    /* exported spreadsheets write counts as "12.0" or "1e3" */
    expect_count("1e3", 1000.0);
    expect_count("12.0", 12.0);
    expect_count("1.5e1", 15.0);
    expect_count("+5", 5.0);
}

static void test_count_negative_zero_is_plain_zero(void **state)
{
    (void)state;
    double v = SENTINEL;
    assert_int_equal(percap_parse_count("-0", &v), PERCAP_NUM_OK);
    assert_double_eq(v, 0.0);
    /* a -0 count would print as "-0" in outputs */
    assert_false(signbit(v));
}

static void test_count_fraction_rejected(void **state)
{
    (void)state;
    expect_count_fails("1.5", PERCAP_NUM_FRACTION);
    expect_count_fails("0.5", PERCAP_NUM_FRACTION);
    expect_count_fails("1e-1", PERCAP_NUM_FRACTION);
}

static void test_count_negative_rejected(void **state)
{
    (void)state;
    expect_count_fails("-3", PERCAP_NUM_NEGATIVE);
    expect_count_fails("-0.5", PERCAP_NUM_NEGATIVE);
}

static void test_count_two_pow_53_accepted(void **state)
{
    (void)state;
    /* the documented maximum, inclusive */
    expect_count("9007199254740992", 9007199254740992.0);
}

static void test_count_above_two_pow_53_rejected(void **state)
{
    (void)state;
    expect_count_fails("9007199254740994", PERCAP_NUM_TOO_LARGE); /* 2^53 + 2 */
    expect_count_fails("1e16", PERCAP_NUM_TOO_LARGE);
    expect_count_fails("1e300", PERCAP_NUM_TOO_LARGE);
}

/* 2^53 + 1 has no double: strtod rounds it to 2^53, which would pass a
 * check on the value, and the count would be silently changed by one. */
static void test_count_two_pow_53_plus_one_rejected(void **state)
{
    (void)state;
    expect_count_fails("9007199254740993", PERCAP_NUM_TOO_LARGE);
    expect_count_fails(" +09007199254740993 ", PERCAP_NUM_TOO_LARGE);
    expect_count_fails("90071992547409921", PERCAP_NUM_TOO_LARGE);
}

/* Regression test for a fixed bug. Was: percap_parse_count (src/numparse.c) catches 2^53 + 1 only when it
 * is written as plain digits (plain_digits_too_large). Written as a whole
 * decimal, which the header explicitly allows for counts ("12.0", "1e3"),
 * it still rounds to 2^53 and is accepted as 9007199254740992.
 * Expected PERCAP_NUM_TOO_LARGE. Fix: decide on the text, e.g. treat
 * v == 2^53 as too large unless the text's digits (mantissa shifted by
 * the exponent) spell exactly 9007199254740992. */
static void test_count_decimal_form_of_two_pow_53_plus_one_rejected(void **state)
{
    (void)state;
    expect_count_fails("9007199254740993.0", PERCAP_NUM_TOO_LARGE);
    expect_count_fails("9.007199254740993e15", PERCAP_NUM_TOO_LARGE);
}

/* Regression test for a fixed bug. Was: percap_parse_count (src/numparse.c) judges wholeness on the
 * rounded double. 2^52 + 0.5 has no double (the spacing there is 1), so
 * strtod rounds it to the whole 2^52 and the FRACTION check never sees
 * the ".5": accepted as 4503599627370496. Expected PERCAP_NUM_FRACTION.
 * Fix: check the text: any nonzero digit after the point that the
 * exponent does not shift in front of it makes a fraction. */
static void test_count_fraction_lost_in_rounding_rejected(void **state)
{
    (void)state;
    expect_count_fails("4503599627370496.5", PERCAP_NUM_FRACTION);
}

static void test_count_propagates_number_errors(void **state)
{
    (void)state;
    expect_count_fails("", PERCAP_NUM_EMPTY);
    expect_count_fails("1,234", PERCAP_NUM_SYNTAX);
    expect_count_fails("nan", PERCAP_NUM_SYNTAX);
    expect_count_fails("1e400", PERCAP_NUM_RANGE);
}

static void test_count_failure_leaves_output_alone(void **state)
{
    (void)state;
    double v = SENTINEL;
    assert_int_not_equal(percap_parse_count("1.5", &v), PERCAP_NUM_OK);
    assert_double_eq(v, SENTINEL);
    assert_int_not_equal(percap_parse_count("-3", &v), PERCAP_NUM_OK);
    assert_double_eq(v, SENTINEL);
}

/* ---- percap_num_result_describe ---- */

static void test_describe_thousands_separator(void **state)
{
    (void)state;
    /* the most common mistake in hand-made files gets a specific hint */
    const char *d = percap_num_result_describe(PERCAP_NUM_SYNTAX, "1,234");
    assert_non_null(strstr(d, "thousands separator"));
    d = percap_num_result_describe(PERCAP_NUM_SYNTAX, " 12,345,678 ");
    assert_non_null(strstr(d, "thousands separator"));
}

static void test_describe_decimal_comma_gets_the_same_hint(void **state)
{
    (void)state;
    /* "1,5" is a decimal comma: the hint says to use '.' for decimals */
    const char *d = percap_num_result_describe(PERCAP_NUM_SYNTAX, "1,5");
    assert_non_null(strstr(d, "'.'"));
}

static void test_describe_nan_and_inf_as_not_finite(void **state)
{
    (void)state;
    const char *texts[] = {"nan", "NaN", " -nan ", "inf", "-inf", "+INF", "Infinity",
                           "-infinity"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *d = percap_num_result_describe(PERCAP_NUM_SYNTAX, texts[i]);
        if (strcmp(d, "not a finite number") != 0)
            fail_msg("describe(\"%s\") = \"%s\"", texts[i], d);
    }
}

static void test_describe_plain_garbage(void **state)
{
    (void)state;
    assert_string_equal(percap_num_result_describe(PERCAP_NUM_SYNTAX, "12abc"),
                        "not a number");
    /* a comma next to letters is not a thousands separator */
    assert_string_equal(percap_num_result_describe(PERCAP_NUM_SYNTAX, "a,b"),
                        "not a number");
    assert_string_equal(percap_num_result_describe(PERCAP_NUM_SYNTAX, "infinite"),
                        "not a number");
    assert_string_equal(percap_num_result_describe(PERCAP_NUM_SYNTAX, NULL),
                        "not a number");
}

static void test_describe_every_result_differently(void **state)
{
    (void)state;
    /* each reason must be distinguishable in a message */
    const percap_num_result all[] = {PERCAP_NUM_OK,       PERCAP_NUM_EMPTY,
                                     PERCAP_NUM_SYNTAX,   PERCAP_NUM_RANGE,
                                     PERCAP_NUM_NEGATIVE, PERCAP_NUM_FRACTION,
                                     PERCAP_NUM_TOO_LARGE};
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *di = percap_num_result_describe(all[i], "x");
        assert_non_null(di);
        assert_true(di[0] != '\0');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(di, percap_num_result_describe(all[j], "x"));
    }
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_NEGATIVE, "-3"), "negative"));
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_FRACTION, "1.5"), "whole"));
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_TOO_LARGE, "1e20"), "2^53"));
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_RANGE, "1e400"), "range"));
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_EMPTY, ""), "empty"));
}

static void test_describe_missing_marker_where_number_required(void **state)
{
    (void)state;
    /* "NA" in a count column is a missing value, not a malformed number */
    double v;
    assert_int_equal(percap_parse_number("NA", &v), PERCAP_NUM_SYNTAX);
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_SYNTAX, "NA"), "missing"));
    assert_non_null(strstr(percap_num_result_describe(PERCAP_NUM_SYNTAX, " n/a "), "missing"));
    assert_null(strstr(percap_num_result_describe(PERCAP_NUM_SYNTAX, "nan"), "missing"));
}

static void test_describe_unknown_result(void **state)
{
    (void)state;
    assert_string_equal(percap_num_result_describe((percap_num_result)99, "x"),
                        "invalid number");
}

/* ---- percap_is_missing ---- */

static void test_missing_markers(void **state)
{
    (void)state;
    const char *yes[] = {"", "   ", "NA", "na", "Na", " NA ", "N/A", "n/a", "-", ".",
                         "\t-\t"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!percap_is_missing(yes[i]))
            fail_msg("percap_is_missing(\"%s\") is false", yes[i]);
}

static void test_missing_rejects_values_and_nan(void **state)
{
    (void)state;
    /* "nan" is documented as NOT missing: it is a number gone wrong and
     * must be reported, not skipped */
    const char *no[] = {"0", "nan", "NaN", "NULL", "--", "..", "N A", "NA NA", "n/a/",
                        "NAN", "na x", "abcdefghij", "NA       x"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (percap_is_missing(no[i]))
            fail_msg("percap_is_missing(\"%s\") is true", no[i]);
}

/* ---- locale independence ---- */

static void test_number_ignores_comma_decimal_locale(void **state)
{
    (void)state;
    /* A program embedding percap may call setlocale(); "1.5" in a data
     * file must still be one and a half, and "1,5" still an error. */
    if (!test_set_comma_locale()) {
        print_message("no locale with a decimal comma installed: skipped\n");
        skip();
    }
    double v = SENTINEL;
    percap_num_result r1 = percap_parse_number("1.5", &v);
    double v1 = v;
    v = SENTINEL;
    percap_num_result r2 = percap_parse_number("1,5", &v);
    double cv = SENTINEL;
    percap_num_result r3 = percap_parse_count("2.0e3", &cv);
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(r1, PERCAP_NUM_OK);
    assert_double_eq(v1, 1.5);
    assert_int_equal(r2, PERCAP_NUM_SYNTAX);
    assert_double_eq(v, SENTINEL);
    assert_int_equal(r3, PERCAP_NUM_OK);
    assert_double_eq(cv, 2000.0);
}

/* ---- dates ---- */

static void expect_date(const char *text, int32_t days)
{
    int32_t d = -999999;
    if (!percap_parse_date(text, &d))
        fail_msg("percap_parse_date(\"%s\") failed", text);
    if (d != days)
        fail_msg("percap_parse_date(\"%s\") = %ld, expected %ld", text, (long)d,
                 (long)days);
}

static void expect_bad_date(const char *text)
{
    int32_t d = -999999;
    if (percap_parse_date(text, &d))
        fail_msg("percap_parse_date(\"%s\") accepted (%ld)", text, (long)d);
}

static void test_date_epoch_is_day_zero(void **state)
{
    (void)state;
    expect_date("1970-01-01", 0);
    expect_date("1969-12-31", -1);
}

static void test_date_known_day_numbers(void **state)
{
    (void)state;
    expect_date("2022-04-05", 19087);
    expect_date("2000-03-01", 11017);
    expect_date("1900-01-01", -25567);
}

static void test_date_end_of_february(void **state)
{
    (void)state;
    expect_date("2022-02-28", 19051);
    expect_bad_date("2022-02-29");          /* 2022 is not a leap year */
    expect_date("2024-02-29", 19782);       /* 2024 is */
    expect_date("2000-02-29", 11016);       /* divisible by 400: leap */
    expect_bad_date("1900-02-29");          /* divisible by 100: not leap */
    expect_bad_date("2024-02-30");
}

static void test_date_month_and_day_ranges(void **state)
{
    (void)state;
    expect_bad_date("2022-13-45");
    expect_bad_date("2022-13-01");
    expect_bad_date("2022-00-10");
    expect_bad_date("2022-04-00");
    expect_bad_date("2022-04-31");
    expect_date("2022-12-31", 19357);
}

static void test_date_with_time_part(void **state)
{
    (void)state;
    /* timestamps exported by databases: the time is ignored */
    expect_date("2022-04-05T10:00", 19087);
    expect_date("2022-04-05 10:00:00", 19087);
    expect_date("2022-04-05T23:59:59Z", 19087);
}

static void test_date_requires_two_digit_fields(void **state)
{
    (void)state;
    expect_bad_date("2022-4-5");
    expect_bad_date("2022-04-5");
    expect_bad_date("22-04-05");
    expect_bad_date("2022/04/05");
    expect_bad_date("20220405");
}

static void test_date_rejects_empty_and_trailing_garbage(void **state)
{
    (void)state;
    expect_bad_date("");
    expect_bad_date("   ");
    expect_bad_date("2022-04-05x");
    expect_bad_date("2022-04-0x");
    expect_bad_date("05.04.2022");
    expect_bad_date("2022-04");
}

static void test_date_year_range(void **state)
{
    (void)state;
    expect_bad_date("0999-12-31"); /* documented: years 1000-9999 */
    expect_date("1000-01-01", -354285);
    expect_date("9999-12-31", 2932896);
}

static void test_date_failure_leaves_output_alone(void **state)
{
    (void)state;
    int32_t d = 4242;
    assert_false(percap_parse_date("2022-02-29", &d));
    assert_int_equal(d, 4242);
}

static void test_date_split_known_days(void **state)
{
    (void)state;
    int y, m, d;
    percap_date_split(0, &y, &m, &d);
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    percap_date_split(19087, &y, &m, &d);
    assert_int_equal(y, 2022);
    assert_int_equal(m, 4);
    assert_int_equal(d, 5);
    percap_date_split(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

static void test_date_round_trip_1900_to_2100(void **state)
{
    (void)state;
    /* Every calendar day from 1900-01-01 to 2100-12-31: text -> days ->
     * (y, m, d) must give the same date back, and consecutive dates must
     * be consecutive day numbers (no gaps or repeats at month, year and
     * century boundaries, including the non-leap 1900 and 2100). */
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t prev = 0;
    long checked = 0;
    for (int y = 1900; y <= 2100; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last; d++) {
                char text[48];
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
                int32_t days;
                if (!percap_parse_date(text, &days))
                    fail_msg("rejected %s", text);
                if (checked > 0 && days != prev + 1)
                    fail_msg("%s is day %ld, previous day was %ld", text, (long)days,
                             (long)prev);
                int yy, mm, dd;
                percap_date_split(days, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("%s -> %ld -> %04d-%02d-%02d", text, (long)days, yy, mm, dd);
                prev = days;
                checked++;
            }
            /* the day after the last of the month is invalid */
            char after[48];
            snprintf(after, sizeof after, "%04d-%02d-%02d", y, m, last + 1);
            expect_bad_date(after);
        }
    }
    assert_int_equal(checked, 73414); /* 201 years, 49 of them leap */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_plain_integer),
        cmocka_unit_test(test_number_surrounding_spaces_and_tabs_ignored),
        cmocka_unit_test(test_number_signs),
        cmocka_unit_test(test_number_leading_or_trailing_point),
        cmocka_unit_test(test_number_exponents),
        cmocka_unit_test(test_number_decimal_value_is_correctly_rounded),
        cmocka_unit_test(test_number_denormal_is_accepted),
        cmocka_unit_test(test_number_underflow_to_zero_is_accepted_as_zero),
        cmocka_unit_test(test_number_negative_zero_keeps_its_sign),
        cmocka_unit_test(test_number_thousands_separator_rejected),
        cmocka_unit_test(test_number_trailing_garbage_rejected),
        cmocka_unit_test(test_number_empty_and_blank_are_empty),
        cmocka_unit_test(test_number_nan_rejected),
        cmocka_unit_test(test_number_infinity_rejected),
        cmocka_unit_test(test_number_hex_rejected),
        cmocka_unit_test(test_number_overflow_is_range),
        cmocka_unit_test(test_number_incomplete_forms_rejected),
        cmocka_unit_test(test_number_failure_leaves_output_alone),
        cmocka_unit_test(test_number_long_decimals_match_strtod),
        cmocka_unit_test(test_number_long_halfway_case_rounds_as_strtod),
        cmocka_unit_test(test_count_long_forms),
        cmocka_unit_test(test_count_plain_and_padded),
        cmocka_unit_test(test_count_whole_decimal_forms),
        cmocka_unit_test(test_count_negative_zero_is_plain_zero),
        cmocka_unit_test(test_count_fraction_rejected),
        cmocka_unit_test(test_count_negative_rejected),
        cmocka_unit_test(test_count_two_pow_53_accepted),
        cmocka_unit_test(test_count_above_two_pow_53_rejected),
        cmocka_unit_test(test_count_two_pow_53_plus_one_rejected),
        cmocka_unit_test(test_count_decimal_form_of_two_pow_53_plus_one_rejected),
        cmocka_unit_test(test_count_fraction_lost_in_rounding_rejected),
        cmocka_unit_test(test_count_propagates_number_errors),
        cmocka_unit_test(test_count_failure_leaves_output_alone),
        cmocka_unit_test(test_describe_thousands_separator),
        cmocka_unit_test(test_describe_decimal_comma_gets_the_same_hint),
        cmocka_unit_test(test_describe_nan_and_inf_as_not_finite),
        cmocka_unit_test(test_describe_plain_garbage),
        cmocka_unit_test(test_describe_every_result_differently),
        cmocka_unit_test(test_describe_missing_marker_where_number_required),
        cmocka_unit_test(test_describe_unknown_result),
        cmocka_unit_test(test_missing_markers),
        cmocka_unit_test(test_missing_rejects_values_and_nan),
        cmocka_unit_test(test_number_ignores_comma_decimal_locale),
        cmocka_unit_test(test_date_epoch_is_day_zero),
        cmocka_unit_test(test_date_known_day_numbers),
        cmocka_unit_test(test_date_end_of_february),
        cmocka_unit_test(test_date_month_and_day_ranges),
        cmocka_unit_test(test_date_with_time_part),
        cmocka_unit_test(test_date_requires_two_digit_fields),
        cmocka_unit_test(test_date_rejects_empty_and_trailing_garbage),
        cmocka_unit_test(test_date_year_range),
        cmocka_unit_test(test_date_failure_leaves_output_alone),
        cmocka_unit_test(test_date_split_known_days),
        cmocka_unit_test(test_date_round_trip_1900_to_2100),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
