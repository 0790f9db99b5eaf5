/* Tests for src/formula.c: parsing, R's names for terms, evaluation over an
 * area table, dropped rows, and the error messages with their columns.
 *
 * Where the numbers come from: tests/data/formula_expected.csv was printed
 * by tests/data/formula_expected.R (R 4.2.2, base stats) for the formulas of
 * tests/data/formula_cases.csv over the "synth" table of
 * tests/data/model_synthetic.csv: colnames(model.matrix()), deparse() of
 * the left side, attr(terms(), "intercept"), model.response() and
 * model.matrix() values (sprintf("%.17g")), and the rows whose values are
 * not all finite -- the rows percap drops. Values are compared at 1e-9
 * relative tolerance, names exactly.
 *
 * The names in number_formats_as_r come from R too, printed once by
 *   attr(terms(y ~ I(123456*x) + I(1e15*x) + ...), "term.labels")
 * (R 4.2.2): they are quoted in the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/formula.h"
#include "percap/regions.h"

#include "test_util.h"

#define RTOL 1e-9
#define MAX_ROWS 4096
#define MAX_CASES 64
#define EXPECTED_CSV PERCAP_TEST_DATA "/formula_expected.csv"
#define CASES_CSV PERCAP_TEST_DATA "/formula_cases.csv"

typedef struct expected_row {
    char kind[16], id[16], code[16];
    long j;
    char value[256];
} expected_row;

typedef struct formula_case {
    char id[16];
    char text[256];
} formula_case;

static expected_row rows[MAX_ROWS];
static size_t n_rows;
static formula_case cases[MAX_CASES];
static size_t n_cases;
static percap_registry *reg;
static percap_areas *areas;
static double max_rel;

static void load_expected(void)
{
    char line[512], *f[8] = {0};
    FILE *fp = test_open_csv(EXPECTED_CSV, line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        assert_int_equal(test_split(line, f, 8), 5);
        assert_true(n_rows < MAX_ROWS);
        expected_row *r = &rows[n_rows++];
        test_copy(r->kind, sizeof r->kind, f[0]);
        test_copy(r->id, sizeof r->id, f[1]);
        test_copy(r->code, sizeof r->code, f[2]);
        r->j = f[3][0] ? strtol(f[3], NULL, 10) : -1;
        test_copy(r->value, sizeof r->value, f[4]);
    }
    fclose(fp);
}

/* id,formula: the formula is everything after the first comma. */
static void load_cases(void)
{
    char line[512];
    FILE *fp = test_open_csv(CASES_CSV, line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        assert_non_null(comma);
        *comma = '\0';
        assert_true(n_cases < MAX_CASES);
        test_copy(cases[n_cases].id, sizeof cases[n_cases].id, line);
        test_copy(cases[n_cases].text, sizeof cases[n_cases].text, comma + 1);
        n_cases++;
    }
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    load_expected();
    load_cases();
    test_areas synth = test_areas_synthetic("synth");
    reg = synth.reg;
    areas = synth.areas;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    percap_areas_free(areas);
    percap_registry_free(reg);
    return 0;
}

static long kept_row(const percap_formula_frame *fr, const char *code)
{
    for (size_t i = 0; i < fr->n; i++)
        if (strcmp(percap_areas_code(areas, fr->area[i]), code) == 0)
            return (long)i;
    return -1;
}

static void check_value(const char *what, const char *id, const char *code, double got,
                        double want)
{
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(rel <= RTOL))
        fail_msg("%s %s %s = %.17g, expected %.17g", id, code, what, got, want);
    if (rel > max_rel)
        max_rel = rel;
}

static bool noted_drop(const percap_notes *notes, const char *code)
{
    char want[64];
    snprintf(want, sizeof want, "dropped %s (", code);
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        if (strstr(percap_notes_get(notes, i), want))
            return true;
    return false;
}

static size_t count_drop_notes(const percap_notes *notes)
{
    size_t k = 0;
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        k += strstr(percap_notes_get(notes, i), ": dropped ") != NULL;
    return k;
}

typedef struct tally {
    size_t cols, ys, xs, dropped;
} tally;

