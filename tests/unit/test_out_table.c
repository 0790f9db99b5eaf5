/* Tests of percap/output.h: the rates table as CSV, JSON and Markdown,
 * number text, CSV quoting, JSON escaping, count and joined tables.
 *
 * The fixture is a table of seven areas whose names carry everything a
 * writer can get wrong (commas, quotes, newlines, pipes, backslashes,
 * control characters, Cyrillic) and whose numbers are awkward doubles
 * (thirds, sevenths, a NaN covariate, a covariate named with a comma).
 * Output goes to open_memstream and is read back with a small strict
 * RFC 4180 parser written here, so the CSV is checked by reading it, not
 * by comparing it with another copy of the writer's logic. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "percap/output.h"
#include "percap/rank.h"
#include "percap/rates.h"
#include "percap/records.h"

#define assert_contains(hay, needle)                                                     \
    do {                                                                                 \
        const char *h_ = (hay), *n_ = (needle);                                          \
        if (!h_ || !strstr(h_, n_))                                                      \
            fail_msg("expected \"%s\" in:\n%s", n_, h_ ? h_ : "(null)");                 \
    } while (0)

#define assert_not_contains(hay, needle)                                                 \
    do {                                                                                 \
        const char *h_ = (hay), *n_ = (needle);                                          \
        if (h_ && strstr(h_, n_))                                                        \
            fail_msg("did not expect \"%s\" in:\n%s", n_, h_);                           \
    } while (0)

/* ---- fixture ------------------------------------------------------------ */

#define NAREAS 7
#define NCOV 2

static const struct { const char *code, *name; double deaths, population; } g_areas[NAREAS] = {
    {"RU-AA", "Plain", 25, 100000},
    {"RU-BB", "Name, with comma", 1, 3},
    {"RU-CC", "Quote \"Q\" town", 10, 70000},
    {"RU-DD", "Line\nbreak", 2, 300007},
    {"RU-EE", "Pipe | name", 7, 13},
    {"RU-FF", "Back\\slash\x01" "ctl\ttab", 0, 9999991},
    {"RU-GG", "Тыва", 123456, 330001},
};
static const char *const g_cov_names[NCOV] = {"gdp", "share, %"};

typedef struct fixture {
    percap_registry *reg;
    percap_areas *areas;
    size_t order[NAREAS];
    percap_rate_options rates;
    percap_area pooled;
    percap_report rep;
    char *text;       /* output of the last write */
    size_t len;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->reg = percap_registry_alloc();
    f->areas = percap_areas_alloc(f->reg, NAREAS);
    percap_error err;
    percap_error_clear(&err);
    for (size_t i = 0; i < NAREAS; i++) {
        size_t idx;
        if (percap_registry_add(f->reg, g_areas[i].code, g_areas[i].name, &idx, &err))
            return fprintf(stderr, "%s\n", err.message), -1;
        f->areas->rows[i].region = idx;
        f->areas->rows[i].deaths = g_areas[i].deaths;
        f->areas->rows[i].population = g_areas[i].population;
    }
    for (size_t k = 0; k < NCOV; k++) {
        size_t col;
        if (percap_areas_add_covariate(f->areas, g_cov_names[k], &col, &err))
            return fprintf(stderr, "%s\n", err.message), -1;
    }
    for (size_t i = 0; i < NAREAS; i++) {
        f->areas->cov[i * NCOV + 0] = (double)(i + 1) / 3.0 * 1e-3; /* awkward decimals */
        f->areas->cov[i * NCOV + 1] = i % 2 ? NAN : (double)i / 7.0;
    }
    percap_rate_options_default(&f->rates);
    if (percap_rates_compute(f->areas, &f->rates, &err) ||
        percap_rank_assign(f->areas, &err) ||
        percap_rank_order(f->areas, PERCAP_SORT_RATE, f->order, &err) ||
        percap_rates_pooled(f->areas, &f->rates, &f->pooled, &err))
        return fprintf(stderr, "%s\n", err.message), -1;
    f->rep = (percap_report){.areas = f->areas, .order = f->order, .pooled = NULL,
                             .rates = &f->rates, .counted = "deaths.csv",
                             .denominator = "'population' from pop.csv"};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->text);
    percap_areas_free(f->areas);
    percap_registry_free(f->reg);
    free(f);
    return 0;
}

