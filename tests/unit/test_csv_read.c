/* Unit tests for percap_csv_read (percap/csv_read.h): delimiters, BOM,
 * line ends, quoting, the physical line numbers handed to the callback,
 * and the position of every error. Input files are written byte by byte
 * into a fresh temporary directory, so the exact bytes under test (BOM,
 * CR, NUL, bad UTF-8) are visible in each test.
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

#include "percap/csv_read.h"

#include "test_util.h"

/* ---- temporary files ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    return test_make_dir("csv");
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return test_remove_tree(test_dir());
}

/* ---- collecting rows ---- */

typedef struct row {
    size_t n;
    char **f;
    long line;
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
    size_t stop_after;      /* 0 = never */
    percap_status stop_with;
} rows;

static percap_status collect(void *ctx, const char *const *fields, size_t n, long line,
                             percap_error *err)
{
    rows *r = ctx;
    if (r->stop_after && r->n == r->stop_after) {
        if (r->stop_with != PERCAP_CSV_STOP)
            return percap_error_set(err, r->stop_with, "callback", line, 1,
                                    "stopped by callback");
        return PERCAP_CSV_STOP;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        assert_non_null(r->v);
    }
    row *w = &r->v[r->n++];
    w->n = n;
    w->line = line;
    w->f = calloc(n ? n : 1, sizeof *w->f);
    assert_non_null(w->f);
    for (size_t i = 0; i < n; i++) {
        w->f[i] = strdup(fields[i]);
        assert_non_null(w->f[i]);
    }
    return PERCAP_OK;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < r->v[i].n; j++)
            free(r->v[i].f[j]);
        free(r->v[i].f);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static percap_status read_rows(const char *path, char delim, rows *out, char *used,
                               percap_error *err)
{
    percap_csv_options opts = {.delimiter = delim};
    return percap_csv_read(path, &opts, collect, out, used, err);
}

/* Checks row i: its start line and its fields joined with '|'. */
static void check_row(const rows *r, size_t i, long line, const char *joined)
{
    if (i >= r->n)
        fail_msg("row %zu missing (only %zu rows)", i, r->n);
    char buf[4096] = "";
    size_t used = 0;
    for (size_t j = 0; j < r->v[i].n; j++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", j ? "|" : "",
                                 r->v[i].f[j]);
    if (strcmp(buf, joined) != 0)
        fail_msg("row %zu is \"%s\", expected \"%s\"", i, buf, joined);
    if (r->v[i].line != line)
        fail_msg("row %zu (\"%s\") reported on line %ld, expected %ld", i, buf,
                 r->v[i].line, line);
}

/* Expects the read of `path` to fail with `code` and the formatted error
 * to be "PATH:LINE:COL: ..." (or "PATH:LINE: ..." when col is 0) with
 * `fragment` somewhere in the message. */
static void expect_error(const char *path, char delim, percap_status code, long line,
                         long col, const char *fragment)
{
    rows r = {0};
    percap_error err;
    percap_error_clear(&err);
    percap_status st = read_rows(path, delim, &r, NULL, &err);
    rows_free(&r);
    char msg[2048];
    percap_error_format(&err, msg, sizeof msg);
    if (st != code)
        fail_msg("status %d, expected %d (%s)", (int)st, (int)code, msg);
    char prefix[700];
    if (col)
        snprintf(prefix, sizeof prefix, "%s:%ld:%ld: ", path, line, col);
    else if (line)
        snprintf(prefix, sizeof prefix, "%s:%ld: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("error \"%s\" does not start with \"%s\"", msg, prefix);
    if (fragment && !strstr(err.message, fragment))
        fail_msg("error \"%s\" does not mention \"%s\"", msg, fragment);
}

/* ---- delimiters ---- */