static void check_row(const expected_row *r, const percap_formula *f,
                      const percap_formula_frame *fr, const percap_notes *notes, tally *t)
{
    if (strcmp(r->kind, "column") == 0) {
        assert_string_equal(percap_formula_column(f, (size_t)r->j), r->value);
        t->cols++;
    } else if (strcmp(r->kind, "response") == 0) {
        assert_string_equal(percap_formula_response(f), r->value);
    } else if (strcmp(r->kind, "intercept") == 0) {
        assert_int_equal(percap_formula_has_intercept(f), r->value[0] == '1');
    } else if (strcmp(r->kind, "dropped") == 0) {
        if (!noted_drop(notes, r->code))
            fail_msg("%s: no note for the dropped row %s", r->id, r->code);
        assert_true(kept_row(fr, r->code) < 0);
        t->dropped++;
    } else {
        long i = kept_row(fr, r->code);
        if (i < 0)
            fail_msg("%s: row %s should have been kept", r->id, r->code);
        bool is_y = strcmp(r->kind, "y") == 0;
        double got = is_y ? fr->y[i] : fr->x[(size_t)i * fr->p + (size_t)r->j];
        check_value(r->kind, r->id, r->code, got, test_number(r->value));
        *(is_y ? &t->ys : &t->xs) += 1;
    }
}

static void check_case(const formula_case *c)
{
    percap_error err;
    percap_notes *notes = percap_notes_alloc();
    percap_formula_frame *fr = NULL;
    tally t = {0};
    percap_error_clear(&err);
    percap_formula *f = percap_formula_parse(c->text, &err);
    if (!f)
        fail_msg("%s: '%s' did not parse: %s", c->id, c->text, err.message);
    assert_status(percap_formula_evaluate(f, areas, NULL, &fr, notes, &err), PERCAP_OK, err);
    for (size_t i = 0; i < n_rows; i++)
        if (strcmp(rows[i].id, c->id) == 0)
            check_row(&rows[i], f, fr, notes, &t);
    assert_int_equal(t.cols, percap_formula_ncols(f));
    assert_int_equal(t.ys, fr->n);
    assert_int_equal(t.xs, fr->n * fr->p);
    assert_int_equal(t.dropped, count_drop_notes(notes));
    assert_int_equal(t.dropped + fr->n, areas->n);
    percap_formula_frame_free(fr);
    percap_formula_free(f);
    percap_notes_free(notes);
}

static void matches_r(void **state)
{
    (void)state;
    assert_true(n_cases >= 14);
    for (size_t i = 0; i < n_cases; i++)
        check_case(&cases[i]);
    print_message("formula: %zu formulas, max rel. error of values %.2g\n", n_cases, max_rel);
}

/* ---- names ---------------------------------------------------------------- */

static void assert_columns(const char *text, const char *const *want, size_t n)
{
    percap_error err;
    percap_error_clear(&err);
    percap_formula *f = percap_formula_parse(text, &err);
    if (!f)
        fail_msg("'%s' did not parse: %s", text, err.message);
    assert_int_equal(percap_formula_ncols(f), n);
    for (size_t j = 0; j < n; j++)
        assert_string_equal(percap_formula_column(f, j), want[j]);
    assert_null(percap_formula_column(f, n));
    percap_formula_free(f);
}

/* R 4.2.2 printed these labels for the same terms. */
static void number_formats_as_r(void **state)
{
    (void)state;
    const char *const want[] = {"I(123456 * x)", "I(1e+15 * x)", "I(0.1 + x)",
                                "I(1e-04 * x)", "I(0.333333333333333 * x)", "I(1500 * x)",
                                "I(2.5 * x)", "I(5 * x)", "I(0.5 * x)", "I(1e+22 * x)",
                                "I(10000 * x)", "I(1e+05 * x)", "I(1234567 * x)",
                                "I(x/1e-05)"};
    assert_columns("y ~ 0 + I(123456*x) + I(1e15*x) + I(0.1+x) + I(0.0001*x) + "
                   "I(0.333333333333333333*x) + I(1.5e3*x) + I(2.50*x) + I(5.*x) + "
                   "I(.5*x) + I(1e22*x) + I(10000*x) + I(100000*x) + I(1234567*x) + "
                   "I(x/1e-5)",
                   want, 14);
}

/* Backticks: R prints `a b` and `_x` quoted, and a syntactic name bare. */
static void names_quoted_as_r(void **state)
{
    (void)state;
    const char *const want[] = {"(Intercept)", "`a b`", "log(`a b`)", "`_x`", "x"};
    assert_columns("y ~ `a b` + log(`a b`) + _x + `x`", want, 5);
}

/* R drops repeats and removed terms and reads -0 as +1. */
static void term_algebra_as_r(void **state)
{
    (void)state;
    const char *const a[] = {"(Intercept)", "x"};
    const char *const b[] = {"x"};
    assert_columns("y ~ x - 0", a, 2);
    assert_columns("y ~ 0 + x + 1", a, 2);
    assert_columns("y ~ -1 + x", b, 1);
    assert_columns("y ~ x + 1 - 1", b, 1);
    assert_columns("y ~ x + z - z + x", a, 2);
    assert_columns("y ~ x + log(z) - log( z )", a, 2);
}

