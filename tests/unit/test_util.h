/* Helpers shared by the unit tests (tests/unit/test_*.c), so that each
 * test file holds its tests and not another copy of the same plumbing:
 *   - assertions that show what went wrong (a status with its message, a
 *     missing substring or note, two doubles with all their digits);
 *   - a private temporary directory and files written into it byte for
 *     byte;
 *   - readers for the plain CSV files of tests/data in which R's reference
 *     values and the synthetic tables are kept (no quoting: split at
 *     commas);
 *   - area tables: made up, the synthetic ones of model_synthetic.csv, and
 *     the shipped data joined as `percap rates` joins it.
 *
 * Header-only because tests/CMakeLists.txt builds each test from its one
 * source file. Every function is static inline, so that a test using a
 * few of them still builds with -Wall -Wextra -Werror. */
#ifndef PERCAP_TEST_UTIL_H
#define PERCAP_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "percap/error.h"
#include "percap/join.h"
#include "percap/notes.h"
#include "percap/rates.h"
#include "percap/regions.h"
#include "percap/table.h"

#define TEST_DATASETS PERCAP_SOURCE_DIR "/datasets"
#define TEST_SYNTH_CSV PERCAP_TEST_DATA "/model_synthetic.csv"

/* ---- assertions ------------------------------------------------------- */

/* An error must be the expected code; otherwise show where and what it
 * said. */
#define assert_status(got, want, err)                                                    \
    do {                                                                                 \
        percap_status g_ = (got);                                                        \
        if (g_ != (want))                                                                \
            fail_msg("status %d (%s), expected %d; message: %s:%ld:%ld: %s", (int)g_,    \
                     percap_status_name(g_), (int)(want), (err).file, (err).line,        \
                     (err).column, (err).message);                                       \
    } while (0)

#define assert_contains(hay, needle)                                                     \
    do {                                                                                 \
        const char *h_ = (hay), *n_ = (needle);                                          \
        if (!h_ || !strstr(h_, n_))                                                      \
            fail_msg("expected \"%s\" in \"%s\"", n_, h_ ? h_ : "(null)");               \
    } while (0)

#define assert_not_contains(hay, needle)                                                 \
    do {                                                                                 \
        const char *h_ = (hay), *n_ = (needle);                                          \
        if (h_ && strstr(h_, n_))                                                        \
            fail_msg("did not expect \"%s\" in \"%s\"", n_, h_);                         \
    } while (0)

/* Exact equality, with all 17 digits of both sides on failure. cmocka
 * 1.1.7 brought its own assert_double_equal, with a tolerance: these
 * tests compare exactly, so theirs gives way. */
#undef assert_double_equal
#define assert_double_equal(a, b)                                                        \
    do {                                                                                 \
        double a_ = (a), b_ = (b);                                                       \
        if (!(a_ == b_))                                                                 \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                          \
    } while (0)

/* The index of the first note containing `needle`, or -1. */
static inline long test_note_index(const percap_notes *notes, const char *needle)
{
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        if (strstr(percap_notes_get(notes, i), needle))
            return (long)i;
    return -1;
}

/* A note must contain `needle`; otherwise every note is shown. */
#define assert_note(notes, needle)                                                       \
    do {                                                                                 \
        if (test_note_index((notes), (needle)) < 0) {                                    \
            for (size_t i_ = 0; i_ < percap_notes_count(notes); i_++)                    \
                print_message("  note: %s\n", percap_notes_get((notes), i_));            \
            fail_msg("no note contains \"%s\"", (needle));                               \
        }                                                                                \
    } while (0)

/* |got - want| / |want|; an expected 0 is matched only by 0. */
static inline double test_rel_err(double got, double want)
{
    if (want == 0.0)
        return got == 0.0 ? 0.0 : INFINITY;
    return fabs(got - want) / fabs(want);
}

/* ---- a private temporary directory ------------------------------------ */

/* The directory made by test_make_dir(). */
static inline char *test_dir(void)
{
    static char dir[PATH_MAX];
    return dir;
}

/* Makes test_dir(): $TMPDIR/percap_test_<tag>.XXXXXX (/tmp without
 * TMPDIR). 0, or -1 if it cannot be made: for a group setup. */
static inline int test_make_dir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    int n = snprintf(test_dir(), PATH_MAX, "%s/percap_test_%s.XXXXXX",
                     base && *base ? base : "/tmp", tag);
    if (n < 0 || n >= PATH_MAX)
        return -1;
    return mkdtemp(test_dir()) ? 0 : -1;
}

/* Removes `path` and everything below it; rmdir's result (0 or -1). */
static inline int test_remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[PATH_MAX];
            int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (n < 0 || (size_t)n >= sizeof sub)
                continue; /* a cut name would remove another file */
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                test_remove_tree(sub);
            else
                unlink(sub);
        }
        closedir(d);
    }
    return rmdir(path);
}

