/* Tests for src/gp_emit.c (percap/gp_emit.h), the one writer of gnuplot
 * syntax.
 *
 * Where the expected values come from: they are written out by hand from
 * the rules in gp_emit.h (single-quoted literals joined with percap_quote
 * where a quote occurs, control characters as spaces, malformed UTF-8 as
 * U+FFFD, C-locale numbers) and from gnuplot's own documentation of its
 * syntax. The round-trip test then asks gnuplot 5.4 itself: each hostile
 * string, quoted by percap_gp_quote, is printed back by gnuplot and must
 * come out byte for byte as the cleaned text, with no file created by
 * the backquotes and system() calls inside it. That test is skipped
 * (not failed) where gnuplot is not installed; tests/plot/run.sh renders
 * real charts with the same strings.
 *
 * Also here: the safety net refuses code that could run commands or read
 * the locale, misuse of the statement order is reported by
 * percap_gp_end, and a write error surfaces as PERCAP_EIO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "percap/gp_emit.h"

#include "test_util.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *quote(const char *s)
{
    size_t n = percap_gp_quote(s, NULL, 0);
    char *q = malloc(n + 1);
    assert_non_null(q);
    assert_int_equal(percap_gp_quote(s, q, n + 1), n);
    assert_int_equal(strlen(q), n);
    return q;
}

static void expect_quote(const char *in, const char *want)
{
    char *q = quote(in);
    if (strcmp(q, want) != 0)
        fail_msg("quote(\"%s\") = %s, expected %s", in, q, want);
    free(q);
}

/* A script written into memory. */
typedef struct script {
    char *text;
    size_t len;
    FILE *fp;
    percap_gp *gp;
} script;

static const percap_gp_canvas canvas = {"test", 400, 300, 10, NULL};

static void script_open(script *s)
{
    s->text = NULL;
    s->len = 0;
    s->fp = open_memstream(&s->text, &s->len);
    assert_non_null(s->fp);
    s->gp = percap_gp_begin(s->fp, &canvas, "a test");
    assert_non_null(s->gp);
}

static percap_status script_close(script *s, percap_error *err)
{
    percap_error_clear(err);
    percap_status st = percap_gp_end(s->gp, err);
    fclose(s->fp);
    return st;
}

/* The lines after the header (everything from the line after
 * "set output percap_output"). */
static const char *body(const script *s)
{
    const char *p = strstr(s->text, "set output percap_output\n");
    assert_non_null(p);
    return p + strlen("set output percap_output\n");
}

static void expect_refused(script *s, const char *words)
{
    percap_error err;
    percap_status st = script_close(s, &err);
    if (st != PERCAP_EUSAGE)
        fail_msg("expected PERCAP_EUSAGE, got %d (%s)", st, err.message);
    if (words && !strstr(err.message, words))
        fail_msg("message '%s' does not mention '%s'", err.message, words);
    free(s->text);
}

/* ---- quoting ------------------------------------------------------------------ */

static void test_quote_plain_and_empty(void **state)
{
    (void)state;
    expect_quote("Tuva Republic", "'Tuva Republic'");
    expect_quote("", "''");
    expect_quote(NULL, "''");
    expect_quote("Тыва Республика", "'Тыва Республика'");
}

static void test_quote_single_quotes_become_the_variable(void **state)
{
    (void)state;
    expect_quote("it's", "'it'.percap_quote.'s'");
    expect_quote("'x", "percap_quote.'x'");
    expect_quote("x'", "'x'.percap_quote");
    expect_quote("'", "percap_quote");
    expect_quote("''", "percap_quote.percap_quote");
    expect_quote("a''''b", "'a'.percap_quote.percap_quote.percap_quote.percap_quote.'b'");
    expect_quote("'; system(\"touch pwned\"); '",
                 "percap_quote.'; system(\"touch pwned\"); '.percap_quote");
}

static void test_quote_keeps_gnuplot_specials_literal(void **state)
{
    (void)state;
    /* none of these is special inside single quotes */
    expect_quote("`touch pwned`", "'`touch pwned`'");
    expect_quote("|touch pwned", "'|touch pwned'");
    expect_quote("<cat /etc/passwd", "'<cat /etc/passwd'");
    expect_quote("@macro $data a_b^c {x} ~ & # \\n \\", "'@macro $data a_b^c {x} ~ & # \\n \\'");
}

