/* Tests for src/smooth.c (percap/smooth.h).
 *
 * Where the numbers come from: tests/data/smooth_expected.csv was printed
 * once by tests/data/smooth_expected.R under R 4.2.2 (Debian r-base-core)
 * with MASS 7.3-58.2, spdep 1.2-7 and Rmpfr 0.9-1, every value via
 * sprintf("%.17g"), from the same inputs this test reads:
 * tests/data/smooth_cases.csv (synthetic tables) and the shipped
 * datasets/deaths_2023-04-12.csv over men_16_61_2021 of
 * datasets/region_stats.csv.
 *   marshall        spdep::EBest(n = deaths, x = population): smoothed
 *                   rates and its a (phi) and b (m); limits from qgamma of
 *                   Gamma(y + b^2/a, x + b/a). Tolerance 1e-9 relative.
 *   clayton-kaldor  the negative-binomial ML of theta = nu and mu =
 *                   nu/alpha by a 256-bit profile-likelihood fit (Rmpfr),
 *                   which MASS::glm.nb (polished with theta.ml) and nlm()
 *                   reproduce to 1e-7 or better except where theta ~ 5e8
 *                   (case nearpoisson: double precision cannot see the
 *                   score there; glm.nb is 44x off, nlm 7e-7); limits
 *                   from qgamma of Gamma(y + theta, n + theta/mu); the
 *                   log-likelihood is Rmpfr's sum of the NB log densities.
 *                   Tolerance 1e-6 relative.
 *   boundary cases  (no overdispersion: equal, underdisp, allzero, one)
 *                   rate m = sum(y)/sum(n), shrinkage 1, Garwood limits
 *                   of sum(y) over sum(n) from qgamma; Clayton-Kaldor's
 *                   log-likelihood from dpois. Tolerance 1e-9. EBest
 *                   itself gives NaN (0/0) for all-zero counts; the
 *                   expected 0 there is percap's documented convention.
 * The tolerance of every value is the file's `tol` column. An expected 0
 * or infinity must come back exactly. The worst relative error met for
 * each method and quantity is printed at the end of the R comparisons.
 *
 * The other tests need no R: argument checking, the method names, and
 * properties that hold whatever the numbers (limits around the rate,
 * shrinkage in [0, 1] and falling with the denominator, the smoothed
 * rate a weighted mean of the raw rate and the prior mean, independence
 * from area order and from covariates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/join.h"
#include "percap/smooth.h"
#include "percap/table.h"

#include "test_util.h"

#define EXPECTED_CSV PERCAP_TEST_DATA "/smooth_expected.csv"
#define CASES_CSV PERCAP_TEST_DATA "/smooth_cases.csv"
#define MAX_ROWS 2048
#define MAX_AREAS 128

/* ---- the two CSV files ---------------------------------------------------- */

typedef struct expected {
    char case_name[32], method[32], item[32], quantity[32];
    double level, per, value, tol;
} expected;

typedef struct input {
    char case_name[32], code[16];
    double deaths, population;
} input;

static expected exp_rows[MAX_ROWS];
static size_t n_exp;
static input in_rows[MAX_ROWS];
static size_t n_in;

static int copy_field(char *dst, size_t size, const char *src)
{
    if (strlen(src) >= size)
        return -1;
    strcpy(dst, src);
    return 0;
}

static int number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return (end == s || *end != '\0') ? -1 : 0;
}

static int parse_expected(char *line, expected *e)
{
    char *f[8] = {0};
    if (test_split(line, f, 8) != 8)
        return -1;
    return copy_field(e->case_name, sizeof e->case_name, f[0]) ||
           copy_field(e->method, sizeof e->method, f[1]) || number(f[2], &e->level) ||
           number(f[3], &e->per) || copy_field(e->item, sizeof e->item, f[4]) ||
           copy_field(e->quantity, sizeof e->quantity, f[5]) || number(f[6], &e->value) ||
           number(f[7], &e->tol);
}

static int parse_input(char *line, input *r)
{
    char *f[4] = {0};
    if (test_split(line, f, 4) != 4)
        return -1;
    return copy_field(r->case_name, sizeof r->case_name, f[0]) ||
           copy_field(r->code, sizeof r->code, f[1]) || number(f[2], &r->deaths) ||
           number(f[3], &r->population);
}