/* Writes the rates table in `format` to memory; returns the text. */
static const char *render(fixture *f, percap_format format)
{
    free(f->text);
    f->text = NULL;
    FILE *fp = open_memstream(&f->text, &f->len);
    assert_non_null(fp);
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_output_rates(fp, format, &f->rep, &err);
    assert_int_equal(fclose(fp), 0);
    if (st != PERCAP_OK)
        fail_msg("output: %s", err.message);
    assert_int_equal(strlen(f->text), f->len); /* no NUL bytes written */
    return f->text;
}

/* Runs `write` on a memory stream; the caller frees the text. */
#define CAPTURE(text, call)                                                              \
    do {                                                                                 \
        size_t len_;                                                                     \
        FILE *fp = open_memstream(&(text), &len_);                                       \
        assert_non_null(fp);                                                             \
        call;                                                                            \
        assert_int_equal(fclose(fp), 0);                                                 \
    } while (0)

/* ---- a strict RFC 4180 reader ----------------------------------------- */

#define MAX_ROWS 32
#define MAX_FIELDS 16

typedef struct csv_doc {
    size_t nrows;
    size_t nfields[MAX_ROWS];
    char *field[MAX_ROWS][MAX_FIELDS];
} csv_doc;

static void csv_free(csv_doc *d)
{
    for (size_t r = 0; r < d->nrows; r++)
        for (size_t c = 0; c < d->nfields[r]; c++)
            free(d->field[r][c]);
    memset(d, 0, sizeof *d);
}

/* Parses LF-terminated RFC 4180 text; fails the test on anything
 * malformed (a quote inside an unquoted field, text after a closing
 * quote, an unterminated quote, a missing final newline). */
static void csv_parse(const char *s, csv_doc *d)
{
    memset(d, 0, sizeof *d);
    size_t cap = strlen(s) + 1;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while (*s) {
        assert_true(d->nrows < MAX_ROWS);
        size_t r = d->nrows++;
        for (;;) {
            size_t n = 0;
            if (*s == '"') {
                s++;
                for (;;) {
                    if (*s == '\0')
                        fail_msg("unterminated quoted field in row %zu", r + 1);
                    if (*s == '"' && s[1] == '"') {
                        buf[n++] = '"';
                        s += 2;
                    } else if (*s == '"') {
                        s++;
                        break;
                    } else {
                        buf[n++] = *s++;
                    }
                }
                if (*s != ',' && *s != '\n')
                    fail_msg("text after a closing quote in row %zu", r + 1);
            } else {
                while (*s && *s != ',' && *s != '\n') {
                    if (*s == '"' || *s == '\r')
                        fail_msg("bare quote or CR in an unquoted field in row %zu", r + 1);
                    buf[n++] = *s++;
                }
            }
            buf[n] = '\0';
            assert_true(d->nfields[r] < MAX_FIELDS);
            d->field[r][d->nfields[r]++] = strdup(buf);
            if (*s == ',') {
                s++;
                continue;
            }
            if (*s != '\n')
                fail_msg("row %zu does not end in a newline", r + 1);
            s++;
            break;
        }
    }
    free(buf);
}

/* Reads a number field back; "" is NaN (the documented text for NaN). */
static double read_number(const char *text)
{
    if (text[0] == '\0')
        return NAN;
    char *end;
    double v = strtod(text, &end);
    if (*end != '\0')
        fail_msg("'%s' is not a number", text);
    return v;
}

/* Exact equality, NaN equal to NaN. */
static void assert_same_double(double got, double want, const char *what, size_t row)
{
    if (isnan(want) ? !isnan(got) : got != want)
        fail_msg("row %zu, %s: read back %.17g, expected %.17g", row, what, got, want);
}

/* ---- CSV ---------------------------------------------------------------- */

/* The header is the documented columns in their order, then the
 * covariates (quoted when they need it). */
static void csv_header_is_exact(void **state)
{
    fixture *f = *state;
    const char *out = render(f, PERCAP_FORMAT_CSV);
    const char *want = "rank,region_code,region_name,deaths,population,rate,ci_low,ci_high,flag,"
                       "gdp,\"share, %\"\n";
    assert_int_equal(strncmp(out, want, strlen(want)), 0);
    static const char *const cols[9] = {"rank", "region_code", "region_name", "deaths",
                                        "population", "rate", "ci_low", "ci_high", "flag"};
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(percap_output_columns[i], cols[i]);
}