static void test_comma_detected(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("comma.csv", "region,deaths\nTuva,10\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ',');
    assert_int_equal(r.n, 2);
    check_row(&r, 0, 1, "region|deaths");
    check_row(&r, 1, 2, "Tuva|10");
    rows_free(&r);
}

static void test_semicolon_detected_and_decimal_commas_kept(void **state)
{
    (void)state;
    /* European spreadsheets: ';' between fields, ',' inside numbers */
    const char *p = TEST_WRITE("semi.csv", "region;rate\nTuva;1,5\nKomi;2,25\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ';');
    check_row(&r, 1, 2, "Tuva|1,5");
    check_row(&r, 2, 3, "Komi|2,25");
    rows_free(&r);
}

static void test_tab_detected(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("tab.tsv", "region\tdeaths\tnote\nNorth Ossetia\t7\ta, b\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, '\t');
    check_row(&r, 1, 2, "North Ossetia|7|a, b");
    rows_free(&r);
}

static void test_detection_picks_the_most_frequent_delimiter(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("most.csv", "a;b;c,d\n1;2;3,4\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ';');
    check_row(&r, 0, 1, "a|b|c,d");
    rows_free(&r);
}

static void test_detection_ignores_delimiters_inside_quotes(void **state)
{
    (void)state;
    /* three commas inside the quoted name, two semicolons outside */
    const char *p = TEST_WRITE("dq.csv", "\"name, with, many, commas\";b;c\nx;y;z\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ';');
    check_row(&r, 0, 1, "name, with, many, commas|b|c");
    rows_free(&r);
}

static void test_single_column_defaults_to_comma(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("one.csv", "region\nTuva;Komi\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ',');
    check_row(&r, 1, 2, "Tuva;Komi");
    rows_free(&r);
}

/* Regression test for a fixed bug. Was: src/csv_read.c, read_all(): the delimiter is detected from the
 * first PHYSICAL line, even when it is blank; the header is the first
 * non-blank line (blank lines are skipped everywhere else). Here the
 * header "a;b" is on line 2, detection sees "\n" and falls back to ',',
 * so every row becomes a single field "1;2". Expected ';'. Fix: detect
 * from the first line that is not blank (after the BOM). */
static void test_delimiter_detected_from_header_after_blank_line(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("blankfirst.csv", "\na;b\n1;2\n");
    rows r = {0};
    char used = 0;
    percap_status st = read_rows(p, 0, &r, &used, NULL);
    size_t nrows = r.n, nfields = r.n > 1 ? r.v[1].n : 0;
    rows_free(&r); /* before the asserts: this test is expected to fail */
    assert_int_equal(st, PERCAP_OK);
    assert_int_equal(used, ';');
    assert_int_equal(nrows, 2);
    assert_int_equal(nfields, 2);
}

static void test_explicit_delimiter_overrides_detection(void **state)
{
    (void)state;
    /* detection would choose ',' (two of them); the caller says ';' */
    const char *p = TEST_WRITE("explicit.csv", "a,b;c,d\n1,2;3,4\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, ';', &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ';');
    check_row(&r, 0, 1, "a,b|c,d");
    check_row(&r, 1, 2, "1,2|3,4");
    rows_free(&r);
}

static void test_explicit_tab_delimiter(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("explicit_tab.tsv", "a,b\tc\n1,2\t3\n");
    rows r = {0};
    assert_int_equal(read_rows(p, '\t', &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 0, 1, "a,b|c");
    check_row(&r, 1, 2, "1,2|3");
    rows_free(&r);
}

static void test_null_options_and_outputs_allowed(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("nullopts.csv", "a;b\n1;2\n");
    rows r = {0};
    assert_int_equal(percap_csv_read(p, NULL, collect, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "1|2");
    rows_free(&r);
}

static void test_delimiter_names_parse(void **state)
{
    (void)state;
    assert_int_equal(percap_csv_delimiter_parse(","), ',');
    assert_int_equal(percap_csv_delimiter_parse("comma"), ',');
    assert_int_equal(percap_csv_delimiter_parse(";"), ';');
    assert_int_equal(percap_csv_delimiter_parse("semicolon"), ';');
    assert_int_equal(percap_csv_delimiter_parse("tab"), '\t');
    assert_int_equal(percap_csv_delimiter_parse("\t"), '\t');
    assert_int_equal(percap_csv_delimiter_parse("\\t"), '\t');
    assert_int_equal(percap_csv_delimiter_parse("|"), 0);
    assert_int_equal(percap_csv_delimiter_parse(""), 0);
    assert_int_equal(percap_csv_delimiter_parse("Comma"), 0);
}

/* ---- BOM and line ends ---- */

static void test_utf8_bom_stripped_from_first_field(void **state)
{
    (void)state;
    /* Excel writes a BOM; left in place, the first column would be named
     * "\xEF\xBB\xBFregion" and never be found */
    const char *p = TEST_WRITE("bom.csv", "\xEF\xBB\xBFregion;deaths\nTuva;1\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, ';');
    check_row(&r, 0, 1, "region|deaths");
    check_row(&r, 1, 2, "Tuva|1");
    rows_free(&r);
}

static void test_bom_before_quoted_header(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("bomq.csv", "\xEF\xBB\xBF\"region\",\"deaths\"\n\"Tuva\",1\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 0, 1, "region|deaths");
    rows_free(&r);
}

static void test_crlf_line_ends(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("crlf.csv", "a,b\r\n1,2\r\n3,\"4\"\r\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    check_row(&r, 0, 1, "a|b"); /* no '\r' left on the last field */
    check_row(&r, 1, 2, "1|2");
    check_row(&r, 2, 3, "3|4");
    rows_free(&r);
}

/* Classic Mac line ends (a lone CR; Excel for Mac's "CSV (Macintosh)"):
 * each CR ends a line, for the rows and for the line numbers. Before, the
 * whole file was line 1. */
static void test_cr_only_line_ends(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("cr.csv", "a,b\r1,2\r\r\"x\ry\",3\r4,5");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 4);
    check_row(&r, 0, 1, "a|b");
    check_row(&r, 1, 2, "1|2");
    check_row(&r, 2, 4, "x\ny|3"); /* a line break in a cell, as in an LF file */
    check_row(&r, 3, 6, "4|5");
    rows_free(&r);
    expect_error(TEST_WRITE("cr_bad.csv", "a,b\r1,2\r\"3\r4\r"), 0, PERCAP_EDATA, 3, 1,
                 "unterminated quoted field");
}

/* The first line end outside quotes decides: a CR inside the header's
 * quotes, or one before an LF, does not make a file a lone-CR file. */
static void test_cr_inside_quotes_or_before_lf_is_no_mac_file(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("crq.csv", "\"a\rb\",c\n1,2\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 2);
    check_row(&r, 0, 1, "a\rb|c");
    check_row(&r, 1, 2, "1|2");
    rows_free(&r);
    p = TEST_WRITE("crlf2.csv", "a,b\r\n1,\"2\r3\"\r\n");
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "1|2\r3");
    rows_free(&r);
}

static void test_bom_and_crlf_together(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("bomcrlf.csv", "\xEF\xBB\xBFid\tn\r\nx\t1\r\n\r\ny\t2\r\n");
    rows r = {0};
    char used = 0;
    assert_int_equal(read_rows(p, 0, &r, &used, NULL), PERCAP_OK);
    assert_int_equal(used, '\t');
    assert_int_equal(r.n, 3);
    check_row(&r, 0, 1, "id|n");
    check_row(&r, 1, 2, "x|1");
    check_row(&r, 2, 4, "y|2");
    rows_free(&r);
}

static void test_last_line_without_newline(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("nonl.csv", "a,b\n1,2\n3,4");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    check_row(&r, 2, 3, "3|4");
    rows_free(&r);
}

static void test_last_line_without_newline_quoted(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("nonlq.csv", "a,b\n1,\"x\"\"y\"");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "1|x\"y");
    rows_free(&r);
}

static void test_header_only_without_newline(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("hdr.csv", "a,b");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 1);
    check_row(&r, 0, 1, "a|b");
    rows_free(&r);
}

/* ---- quoting ---- */

static void test_quoted_field_with_embedded_delimiter(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("qdelim.csv", "name,n\n\"Khanty-Mansi, Yugra\",3\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "Khanty-Mansi, Yugra|3");
    assert_int_equal(r.v[1].n, 2);
    rows_free(&r);
}

static void test_doubled_quotes_become_one(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("qq.csv", "name,n\n\"say \"\"hi\"\"\",\"\"\"\"\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "say \"hi\"|\"");
    rows_free(&r);
}

static void test_quoted_empty_and_unquoted_empty_fields(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("empty_fields.csv", "a,b,c\n,\"\",\n\"\"\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.v[1].n, 3);
    check_row(&r, 1, 2, "||");
    /* a line holding only "" is a row with one empty field, not a blank */
    assert_int_equal(r.v[2].n, 1);
    check_row(&r, 2, 3, "");
    rows_free(&r);
}

static void test_quoted_spaces_are_kept(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("qspace.csv", "a,b\n\" x \",y\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, " x |y");
    rows_free(&r);
}

static void test_embedded_newlines_kept_in_field(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("qnl.csv", "note,n\n\"line one\nline two\",1\n\"a\r\nb\",2\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.v[1].f[0], "line one\nline two");
    assert_string_equal(r.v[2].f[0], "a\r\nb");
    rows_free(&r);
}

static void test_many_columns(void **state)
{
    (void)state;
    /* more fields than the reader's initial field array (16) */
    char text[1024] = "";
    char expect[1024] = "";
    size_t u = 0, e = 0;
    for (int i = 0; i < 40; i++) {
        u += (size_t)snprintf(text + u, sizeof text - u, "%sc%d", i ? "," : "", i);
        e += (size_t)snprintf(expect + e, sizeof expect - e, "%sc%d", i ? "|" : "", i);
    }
    u += (size_t)snprintf(text + u, sizeof text - u, "\n");
    const char *p = test_write_bytes("wide.csv", text, u);
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.v[0].n, 40);
    check_row(&r, 0, 1, expect);
    rows_free(&r);
}

static void test_rows_of_any_width_reach_the_callback(void **state)
{
    (void)state;
    /* the row-length check is the table's job; the reader passes rows on */
    const char *p = TEST_WRITE("ragged.csv", "a,b,c\n1\n1,2,3,4\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.v[1].n, 1);
    assert_int_equal(r.v[2].n, 4);
    rows_free(&r);
}

/* ---- line numbers: the physical line on which each row starts ---- */

static void test_line_numbers_after_multiline_field(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("lines1.csv",
                               "id,note\n"          /* 1 */
                               "1,\"first\n"        /* 2 */
                               "second\n"           /* 3 */
                               "third\"\n"          /* 4 */
                               "2,plain\n"          /* 5 */
                               "3,\"x\ny\"\n"       /* 6-7 */
                               "4,z\n");            /* 8 */
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 5);
    check_row(&r, 1, 2, "1|first\nsecond\nthird");
    check_row(&r, 2, 5, "2|plain");
    check_row(&r, 3, 6, "3|x\ny");
    check_row(&r, 4, 8, "4|z");
    rows_free(&r);
}

static void test_line_numbers_skip_blank_lines(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("lines2.csv",
                               "\n"                 /* 1: blank before the header */
                               "a,b\n"              /* 2 */
                               "\n"                 /* 3 */
                               "\n"                 /* 4 */
                               "1,2\n"              /* 5 */
                               "\r\n"               /* 6 */
                               "3,4\n"              /* 7 */
                               "\n");               /* 8 */
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    check_row(&r, 0, 2, "a|b");
    check_row(&r, 1, 5, "1|2");
    check_row(&r, 2, 7, "3|4");
    rows_free(&r);
}

static void test_line_number_of_row_starting_with_multiline_field(void **state)
{
    (void)state;
    /* The first field is still open at the end of the row's first line,
     * so no field has been delivered yet when line 4 is read: the row
     * must still be reported on line 3. */
    const char *p = TEST_WRITE("lines3.csv",
                               "note,n\n"           /* 1 */
                               "\n"                 /* 2 */
                               "\"multi\n"          /* 3 */
                               "\n"                 /* 4: blank line INSIDE quotes */
                               "line\",1\n"         /* 5 */
                               "after,2\n");        /* 6 */
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 3);
    check_row(&r, 1, 3, "multi\n\nline|1");
    check_row(&r, 2, 6, "after|2");
    rows_free(&r);
}

static void test_line_numbers_with_crlf_multiline_field(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("lines4.csv", "a,b\r\n\"x\r\ny\",1\r\nz,2\r\n");
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    check_row(&r, 1, 2, "x\r\ny|1");
    check_row(&r, 2, 4, "z|2");
    rows_free(&r);
}

/* ---- errors and their positions ---- */

static void test_unterminated_quote_at_end(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("unterminated.csv", "a,b\n1,2\n3,\"open\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 2, "unterminated");
}

static void test_unterminated_quote_reports_the_line_it_opened_on(void **state)
{
    (void)state;
    /* the quote opens on line 3 and swallows the rest of the file */
    const char *p = TEST_WRITE("unterminated2.csv", "a,b\n1,2\n3,\"open\n4,5\n6,7\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 2, "unterminated");
}

/* The quote opens in the FIRST field of the row, so no field of the row
 * has been delivered when the file ends: the position must still be the
 * row's own line (3), not the line of the previous row (2). */
static void test_unterminated_quote_in_first_field_reports_its_line(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("unterminated3.csv", "a,b\n1,2\n\"open,3\n4,5\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 1, "unterminated");
}

static void test_quote_inside_unquoted_field(void **state)
{
    (void)state;
    /* strict mode: 5"7 is ambiguous (inches? a broken quote?) */
    const char *p = TEST_WRITE("strayquote.csv", "a,b,c\n1,2,3\nx,5\"7,y\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 2, "quote");
}

static void test_quote_inside_first_unquoted_field(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("strayquote1.csv", "a,b\n1,2\nab\"c,d\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 1, "quote");
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("afterquote.csv", "a,b\n\"x\"y,2\n");
    expect_error(p, 0, PERCAP_EDATA, 2, 1, "quote");
}

static void test_nul_byte_in_field(void **state)
{
    (void)state;
    /* A NUL would silently cut the field short in every C string use */
    const char *p = TEST_WRITE("nul.csv", "a,b,c\n1,2,3\n4,5\0x,6\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 2, "NUL");
}

static void test_nul_byte_in_quoted_field(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("nulq.csv", "a,b\n\"x\0\",1\n");
    expect_error(p, 0, PERCAP_EDATA, 2, 1, "NUL");
}

static void test_invalid_utf8_broken_sequence(void **state)
{
    (void)state;
    /* Latin-1/Windows-1251 files saved without conversion look like this */
    const char *p = TEST_WRITE("utf8_a.csv", "a,b\n1,x\xC3\x28y\n");
    expect_error(p, 0, PERCAP_EDATA, 2, 2, "UTF-8");
}

static void test_invalid_utf8_overlong(void **state)
{
    (void)state;
    /* overlong "/" : a classic filter bypass */
    const char *p = TEST_WRITE("utf8_b.csv", "a,b\n1,2\n3,\xC0\xAF\n");
    expect_error(p, 0, PERCAP_EDATA, 3, 2, "UTF-8");
}

static void test_invalid_utf8_lone_surrogate(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("utf8_c.csv", "a,b\n\xED\xA0\x80,1\n");
    expect_error(p, 0, PERCAP_EDATA, 2, 1, "UTF-8");
}

static void test_invalid_utf8_other_forms(void **state)
{
    (void)state;
    /* above U+10FFFF; a 2-byte sequence cut by the delimiter; a stray
     * continuation byte; Windows-1251 "Тыва" */
    expect_error(TEST_WRITE("utf8_d.csv", "a,b\n1,\xF4\x90\x80\x80\n"), 0, PERCAP_EDATA, 2, 2,
                 "UTF-8");
    expect_error(TEST_WRITE("utf8_e.csv", "a,b\n\xD0,1\n"), 0, PERCAP_EDATA, 2, 1, "UTF-8");
    expect_error(TEST_WRITE("utf8_f.csv", "a,b\n1,\x80\n"), 0, PERCAP_EDATA, 2, 2, "UTF-8");
    expect_error(TEST_WRITE("utf8_g.csv", "a,b\n1,\xD2\xFB\xE2\xE0\n"), 0, PERCAP_EDATA, 2, 2,
                 "UTF-8");
}

static void test_invalid_utf8_in_header(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("utf8_h.csv", "a,b\xFF\n1,2\n");
    expect_error(p, 0, PERCAP_EDATA, 1, 2, "UTF-8");
}

static void test_invalid_utf8_in_multiline_field_reports_row_start(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("utf8_i.csv", "a,b\n1,\"x\ny\xC3\x28\"\n");
    expect_error(p, 0, PERCAP_EDATA, 2, 2, "UTF-8");
}

static void test_valid_multibyte_utf8_accepted(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("utf8_ok.csv",
                               "name,n\n\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0,1\n" /* Тыва */
                               "\xF0\x9F\x98\x80,2\n"                          /* U+1F600 */
                               "\xEF\xBF\xBD,3\n");                            /* U+FFFD */
    rows r = {0};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 4);
    check_row(&r, 1, 2, "\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0|1");
    check_row(&r, 2, 3, "\xF0\x9F\x98\x80|2");
    rows_free(&r);
}

static void test_empty_file(void **state)
{
    (void)state;
    const char *p = test_write_bytes("empty.csv", "", 0);
    expect_error(p, 0, PERCAP_EDATA, 0, 0, "empty");
}

/* Regression test for a fixed bug. Was: src/csv_read.c, read_all(): a file whose only content is blank
 * lines (or only a byte-order mark) has no header row, exactly like an
 * empty file, but the reader returns PERCAP_OK without calling the
 * callback once; percap_table_read then returns a table with no columns.
 * Expected: the same "empty file (a header row is required)" error.
 * Fix: track whether any row was delivered and fail after csv_fini if
 * none was. */
static void test_file_of_blank_lines_is_empty(void **state)
{
    (void)state;
    expect_error(TEST_WRITE("blank.csv", "\n\n\r\n"), 0, PERCAP_EDATA, 0, 0, "empty");
    expect_error(TEST_WRITE("bomonly.csv", "\xEF\xBB\xBF"), 0, PERCAP_EDATA, 0, 0, "empty");
}

static void test_nonexistent_file_is_io_error(void **state)
{
    (void)state;
    const char *path = test_path("does/not/exist.csv");
    rows r = {0};
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(read_rows(path, 0, &r, NULL, &err), PERCAP_EIO);
    assert_int_equal(r.n, 0);
    assert_int_equal(err.code, PERCAP_EIO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "cannot open"));
    rows_free(&r);
}

static void test_directory_is_io_error_not_crash(void **state)
{
    (void)state;
    /* fopen succeeds on a directory on Linux; the read must then fail */
    rows r = {0};
    percap_error err;
    percap_error_clear(&err);
    percap_status st = read_rows(test_dir(), 0, &r, NULL, &err);
    assert_int_not_equal(st, PERCAP_OK);
    assert_int_equal(r.n, 0);
    rows_free(&r);
}

/* ---- callback control ---- */

static void test_callback_error_stops_reading(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("cberr.csv", "a\n1\n2\n3\n4\n");
    rows r = {.stop_after = 2, .stop_with = PERCAP_EDATA};
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(read_rows(p, 0, &r, NULL, &err), PERCAP_EDATA);
    assert_int_equal(r.n, 2);
    /* the callback's own error record reaches the caller untouched */
    assert_string_equal(err.file, "callback");
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message, "stopped by callback");
    rows_free(&r);
}

static void test_callback_stop_ends_early_without_error(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("cbstop.csv", "a\n1\n2\n3\n");
    rows r = {.stop_after = 1, .stop_with = PERCAP_CSV_STOP};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    assert_int_equal(r.n, 1);
    rows_free(&r);
}

static void test_errors_after_stop_are_not_reported(void **state)
{
    (void)state;
    /* reading only the header of a file whose body is broken succeeds */
    const char *p = TEST_WRITE("cbstop2.csv", "a,b\n1,2\n3,\"broken\n");
    rows r = {.stop_after = 1, .stop_with = PERCAP_CSV_STOP};
    assert_int_equal(read_rows(p, 0, &r, NULL, NULL), PERCAP_OK);
    rows_free(&r);
}

/* ---- standard input ---- */

static void test_dash_reads_standard_input(void **state)
{
    (void)state;
    const char *p = TEST_WRITE("stdin.csv", "a;b\n1;\"x\ny\"\n2;\xC3\x28\n");
    assert_non_null(freopen(p, "rb", stdin));
    rows r = {0};
    percap_error err;
    percap_error_clear(&err);
    assert_int_equal(read_rows("-", 0, &r, NULL, &err), PERCAP_EDATA);
    check_row(&r, 1, 2, "1|x\ny");
    /* errors name "<stdin>", not "-" */
    assert_string_equal(err.file, "<stdin>");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 2);
    rows_free(&r);
}

/* ---- size ---- */

static percap_status count_rows(void *ctx, const char *const *fields, size_t n, long line,
                                percap_error *err)
{
    (void)err;
    long *c = ctx; /* c[0] rows, c[1] last line, c[2] lines out of order, c[3] bad rows */
    if (line != c[1] + 1)
        c[2]++;
    char expect[32];
    snprintf(expect, sizeof expect, "%ld", c[0]);
    if (n != 3 || (c[0] > 0 && strcmp(fields[0], expect) != 0))
        c[3]++;
    c[0]++;
    c[1] = line;
    return PERCAP_OK;
}

static void test_hundred_thousand_rows(void **state)
{
    (void)state;
    /* far more than one 64 KiB read: rows cross buffer boundaries */
    const char *path = test_path("big.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,region,deaths\n", f);
    for (long i = 1; i <= 100000; i++)
        fprintf(f, "%ld,Region number %ld,%ld\n", i, i % 89, i * 7);
    fclose(f);
    long c[4] = {0, 0, 0, 0};
    assert_int_equal(percap_csv_read(path, NULL, count_rows, c, NULL, NULL), PERCAP_OK);
    assert_int_equal(c[0], 100001); /* header + 100000 */
    assert_int_equal(c[1], 100001); /* last row on the last line */
    assert_int_equal(c[2], 0);
    assert_int_equal(c[3], 0);
}

static percap_status check_big_field(void *ctx, const char *const *fields, size_t n,
                                     long line, percap_error *err)
{
    (void)err;
    size_t *got = ctx;
    if (line == 2) {
        got[0] = n;
        got[1] = strlen(fields[1]);
        got[2] = strspn(fields[1], "x");
    } else if (line == 3) {
        got[3] = n == 2 && strcmp(fields[0], "after") == 0;
    }
    return PERCAP_OK;
}

static void test_one_megabyte_field(void **state)
{
    (void)state;
    const size_t big = 1 << 20;
    const char *path = test_path("bigfield.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("a,b\n1,\"", f);
    for (size_t i = 0; i < big; i++)
        fputc('x', f);
    fputs("\"\nafter,2\n", f);
    fclose(f);
    size_t got[4] = {0, 0, 0, 0};
    assert_int_equal(percap_csv_read(path, NULL, check_big_field, got, NULL, NULL),
                     PERCAP_OK);
    assert_int_equal(got[0], 2);
    assert_int_equal(got[1], big);
    assert_int_equal(got[2], big);
    assert_int_equal(got[3], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comma_detected),
        cmocka_unit_test(test_semicolon_detected_and_decimal_commas_kept),
        cmocka_unit_test(test_tab_detected),
        cmocka_unit_test(test_detection_picks_the_most_frequent_delimiter),
        cmocka_unit_test(test_detection_ignores_delimiters_inside_quotes),
        cmocka_unit_test(test_single_column_defaults_to_comma),
        cmocka_unit_test(test_delimiter_detected_from_header_after_blank_line),
        cmocka_unit_test(test_explicit_delimiter_overrides_detection),
        cmocka_unit_test(test_explicit_tab_delimiter),
        cmocka_unit_test(test_null_options_and_outputs_allowed),
        cmocka_unit_test(test_delimiter_names_parse),
        cmocka_unit_test(test_utf8_bom_stripped_from_first_field),
        cmocka_unit_test(test_bom_before_quoted_header),
        cmocka_unit_test(test_crlf_line_ends),
        cmocka_unit_test(test_cr_only_line_ends),
        cmocka_unit_test(test_cr_inside_quotes_or_before_lf_is_no_mac_file),
        cmocka_unit_test(test_bom_and_crlf_together),
        cmocka_unit_test(test_last_line_without_newline),
        cmocka_unit_test(test_last_line_without_newline_quoted),
        cmocka_unit_test(test_header_only_without_newline),
        cmocka_unit_test(test_quoted_field_with_embedded_delimiter),
        cmocka_unit_test(test_doubled_quotes_become_one),
        cmocka_unit_test(test_quoted_empty_and_unquoted_empty_fields),
        cmocka_unit_test(test_quoted_spaces_are_kept),
        cmocka_unit_test(test_embedded_newlines_kept_in_field),
        cmocka_unit_test(test_many_columns),
        cmocka_unit_test(test_rows_of_any_width_reach_the_callback),
        cmocka_unit_test(test_line_numbers_after_multiline_field),
        cmocka_unit_test(test_line_numbers_skip_blank_lines),
        cmocka_unit_test(test_line_number_of_row_starting_with_multiline_field),
        cmocka_unit_test(test_line_numbers_with_crlf_multiline_field),
        cmocka_unit_test(test_unterminated_quote_at_end),
        cmocka_unit_test(test_unterminated_quote_reports_the_line_it_opened_on),
        cmocka_unit_test(test_unterminated_quote_in_first_field_reports_its_line),
        cmocka_unit_test(test_quote_inside_unquoted_field),
        cmocka_unit_test(test_quote_inside_first_unquoted_field),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_nul_byte_in_field),
        cmocka_unit_test(test_nul_byte_in_quoted_field),
        cmocka_unit_test(test_invalid_utf8_broken_sequence),
        cmocka_unit_test(test_invalid_utf8_overlong),
        cmocka_unit_test(test_invalid_utf8_lone_surrogate),
        cmocka_unit_test(test_invalid_utf8_other_forms),
        cmocka_unit_test(test_invalid_utf8_in_header),
        cmocka_unit_test(test_invalid_utf8_in_multiline_field_reports_row_start),
        cmocka_unit_test(test_valid_multibyte_utf8_accepted),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_file_of_blank_lines_is_empty),
        cmocka_unit_test(test_nonexistent_file_is_io_error),
        cmocka_unit_test(test_directory_is_io_error_not_crash),
        cmocka_unit_test(test_callback_error_stops_reading),
        cmocka_unit_test(test_callback_stop_ends_early_without_error),
        cmocka_unit_test(test_errors_after_stop_are_not_reported),
        cmocka_unit_test(test_dash_reads_standard_input),
        cmocka_unit_test(test_hundred_thousand_rows),
        cmocka_unit_test(test_one_megabyte_field),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