static int read_csv(const char *path, int (*parse)(char *, void *), void *rows, size_t size,
                    size_t *n)
{
    char line[512];
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(line, sizeof line, f) == NULL)
        goto fail;
    while (fgets(line, sizeof line, f) != NULL) {
        if (*n == MAX_ROWS || parse(line, (char *)rows + *n * size) != 0)
            goto fail;
        (*n)++;
    }
    fclose(f);
    return 0;
fail:
    fprintf(stderr, "cannot read %s (data row %zu)\n", path, *n + 1);
    if (f != NULL)
        fclose(f);
    return -1;
}

static int parse_expected_v(char *line, void *e) { return parse_expected(line, e); }
static int parse_input_v(char *line, void *r) { return parse_input(line, r); }

static int load_files(void **state)
{
    (void)state;
    if (read_csv(EXPECTED_CSV, parse_expected_v, exp_rows, sizeof exp_rows[0], &n_exp) != 0 ||
        read_csv(CASES_CSV, parse_input_v, in_rows, sizeof in_rows[0], &n_in) != 0)
        return -1;
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

typedef test_areas fixture;

static fixture make(size_t n, char codes[][16], const double *deaths, const double *pop)
{
    fixture f = {percap_registry_alloc(), NULL};
    assert_non_null(f.reg);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        assert_true(snprintf(name, sizeof name, "Area %s", codes[i]) < (int)sizeof name);
        assert_int_equal(percap_registry_add(f.reg, codes[i], name, NULL, NULL), PERCAP_OK);
    }
    f.areas = percap_areas_alloc(f.reg, n);
    assert_non_null(f.areas);
    for (size_t i = 0; i < n; i++) {
        f.areas->rows[i].region = i;
        f.areas->rows[i].deaths = deaths[i];
        f.areas->rows[i].population = pop[i];
    }
    return f;
}

/* Areas AA, BB, ... */
static fixture make_plain(size_t n, const double *deaths, const double *pop)
{
    char codes[MAX_AREAS][16];
    for (size_t i = 0; i < n; i++)
        snprintf(codes[i], sizeof codes[i], "%c%c", (char)('A' + i), (char)('A' + i));
    return make(n, codes, deaths, pop);
}

static fixture make_case(const char *name)
{
    char codes[MAX_AREAS][16];
    double d[MAX_AREAS], p[MAX_AREAS];
    size_t n = 0;
    for (size_t i = 0; i < n_in; i++) {
        if (strcmp(in_rows[i].case_name, name) != 0)
            continue;
        assert_true(n < MAX_AREAS);
        strcpy(codes[n], in_rows[i].code);
        d[n] = in_rows[i].deaths;
        p[n] = in_rows[i].population;
        n++;
    }
    if (n == 0)
        fail_msg("no input rows for case %s", name);
    return make(n, codes, d, p);
}

/* ---- comparison with R ---------------------------------------------------- */

static const char *const quantities[] = {"rate",       "low",   "high",      "shrinkage",
                                         "prior_mean", "prior_var", "shape", "rate_param",
                                         "loglik",     "at_boundary"};
#define N_QUANTITIES (sizeof quantities / sizeof quantities[0])

static double worst[2][N_QUANTITIES];

static size_t quantity_index(const char *q)
{
    for (size_t i = 0; i < N_QUANTITIES; i++)
        if (strcmp(q, quantities[i]) == 0)
            return i;
    fail_msg("unknown quantity %s in %s", q, EXPECTED_CSV);
    return 0;
}

static double rel_err(double got, double want)
{
    if (want == 0.0 || isinf(want))
        return got == want ? 0.0 : INFINITY;
    return fabs(got - want) / fabs(want);
}

static double summary_value(const percap_smooth_summary *s, const char *q)
{
    if (strcmp(q, "prior_mean") == 0) return s->prior_mean;
    if (strcmp(q, "prior_var") == 0) return s->prior_var;
    if (strcmp(q, "shape") == 0) return s->shape;
    if (strcmp(q, "rate_param") == 0) return s->rate_param;
    if (strcmp(q, "loglik") == 0) return s->loglik;
    if (strcmp(q, "at_boundary") == 0) return s->at_boundary ? 1.0 : 0.0;
    fail_msg("unknown summary quantity %s", q);
    return NAN;
}