/* One line per area in display order, each field where the header says:
 * parsed back, codes, names (with their commas, quotes and newlines),
 * ranks and flags are the ones in the table, and every number reads back
 * with strtod to the identical double. */
static void csv_rows_read_back_exactly(void **state)
{
    fixture *f = *state;
    csv_doc d;
    csv_parse(render(f, PERCAP_FORMAT_CSV), &d);
    assert_int_equal(d.nrows, 1 + NAREAS);
    for (size_t i = 0; i < NAREAS; i++) {
        size_t r = f->order[i];
        const percap_area *a = &f->areas->rows[r];
        char **fld = d.field[i + 1];
        assert_int_equal(d.nfields[i + 1], 9 + NCOV);
        assert_int_equal(strtol(fld[0], NULL, 10), a->rank);
        assert_string_equal(fld[1], percap_areas_code(f->areas, r));
        assert_string_equal(fld[2], percap_areas_name(f->areas, r));
        const double nums[5] = {a->deaths, a->population, a->rate, a->ci_low, a->ci_high};
        for (size_t k = 0; k < 5; k++)
            assert_same_double(read_number(fld[3 + k]), nums[k], percap_output_columns[3 + k],
                               i + 1);
        assert_string_equal(fld[8], percap_flag_name(a->flag));
        for (size_t k = 0; k < NCOV; k++)
            assert_same_double(read_number(fld[9 + k]), percap_areas_cov(f->areas, r, k),
                               g_cov_names[k], i + 1);
    }
    csv_free(&d);
}

/* The quoting itself, as bytes: doubled quotes inside quotes, and the
 * newline kept inside the quoted field rather than ending the row. */
static void csv_names_are_quoted_per_rfc4180(void **state)
{
    fixture *f = *state;
    const char *out = render(f, PERCAP_FORMAT_CSV);
    assert_contains(out, ",\"Quote \"\"Q\"\" town\",");
    assert_contains(out, ",\"Name, with comma\",");
    assert_contains(out, ",\"Line\nbreak\",");
    assert_contains(out, ",Plain,");
    assert_contains(out, ",Тыва,");
}

/* The pooled row comes last, unranked, with the sums, when asked for;
 * never otherwise. */
static void csv_pooled_row_only_when_asked(void **state)
{
    fixture *f = *state;
    assert_not_contains(render(f, PERCAP_FORMAT_CSV), "All areas (pooled)");
    f->rep.pooled = &f->pooled;
    csv_doc d;
    csv_parse(render(f, PERCAP_FORMAT_CSV), &d);
    assert_int_equal(d.nrows, 2 + NAREAS);
    char **last = d.field[d.nrows - 1];
    assert_int_equal(d.nfields[d.nrows - 1], 9 + NCOV);
    assert_string_equal(last[0], "");
    assert_string_equal(last[1], "ALL");
    assert_string_equal(last[2], "All areas (pooled)");
    double deaths = 0, pop = 0;
    for (size_t i = 0; i < NAREAS; i++) {
        deaths += g_areas[i].deaths;
        pop += g_areas[i].population;
    }
    assert_same_double(read_number(last[3]), deaths, "pooled deaths", d.nrows);
    assert_same_double(read_number(last[4]), pop, "pooled population", d.nrows);
    assert_same_double(read_number(last[5]), f->pooled.rate, "pooled rate", d.nrows);
    assert_same_double(read_number(last[6]), f->pooled.ci_low, "pooled ci_low", d.nrows);
    assert_string_equal(last[9], "");
    csv_free(&d);
}

/* ---- numbers ------------------------------------------------------------ */

/* Exact texts for the simple cases: whole numbers without a point (and
 * no "-0"), short decimals short, NaN empty. */