static void response_variable(void **state)
{
    (void)state;
    percap_formula *f = percap_formula_parse("rate ~ x1", NULL);
    assert_non_null(f);
    assert_string_equal(percap_formula_response_variable(f), "rate");
    assert_string_equal(percap_formula_text(f), "rate ~ x1");
    percap_formula_free(f);
    f = percap_formula_parse("log(rate) ~ x1", NULL);
    assert_non_null(f);
    assert_null(percap_formula_response_variable(f));
    assert_string_equal(percap_formula_response(f), "log(rate)");
    percap_formula_free(f);
}

/* ---- errors ----------------------------------------------------------------- */

typedef struct bad_formula {
    const char *text;
    long line, column;
    const char *message;   /* a part of it */
} bad_formula;

static void parse_errors_name_the_column(void **state)
{
    (void)state;
    static const bad_formula bad[] = {
        {"rate ~ log(x", 1, 13, "expected ')', found the end of the formula"},
        {"rate ~ log(x1 x2)", 1, 15, "expected ')', found 'x'"},
        {"rate ~ x1 * x2", 1, 11, "'*' between terms"},
        {"rate ~ x1:x2", 1, 10, "':' between terms"},
        {"rate ~ x1^2", 1, 10, "'^' between terms"},
        {"~ x", 1, 1, "needs a response"},
        {"rate x", 1, 6, "expected '~'"},
        {"", 1, 1, "expected a number, a variable or '('"},
        {"rate ~ abs(x)", 1, 8, "unknown function 'abs'"},
        {"rate ~ x +", 1, 11, "expected a term, found the end"},
        {"rate ~ 2", 1, 8, "must be 1 or 0"},
        {"rate ~ `x", 1, 8, "unterminated name"},
        {"rate ~ ``", 1, 8, "empty name"},
        {"rate ~ 0", 1, 9, "no terms and no intercept"},
        {"rate ~ x1 + rate", 1, 1, "the response 'rate' is also a term"},
        {"rate ~ (x1)", 1, 8, "parentheses around terms"},
        {"rate ~ I(x1 +)", 1, 14, "expected a number, a variable or '('"},
        {"rate ~ I(1e)", 1, 12, "digits of an exponent"},
        {"rate ~ x1 + \xc3\xa9", 1, 13, "found a non-ASCII character"},
        {"rate ~ `\xc3\xa9` + )", 1, 14, "expected a term, found ')'"},
        {"rate ~ x1 +\n  (x2)", 2, 3, "parentheses around terms"},
        {"rate ~ x1 x2", 1, 11, "expected '+', '-' or the end of the formula"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        percap_error err;
        char buf[PERCAP_ERROR_MSG_MAX + 600];
        percap_error_clear(&err);
        assert_null(percap_formula_parse(bad[i].text, &err));
        percap_error_format(&err, buf, sizeof buf);
        if (err.code != PERCAP_EUSAGE || err.line != bad[i].line ||
            err.column != bad[i].column || strcmp(err.file, "formula") != 0 ||
            !strstr(err.message, bad[i].message))
            fail_msg("'%s': got \"%s\" (status %d), expected %ld:%ld and \"%s\"",
                     bad[i].text, buf, (int)err.code, bad[i].line, bad[i].column,
                     bad[i].message);
    }
}

static void message_format_is_file_line_column(void **state)
{
    (void)state;
    percap_error err;
    char buf[PERCAP_ERROR_MSG_MAX + 600];
    percap_error_clear(&err);
    assert_null(percap_formula_parse("rate ~ log(x1 ", &err));
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "formula:1:15: expected ')', found the end of the formula");
    assert_null(percap_formula_parse(NULL, &err));
    assert_int_equal(err.code, PERCAP_EUSAGE);
}

static void unknown_variable_lists_the_known(void **state)
{
    (void)state;
    percap_error err;
    percap_formula_frame *fr = NULL;
    percap_error_clear(&err);
    percap_formula *f = percap_formula_parse("rate ~ x1 + I(2 * povrty)", &err);
    assert_non_null(f);
    assert_status(percap_formula_evaluate(f, areas, NULL, &fr, NULL, &err), PERCAP_EUSAGE,
                  err);
    assert_null(fr);
    assert_string_equal(err.file, "formula");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 19);
    assert_string_equal(err.message, "unknown variable 'povrty'; the variables are rate, "
                                     "deaths, population, x1, x2, x3, wt");
    percap_formula_free(f);
    /* Names are matched exactly, as in R. */
    f = percap_formula_parse("rate ~ X1", &err);
    assert_int_equal(percap_formula_evaluate(f, areas, NULL, &fr, NULL, &err), PERCAP_EUSAGE);
    percap_formula_free(f);
}

/* ---- evaluation ------------------------------------------------------------- */