static double area_value(const percap_smoothed *o, const char *q)
{
    if (strcmp(q, "rate") == 0) return o->rate;
    if (strcmp(q, "low") == 0) return o->low;
    if (strcmp(q, "high") == 0) return o->high;
    if (strcmp(q, "shrinkage") == 0) return o->shrinkage;
    fail_msg("unknown area quantity %s", q);
    return NAN;
}

static long find_code(const percap_areas *a, const char *code)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(percap_areas_code(a, i), code) == 0)
            return (long)i;
    return -1;
}

static double got_value(const fixture *f, const percap_smoothed *out,
                        const percap_smooth_summary *s, const expected *e)
{
    if (strcmp(e->item, "summary") == 0)
        return summary_value(s, e->quantity);
    long i = find_code(f->areas, e->item);
    if (i < 0)
        fail_msg("%s: no area %s", e->case_name, e->item);
    return area_value(&out[i], e->quantity);
}

/* Every expected row of one (case, method, level, per); returns how many. */
static size_t check_config(const fixture *f, const expected *key)
{
    percap_smoothed out[MAX_AREAS];
    percap_smooth_summary s;
    percap_smooth_method m;
    percap_error err;
    size_t checked = 0;

    percap_error_clear(&err);
    assert_int_equal(percap_smooth_method_parse(key->method, &m), 0);
    assert_true(f->areas->n <= MAX_AREAS);
    assert_status(percap_smooth_compute(f->areas, m, key->level, key->per, out, &s, &err),
                  PERCAP_OK, err);
    assert_true(s.converged);
    for (size_t r = 0; r < n_exp; r++) {
        const expected *e = &exp_rows[r];
        if (strcmp(e->case_name, key->case_name) != 0 || strcmp(e->method, key->method) != 0 ||
            e->level != key->level || e->per != key->per)
            continue;
        double got = got_value(f, out, &s, e), d = rel_err(got, e->value);
        if (!(d <= e->tol))
            fail_msg("%s %s level %g per %g, %s %s: got %.17g, R %.17g (rel %.3g > %g)",
                     e->case_name, e->method, e->level, e->per, e->item, e->quantity, got,
                     e->value, d, e->tol);
        size_t q = quantity_index(e->quantity);
        if (d > worst[m][q])
            worst[m][q] = d;
        checked++;
    }
    return checked;
}

/* Each distinct configuration of `case_name` in the expected file. */
static size_t check_case(const fixture *f, const char *case_name)
{
    size_t checked = 0;
    for (size_t r = 0; r < n_exp; r++) {
        const expected *e = &exp_rows[r];
        bool first = strcmp(e->case_name, case_name) == 0;
        for (size_t p = 0; first && p < r; p++)
            if (strcmp(exp_rows[p].case_name, case_name) == 0 &&
                strcmp(exp_rows[p].method, e->method) == 0 &&
                exp_rows[p].level == e->level && exp_rows[p].per == e->per)
                first = false;
        if (first)
            checked += check_config(f, e);
    }
    return checked;
}

static void print_worst(void)
{
    for (int m = 0; m < 2; m++) {
        printf("[ smooth   ] worst rel. error vs R, %s:",
               percap_smooth_method_name((percap_smooth_method)m));
        for (size_t q = 0; q < N_QUANTITIES; q++)
            printf(" %s %.2g", quantities[q], worst[m][q]);
        printf("\n");
    }
}

static void synthetic_cases_match_r(void **state)
{
    static const char *const cases[] = {"overdisp", "equal",    "underdisp", "allzero",
                                        "one",      "moderate", "huge",      "nearpoisson"};
    size_t checked = 0;
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fixture f = make_case(cases[c]);
        size_t k = check_case(&f, cases[c]);
        if (k == 0)
            fail_msg("no expected rows for case %s", cases[c]);
        checked += k;
        test_areas_free(&f);
    }
    assert_true(checked > 300);
}

static void shipped_data_matches_r(void **state)
{
    (void)state;
    fixture f = test_areas_shipped(false);
    assert_int_equal(check_case(&f, "shipped"), 2 * (85 * 4 + 5) + 1);
    test_areas_free(&f);
    print_worst();
}

/* ---- edge cases without R --------------------------------------------------- */

/* The boundary flags that the R rows state as numbers, stated as such:
 * which cases are at the boundary under each method. */