static void output_number_texts(void **state)
{
    (void)state;
    static const struct { double v; const char *text; } cases[] = {
        {0, "0"},         {-0.0, "0"},          {25, "25"},
        {-3, "-3"},       {13000000, "13000000"}, {1e14, "100000000000000"},
        {0.1, "0.1"},     {0.25, "0.25"},       {-1.5, "-1.5"},
        {9007199254740991.0, "9007199254740991"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        percap_output_number(cases[i].v, buf, sizeof buf);
        if (strcmp(buf, cases[i].text) != 0)
            fail_msg("%.17g printed as '%s', expected '%s'", cases[i].v, buf, cases[i].text);
    }
    percap_output_number(NAN, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* Every double, however awkward, reads back as itself: thirds, the
 * extremes of the range, subnormals, and a deterministic spread of
 * random bit patterns. */
static void output_number_reads_back_exactly(void **state)
{
    (void)state;
    double vals[2100];
    size_t n = 0;
    const double fixed[] = {1.0 / 3, 2.0 / 3, 1e-300, 5e-324, 2.2250738585072014e-308,
                            1.7976931348623157e308, 123456789.123456789, 0.1 + 0.2,
                            1e15, 1e15 + 1, 1e16, 4.35e-5, 16.178681847829328};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        vals[n++] = fixed[i];
        vals[n++] = -fixed[i];
    }
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    while (n < sizeof vals / sizeof vals[0]) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        double v;
        memcpy(&v, &x, sizeof v);
        if (isfinite(v))
            vals[n++] = v;
    }
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        percap_output_number(vals[i], buf, sizeof buf);
        char *end;
        double back = strtod(buf, &end);
        if (*end != '\0' || back != vals[i])
            fail_msg("%a printed as '%s', which reads back as %a", vals[i], buf, back);
        assert_true(strlen(buf) <= 24);
    }
}

/* ---- CSV fields and JSON strings --------------------------------------- */

static void csv_field_quoting(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {" lead", "\" lead\""},
        {"trail ", "\"trail \""},
        {"semi;colon", "\"semi;colon\""},  /* safe if read with ';' detected */
        {"tab\there", "\"tab\there\""},
        {"Москва", "Москва"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = NULL;
        CAPTURE(text, percap_output_csv_field(fp, cases[i].in));
        if (strcmp(text, cases[i].out) != 0)
            fail_msg("field '%s' written as '%s', expected '%s'", cases[i].in, text,
                     cases[i].out);
        free(text);
    }
}

static void json_string_escaping(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {"say \"hi\"", "\"say \\\"hi\\\"\""},
        {"back\\slash", "\"back\\\\slash\""},
        {"new\nline", "\"new\\nline\""},
        {"tab\t", "\"tab\\u0009\""},
        {"\x01\x1f", "\"\\u0001\\u001f\""},
        {"del\x7f", "\"del\\u007f\""},
        {"/slash", "\"/slash\""},
        {"Тыва", "\"Тыва\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = NULL;
        CAPTURE(text, percap_output_json_string(fp, cases[i].in));
        if (strcmp(text, cases[i].out) != 0)
            fail_msg("string '%s' written as '%s', expected '%s'", cases[i].in, text,
                     cases[i].out);
        free(text);
    }
}

/* ---- JSON ---------------------------------------------------------------- */

/* Without python: the structure's landmarks, NaN as null, escaped names. */
static void json_landmarks_and_nulls(void **state)
{
    fixture *f = *state;
    const char *out = render(f, PERCAP_FORMAT_JSON);
    assert_contains(out, "\"per\":100000");
    assert_contains(out, "\"ci_method\":\"exact\"");
    assert_contains(out, "\"level\":0.95");
    assert_contains(out, "\"share, %\":null");
    assert_contains(out, "\"region_name\":\"Quote \\\"Q\\\" town\"");
    assert_contains(out, "\"region_name\":\"Line\\nbreak\"");
    assert_contains(out, "\"region_name\":\"Back\\\\slash\\u0001ctl\\u0009tab\"");
    assert_not_contains(out, "nan");
    assert_not_contains(out, "\"pooled\"");
    f->rep.pooled = &f->pooled;
    out = render(f, PERCAP_FORMAT_JSON);
    assert_contains(out, "\"pooled\":{\"rank\":null,\"region_code\":\"ALL\"");
}

static bool have_python(void)
{
    return system("python3 -c 'import json' >/dev/null 2>&1") == 0;
}

/* A real JSON parser reads the document: Python's json module, which
 * rejects raw control characters and bad escapes. It prints what it
 * decoded (names as hex bytes, numbers as float.hex, null as "null") and
 * that must be exactly the table. Skipped without python3. */