/* Extra terms: values in frame->extra, rows without them dropped; the
 * response can be left out. */
static void extra_terms(void **state)
{
    (void)state;
    const char *const extra[] = {"log(population)", "I(x3 - 1)", NULL};
    percap_formula_eval_options o = {true, extra};
    percap_error err;
    percap_formula_frame *fr = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error_clear(&err);
    percap_formula *f = percap_formula_parse("log(rate) ~ x1", &err);
    assert_non_null(f);
    assert_status(percap_formula_evaluate(f, areas, &o, &fr, notes, &err), PERCAP_OK, err);
    /* log(rate) is not evaluated, so rows with 0 deaths stay */
    assert_int_equal(fr->n, areas->n);
    assert_null(fr->y);
    assert_int_equal(fr->nextra, 2);
    for (size_t i = 0; i < fr->n; i++) {
        const percap_area *a = &areas->rows[fr->area[i]];
        assert_true(fr->extra[2 * i] == log(a->population));
        assert_true(fr->extra[2 * i + 1] == percap_areas_cov(areas, fr->area[i], 2) - 1);
    }
    assert_int_equal(percap_notes_count(notes), 0);
    percap_formula_frame_free(fr);

    const char *const unknown[] = {"log(popul)", NULL};
    o.extra = unknown;
    assert_int_equal(percap_formula_evaluate(f, areas, &o, &fr, notes, &err), PERCAP_EUSAGE);
    assert_string_equal(err.file, "term");
    assert_int_equal(err.column, 5);
    const char *const broken[] = {"log(population", NULL};
    o.extra = broken;
    assert_int_equal(percap_formula_evaluate(f, areas, &o, &fr, notes, &err), PERCAP_EUSAGE);
    percap_formula_free(f);
    percap_notes_free(notes);
}

/* The reasons in the notes say what was wrong with the row. */
static void drop_notes_give_the_reason(void **state)
{
    (void)state;
    percap_notes *notes = percap_notes_alloc();
    percap_formula_frame *fr = NULL;
    percap_formula *f = percap_formula_parse("rate ~ log(x3) + x2", NULL);
    assert_non_null(f);
    assert_int_equal(percap_formula_evaluate(f, areas, NULL, &fr, notes, NULL), PERCAP_OK);
    bool zero = false, missing = false, total = false;
    for (size_t i = 0; i < percap_notes_count(notes); i++) {
        const char *s = percap_notes_get(notes, i);
        zero |= strstr(s, "dropped S07 (Area S07): log of 0 is undefined (in log(x3))") != NULL;
        missing |= strstr(s, "dropped S05 (Area S05): x2 is missing (in x2)") != NULL;
        total |= strstr(s, "areas used") != NULL;
    }
    assert_true(zero && missing && total);
    percap_formula_frame_free(fr);
    percap_formula_free(f);
    percap_notes_free(notes);
}

static void no_rows_left_is_an_error(void **state)
{
    (void)state;
    percap_error err;
    percap_formula_frame *fr = NULL;
    percap_error_clear(&err);
    percap_formula *f = percap_formula_parse("rate ~ log(x3 - 1000)", &err);
    assert_non_null(f);
    assert_int_equal(percap_formula_evaluate(f, areas, NULL, &fr, NULL, &err), PERCAP_EDATA);
    assert_null(fr);
    assert_non_null(strstr(err.message, "no area has every value"));
    /* an empty table too */
    percap_areas *none = percap_areas_alloc(reg, 0);
    percap_formula *g = percap_formula_parse("rate ~ log(population)", &err);
    assert_int_equal(percap_formula_evaluate(g, none, NULL, &fr, NULL, &err), PERCAP_EDATA);
    assert_non_null(strstr(err.message, "(0 of 0 dropped)"));
    percap_formula_free(g);
    assert_int_equal(percap_formula_evaluate(NULL, none, NULL, &fr, NULL, &err),
                     PERCAP_EUSAGE);
    assert_int_equal(percap_formula_evaluate(f, NULL, NULL, &fr, NULL, &err), PERCAP_EUSAGE);
    percap_areas_free(none);
    percap_formula_free(f);
    percap_formula_free(NULL);
    percap_formula_frame_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_r),
        cmocka_unit_test(number_formats_as_r),
        cmocka_unit_test(names_quoted_as_r),
        cmocka_unit_test(term_algebra_as_r),
        cmocka_unit_test(response_variable),
        cmocka_unit_test(parse_errors_name_the_column),
        cmocka_unit_test(message_format_is_file_line_column),
        cmocka_unit_test(unknown_variable_lists_the_known),
        cmocka_unit_test(extra_terms),
        cmocka_unit_test(drop_notes_give_the_reason),
        cmocka_unit_test(no_rows_left_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