static void boundary_is_reported(void **state)
{
    static const struct {
        const char *name;
        bool marshall, ck;
    } cases[] = {{"overdisp", false, false}, {"equal", true, true},  {"underdisp", true, true},
                 {"allzero", true, true},    {"one", true, true},    {"nearpoisson", false, false}};
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fixture f = make_case(cases[c].name);
        percap_smoothed out[MAX_AREAS];
        percap_smooth_summary s;
        percap_error err;
        for (int m = 0; m < 2; m++) {
            bool want = m == 0 ? cases[c].marshall : cases[c].ck;
            assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)m, 0.95, 1e5,
                                                out, &s, &err), PERCAP_OK, err);
            if (s.at_boundary != want || !s.converged)
                fail_msg("%s %s: at_boundary %d converged %d", cases[c].name,
                         percap_smooth_method_name((percap_smooth_method)m), s.at_boundary,
                         s.converged);
            if (want && (s.prior_var != 0.0 || !isinf(s.shape) || !isinf(s.rate_param) ||
                         s.iterations != 0))
                fail_msg("%s: boundary summary not a point mass", cases[c].name);
            for (size_t i = 0; want && i < f.areas->n; i++)
                assert_true(out[i].shrinkage == 1.0);
        }
        test_areas_free(&f);
    }
}

/* One area: the smoothed rate is its own rate, the interval its own
 * Garwood interval (27 deaths: qgamma(0.025, 27) = 17.793...). */
static void one_area_keeps_its_rate(void **state)
{
    const double d[] = {27}, p[] = {12717};
    fixture f = make_plain(1, d, p);
    percap_smoothed out[1];
    percap_error err;
    (void)state;
    for (int m = 0; m < 2; m++) {
        assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)m, 0.95, 1e5, out,
                                            NULL, &err), PERCAP_OK, err);
        assert_true(fabs(out[0].rate - 27e5 / 12717) <= 1e-12 * out[0].rate);
        assert_true(out[0].low < out[0].rate && out[0].rate < out[0].high);
    }
    test_areas_free(&f);
}

static void check_invariants(const fixture *f, percap_smooth_method m, double per)
{
    percap_smoothed out[MAX_AREAS];
    percap_smooth_summary s;
    percap_error err;
    assert_status(percap_smooth_compute(f->areas, m, 0.95, per, out, &s, &err), PERCAP_OK, err);
    for (size_t i = 0; i < f->areas->n; i++) {
        const percap_area *a = &f->areas->rows[i];
        double raw = a->deaths / a->population * per;
        double mix = out[i].shrinkage * s.prior_mean * per + (1 - out[i].shrinkage) * raw;
        if (!(out[i].low <= out[i].rate && out[i].rate <= out[i].high))
            fail_msg("%s: limits %g, %g around %g", percap_areas_code(f->areas, i), out[i].low,
                     out[i].high, out[i].rate);
        if (!(out[i].shrinkage >= 0 && out[i].shrinkage <= 1))
            fail_msg("%s: shrinkage %g", percap_areas_code(f->areas, i), out[i].shrinkage);
        if (!(fabs(out[i].rate - mix) <= 1e-12 * fmax(out[i].rate, raw)))
            fail_msg("%s: rate %.17g is not the weighted mean %.17g",
                     percap_areas_code(f->areas, i), out[i].rate, mix);
        for (size_t j = 0; j < f->areas->n; j++)
            if (f->areas->rows[j].population < a->population &&
                !(out[j].shrinkage >= out[i].shrinkage))
                fail_msg("%s is smaller than %s but shrunk less",
                         percap_areas_code(f->areas, j), percap_areas_code(f->areas, i));
    }
}

static void invariants_hold(void **state)
{
    static const char *const cases[] = {"overdisp", "equal", "moderate", "huge", "nearpoisson"};
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fixture f = make_case(cases[c]);
        check_invariants(&f, PERCAP_SMOOTH_MARSHALL, 1e5);
        check_invariants(&f, PERCAP_SMOOTH_CLAYTON_KALDOR, 1e5);
        test_areas_free(&f);
    }
    fixture f = test_areas_shipped(false);
    check_invariants(&f, PERCAP_SMOOTH_MARSHALL, 1e5);
    check_invariants(&f, PERCAP_SMOOTH_CLAYTON_KALDOR, 1);
    test_areas_free(&f);
}

/* Nenets and Chukotka, the two smallest denominators, are the most shrunk
 * and end up below their raw rates (both are far above the mean). */