/* test_dir()/name; valid for the next 15 calls (of this or
 * test_write_bytes). */
static inline const char *test_path(const char *name)
{
    static char paths[16][PATH_MAX];
    static unsigned next;
    char *p = paths[next++ % 16];
    int n = snprintf(p, PATH_MAX, "%s/%s", test_dir(), name);
    if (n < 0 || n >= PATH_MAX) /* a cut path would name another file */
        fail_msg("path too long: %s/%s", test_dir(), name);
    return p;
}

/* Writes `len` bytes to test_dir()/name; returns the path, valid as
 * test_path's. */
static inline const char *test_write_bytes(const char *name, const void *data, size_t len)
{
    const char *p = test_path(name);
    FILE *f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot create %s", p);
    if (len && fwrite(data, 1, len, f) != len)
        fail_msg("cannot write %s", p);
    if (fclose(f) != 0)
        fail_msg("cannot close %s", p);
    return p;
}

static inline const char *test_write_file(const char *name, const char *text)
{
    return test_write_bytes(name, text, strlen(text));
}

/* String literals may hold NUL bytes, so take the size of the array. */
#define TEST_WRITE(name, literal) test_write_bytes((name), (literal), sizeof(literal) - 1)

/* ---- plain CSV files (no quoting) -------------------------------------- */

/* Splits a line at commas in place, its line end dropped; returns the
 * number of fields (at most `max`). */
static inline size_t test_split(char *line, char **f, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max; p++) {
        f[n++] = p;
        p = strchr(p, ',');
        if (!p)
            break;
        *p = '\0';
    }
    return n;
}

/* Copies a field, failing the test if it does not fit. */
static inline void test_copy(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    assert_true(len < size);
    memcpy(dst, src, len + 1);
}

/* A number as R printed it: "NA", an empty field or one that does not
 * start with a number is NaN. */
static inline double test_number(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return (end == s || strcmp(s, "NA") == 0) ? NAN : v;
}

/* Opens a CSV file, its header line read into `line`. */
static inline FILE *test_open_csv(const char *path, char *line, size_t size)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, (int)size, fp));
    return fp;
}

/* A line "kind,x1,x2,..." of numbers under a kind, with no header: the
 * form in which R printed the funnel and ratio references. */
#define TEST_KIND_NUMS 16

typedef struct test_kind_row {
    char kind[8];
    double v[TEST_KIND_NUMS];
    size_t nv;
} test_kind_row;

/* 0, or -1 if the line is not a kind and 1 to `max_nums` numbers. */
static inline int test_parse_kind_row(char *line, test_kind_row *r, size_t max_nums)
{
    char *p = strchr(line, ',');
    size_t len;

    if (!p || (len = (size_t)(p - line)) >= sizeof r->kind)
        return -1;
    memcpy(r->kind, line, len);
    r->kind[len] = '\0';
    r->nv = 0;
    while (*p == ',') {
        char *end;
        if (r->nv == max_nums)
            return -1;
        r->v[r->nv++] = strtod(p + 1, &end);
        if (end == p + 1)
            return -1;
        p = end;
    }
    return *p == '\n' || *p == '\0' ? 0 : -1;
}

/* Reads every line of `path` into rows[*n...]; 0, or -1 (the bad line on
 * stderr) if a line is bad, there are more than `max_rows` or none: for a
 * group setup. */