static const char json_check_py[] =
    "import json,sys\n"
    "d=json.load(open(sys.argv[1],encoding='utf-8'))\n"
    "assert set(d)=={'per','ci_method','level','notes','rows','pooled'}, list(d)\n"
    "assert any('lower bound' in n for n in d['notes'])\n"
    "cols=['rank','region_code','region_name','deaths','population','rate','ci_low',"
    "'ci_high','flag','gdp','share, %']\n"
    "def num(v): return 'null' if v is None else float(v).hex()\n"
    "for r in d['rows']+[d['pooled']]:\n"
    "  keys=list(r)\n"
    "  assert keys==cols[:len(keys)] and len(keys) in (9,11), keys\n"
    "  print(r['region_name'].encode('utf-8').hex(), r['flag'],\n"
    "        ' '.join(num(r[k]) for k in keys if k not in ('region_code','region_name','flag','rank')))\n";

static void json_parses_and_round_trips(void **state)
{
    fixture *f = *state;
    if (!have_python())
        skip();
    f->rep.pooled = &f->pooled;
    const char *out = render(f, PERCAP_FORMAT_JSON);
    char json_path[] = "/tmp/percap_test_out_json.XXXXXX";
    int fd = mkstemp(json_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
    close(fd);
    char py_path[] = "/tmp/percap_test_out_py.XXXXXX";
    fd = mkstemp(py_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json_check_py, strlen(json_check_py)),
                     (ssize_t)strlen(json_check_py));
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "python3 %s %s", py_path, json_path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[4096];
    size_t row = 0;
    while (fgets(line, sizeof line, p)) {
        assert_true(row <= NAREAS);
        const percap_area *a = row < NAREAS ? &f->areas->rows[f->order[row]] : &f->pooled;
        const char *name = row < NAREAS ? percap_areas_name(f->areas, f->order[row])
                                        : "All areas (pooled)";
        char hex[512] = "";
        for (const unsigned char *c = (const unsigned char *)name; *c; c++)
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%02x", *c);
        char *save = NULL;
        char *tok = strtok_r(line, " \n", &save);
        if (!tok || strcmp(tok, hex) != 0)
            fail_msg("row %zu: name decoded as %s, expected %s", row, tok ? tok : "-", hex);
        tok = strtok_r(NULL, " \n", &save);
        assert_string_equal(tok, percap_flag_name(a->flag));
        double want[5 + NCOV] = {a->deaths, a->population, a->rate, a->ci_low, a->ci_high};
        size_t nwant = 5;
        if (row < NAREAS)
            for (size_t k = 0; k < NCOV; k++)
                want[nwant++] = percap_areas_cov(f->areas, f->order[row], k);
        for (size_t k = 0; k < nwant; k++) {
            tok = strtok_r(NULL, " \n", &save);
            assert_non_null(tok);
            double got = strcmp(tok, "null") == 0 ? NAN : strtod(tok, NULL);
            assert_same_double(got, want[k], "json number", row);
        }
        assert_null(strtok_r(NULL, " \n", &save));
        row++;
    }
    int status = pclose(p);
    unlink(json_path);
    unlink(py_path);
    if (status != 0)
        fail_msg("python3 rejected the JSON (status %d):\n%s", status, out);
    assert_int_equal(row, NAREAS + 1);
}

/* ---- Markdown ------------------------------------------------------------ */

static size_t unescaped_pipes(const char *line, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\\') {
            i++;
            continue;
        }
        n += line[i] == '|';
    }
    return n;
}

/* The caption says what the numbers cannot show; names cannot break the
 * table: '|' is escaped, newlines become spaces, so every table line has
 * as many cell borders as the header. */
static void markdown_caveats_and_intact_table(void **state)
{
    fixture *f = *state;
    const char *out = render(f, PERCAP_FORMAT_MD);
    assert_contains(out, "lower bound");
    assert_contains(out, "chance (Poisson) variation only");
    assert_contains(out, "Pipe \\| name");
    assert_contains(out, "Line break");
    assert_contains(out, "Deaths per 100,000 of the denominator");
    size_t header_pipes = 0, table_lines = 0;
    for (const char *line = out; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 0 && line[0] == '|') {
            size_t pipes = unescaped_pipes(line, len);
            if (table_lines++ == 0)
                header_pipes = pipes;
            else if (pipes != header_pipes)
                fail_msg("table line has %zu borders, header %zu: %.*s", pipes, header_pipes,
                         (int)len, line);
        }
        line += len + (nl != NULL);
    }
    assert_int_equal(table_lines, 2 + NAREAS); /* header, rule, one per area */
    assert_int_equal(header_pipes, 9 + NCOV); /* 8 columns (the interval is one) and covariates */
}