static void small_regions_shrink_most(void **state)
{
    fixture f = test_areas_shipped(false);
    percap_smoothed out[MAX_AREAS];
    percap_error err;
    long nen = find_code(f.areas, "RU-NEN"), chu = find_code(f.areas, "RU-CHU");
    (void)state;
    assert_true(nen >= 0 && chu >= 0);
    for (int m = 0; m < 2; m++) {
        assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)m, 0.95, 1e5, out,
                                            NULL, &err), PERCAP_OK, err);
        for (size_t i = 0; i < f.areas->n; i++)
            if ((long)i != nen && (long)i != chu)
                assert_true(out[i].shrinkage < out[chu].shrinkage);
        assert_true(out[chu].shrinkage < out[nen].shrinkage);
        assert_true(out[nen].rate < 27e5 / 12717.0);
        assert_true(out[chu].rate < 23e5 / 16138.0);
    }
    test_areas_free(&f);
}

/* Reversing the areas reverses the results; a covariate, even all NaN,
 * changes nothing. */
static void order_and_covariates_do_not_matter(void **state)
{
    fixture f = make_case("overdisp");
    size_t n = f.areas->n, col;
    double d[MAX_AREAS], p[MAX_AREAS];
    percap_smoothed a[MAX_AREAS], b[MAX_AREAS];
    percap_error err;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        d[i] = f.areas->rows[n - 1 - i].deaths;
        p[i] = f.areas->rows[n - 1 - i].population;
    }
    fixture r = make_plain(n, d, p);
    assert_status(percap_areas_add_covariate(r.areas, "poverty", &col, &err), PERCAP_OK, err);
    for (int m = 0; m < 2; m++) {
        assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)m, 0.9, 1e5, a, NULL,
                                            &err), PERCAP_OK, err);
        assert_status(percap_smooth_compute(r.areas, (percap_smooth_method)m, 0.9, 1e5, b, NULL,
                                            &err), PERCAP_OK, err);
        for (size_t i = 0; i < n; i++) {
            const percap_smoothed *x = &a[i], *y = &b[n - 1 - i];
            if (!(fabs(x->rate - y->rate) <= 1e-10 * x->rate &&
                  fabs(x->low - y->low) <= 1e-10 * x->low &&
                  fabs(x->high - y->high) <= 1e-10 * x->high &&
                  fabs(x->shrinkage - y->shrinkage) <= 1e-10 * x->shrinkage))
                fail_msg("area %zu differs after reordering", i);
        }
    }
    test_areas_free(&r);
    test_areas_free(&f);
}

/* The summary is optional and the results do not depend on it. */
static void summary_may_be_null(void **state)
{
    fixture f = make_case("moderate");
    percap_smoothed a[MAX_AREAS], b[MAX_AREAS];
    percap_smooth_summary s;
    percap_error err;
    (void)state;
    assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_CLAYTON_KALDOR, 0.95, 1e5, a, &s,
                                        &err), PERCAP_OK, err);
    assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_CLAYTON_KALDOR, 0.95, 1e5, b,
                                        NULL, &err), PERCAP_OK, err);
    assert_memory_equal(a, b, f.areas->n * sizeof a[0]);
    assert_true(s.iterations > 0 && s.converged && !s.at_boundary);
    test_areas_free(&f);
}

static void method_names_round_trip(void **state)
{
    percap_smooth_method m = PERCAP_SMOOTH_CLAYTON_KALDOR;
    (void)state;
    assert_int_equal(percap_smooth_method_parse("marshall", &m), 0);
    assert_int_equal(m, PERCAP_SMOOTH_MARSHALL);
    assert_int_equal(percap_smooth_method_parse("clayton-kaldor", &m), 0);
    assert_int_equal(m, PERCAP_SMOOTH_CLAYTON_KALDOR);
    assert_int_equal(percap_smooth_method_parse("marshall", NULL), 0);
    assert_int_equal(percap_smooth_method_parse("Marshall", &m), -1);
    assert_int_equal(percap_smooth_method_parse("clayton_kaldor", &m), -1);
    assert_int_equal(percap_smooth_method_parse("", &m), -1);
    assert_int_equal(percap_smooth_method_parse(NULL, &m), -1);
    assert_int_equal(m, PERCAP_SMOOTH_CLAYTON_KALDOR);
    assert_string_equal(percap_smooth_method_name(PERCAP_SMOOTH_MARSHALL), "marshall");
    assert_string_equal(percap_smooth_method_name(PERCAP_SMOOTH_CLAYTON_KALDOR),
                        "clayton-kaldor");
    assert_string_equal(percap_smooth_method_name((percap_smooth_method)7), "unknown");
}