static inline int test_load_kind_rows(const char *path, test_kind_row *rows, size_t max_rows,
                                      size_t max_nums, size_t *n)
{
    char line[1024];
    FILE *f;

    if (max_nums > TEST_KIND_NUMS || !(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (*n == max_rows || test_parse_kind_row(line, &rows[*n], max_nums) != 0) {
            fprintf(stderr, "%s: bad line %zu\n", path, *n + 1);
            fclose(f);
            return -1;
        }
        (*n)++;
    }
    fclose(f);
    return *n > 0 ? 0 : -1;
}

/* ---- R's references for the model tests --------------------------------- */

/* A row of model_<kind>_expected.csv: case,term,quantity,value. */
typedef struct test_model_row {
    char cas[32], term[256], quantity[32], value[64];
} test_model_row;

/* A row of model_cases.csv. */
typedef struct test_model_case {
    char name[32], dataset[16], family[16], formula[256], weights[32];
    double level;
} test_model_case;

/* Reads an expected-values file; returns the number of rows. */
static inline size_t test_load_model_rows(const char *path, test_model_row *rows, size_t max)
{
    char line[512], *f[6] = {0};
    size_t n = 0;
    FILE *fp = test_open_csv(path, line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        assert_int_equal(test_split(line, f, 6), 4);
        assert_true(n < max);
        test_model_row *r = &rows[n++];
        test_copy(r->cas, sizeof r->cas, f[0]);
        test_copy(r->term, sizeof r->term, f[1]);
        test_copy(r->quantity, sizeof r->quantity, f[2]);
        test_copy(r->value, sizeof r->value, f[3]);
    }
    fclose(fp);
    return n;
}

/* Reads tests/data/model_cases.csv; returns the number of cases. */
static inline size_t test_load_model_cases(test_model_case *cases, size_t max)
{
    char line[512], *f[8] = {0};
    size_t n = 0;
    FILE *fp = test_open_csv(PERCAP_TEST_DATA "/model_cases.csv", line, sizeof line);
    while (fgets(line, sizeof line, fp)) {
        assert_int_equal(test_split(line, f, 8), 6);
        assert_true(n < max);
        test_model_case *c = &cases[n++];
        test_copy(c->name, sizeof c->name, f[0]);
        test_copy(c->dataset, sizeof c->dataset, f[1]);
        test_copy(c->family, sizeof c->family, f[2]);
        test_copy(c->formula, sizeof c->formula, f[3]);
        test_copy(c->weights, sizeof c->weights, f[4]);
        c->level = test_number(f[5]);
    }
    fclose(fp);
    return n;
}

/* ---- area tables ---------------------------------------------------------- */

typedef struct test_areas {
    percap_registry *reg;
    percap_areas *areas;
} test_areas;

static inline void test_areas_free(test_areas *t)
{
    percap_areas_free(t->areas);
    percap_registry_free(t->reg);
}

/* Areas A0, A1, ... ("Area 0", ...) with deaths and population only. */
static inline test_areas test_areas_numbered(size_t n, const double *deaths,
                                             const double *population)
{
    test_areas t = {percap_registry_alloc(), NULL};
    assert_non_null(t.reg);
    for (size_t i = 0; i < n; i++) {
        char code[32], name[48];
        size_t idx;
        snprintf(code, sizeof code, "A%zu", i);
        snprintf(name, sizeof name, "Area %zu", i);
        assert_int_equal(percap_registry_add(t.reg, code, name, &idx, NULL), PERCAP_OK);
    }
    t.areas = percap_areas_alloc(t.reg, n);
    assert_non_null(t.areas);
    for (size_t i = 0; i < n; i++) {
        t.areas->rows[i].region = i;
        t.areas->rows[i].deaths = deaths[i];
        t.areas->rows[i].population = population[i];
    }
    return t;
}

/* Areas from raw values: v[i] = deaths, population, x1, x2, x3, wt, the
 * last four as covariates; the rate as percap_rates_compute gives it. */
static inline test_areas test_areas_values(const char *const *codes, const double (*v)[6],
                                           size_t n)
{
    static const char *const covs[] = {"x1", "x2", "x3", "wt"};
    test_areas t = {percap_registry_alloc(), NULL};
    assert_non_null(t.reg);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "Area %s", codes[i]);
        assert_int_equal(percap_registry_add(t.reg, codes[i], name, NULL, NULL), PERCAP_OK);
    }
    t.areas = percap_areas_alloc(t.reg, n);
    assert_non_null(t.areas);
    for (size_t k = 0; k < 4; k++) {
        size_t col;
        assert_int_equal(percap_areas_add_covariate(t.areas, covs[k], &col, NULL), PERCAP_OK);
    }
    for (size_t i = 0; i < n; i++) {
        t.areas->rows[i].region = i;
        t.areas->rows[i].deaths = v[i][0];
        t.areas->rows[i].population = v[i][1];
        /* as percap_rates_compute: deaths * per / population */
        t.areas->rows[i].rate = v[i][0] * 1e5 / v[i][1];
        for (size_t k = 0; k < 4; k++)
            t.areas->cov[i * 4 + k] = v[i][2 + k];
    }
    return t;
}

/* A row of tests/data/model_synthetic.csv (made by model_synthetic.R). */
#define TEST_SYNTH_MAX 128

typedef struct test_synth_row {
    char dataset[16], code[8];
    double v[6]; /* deaths, population, x1, x2, x3, wt */
} test_synth_row;

/* The rows of model_synthetic.csv, read on the first call; *n is their
 * number. */