static void test_quote_control_characters_become_spaces(void **state)
{
    (void)state;
    expect_quote("North\nOssetia", "'North Ossetia'");
    expect_quote("a\r\n\tb\x01\x1f\x7f" "c", "'a   b   c'");
    /* C1 controls (U+0080..U+009F), NEL among them */
    expect_quote("x\xc2\x85y\xc2\x9fz", "'x y z'");
}

static void test_quote_repairs_utf8(void **state)
{
    (void)state;
    /* a lone continuation byte, a truncated sequence, an overlong '/',
     * a surrogate, a code point above U+10FFFF, and U+FFFE */
    expect_quote("a\x80" "b", "'a\xef\xbf\xbd" "b'");
    expect_quote("a\xd0", "'a\xef\xbf\xbd'");
    expect_quote("\xc0\xaf", "'\xef\xbf\xbd\xef\xbf\xbd'");
    expect_quote("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
    expect_quote("\xf4\x90\x80\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
    expect_quote("\xef\xbf\xbe", "'\xef\xbf\xbd'");
    /* four-byte characters are kept */
    expect_quote("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");
}

static void test_quote_truncates_like_snprintf(void **state)
{
    (void)state;
    char buf[6];
    assert_int_equal(percap_gp_quote("abcdefgh", buf, sizeof buf), 10);
    assert_string_equal(buf, "'abcd");
    assert_int_equal(percap_gp_quote("abc", buf, 0), 5);
    char one[1] = {'x'};
    assert_int_equal(percap_gp_quote("abc", one, 1), 5);
    assert_int_equal(one[0], '\0');
}

static void test_text_length_counts_characters(void **state)
{
    (void)state;
    assert_int_equal(percap_gp_text_length("Tuva"), 4);
    assert_int_equal(percap_gp_text_length("Тыва"), 4);
    assert_int_equal(percap_gp_text_length(""), 0);
    assert_int_equal(percap_gp_text_length(NULL), 0);
    assert_int_equal(percap_gp_text_length("a\x80" "b"), 3);
    assert_int_equal(percap_gp_text_length("\xf0\x9f\x98\x80!"), 2);
}

static void test_render_command(void **state)
{
    (void)state;
    char buf[256];
    size_t n = percap_gp_render_command("svg", "map.svg.tmp.12", buf, sizeof buf);
    assert_string_equal(buf, "percap_format='svg'; percap_output='map.svg.tmp.12'");
    assert_int_equal(n, strlen(buf));
    /* on the command line the script has not defined percap_quote yet */
    percap_gp_render_command("png", "it's.png", buf, sizeof buf);
    assert_string_equal(buf, "percap_format='png'; percap_output='it'.sprintf('%c', 39).'s.png'");
    /* gnuplot pipes to a command for outputs starting with '|' */
    percap_gp_render_command("png", "|touch pwned", buf, sizeof buf);
    assert_string_equal(buf, "percap_format='png'; percap_output='./'.'|touch pwned'");
    percap_gp_render_command("png", "<x", buf, sizeof buf);
    assert_string_equal(buf, "percap_format='png'; percap_output='./'.'<x'");
}

/* ---- numbers ----------------------------------------------------------------- */

static void expect_number(double v, const char *want)
{
    char buf[64];
    percap_gp_number(v, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("number(%.17g) = '%s', expected '%s'", v, buf, want);
}

static void expect_fixed(double v, int d, const char *want)
{
    char buf[64];
    percap_gp_fixed(v, d, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("fixed(%.17g, %d) = '%s', expected '%s'", v, d, buf, want);
}

static void test_numbers_round_trip(void **state)
{
    (void)state;
    expect_number(0, "0");
    expect_number(-0.0, "0");
    expect_number(100000, "100000");
    expect_number(0.1, "0.1");
    expect_number(248.69729985788726, "248.69729985788726");
    expect_number(1e-300, "1e-300");
    expect_number(1e21, "1e+21");
    expect_number(NAN, "NaN");
    expect_number(INFINITY, "NaN");
    expect_number(-INFINITY, "NaN");
    const double vs[] = {1.0 / 3, 2.0 / 3 * 1e7, 5e-324, 1.7976931348623157e308, -12.5};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char buf[64];
        percap_gp_number(vs[i], buf, sizeof buf);
        assert_true(strtod(buf, NULL) == vs[i]);
    }
}

static void test_fixed_for_readers(void **state)
{
    (void)state;
    expect_fixed(12.345, 1, "12.3");
    expect_fixed(0.995, 2, "0.99");   /* 0.995 is 0.99499999... as a double */
    expect_fixed(1234.5, 0, "1234");  /* round half to even, as printf does */
    expect_fixed(-0.04, 1, "0.0");
    expect_fixed(-0.0, 2, "0.00");
    expect_fixed(-1.25, 1, "-1.2");
    expect_fixed(NAN, 2, "NA");
    expect_fixed(1.5, -3, "2");
    expect_fixed(0.1, 99, "0.10000000000000001");
}

static void test_numbers_ignore_the_locale(void **state)
{
    (void)state;
    /* A program embedding percap may call setlocale(); gnuplot reads only
     * '.', so scripts must not follow the locale. */
    if (!test_set_comma_locale()) {
        print_message("no locale with a decimal comma installed: skipped\n");
        skip();
    }
    char n1[64], n2[64], f1[64];
    percap_gp_number(0.5, n1, sizeof n1);
    percap_gp_number(248.69729985788726, n2, sizeof n2);
    percap_gp_fixed(12.345, 1, f1, sizeof f1);
    char printed[64];
    snprintf(printed, sizeof printed, "%.1f", 0.5);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(printed, "0,5");  /* the locale really is in force */
    assert_string_equal(n1, "0.5");
    assert_string_equal(n2, "248.69729985788726");
    assert_string_equal(f1, "12.3");
}

/* ---- a whole script ---------------------------------------------------------------- */

static void test_header_sets_utf8_quote_and_terminals(void **state)
{
    (void)state;
    script s;
    script_open(&s);
    percap_error err;
    assert_int_equal(script_close(&s, &err), PERCAP_OK);
    const char *want =
        "# a test\n"
        "# Written by percap. The data are inline: this script reads no file and runs no "
        "command.\n"
        "# gnuplot test.gp writes test.png; gnuplot -e \"percap_format='svg'\" test.gp writes "
        "test.svg.\n"
        "reset\n"
        "set encoding utf8\n"
        "percap_quote = sprintf('%c', 39)\n"
        "if (!exists('percap_format')) percap_format = 'png'\n"
        "if (!exists('percap_output')) percap_output = 'test.' . percap_format\n"
        "if (percap_format eq 'svg') {\n"
        "    set terminal svg size 400,300 noenhanced font 'DejaVu Sans,10' fontscale 1.31 "
        "background rgb '#ffffff'\n"
        "} else {\n"
        "    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        "        set terminal pngcairo size 400,300 noenhanced font 'DejaVu Sans,10' "
        "background rgb '#ffffff'\n"
        "    } else {\n"
        "        set terminal png size 400,300 noenhanced font 'DejaVu Sans,10' "
        "background rgb '#ffffff'\n"
        "    }\n"
        "}\n"
        "set output percap_output\n"
        "unset output\n";
    assert_string_equal(s.text, want);
    free(s.text);
}

static void test_statements(void **state)
{
    (void)state;
    script s;
    script_open(&s);
    percap_gp_comment(s.gp, "from %s\\ (end\\)", "C:\\data\nnext");
    percap_gp_code(s.gp, "set xrange [%s:%s]", percap_gp_num(s.gp, 0), percap_gp_num(s.gp, 2.5));
    percap_gp_range(s.gp, "y", NAN, 1e-3);
    percap_gp_range(s.gp, "cb", -1, INFINITY);
    percap_gp_set_text(s.gp, "title", "It's `x`", "font ',12'");
    percap_gp_set_text(s.gp, "xlabel", "a_b", NULL);
    percap_gp_label(s.gp, "|touch pwned", "first", 1, 0.5, "left");
    const char *tl[] = {"Тыва", "O'Brien 100%"};
    const double tv[] = {1, 2};
    percap_gp_tics(s.gp, "y", tl, tv, 2, "nomirror");
    const char *names[] = {"a", "'; system(\"touch pwned\"); '"};
    percap_gp_array(s.gp, "names", names, 2);
    percap_gp_array(s.gp, "none", NULL, 0);
    percap_gp_block_begin(s.gp, "d", "x y", 2);
    percap_gp_block_row(s.gp, (double[2]){1, NAN});
    percap_gp_block_break(s.gp);
    percap_gp_block_row(s.gp, (double[2]){-0.5, 1e-7});
    percap_gp_block_end(s.gp);
    percap_gp_plot_begin(s.gp);
    percap_gp_plot_item(s.gp, "PERCAP_EOD", "$d using 1:2 with lines lw %d", 2);
    percap_gp_plot_item(s.gp, NULL, "$d using 1:(names[int($1)]) with points");
    percap_gp_plot_end(s.gp);
    percap_error err;
    assert_int_equal(script_close(&s, &err), PERCAP_OK);
    const char *want =
        "# from C:/data next/ (end/)\n"
        "set xrange [0:2.5]\n"
        "set yrange [*:0.001]\n"
        "set cbrange [-1:*]\n"
        "set title 'It'.percap_quote.'s `x`' noenhanced font ',12'\n"
        "set xlabel 'a_b' noenhanced\n"
        "set label '|touch pwned' at first 1, first 0.5 noenhanced left\n"
        "set ytics ( 'Тыва' 1, \\\n    'O'.percap_quote.'Brien 100%%' 2) noenhanced nomirror\n"
        "array names[2]\n"
        "names[1] = 'a'\n"
        "names[2] = percap_quote.'; system(\"touch pwned\"); '.percap_quote\n"
        "array none[1]\n"
        "none[1] = ''\n"
        "# $d: x y\n"
        "$d << PERCAP_EOD\n"
        "1 NaN\n"
        "\n"
        "-0.5 1e-07\n"
        "PERCAP_EOD\n"
        "plot $d using 1:2 with lines lw 2 title 'PERCAP_EOD' noenhanced, \\\n"
        "     $d using 1:(names[int($1)]) with points notitle\n"
        "unset output\n";
    assert_string_equal(body(&s), want);
    free(s.text);
}

/* ---- the safety net ------------------------------------------------------------------- */

static void test_code_refuses_command_substitution(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "set title `touch pwned`", "set title \"x\"", "system('touch pwned')",
        "x = SYSTEM('ls')", "load 'x.gp'", "call 'x.gp'", "set print 'x'", "set output 'x'",
        "set table $t", "eval('1')", "evaluate('1')", "fit f(x) $d via a", "save 'x'",
        "cd '/tmp'", "pause -1", "!touch pwned", "   !ls", "shell", "import f(x) from 'l'",
        "history", "set title 'a'\nsystem('x')", "reread"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        script s;
        script_open(&s);
        percap_gp_code(s.gp, "%s", bad[i]);
        percap_error err;
        if (script_close(&s, &err) != PERCAP_EUSAGE)
            fail_msg("accepted: %s", bad[i]);
        free(s.text);
    }
    /* forbidden words inside a single-quoted string are only text */
    script s;
    script_open(&s);
    percap_gp_code(s.gp, "set label 'system load call print' at graph 0, graph 0");
    percap_gp_code(s.gp, "if (!exists('x')) x = 1");
    percap_error err;
    assert_int_equal(script_close(&s, &err), PERCAP_OK);
    free(s.text);
}

static void test_code_refuses_floating_conversions(void **state)
{
    (void)state;
    script s;
    script_open(&s);
    percap_gp_code(s.gp, "set xrange [0:%g]", 2.5);
    expect_refused(&s, "percap_gp_num");
    script_open(&s);
    percap_gp_plot_begin(s.gp);
    percap_gp_plot_item(s.gp, NULL, "%.3f with lines", 1.0);
    expect_refused(&s, "floating");
    script_open(&s);
    percap_gp_code(s.gp, "set xtics %5.2e", 1.0);
    expect_refused(&s, NULL);
    /* %% and integer conversions are fine */
    script_open(&s);
    percap_gp_code(s.gp, "set format x '%%.0s%%c'");
    percap_gp_code(s.gp, "set xtics %d,%zu", -1, (size_t)5);
    percap_error err;
    assert_int_equal(script_close(&s, &err), PERCAP_OK);
    assert_non_null(strstr(s.text, "set format x '%.0s%c'\nset xtics -1,5\n"));
    free(s.text);
}

static void test_data_in_plot_items_and_options_is_checked(void **state)
{
    (void)state;
    script s;
    script_open(&s);
    percap_gp_plot_begin(s.gp);
    percap_gp_plot_item(s.gp, NULL, "%s", "'<cat x' using 1 `touch pwned`");
    expect_refused(&s, "backquote");
    script_open(&s);
    percap_gp_label(s.gp, "ok", "graph", 0, 0, "left; system('x')");
    expect_refused(&s, "system");
    script_open(&s);
    percap_gp_set_text(s.gp, "title", "ok", "font \"x\"");
    expect_refused(&s, "double");
}

static void test_misuse_is_reported(void **state)
{
    (void)state;
    script s;
    script_open(&s);
    percap_gp_set_text(s.gp, "output", "x", NULL);
    expect_refused(&s, "text setting");
    script_open(&s);
    percap_gp_label(s.gp, "x", "first; system('x')", 0, 0, NULL);
    expect_refused(&s, "coordinate");
    script_open(&s);
    percap_gp_array(s.gp, "a b", NULL, 0);
    expect_refused(&s, "variable name");
    script_open(&s);
    percap_gp_block_begin(s.gp, "1x", "", 1);
    expect_refused(&s, "datablock");
    script_open(&s);
    percap_gp_block_begin(s.gp, "x", "", 0);
    expect_refused(&s, "column");
    script_open(&s);
    percap_gp_block_row(s.gp, (double[1]){1});
    expect_refused(&s, "outside");
    script_open(&s);
    percap_gp_block_begin(s.gp, "x", "", 1);
    expect_refused(&s, "unfinished datablock");
    script_open(&s);
    percap_gp_block_begin(s.gp, "x", "", 1);
    percap_gp_code(s.gp, "set grid");
    expect_refused(&s, "unfinished datablock");
    script_open(&s);
    percap_gp_plot_begin(s.gp);
    percap_gp_plot_end(s.gp);
    expect_refused(&s, "at least one item");
    script_open(&s);
    percap_gp_plot_item(s.gp, NULL, "sin(x)");
    expect_refused(&s, "outside a plot");
    script_open(&s);
    percap_gp_plot_begin(s.gp);
    percap_gp_label(s.gp, "x", "graph", 0, 0, NULL);
    expect_refused(&s, "unfinished plot");
    script_open(&s);
    percap_gp_tics(s.gp, "z", NULL, NULL, 0, NULL);
    expect_refused(&s, "axis");
    script_open(&s);
    percap_gp_range(s.gp, "x; system('x')", 0, 1);
    expect_refused(&s, "not an axis");
}

static void test_bad_canvas(void **state)
{
    (void)state;
    static const percap_gp_canvas bad[] = {
        {"a b", 400, 300, 10, NULL}, {"../x", 400, 300, 10, NULL}, {"", 400, 300, 10, NULL},
        {NULL, 400, 300, 10, NULL}, {"x", 49, 300, 10, NULL}, {"x", 400, 20001, 10, NULL},
        {"x", 400, 300, 0, NULL}, {"x", 400, 300, NAN, NULL}, {"x", 400, 300, 10, "Sans',9'"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&text, &len);
        percap_gp *gp = percap_gp_begin(fp, &bad[i], "x");
        percap_error err;
        assert_int_equal(percap_gp_end(gp, &err), PERCAP_EUSAGE);
        fclose(fp);
        assert_true(len == 0);   /* nothing written for a bad canvas */
        free(text);
    }
}

static void test_write_error_is_eio(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    percap_gp *gp = percap_gp_begin(fp, &canvas, "x");
    for (int i = 0; i < 1000; i++)
        percap_gp_code(gp, "set grid");
    percap_error err;
    assert_int_equal(percap_gp_end(gp, &err), PERCAP_EIO);
    fclose(fp);
}

/* ---- gnuplot itself reads the strings back -------------------------------------------- */

/* Runs gnuplot on `path` in `dir`, its stderr (where print writes) to `out`. */
static int run_gnuplot(const char *dir, const char *path, const char *out)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, 2) < 0 || chdir(dir) != 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", "-d", path, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_true(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Each string and what a chart must show for it. */
static const struct {
    const char *in, *shown;
} hostile[] = {
    {"`touch pwned`", "`touch pwned`"},
    {"'; system(\"touch pwned\"); '", "'; system(\"touch pwned\"); '"},
    {"|touch pwned", "|touch pwned"},
    {"<touch pwned", "<touch pwned"},
    {"North\nOssetia", "North Ossetia"},
    {"Тыва Республика", "Тыва Республика"},
    {"it's", "it's"},
    {"'", "'"},
    {"''", "''"},
    {"'''x'''", "'''x'''"},
    {"a''''b", "a''''b"},
    {"@pwned @@ $data", "@pwned @@ $data"},
    {"a_b^c{d}~e&f", "a_b^c{d}~e&f"},
    {"back\\slash\\n \\", "back\\slash\\n \\"},
    {"# not a comment", "# not a comment"},
    {"PERCAP_EOD", "PERCAP_EOD"},
    {"\" double \"quote`", "\" double \"quote`"},
    {"ends with backslash\\", "ends with backslash\\"},
    {"\xf0\x9f\x98\x80 emoji", "\xf0\x9f\x98\x80 emoji"},
    {"bad \xff byte\t", "bad \xef\xbf\xbd byte "},
    {"", ""},
};

static void test_gnuplot_reads_every_string_back(void **state)
{
    (void)state;
    if (!test_have_program("gnuplot")) {
        print_message("gnuplot is not installed: skipped\n");
        skip();
    }
    char dir[] = "/tmp/percap-gp-emit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], out[256], pwned[256];
    snprintf(path, sizeof path, "%s/t.gp", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(pwned, sizeof pwned, "%s/pwned", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    /* the quote variable as the scripts define it; then each string printed
     * between markers so that leading and trailing spaces count */
    fputs("percap_quote = sprintf('%c', 39)\n", fp);
    size_t n = sizeof hostile / sizeof hostile[0];
    for (size_t i = 0; i < n; i++) {
        char *q = quote(hostile[i].in);
        fprintf(fp, "print '[' . %s . ']'\n", q);
        free(q);
    }
    fclose(fp);
    assert_int_equal(run_gnuplot(dir, "t.gp", out), 0);
    fp = fopen(out, "r");
    assert_non_null(fp);
    char line[1024], want[1024];
    for (size_t i = 0; i < n; i++) {
        assert_non_null(fgets(line, sizeof line, fp));
        line[strcspn(line, "\n")] = '\0';
        snprintf(want, sizeof want, "[%s]", hostile[i].shown);
        if (strcmp(line, want) != 0)
            fail_msg("string %zu: gnuplot printed %s, expected %s", i, line, want);
    }
    assert_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_int_equal(access(pwned, F_OK), -1);
    assert_int_equal(access("pwned", F_OK), -1);
    unlink(path);
    unlink(out);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_plain_and_empty),
        cmocka_unit_test(test_quote_single_quotes_become_the_variable),
        cmocka_unit_test(test_quote_keeps_gnuplot_specials_literal),
        cmocka_unit_test(test_quote_control_characters_become_spaces),
        cmocka_unit_test(test_quote_repairs_utf8),
        cmocka_unit_test(test_quote_truncates_like_snprintf),
        cmocka_unit_test(test_text_length_counts_characters),
        cmocka_unit_test(test_render_command),
        cmocka_unit_test(test_numbers_round_trip),
        cmocka_unit_test(test_fixed_for_readers),
        cmocka_unit_test(test_numbers_ignore_the_locale),
        cmocka_unit_test(test_header_sets_utf8_quote_and_terminals),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_code_refuses_command_substitution),
        cmocka_unit_test(test_code_refuses_floating_conversions),
        cmocka_unit_test(test_data_in_plot_items_and_options_is_checked),
        cmocka_unit_test(test_misuse_is_reported),
        cmocka_unit_test(test_bad_canvas),
        cmocka_unit_test(test_write_error_is_eio),
        cmocka_unit_test(test_gnuplot_reads_every_string_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