static void bad_arguments_are_usage_errors(void **state)
{
    const double d[] = {5, 10}, p[] = {1000, 3000};
    const double levels[] = {0, 1, -0.5, 1.5, NAN};
    const double pers[] = {0, -1, INFINITY, NAN};
    fixture f = make_plain(2, d, p);
    percap_smoothed out[2];
    percap_error err;
    (void)state;
    percap_error_clear(&err);
    assert_status(percap_smooth_compute(NULL, PERCAP_SMOOTH_MARSHALL, 0.95, 1e5, out, NULL,
                                        &err), PERCAP_EUSAGE, err);
    assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_MARSHALL, 0.95, 1e5, NULL, NULL,
                                        &err), PERCAP_EUSAGE, err);
    assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)2, 0.95, 1e5, out, NULL,
                                        &err), PERCAP_EUSAGE, err);
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_CLAYTON_KALDOR, levels[i], 1e5,
                                            out, NULL, &err), PERCAP_EUSAGE, err);
    for (size_t i = 0; i < sizeof pers / sizeof pers[0]; i++)
        assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_MARSHALL, 0.95, pers[i], out,
                                            NULL, &err), PERCAP_EUSAGE, err);
    /* err may be NULL */
    assert_int_equal(percap_smooth_compute(f.areas, PERCAP_SMOOTH_MARSHALL, 0, 1e5, out, NULL,
                                           NULL), PERCAP_EUSAGE);
    test_areas_free(&f);
}

static void bad_data_is_a_data_error(void **state)
{
    static const struct {
        double deaths, population;
    } bad[] = {{-1, 1000},  {2.5, 1000}, {NAN, 1000},  {INFINITY, 1000}, {3, 0},
               {3, -1000}, {3, NAN},    {3, INFINITY}};
    (void)state;
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        const double d[] = {5, bad[b].deaths}, p[] = {1000, bad[b].population};
        fixture f = make_plain(2, d, p);
        percap_smoothed out[2];
        percap_error err;
        for (int m = 0; m < 2; m++) {
            percap_error_clear(&err);
            assert_status(percap_smooth_compute(f.areas, (percap_smooth_method)m, 0.95, 1e5, out,
                                                NULL, &err), PERCAP_EDATA, err);
            if (strstr(err.message, "BB") == NULL)
                fail_msg("message does not name the area: %s", err.message);
        }
        test_areas_free(&f);
    }
}

static void no_areas_and_overflowing_totals(void **state)
{
    const double d[] = {1, 1}, p[] = {1e308, 1e308};
    fixture f = make_plain(2, d, p);
    percap_areas *empty = percap_areas_alloc(f.reg, 0);
    percap_smoothed out[2];
    percap_error err;
    (void)state;
    assert_non_null(empty);
    assert_status(percap_smooth_compute(empty, PERCAP_SMOOTH_MARSHALL, 0.95, 1e5, out, NULL,
                                        &err), PERCAP_EDATA, err);
    assert_status(percap_smooth_compute(f.areas, PERCAP_SMOOTH_CLAYTON_KALDOR, 0.95, 1e5, out,
                                        NULL, &err), PERCAP_EDATA, err);
    percap_areas_free(empty);
    test_areas_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(synthetic_cases_match_r),
        cmocka_unit_test(shipped_data_matches_r),
        cmocka_unit_test(boundary_is_reported),
        cmocka_unit_test(one_area_keeps_its_rate),
        cmocka_unit_test(invariants_hold),
        cmocka_unit_test(small_regions_shrink_most),
        cmocka_unit_test(order_and_covariates_do_not_matter),
        cmocka_unit_test(summary_may_be_null),
        cmocka_unit_test(method_names_round_trip),
        cmocka_unit_test(bad_arguments_are_usage_errors),
        cmocka_unit_test(bad_data_is_a_data_error),
        cmocka_unit_test(no_areas_and_overflowing_totals),
    };
    return cmocka_run_group_tests(tests, load_files, NULL);
}