static inline const test_synth_row *test_synth_rows(size_t *n)
{
    static test_synth_row rows[TEST_SYNTH_MAX];
    static size_t count;
    if (count == 0) {
        char line[256], *f[10] = {0};
        FILE *fp = test_open_csv(TEST_SYNTH_CSV, line, sizeof line);
        while (fgets(line, sizeof line, fp)) {
            assert_int_equal(test_split(line, f, 10), 8);
            assert_true(count < TEST_SYNTH_MAX);
            test_synth_row *r = &rows[count++];
            test_copy(r->dataset, sizeof r->dataset, f[0]);
            test_copy(r->code, sizeof r->code, f[1]);
            for (size_t k = 0; k < 6; k++)
                r->v[k] = test_number(f[2 + k]);
        }
        fclose(fp);
    }
    *n = count;
    return rows;
}

/* The synthetic table `dataset` of model_synthetic.csv, through
 * test_areas_values. */
static inline test_areas test_areas_synthetic(const char *dataset)
{
    const char *codes[TEST_SYNTH_MAX];
    double v[TEST_SYNTH_MAX][6];
    size_t n = 0, count;
    const test_synth_row *synth = test_synth_rows(&count);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(synth[i].dataset, dataset) != 0)
            continue;
        codes[n] = synth[i].code;
        memcpy(v[n], synth[i].v, sizeof v[n]);
        n++;
    }
    assert_true(n > 0);
    return test_areas_values(codes, (const double (*)[6])v, n);
}

/* The 85 regions of the shipped data through the library's own loading
 * path: deaths to 12 April 2023 over men aged 16-61 (2021 census). With
 * `as_rates`, as `percap rates` reads them: region_stats.csv's columns
 * joined as covariates and the rates computed. */
static inline test_areas test_areas_shipped(bool as_rates)
{
    percap_error err;
    percap_error_clear(&err);
    test_areas t = {percap_registry_load(TEST_DATASETS "/regions.csv", NULL, &err), NULL};
    if (!t.reg)
        fail_msg("registry: %s", err.message);
    percap_table *st = percap_table_read(TEST_DATASETS "/region_stats.csv", NULL, &err);
    percap_table *dt = percap_table_read(TEST_DATASETS "/deaths_2023-04-12.csv", NULL, &err);
    if (!st || !dt)
        fail_msg("datasets: %s", err.message);
    percap_join_options jo = {0};
    assert_status(percap_join_denominators(t.reg, st, "men_16_61_2021", &jo, &t.areas, NULL,
                                           &err),
                  PERCAP_OK, err);
    assert_status(percap_join_counts(t.areas, dt, "deaths", &jo, NULL, &err), PERCAP_OK, err);
    if (as_rates) {
        percap_rate_options ro;
        percap_rate_options_default(&ro);
        assert_status(percap_join_covariates(t.areas, st, NULL, &jo, NULL, &err), PERCAP_OK,
                      err);
        assert_status(percap_rates_compute(t.areas, &ro, &err), PERCAP_OK, err);
    }
    percap_table_free(st);
    percap_table_free(dt);
    assert_int_equal(t.areas->n, 85);
    return t;
}

/* A model case's data: "real" is the shipped data as `percap rates` reads
 * it, any other name a table of model_synthetic.csv. */
static inline test_areas test_areas_dataset(const char *name)
{
    return strcmp(name, "real") == 0 ? test_areas_shipped(true) : test_areas_synthetic(name);
}

/* The shipped registry, or NULL with the reason on stderr: for a group
 * setup, which cannot fail a test. */
static inline percap_registry *test_shipped_registry(void)
{
    percap_error err;
    percap_error_clear(&err);
    percap_registry *reg = percap_registry_load(TEST_DATASETS "/regions.csv", NULL, &err);
    if (!reg) {
        char msg[2048];
        percap_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "cannot load the registry: %s\n", msg);
    }
    return reg;
}

/* For a group setup: test_make_dir(tag), and the shipped registry in
 * *reg. 0, or -1 if either fails. */
static inline int test_make_dir_and_registry(const char *tag, percap_registry **reg)
{
    if (test_make_dir(tag) != 0)
        return -1;
    *reg = test_shipped_registry();
    return *reg ? 0 : -1;
}

/* ---- the environment ------------------------------------------------------- */

/* Whether `program` is an executable file in a directory of $PATH. */
static inline bool test_have_program(const char *program)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path; p && *p;) {
        size_t n = strcspn(p, ":");
        int len = snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, program);
        if (len > 0 && (size_t)len < sizeof buf && access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

/* Sets LC_NUMERIC to an installed locale whose decimal point is a comma;
 * returns its name, or NULL (LC_NUMERIC back to "C") if there is none. */
static inline const char *test_set_comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE",
                                        "fr_FR.UTF-8", "ru_RU.UTF-8", "ru_RU.utf8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = setlocale(LC_NUMERIC, names[i]);
        if (got && strcmp(localeconv()->decimal_point, ",") == 0)
            return got;
        setlocale(LC_NUMERIC, "C");
    }
    return NULL;
}

#endif