/* Markdown is for reading: grouped thousands, two decimals, NA for NaN. */
static void markdown_numbers_are_rounded(void **state)
{
    fixture *f = *state;
    const char *out = render(f, PERCAP_FORMAT_MD);
    assert_contains(out, "| 25 | 100,000 | 25.00 | 16.18 – 36.90 | ok |");
    assert_contains(out, "| 123,456 | 330,001 |");
    assert_contains(out, " NA |");
}

static void markdown_pooled_row_only_when_asked(void **state)
{
    fixture *f = *state;
    assert_not_contains(render(f, PERCAP_FORMAT_MD), "All areas (pooled)");
    f->rep.pooled = &f->pooled;
    assert_contains(render(f, PERCAP_FORMAT_MD), "|  | ALL | All areas (pooled) |");
}

/* ---- counts and joined tables ------------------------------------------ */

/* Counts in the registry's order; regions with no deaths left out unless
 * `listed` marks them (only those it marks); by month as YYYY-MM across
 * a year end. */
static void output_counts_by_region_and_month(void **state)
{
    fixture *f = *state;
    double counts[NAREAS] = {2, 0, 5, 0, 0, 0, 0};
    double months[NAREAS * 2] = {1, 1, 0, 0, 0, 5};
    percap_records rec = {.nregions = NAREAS, .counts = counts, .first_month = 2022 * 12 + 11,
                          .nmonths = 2, .month_counts = months};
    percap_error err;
    percap_error_clear(&err);
    char *text = NULL;
    percap_status st;
    CAPTURE(text, st = percap_output_counts(fp, f->reg, &rec, false, NULL, &err));
    assert_int_equal(st, PERCAP_OK);
    assert_string_equal(text, "region_code,region_name,deaths\n"
                              "RU-AA,Plain,2\n"
                              "RU-CC,\"Quote \"\"Q\"\" town\",5\n");
    free(text);
    const bool listed[NAREAS] = {false, true, false, false, false, false, true};
    CAPTURE(text, st = percap_output_counts(fp, f->reg, &rec, false, listed, &err));
    assert_int_equal(st, PERCAP_OK);
    assert_string_equal(text, "region_code,region_name,deaths\n"
                              "RU-AA,Plain,2\n"
                              "RU-BB,\"Name, with comma\",0\n"
                              "RU-CC,\"Quote \"\"Q\"\" town\",5\n"
                              "RU-GG,Тыва,0\n");
    free(text);
    CAPTURE(text, st = percap_output_counts(fp, f->reg, &rec, true, NULL, &err));
    assert_int_equal(st, PERCAP_OK);
    assert_string_equal(text, "region_code,region_name,month,deaths\n"
                              "RU-AA,Plain,2022-12,1\n"
                              "RU-AA,Plain,2023-01,1\n"
                              "RU-CC,\"Quote \"\"Q\"\" town\",2023-01,5\n");
    free(text);
    /* a listed region gets every month, zeros included */
    const bool only_cc[NAREAS] = {false, false, true, false, false, false, false};
    CAPTURE(text, st = percap_output_counts(fp, f->reg, &rec, true, only_cc, &err));
    assert_int_equal(st, PERCAP_OK);
    assert_string_equal(text, "region_code,region_name,month,deaths\n"
                              "RU-AA,Plain,2022-12,1\n"
                              "RU-AA,Plain,2023-01,1\n"
                              "RU-CC,\"Quote \"\"Q\"\" town\",2022-12,0\n"
                              "RU-CC,\"Quote \"\"Q\"\" town\",2023-01,5\n");
    free(text);
    /* monthly output from counts made without months is a usage error */
    rec.month_counts = NULL;
    CAPTURE(text, st = percap_output_counts(fp, f->reg, &rec, true, NULL, &err));
    assert_int_equal(st, PERCAP_EUSAGE);
    free(text);
}

/* A joined table lists areas in the registry's order (not the rows'),
 * with each area's own covariates, at full precision, NaN empty. */
static void output_joined_in_registry_order(void **state)
{
    fixture *f = *state;
    /* reverse the rows (covariates with them) so that row order and
     * registry order differ */
    percap_areas *a = percap_areas_alloc(f->reg, NAREAS);
    assert_non_null(a);
    size_t col;
    assert_int_equal(percap_areas_add_covariate(a, "gdp", &col, NULL), PERCAP_OK);
    for (size_t i = 0; i < NAREAS; i++) {
        a->rows[i].region = NAREAS - 1 - i;
        a->cov[i] = i == 2 ? NAN : (double)(NAREAS - 1 - i) / 3.0;
    }
    char *text = NULL;
    percap_error err;
    percap_error_clear(&err);
    percap_status st;
    CAPTURE(text, st = percap_output_joined(fp, a, &err));
    assert_int_equal(st, PERCAP_OK);
    csv_doc d;
    csv_parse(text, &d);
    assert_int_equal(d.nrows, 1 + NAREAS);
    assert_string_equal(d.field[0][0], "region_code");
    assert_string_equal(d.field[0][1], "region_name");
    assert_string_equal(d.field[0][2], "gdp");
    for (size_t k = 0; k < NAREAS; k++) {
        assert_string_equal(d.field[k + 1][0], g_areas[k].code);
        assert_string_equal(d.field[k + 1][1], g_areas[k].name);
        double want = k == NAREAS - 1 - 2 ? NAN : (double)k / 3.0;
        assert_same_double(read_number(d.field[k + 1][2]), want, "gdp", k + 1);
    }
    csv_free(&d);
    free(text);
    percap_areas_free(a);
}

/* ---- write errors ------------------------------------------------------- */

/* A full disk must be reported, not ignored: /dev/full, unbuffered so
 * that the failure is seen while writing. Skipped where /dev/full does
 * not exist. */
static void write_errors_are_reported(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    setvbuf(fp, NULL, _IONBF, 0);
    percap_error err;
    const percap_format formats[] = {PERCAP_FORMAT_CSV, PERCAP_FORMAT_JSON, PERCAP_FORMAT_MD};
    for (size_t i = 0; i < 3; i++) {
        percap_error_clear(&err);
        clearerr(fp);
        assert_int_equal(percap_output_rates(fp, formats[i], &f->rep, &err), PERCAP_EIO);
    }
    double counts[NAREAS] = {1, 1, 1, 1, 1, 1, 1};
    percap_records rec = {.nregions = NAREAS, .counts = counts};
    clearerr(fp);
    assert_int_equal(percap_output_counts(fp, f->reg, &rec, false, NULL, &err), PERCAP_EIO);
    clearerr(fp);
    assert_int_equal(percap_output_joined(fp, f->areas, &err), PERCAP_EIO);
    fclose(fp);
}

/* ---- formats ------------------------------------------------------------- */

static void format_names_parse(void **state)
{
    (void)state;
    percap_format fmt = PERCAP_FORMAT_CSV;
    assert_int_equal(percap_format_parse("json", &fmt), 0);
    assert_int_equal(fmt, PERCAP_FORMAT_JSON);
    assert_int_equal(percap_format_parse("md", &fmt), 0);
    assert_int_equal(fmt, PERCAP_FORMAT_MD);
    assert_int_equal(percap_format_parse("markdown", &fmt), 0);
    assert_int_equal(fmt, PERCAP_FORMAT_MD);
    assert_int_equal(percap_format_parse("csv", &fmt), 0);
    assert_int_equal(fmt, PERCAP_FORMAT_CSV);
    assert_int_equal(percap_format_parse("xlsx", &fmt), -1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(csv_header_is_exact),
        T(csv_rows_read_back_exactly),
        T(csv_names_are_quoted_per_rfc4180),
        T(csv_pooled_row_only_when_asked),
        cmocka_unit_test(output_number_texts),
        cmocka_unit_test(output_number_reads_back_exactly),
        cmocka_unit_test(csv_field_quoting),
        cmocka_unit_test(json_string_escaping),
        T(json_landmarks_and_nulls),
        T(json_parses_and_round_trips),
        T(markdown_caveats_and_intact_table),
        T(markdown_numbers_are_rounded),
        T(markdown_pooled_row_only_when_asked),
        T(output_counts_by_region_and_month),
        T(output_joined_in_registry_order),
        T(write_errors_are_reported),
        cmocka_unit_test(format_names_parse),
    };
    return cmocka_run_group_tests_name("out_table", tests, NULL, NULL);
}
