/* Tests of percap/rank_intervals.h: simulated rank intervals and the
 * confidence sets for ranks of Mogstad, Romano, Shaikh and Wilhelm.
 *
 * Where the expected numbers come from:
 *
 *  - tests/data/rank_intervals_expected.csv, written by
 *    tests/data/rank_intervals_expected.R: the same posterior simulation in
 *    R (rgamma, 10^6 draws, R's own ranking and the same type-1 quantile
 *    rule) for the 85 shipped regions (deaths_2023-04-12.csv over
 *    men_16_61_2021 of region_stats.csv) and three made-up tables. The C
 *    code's 10^4 draws from another generator must agree within one rank
 *    (median, low, high) and 0.02 (p_top), a few Monte Carlo standard
 *    errors.
 *
 *  - tests/data/rank_intervals_csranks.csv, written by
 *    tests/data/rank_intervals_csranks.R: an independent plain-R version
 *    of the single-step csranks sets (integrate() + uniroot() for the
 *    exact marginal critical values, a 10^6-draw parametric bootstrap for
 *    simultaneous ones, or the exact range distribution where all
 *    standard errors are equal). Exact critical values must agree to
 *    1e-8 relative (both sides solve to ~1e-11), bootstrapped ones within
 *    MC_CRIT_TOL; the integer bounds must be identical wherever R's
 *    `margin` (distance of c from the nearest normalised gap) exceeds that
 *    uncertainty.
 *
 *  - the documented algorithms written out plainly in this file (qsort
 *    per draw, every pair of the bootstrap maximum, R's type-7 formula)
 *    on GSL's generator seeded as documented (for the simulation: 64
 *    blocks of draws, each from its own MT19937 seeded by splitmix64,
 *    all on one thread): the library's radix sort, threads, blocked
 *    counting and pruned maximum must reproduce them bit for bit.
 *
 *  - by reasoning, stated at each test: tables whose rank distribution is
 *    known exactly (all rates equal: uniform ranks; rates far apart: fixed
 *    ranks; one area; two areas, where c = qnorm(0.975)), and invariants
 *    (sum of p_top = top, simultaneous sets contain marginal ones). */
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

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "percap/join.h"
#include "percap/rank_intervals.h"
#include "percap/regions.h"
#include "percap/table.h"

/* Bootstrap draws for the simultaneous comparisons, and the tolerance on
 * their critical value: the 95% quantile of the maximum has a density of
 * ~0.15 there, so 10^5 draws leave a standard error of ~0.005 in c, and
 * R's 10^6 draws ~0.0015; 0.03 is five standard errors of the difference. */
#define MC_BOOT 100000
#define MC_CRIT_TOL 0.03
#define EXACT_CRIT_RTOL 1e-8
#define EXACT_MARGIN 1e-6

#define assert_status(got, want, err)                                                    \
    do {                                                                                 \
        percap_status g_ = (got);                                                        \
        if (g_ != (want))                                                                \
            fail_msg("status %d (%s), expected %d; message: %s", (int)g_,                \
                     percap_status_name(g_), (int)(want), (err).message);                \
    } while (0)

#define assert_contains(hay, needle)                                                     \
    do {                                                                                 \
        const char *h_ = (hay), *n_ = (needle);                                          \
        if (!strstr(h_, n_))                                                             \
            fail_msg("expected \"%s\" in \"%s\"", n_, h_);                               \
    } while (0)

/* ---- fixtures ----------------------------------------------------------- */

typedef struct fixture {
    percap_registry *reg;
    percap_areas *areas;
} fixture;

static fixture make_named(size_t n, const char *const *codes, const double *deaths,
                          const double *population)
{
    fixture f = {percap_registry_alloc(), NULL};
    assert_non_null(f.reg);
    for (size_t i = 0; i < n; i++) {
        char code[32], name[48];
        if (codes)
            snprintf(code, sizeof code, "%s", codes[i]);
        else
            snprintf(code, sizeof code, "A%zu", i);
        snprintf(name, sizeof name, "Area %s", code);
        assert_int_equal(percap_registry_add(f.reg, code, name, NULL, NULL), PERCAP_OK);
    }
    f.areas = percap_areas_alloc(f.reg, n);
    assert_non_null(f.areas);
    for (size_t i = 0; i < n; i++) {
        f.areas->rows[i].region = i;
        f.areas->rows[i].deaths = deaths[i];
        f.areas->rows[i].population = population[i];
    }
    return f;
}

static fixture make(size_t n, const double *deaths, const double *population)
{
    return make_named(n, NULL, deaths, population);
}

static void unmake(fixture *f)
{
    percap_areas_free(f->areas);
    percap_registry_free(f->reg);
}

/* The 85 regions through the library's own loading path, as `percap
 * rates` reads them. */
static fixture shipped(void)
{
    percap_error err;
    percap_error_clear(&err);
    fixture f = {percap_registry_load(PERCAP_SOURCE_DIR "/datasets/regions.csv", NULL, &err),
                 NULL};
    if (!f.reg)
        fail_msg("registry: %s", err.message);
    percap_table *pop =
        percap_table_read(PERCAP_SOURCE_DIR "/datasets/region_stats.csv", NULL, &err);
    percap_table *deaths =
        percap_table_read(PERCAP_SOURCE_DIR "/datasets/deaths_2023-04-12.csv", NULL, &err);
    if (!pop || !deaths)
        fail_msg("datasets: %s", err.message);
    percap_join_options o = {0};
    assert_status(percap_join_denominators(f.reg, pop, "men_16_61_2021", &o, &f.areas, NULL,
                                           &err),
                  PERCAP_OK, err);
    assert_status(percap_join_counts(f.areas, deaths, "deaths", &o, NULL, &err), PERCAP_OK,
                  err);
    percap_table_free(pop);
    percap_table_free(deaths);
    assert_int_equal(f.areas->n, 85);
    return f;
}

/* ---- reading the reference CSVs ------------------------------------------ */

#define MAX_ROWS 256
#define MAX_FIELDS 16

typedef struct csv_row {
    char text[MAX_FIELDS][32];
    double num[MAX_FIELDS];
} csv_row;

/* Plain comma-separated lines without quotes, as the R scripts write
 * them; returns the number of data rows. */
static size_t read_csv(const char *path, csv_row *rows, size_t nfields)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s", path);
    char line[1024];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, fp)); /* header */
    while (fgets(line, sizeof line, fp)) {
        assert_true(n < MAX_ROWS);
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        for (size_t k = 0; k < nfields; k++) {
            char *comma = strchr(p, ',');
            if (!comma && k + 1 < nfields)
                fail_msg("%s: row %zu has too few fields", path, n + 2);
            if (comma)
                *comma = '\0';
            size_t len = strlen(p);
            if (len >= sizeof rows[n].text[k])
                fail_msg("%s: field '%s' is too long", path, p);
            memcpy(rows[n].text[k], p, len + 1);
            char *end;
            rows[n].num[k] = strtod(p, &end);
            if (end == p || *end)
                rows[n].num[k] = NAN;
            p = comma ? comma + 1 : p + strlen(p);
        }
        n++;
    }
    fclose(fp);
    return n;
}

/* rank_intervals_expected.csv */
enum { S_CASE, S_CODE, S_DEATHS, S_POP, S_LEVEL, S_TOP, S_MEDIAN, S_LOW, S_HIGH, S_PTOP,
       S_FIELDS };
/* rank_intervals_csranks.csv */
enum { C_CASE, C_TYPE, C_LEVEL, C_CODE, C_DEATHS, C_POP, C_CRIT, C_EXACT, C_RANK, C_LOW,
       C_HIGH, C_MARGIN, C_FIELDS };

static csv_row g_sim[MAX_ROWS], g_cs[MAX_ROWS];
static size_t g_nsim, g_ncs;

static int group_setup(void **state)
{
    (void)state;
    g_nsim = read_csv(PERCAP_TEST_DATA "/rank_intervals_expected.csv", g_sim, S_FIELDS);
    g_ncs = read_csv(PERCAP_TEST_DATA "/rank_intervals_csranks.csv", g_cs, C_FIELDS);
    return g_nsim > 0 && g_ncs > 0 ? 0 : -1;
}

/* Rows of one case (and type, for csranks) into `idx`; returns how many. */
static size_t select_rows(const csv_row *rows, size_t n, size_t case_col, const char *name,
                          long type_col, const char *type, size_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].text[case_col], name) == 0 &&
            (type_col < 0 || strcmp(rows[i].text[type_col], type) == 0))
            idx[m++] = i;
    return m;
}

/* The areas of a case: the shipped table checked against the CSV's
 * deaths and denominators, or a made-up one built from them. `map[r]`
 * is the area row of CSV row idx[r]. */
static fixture case_areas(const csv_row *rows, const size_t *idx, size_t m, size_t code_col,
                          size_t deaths_col, size_t pop_col, bool is_shipped, size_t *map)
{
    fixture f;
    if (is_shipped) {
        f = shipped();
        assert_int_equal(m, f.areas->n);
        for (size_t r = 0; r < m; r++) {
            long row = -1;
            for (size_t i = 0; i < f.areas->n; i++)
                if (strcmp(percap_areas_code(f.areas, i), rows[idx[r]].text[code_col]) == 0)
                    row = (long)i;
            if (row < 0)
                fail_msg("region %s of the CSV is not in the shipped data",
                         rows[idx[r]].text[code_col]);
            assert_true(f.areas->rows[row].deaths == rows[idx[r]].num[deaths_col]);
            assert_true(f.areas->rows[row].population == rows[idx[r]].num[pop_col]);
            map[r] = (size_t)row;
        }
        return f;
    }
    const char *codes[MAX_ROWS];
    double d[MAX_ROWS], p[MAX_ROWS];
    for (size_t r = 0; r < m; r++) {
        codes[r] = rows[idx[r]].text[code_col];
        d[r] = rows[idx[r]].num[deaths_col];
        p[r] = rows[idx[r]].num[pop_col];
        map[r] = r;
    }
    return make_named(m, codes, d, p);
}

/* ---- simulation against R ------------------------------------------------ */

typedef struct sim_diff {
    double median, low, high, p_top;
} sim_diff;

static sim_diff compare_sim_case(const char *name, const percap_rank_sim_options *base)
{
    size_t idx[MAX_ROWS], map[MAX_ROWS];
    size_t m = select_rows(g_sim, g_nsim, S_CASE, name, -1, NULL, idx);
    assert_true(m > 0);
    fixture f = case_areas(g_sim, idx, m, S_CODE, S_DEATHS, S_POP,
                           strcmp(name, "shipped") == 0, map);
    percap_rank_sim_options o = *base;
    o.level = g_sim[idx[0]].num[S_LEVEL];
    o.top = (size_t)g_sim[idx[0]].num[S_TOP];
    percap_rank_interval out[MAX_ROWS];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_simulate(f.areas, &o, out, &err), PERCAP_OK, err);
    sim_diff worst = {0, 0, 0, 0};
    for (size_t r = 0; r < m; r++) {
        const csv_row *e = &g_sim[idx[r]];
        const percap_rank_interval *g = &out[map[r]];
        sim_diff d = {fabs(g->median - e->num[S_MEDIAN]), fabs(g->low - e->num[S_LOW]),
                      fabs(g->high - e->num[S_HIGH]), fabs(g->p_top - e->num[S_PTOP])};
        if (d.median > 1 || d.low > 1 || d.high > 1 || d.p_top > 0.02)
            fail_msg("%s %s: median %g [%g, %g] p_top %.4f; R: %g [%g, %g] %.4f", name,
                     e->text[S_CODE], g->median, g->low, g->high, g->p_top,
                     e->num[S_MEDIAN], e->num[S_LOW], e->num[S_HIGH], e->num[S_PTOP]);
        worst.median = fmax(worst.median, d.median);
        worst.low = fmax(worst.low, d.low);
        worst.high = fmax(worst.high, d.high);
        worst.p_top = fmax(worst.p_top, d.p_top);
    }
    unmake(&f);
    print_message("simulation %-8s vs R: max |diff| median %g low %g high %g p_top %.4f\n",
                  name, worst.median, worst.low, worst.high, worst.p_top);
    return worst;
}

/* Default options (10^4 draws, the default seed) against R's 10^6 draws. */
static void test_sim_matches_r_shipped(void **state)
{
    (void)state;
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    compare_sim_case("shipped", &o);
}

/* The made-up tables: 0 deaths, 10^6 deaths, level 0.9, top 2; the
 * uniform case; one area. */
static void test_sim_matches_r_synthetic(void **state)
{
    (void)state;
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    compare_sim_case("small", &o);
    compare_sim_case("equal", &o);
    compare_sim_case("one", &o);
}

/* The comparison is sharp enough to notice a wrong model: treating the
 * scale as a rate (or ranking lowest first) would move the shipped
 * intervals by far more than a rank. Here the seed changes and the
 * answer must still agree, so the agreement is not a lucky stream. */
static void test_sim_matches_r_other_seed(void **state)
{
    (void)state;
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.seed = 7;
    o.draws = 20000;
    compare_sim_case("shipped", &o);
    compare_sim_case("small", &o);
}

/* ---- simulation: known answers and invariants ----------------------------- */

static void run_sim(const percap_areas *a, const percap_rank_sim_options *o,
                    percap_rank_interval *out)
{
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_simulate(a, o, out, &err), PERCAP_OK, err);
}

/* All areas alike: each rank equally likely, so with n = 5 and top = 1
 * every p_top is 1/5 within Monte Carlo error (sd 0.004 at 10^4 draws),
 * the median is the smallest r with r/5 >= 1/2, i.e. 3, and the 95%
 * interval is [1, 5]. (With an even n the median would sit exactly on a
 * step of the distribution and be 2 or 3 by chance.) */
static void test_sim_all_equal_is_uniform(void **state)
{
    (void)state;
    const double d[] = {30, 30, 30, 30, 30}, p[] = {1e4, 1e4, 1e4, 1e4, 1e4};
    fixture f = make(5, d, p);
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.top = 1;
    percap_rank_interval out[5];
    run_sim(f.areas, &o, out);
    for (size_t i = 0; i < 5; i++) {
        assert_true(out[i].median == 3);
        assert_true(out[i].low == 1);
        assert_true(out[i].high == 5);
        assert_true(fabs(out[i].p_top - 0.2) < 0.02);
    }
    unmake(&f);
}

/* Rates 10^0.1 apart with 10^6 deaths each (posterior sd 0.1%) never swap
 * places, so every draw ranks them the same: the intervals collapse on
 * the true rank and p_top is exactly 0 or 1. The rates span 30 orders of
 * magnitude and the rows are shuffled, so every byte of the sort keys
 * (exponent included) decides some comparisons. */
static void test_sim_separated_rates_are_ranked_exactly(void **state)
{
    (void)state;
    enum { N = 300 };
    double d[N], p[N];
    size_t rank_of[N];
    for (size_t i = 0; i < N; i++) {
        size_t r = (i * 7) % N;  /* 7 is prime to 300: a permutation */
        d[i] = 1e6;
        p[i] = pow(10.0, 3.0 + 0.1 * (double)r);
        rank_of[i] = r + 1;      /* bigger denominator, lower rate */
    }
    fixture f = make(N, d, p);
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.draws = 200;
    o.top = 17;
    percap_rank_interval out[N];
    run_sim(f.areas, &o, out);
    for (size_t i = 0; i < N; i++) {
        double r = (double)rank_of[i];
        if (out[i].median != r || out[i].low != r || out[i].high != r)
            fail_msg("row %zu: rank %g [%g, %g], expected %g", i, out[i].median, out[i].low,
                     out[i].high, r);
        assert_true(out[i].p_top == (rank_of[i] <= 17 ? 1.0 : 0.0));
    }
    unmake(&f);
}

/* Each draw puts exactly `top` areas in the top, so the p_top sum to top
 * (n when top > n, where every p_top is 1); and low <= median <= high. */
static void test_sim_p_top_sums_to_top(void **state)
{
    (void)state;
    fixture f = shipped();
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.draws = 3000;
    percap_rank_interval out[85];
    const size_t tops[] = {1, 10, 85, 1000};
    for (size_t t = 0; t < sizeof tops / sizeof tops[0]; t++) {
        o.top = tops[t];
        run_sim(f.areas, &o, out);
        double sum = 0;
        for (size_t i = 0; i < 85; i++) {
            sum += out[i].p_top;
            assert_true(out[i].low <= out[i].median && out[i].median <= out[i].high);
            assert_true(out[i].low >= 1 && out[i].high <= 85);
            if (tops[t] >= 85)
                assert_true(out[i].p_top == 1.0);
        }
        double want = (double)(tops[t] < 85 ? tops[t] : 85);
        if (fabs(sum - want) > 1e-9)
            fail_msg("top %zu: p_top sums to %.12g", tops[t], sum);
    }
    unmake(&f);
}

/* One area is always first. */
static void test_sim_one_area(void **state)
{
    (void)state;
    const double d[] = {0}, p[] = {10};
    fixture f = make(1, d, p);
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    percap_rank_interval out[1];
    run_sim(f.areas, &o, out);
    assert_true(out[0].median == 1 && out[0].low == 1 && out[0].high == 1);
    assert_true(out[0].p_top == 1);
    unmake(&f);
}

/* Huge counts next to zero counts: 10^7 deaths in 10^8 (rate 0.1) is
 * always first, 2 * 10^7 in 10^9 (0.02) always second; 0 deaths in
 * 10^9 and in 10^10 trail, each 3rd or 4th, the smaller denominator
 * ahead with probability P(G1 / 10^9 > G2 / 10^10) for independent
 * Gamma(1/2)s, i.e. P(F(1,1) > 1/10) = 2/pi atan(sqrt(10)) = 0.805. */
static void test_sim_huge_and_zero_counts(void **state)
{
    (void)state;
    const double d[] = {0, 1e7, 0, 2e7}, p[] = {1e10, 1e8, 1e9, 1e9};
    fixture f = make(4, d, p);
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.top = 3;
    percap_rank_interval out[4];
    run_sim(f.areas, &o, out);
    assert_true(out[1].median == 1 && out[1].low == 1 && out[1].high == 1);
    assert_true(out[3].median == 2 && out[3].low == 2 && out[3].high == 2);
    assert_true(out[0].low == 3 && out[0].high == 4 && out[2].low == 3 && out[2].high == 4);
    double p3 = 2.0 / acos(-1.0) * atan(sqrt(10.0));
    if (fabs(out[2].p_top - p3) > 0.02 || fabs(out[0].p_top - (1 - p3)) > 0.02)
        fail_msg("p_top %g and %g, expected %g and %g", out[2].p_top, out[0].p_top, p3,
                 1 - p3);
    unmake(&f);
}

/* ---- simulation: the documented algorithm, written out plainly ------------ */

/* The header promises exactly which numbers are drawn: 64 blocks of
 * draws, block k the next floor(draws / 64) + (k < draws mod 64) draws
 * of its own gsl_rng_mt19937, seeded with the low 32 bits of output
 * k + 1 of splitmix64 started at `seed`; each draw gsl_ran_gamma(deaths
 * + 1/2, 1/population) with areas in row order, ranks with ties to the
 * earlier row, and type-1 quantiles. Here that is done the slow way, on
 * one thread (splitmix64 stepped as a generator, qsort on each draw, a
 * rank per area counted as it comes), and the library must agree bit
 * for bit, on however many threads it runs. The table mixes near-ties
 * that only the last bits of the keys separate (10^12 deaths: posterior
 * sd 1e-6 of the rate), zero counts and ordinary ones; with 200 draws
 * (blocks of 4 and 3) the quantile targets 5, 100 and 195 are whole
 * numbers, so cumulative counts landing exactly on them test the ">="
 * of the rule. */
#define BF_BLOCKS 64

/* splitmix64 as Steele, Lea and Flood give it (and Vigna's reference
 * code): advance the state by the golden gamma, then mix. */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The generator above is splitmix64 itself, not a look-alike: from state
 * 0 it gives the first outputs of Vigna's reference splitmix64.c
 * (prng.di.unimi.it), the values xoshiro's seeding examples publish. */
static void test_sim_splitmix64_reference_outputs(void **state)
{
    (void)state;
    uint64_t mix_state = 0;
    assert_true(splitmix64_next(&mix_state) == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(splitmix64_next(&mix_state) == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(splitmix64_next(&mix_state) == UINT64_C(0x06c45d188009454f));
}

typedef struct bf_item {
    double rate;
    size_t row;
} bf_item;

static int bf_by_rate_desc(const void *pa, const void *pb)
{
    const bf_item *a = pa, *b = pb;
    if (a->rate != b->rate)
        return a->rate > b->rate ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* Also counts, in *exact, answers where the cumulative count equals the
 * target: there "> target" would give a worse rank. */
static double bf_quantile(const double *counts, size_t n, double target, size_t *exact)
{
    double cum = 0;
    for (size_t r = 0; r < n; r++)
        if ((cum += counts[r]) >= target) {
            *exact += cum == target;
            return (double)(r + 1);
        }
    return (double)n;
}

static void brute_force_sim(const percap_areas *a, const percap_rank_sim_options *o,
                            percap_rank_interval *out, size_t *exact)
{
    size_t n = a->n;
    double *counts = calloc(n * n, sizeof *counts);
    bf_item *items = malloc(n * sizeof *items);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_true(counts && items && rng);
    uint64_t mix_state = o->seed;
    size_t done = 0;
    for (size_t k = 0; k < BF_BLOCKS; k++) {
        gsl_rng_set(rng, (unsigned long)(splitmix64_next(&mix_state) & 0xffffffffu));
        size_t block = o->draws / BF_BLOCKS + (k < o->draws % BF_BLOCKS ? 1 : 0);
        for (size_t t = 0; t < block; t++, done++) {
            for (size_t i = 0; i < n; i++)
                items[i] = (bf_item){gsl_ran_gamma(rng, a->rows[i].deaths + 0.5,
                                                   1.0 / a->rows[i].population), i};
            qsort(items, n, sizeof *items, bf_by_rate_desc);
            for (size_t r = 0; r < n; r++)
                counts[items[r].row * n + r] += 1;
        }
    }
    assert_int_equal(done, o->draws);
    double draws = (double)o->draws, p_low = (1.0 - o->level) / 2.0;
    for (size_t i = 0; i < n; i++) {
        const double *row = counts + i * n;
        double in_top = 0;
        for (size_t r = 0; r < o->top && r < n; r++)
            in_top += row[r];
        out[i] = (percap_rank_interval){bf_quantile(row, n, 0.5 * draws, exact),
                                        bf_quantile(row, n, p_low * draws, exact),
                                        bf_quantile(row, n, (1.0 - p_low) * draws, exact),
                                        in_top / draws};
    }
    gsl_rng_free(rng);
    free(items);
    free(counts);
}

static void test_sim_matches_plain_algorithm(void **state)
{
    (void)state;
    enum { N = 60 };
    double d[N], p[N];
    for (size_t i = 0; i < N; i++) {
        if (i % 3 == 0) {        /* near-ties: rates 0.1 (1 + ~1e-6) */
            d[i] = 1e12;
            p[i] = 1e13;
        } else if (i % 3 == 1) { /* ordinary counts, overlapping */
            d[i] = (double)(i * 7 % 50);
            p[i] = 1e4 + 300.0 * (double)i;
        } else {                 /* zero counts */
            d[i] = 0;
            p[i] = 1e3 * (double)(i + 1);
        }
    }
    fixture f = make(N, d, p);
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.top = 25;
    /* 50 draws leave blocks 50..63 empty; the last seed sets every bit. */
    const struct { unsigned long seed; size_t draws; } runs[] = {
        {1, 200}, {2, 200}, {3, 200}, {ULONG_MAX, 50}};
    const size_t threads[] = {1, 2, 3, 0};
    percap_rank_interval got[N], want[N];
    size_t exact_steps = 0;
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        o.seed = runs[r].seed;
        o.draws = runs[r].draws;
        brute_force_sim(f.areas, &o, want, &exact_steps);
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            o.threads = threads[t];
            run_sim(f.areas, &o, got);
            for (size_t i = 0; i < N; i++)
                if (memcmp(&got[i], &want[i], sizeof got[i]) != 0)
                    fail_msg("seed %lu, %zu draws, threads %zu, row %zu: %g [%g, %g] %.17g; "
                             "plainly %g [%g, %g] %.17g", o.seed, o.draws, o.threads, i,
                             got[i].median, got[i].low, got[i].high, got[i].p_top,
                             want[i].median, want[i].low, want[i].high, want[i].p_top);
        }
    }
    assert_true(exact_steps > 0);
    unmake(&f);
}

/* ---- simulation: threads ------------------------------------------------------ */

static bool same_intervals(const percap_rank_interval *a, const percap_rank_interval *b,
                           size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* The number of threads decides only who makes which block of draws, so
 * forcing one thread and forcing many give the same bits: more threads
 * than cores, than blocks (64), or than blocks with draws in them (1 and
 * 5 draws), on the shipped table and on one of 600 areas, where a block
 * takes long enough for threads to run side by side. */
static void expect_same_on_any_threads(const percap_areas *a, percap_rank_sim_options o)
{
    size_t n = a->n;
    percap_rank_interval *one = malloc(n * sizeof *one), *many = malloc(n * sizeof *many);
    assert_true(one && many);
    o.threads = 1;
    run_sim(a, &o, one);
    const size_t threads[] = {2, 3, 4, 7, 64, 1000, 0};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        o.threads = threads[t];
        run_sim(a, &o, many);
        if (!same_intervals(one, many, n))
            fail_msg("%zu areas, %zu draws: %zu threads differ from one", n, o.draws,
                     threads[t]);
    }
    free(many);
    free(one);
}

static void test_sim_threads_do_not_change_results(void **state)
{
    (void)state;
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    fixture f = shipped();
    const size_t draws[] = {1, 5, 64, 3001};
    for (size_t d = 0; d < sizeof draws / sizeof draws[0]; d++) {
        o.draws = draws[d];
        expect_same_on_any_threads(f.areas, o);
    }
    unmake(&f);
    enum { N = 600 };
    double *deaths = malloc(N * sizeof *deaths), *pop = malloc(N * sizeof *pop);
    assert_true(deaths && pop);
    for (size_t i = 0; i < N; i++) {
        pop[i] = 1000.0 + (double)(i * 7919 % 100000);
        deaths[i] = (double)(i * 31 % 97);
    }
    f = make(N, deaths, pop);
    o.draws = 300;
    o.seed = 12345;
    expect_same_on_any_threads(f.areas, o);
    unmake(&f);
    free(pop);
    free(deaths);
}

/* ---- simulation: reproducibility ------------------------------------------- */

/* The same seed gives the same bits, whatever else has changed GSL's
 * generator defaults in between (what gsl_rng_env_setup would set from
 * GSL_RNG_TYPE and GSL_RNG_SEED); another seed gives other draws, also
 * one that differs only above the low 32 bits. */
static void test_sim_reproducible_from_seed(void **state)
{
    (void)state;
    fixture f = shipped();
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.draws = 2000;
    percap_rank_interval a[85], b[85], c[85];
    run_sim(f.areas, &o, a);
    const gsl_rng_type *saved = gsl_rng_default;
    gsl_rng_default = gsl_rng_taus;
    gsl_rng_default_seed = 999;
    run_sim(f.areas, &o, b);
    gsl_rng_default = saved;
    gsl_rng_default_seed = 0;
    assert_true(same_intervals(a, b, 85));
    o.seed = PERCAP_RANK_DEFAULT_SEED + 1;
    run_sim(f.areas, &o, c);
    assert_false(same_intervals(a, c, 85));
#if ULONG_MAX > 0xffffffffUL
    /* MT19937 keeps 32 bits of a seed; the mix in between uses all 64. */
    o.seed = PERCAP_RANK_DEFAULT_SEED + (1UL << 40);
    run_sim(f.areas, &o, c);
    assert_false(same_intervals(a, c, 85));
#endif
    unmake(&f);
}

static void test_sim_defaults(void **state)
{
    (void)state;
    percap_rank_sim_options o;
    memset(&o, 0xff, sizeof o);
    percap_rank_sim_options_default(&o);
    assert_int_equal(o.draws, 10000);
    assert_int_equal(o.seed, PERCAP_RANK_DEFAULT_SEED);
    assert_true(o.level == 0.95);
    assert_int_equal(o.top, 10);
    assert_int_equal(o.threads, 0);
}

/* ---- simulation: bad input ---------------------------------------------------- */

static void expect_sim_error(const percap_areas *a, const percap_rank_sim_options *o,
                             percap_rank_interval *out, percap_status want,
                             const char *message)
{
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_simulate(a, o, out, &err), want, err);
    assert_contains(err.message, message);
    /* and without an error record, the same status */
    assert_int_equal(percap_rank_intervals_simulate(a, o, out, NULL), want);
}

static void test_sim_bad_options(void **state)
{
    (void)state;
    const double d[] = {1, 2}, p[] = {100, 100};
    fixture f = make(2, d, p);
    percap_rank_interval out[2];
    percap_rank_sim_options o;
    percap_rank_sim_options_default(&o);
    o.draws = 0;
    expect_sim_error(f.areas, &o, out, PERCAP_EUSAGE, "draws");
#if SIZE_MAX > UINT32_MAX
    o.draws = (size_t)UINT32_MAX + 1;
    expect_sim_error(f.areas, &o, out, PERCAP_EUSAGE, "draws");
#endif
    percap_rank_sim_options_default(&o);
    const double levels[] = {0, 1, -0.5, 1.5, NAN};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        o.level = levels[i];
        expect_sim_error(f.areas, &o, out, PERCAP_EUSAGE, "level");
    }
    percap_rank_sim_options_default(&o);
    o.top = 0;
    expect_sim_error(f.areas, &o, out, PERCAP_EUSAGE, "top");
    percap_rank_sim_options_default(&o);
    expect_sim_error(f.areas, NULL, out, PERCAP_EUSAGE, "options");
    expect_sim_error(f.areas, &o, NULL, PERCAP_EUSAGE, "store");
    unmake(&f);
}

/* Counts that are not whole and >= 0, denominators that are not finite
 * and > 0, and empty tables are data errors naming the area. */
static void test_bad_areas_both_methods(void **state)
{
    (void)state;
    static const struct { double deaths, pop; const char *message; } bad[] = {
        {-1, 100, "whole number"},      {1.5, 100, "whole number"},
        {NAN, 100, "whole number"},     {INFINITY, 100, "whole number"},
        {1, 0, "denominator"},          {1, -5, "denominator"},
        {1, INFINITY, "denominator"},   {1, NAN, "denominator"},
    };
    percap_rank_sim_options so;
    percap_rank_sim_options_default(&so);
    percap_csranks_options co;
    percap_csranks_options_default(&co);
    percap_rank_interval out[2];
    double crit[2];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const double d[] = {3, bad[i].deaths}, p[] = {100, bad[i].pop};
        fixture f = make(2, d, p);
        percap_error err;
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_simulate(f.areas, &so, out, &err), PERCAP_EDATA,
                      err);
        assert_contains(err.message, bad[i].message);
        assert_contains(err.message, "A1");
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks(f.areas, &co, out, &err), PERCAP_EDATA,
                      err);
        assert_contains(err.message, bad[i].message);
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks_critical(f.areas, &co, crit, &err),
                      PERCAP_EDATA, err);
        unmake(&f);
    }
    fixture empty = make(0, NULL, NULL);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_simulate(empty.areas, &so, out, &err), PERCAP_EDATA,
                  err);
    assert_contains(err.message, "no areas");
    assert_status(percap_rank_intervals_csranks(empty.areas, &co, out, &err), PERCAP_EDATA,
                  err);
    assert_status(percap_rank_intervals_simulate(NULL, &so, out, &err), PERCAP_EDATA, err);
    assert_status(percap_rank_intervals_csranks(NULL, &co, out, &err), PERCAP_EDATA, err);
    unmake(&empty);
}

/* ---- csranks against R ------------------------------------------------------ */

static void compare_cs_case(const char *name, bool simultaneous)
{
    const char *type = simultaneous ? "simultaneous" : "marginal";
    size_t idx[MAX_ROWS], map[MAX_ROWS];
    size_t m = select_rows(g_cs, g_ncs, C_CASE, name, C_TYPE, type, idx);
    assert_true(m > 0);
    fixture f = case_areas(g_cs, idx, m, C_CODE, C_DEATHS, C_POP,
                           strcmp(name, "shipped") == 0, map);
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    o.level = g_cs[idx[0]].num[C_LEVEL];
    o.simultaneous = simultaneous;
    o.bootstrap = MC_BOOT;
    percap_rank_interval out[MAX_ROWS];
    double crit[MAX_ROWS];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_OK, err);
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, crit, &err), PERCAP_OK,
                  err);
    size_t checked = 0;
    double worst_crit = 0;
    for (size_t r = 0; r < m; r++) {
        const csv_row *e = &g_cs[idx[r]];
        size_t a = map[r];
        bool exact = !simultaneous;  /* the C side bootstraps every simultaneous c */
        double tol = exact ? EXACT_CRIT_RTOL * e->num[C_CRIT] : MC_CRIT_TOL;
        double dc = fabs(crit[a] - e->num[C_CRIT]);
        if (!(dc <= tol))
            fail_msg("%s %s %s: c = %.12g, R %.12g", name, type, e->text[C_CODE], crit[a],
                     e->num[C_CRIT]);
        worst_crit = fmax(worst_crit, exact ? dc / e->num[C_CRIT] : dc);
        if (out[a].median != e->num[C_RANK])
            fail_msg("%s %s: rank %g, R %g", name, e->text[C_CODE], out[a].median,
                     e->num[C_RANK]);
        assert_true(isnan(out[a].p_top));
        if (e->num[C_MARGIN] <= (exact ? EXACT_MARGIN : MC_CRIT_TOL))
            continue;
        checked++;
        if (out[a].low != e->num[C_LOW] || out[a].high != e->num[C_HIGH])
            fail_msg("%s %s %s: [%g, %g], R [%g, %g] (margin %g)", name, type,
                     e->text[C_CODE], out[a].low, out[a].high, e->num[C_LOW],
                     e->num[C_HIGH], e->num[C_MARGIN]);
    }
    print_message("csranks %-8s %-12s vs R: max %s error of c %.3g; bounds equal in %zu of "
                  "%zu areas (the rest within the tolerance of a boundary)\n",
                  name, type, simultaneous ? "absolute" : "relative", worst_crit, checked, m);
    /* Most areas must be far enough from a boundary to be checked at all. */
    assert_true(checked * 2 >= m);
    unmake(&f);
}

static void test_cs_marginal_matches_r(void **state)
{
    (void)state;
    compare_cs_case("shipped", false);
    compare_cs_case("small", false);
    compare_cs_case("equalse", false);
    compare_cs_case("two", false);
}

static void test_cs_simultaneous_matches_r(void **state)
{
    (void)state;
    compare_cs_case("shipped", true);
    compare_cs_case("small", true);
    compare_cs_case("equalse", true);
    compare_cs_case("two", true);
}

/* ---- csranks: known answers --------------------------------------------------- */

/* With two areas both maxima are |N(0,1)|: c = qnorm(0.975) =
 * 1.959963984540054 (R), exactly for the marginal sets. */
static void test_cs_two_areas_critical_value(void **state)
{
    (void)state;
    const double d[] = {10, 40}, p[] = {1000, 1500};
    fixture f = make(2, d, p);
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    o.simultaneous = false;
    double crit[2];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, crit, &err), PERCAP_OK,
                  err);
    for (size_t i = 0; i < 2; i++)
        if (fabs(crit[i] - 1.959963984540054) > 1e-9)
            fail_msg("c = %.15g", crit[i]);
    unmake(&f);
}

/* One area: the set is {1} and there is no critical value. */
static void test_cs_one_area(void **state)
{
    (void)state;
    const double d[] = {0}, p[] = {1};
    fixture f = make(1, d, p);
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    for (int simul = 0; simul < 2; simul++) {
        o.simultaneous = simul;
        percap_rank_interval out[1];
        double crit[1];
        percap_error err;
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_OK, err);
        assert_true(out[0].median == 1 && out[0].low == 1 && out[0].high == 1);
        assert_true(isnan(out[0].p_top));
        assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, crit, &err),
                      PERCAP_OK, err);
        assert_true(isnan(crit[0]));
    }
    unmake(&f);
}

/* Identical estimates: nothing is told apart, every set is [1, n], and
 * the estimates share the best rank. The 0-death version makes every
 * estimate log(0.5 / population). */
static void test_cs_all_equal(void **state)
{
    (void)state;
    const double d[][5] = {{50, 50, 50, 50, 50}, {0, 0, 0, 0, 0}};
    const double p[] = {1e5, 1e5, 1e5, 1e5, 1e5};
    for (size_t t = 0; t < 2; t++) {
        fixture f = make(5, d[t], p);
        percap_csranks_options o;
        percap_csranks_options_default(&o);
        for (int simul = 0; simul < 2; simul++) {
            o.simultaneous = simul;
            percap_rank_interval out[5];
            percap_error err;
            percap_error_clear(&err);
            assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_OK,
                          err);
            for (size_t i = 0; i < 5; i++)
                assert_true(out[i].median == 1 && out[i].low == 1 && out[i].high == 5);
        }
        unmake(&f);
    }
}

/* Rates far apart are told apart exactly, huge counts included. */
static void test_cs_separated_rates(void **state)
{
    (void)state;
    const double d[] = {1e7, 0, 5e6, 200}, p[] = {1e8, 1e9, 1e9, 1e4};
    fixture f = make(4, d, p);
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    const double want[] = {1, 4, 3, 2};
    for (int simul = 0; simul < 2; simul++) {
        o.simultaneous = simul;
        percap_rank_interval out[4];
        percap_error err;
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_OK, err);
        for (size_t i = 0; i < 4; i++)
            assert_true(out[i].median == want[i] && out[i].low == want[i] &&
                        out[i].high == want[i]);
    }
    unmake(&f);
}

/* Simultaneous sets contain the marginal ones, and both contain the
 * estimate's rank; a higher level never narrows a set. */
static void test_cs_nesting(void **state)
{
    (void)state;
    fixture f = shipped();
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    percap_rank_interval marg[85], simul[85], wide[85];
    percap_error err;
    percap_error_clear(&err);
    o.simultaneous = false;
    assert_status(percap_rank_intervals_csranks(f.areas, &o, marg, &err), PERCAP_OK, err);
    o.level = 0.99;
    assert_status(percap_rank_intervals_csranks(f.areas, &o, wide, &err), PERCAP_OK, err);
    o.level = 0.95;
    o.simultaneous = true;
    assert_status(percap_rank_intervals_csranks(f.areas, &o, simul, &err), PERCAP_OK, err);
    bool some_wider = false;
    for (size_t i = 0; i < 85; i++) {
        assert_true(marg[i].low <= marg[i].median && marg[i].median <= marg[i].high);
        assert_true(simul[i].low <= marg[i].low && simul[i].high >= marg[i].high);
        assert_true(wide[i].low <= marg[i].low && wide[i].high >= marg[i].high);
        some_wider |= simul[i].high - simul[i].low > marg[i].high - marg[i].low;
    }
    assert_true(some_wider);
    unmake(&f);
}

/* The simultaneous critical value as documented, done plainly: normals
 * from gsl_ran_gaussian_ziggurat on one gsl_rng_mt19937 seeded with
 * `seed`, areas in row order, the maximum over every pair, and R's type-7
 * quantile written as R's quantile.default has it (1-based index
 * 1 + (B - 1) p, weights 1 - h and h). Few draws make the quantile's
 * interpolation matter. */
static double plain_simultaneous_crit(const percap_areas *a, size_t draws, double level,
                                      unsigned long seed)
{
    size_t n = a->n;
    double *var = malloc(n * sizeof *var), *x = malloc(n * sizeof *x);
    double *stat = malloc(draws * sizeof *stat);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_true(var && x && stat && rng);
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++)
        var[i] = 1.0 / (a->rows[i].deaths + 0.5);
    for (size_t t = 0; t < draws; t++) {
        for (size_t i = 0; i < n; i++)
            x[i] = gsl_ran_gaussian_ziggurat(rng, 1.0) * sqrt(var[i]);
        stat[t] = 0;
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < n; k++)
                if (k != j)
                    stat[t] = fmax(stat[t], fabs(x[j] - x[k]) / sqrt(var[j] + var[k]));
    }
    /* sort (insertion: few draws) */
    for (size_t p = 1; p < draws; p++)
        for (size_t q = p; q > 0 && stat[q - 1] > stat[q]; q--) {
            double tmp = stat[q];
            stat[q] = stat[q - 1];
            stat[q - 1] = tmp;
        }
    double index = 1 + (double)(draws - 1) * level;
    size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
    double h = index - (double)lo;
    double c = (1 - h) * stat[lo - 1] + h * stat[hi - 1];
    gsl_rng_free(rng);
    free(stat);
    free(x);
    free(var);
    return c;
}

static void test_cs_simultaneous_matches_plain_algorithm(void **state)
{
    (void)state;
    const double d[] = {0, 3, 12, 40, 150, 1e6, 7, 7, 2500};
    const double p[] = {2000, 5000, 1e4, 2e4, 3e5, 1e9, 900, 800, 1e6};
    fixture f = make(9, d, p);
    const struct { size_t draws; double level; unsigned long seed; } runs[] = {
        {1, 0.95, 1}, {2, 0.5, 2}, {7, 0.9, 3}, {40, 0.95, 4}, {333, 0.8, 5}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        percap_csranks_options o;
        percap_csranks_options_default(&o);
        o.bootstrap = runs[r].draws;
        o.level = runs[r].level;
        o.seed = runs[r].seed;
        double crit[9];
        percap_error err;
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, crit, &err),
                      PERCAP_OK, err);
        double want = plain_simultaneous_crit(f.areas, runs[r].draws, runs[r].level,
                                              runs[r].seed);
        for (size_t i = 0; i < 9; i++)
            if (!(fabs(crit[i] - want) <= 1e-15 * want))
                fail_msg("%zu draws at %g: c = %.17g, plainly %.17g", runs[r].draws,
                         runs[r].level, crit[i], want);
    }
    unmake(&f);
}

/* Simultaneous critical values are a function of the seed and nothing
 * else; another seed moves them a little. */
static void test_cs_reproducible_from_seed(void **state)
{
    (void)state;
    fixture f = shipped();
    percap_csranks_options o;
    percap_csranks_options_default(&o);
    double a[85], b[85], c[85];
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, a, &err), PERCAP_OK,
                  err);
    gsl_rng_default_seed = 31;
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, b, &err), PERCAP_OK,
                  err);
    gsl_rng_default_seed = 0;
    assert_true(memcmp(a, b, sizeof a) == 0);
    for (size_t i = 1; i < 85; i++)
        assert_true(a[i] == a[0]);
    o.seed = 99;
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, c, &err), PERCAP_OK,
                  err);
    assert_true(c[0] != a[0]);
    assert_true(fabs(c[0] - a[0]) < 0.2);
    unmake(&f);
}

static void test_cs_defaults(void **state)
{
    (void)state;
    percap_csranks_options o;
    memset(&o, 0xff, sizeof o);
    percap_csranks_options_default(&o);
    assert_true(o.level == 0.95);
    assert_true(o.simultaneous);
    assert_int_equal(o.bootstrap, 1000);
    assert_int_equal(o.seed, PERCAP_RANK_DEFAULT_SEED);
}

static void test_cs_bad_options(void **state)
{
    (void)state;
    const double d[] = {1, 2}, p[] = {100, 100};
    fixture f = make(2, d, p);
    percap_rank_interval out[2];
    percap_csranks_options o;
    percap_error err;
    const double levels[] = {0, 1, -1, 2, NAN};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        percap_csranks_options_default(&o);
        o.level = levels[i];
        percap_error_clear(&err);
        assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_EUSAGE,
                      err);
        assert_contains(err.message, "level");
        assert_int_equal(percap_rank_intervals_csranks(f.areas, &o, out, NULL),
                         PERCAP_EUSAGE);
    }
    percap_csranks_options_default(&o);
    o.bootstrap = 0;
    percap_error_clear(&err);
    assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_EUSAGE, err);
    assert_contains(err.message, "bootstrap");
    o.simultaneous = false;  /* exact: needs no draws */
    assert_status(percap_rank_intervals_csranks(f.areas, &o, out, &err), PERCAP_OK, err);
    assert_status(percap_rank_intervals_csranks(f.areas, NULL, out, &err), PERCAP_EUSAGE, err);
    assert_status(percap_rank_intervals_csranks(f.areas, &o, NULL, &err), PERCAP_EUSAGE, err);
    assert_status(percap_rank_intervals_csranks_critical(f.areas, &o, NULL, &err),
                  PERCAP_EUSAGE, err);
    unmake(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_matches_r_shipped),
        cmocka_unit_test(test_sim_matches_r_synthetic),
        cmocka_unit_test(test_sim_matches_r_other_seed),
        cmocka_unit_test(test_sim_all_equal_is_uniform),
        cmocka_unit_test(test_sim_separated_rates_are_ranked_exactly),
        cmocka_unit_test(test_sim_p_top_sums_to_top),
        cmocka_unit_test(test_sim_one_area),
        cmocka_unit_test(test_sim_huge_and_zero_counts),
        cmocka_unit_test(test_sim_splitmix64_reference_outputs),
        cmocka_unit_test(test_sim_matches_plain_algorithm),
        cmocka_unit_test(test_sim_threads_do_not_change_results),
        cmocka_unit_test(test_sim_reproducible_from_seed),
        cmocka_unit_test(test_sim_defaults),
        cmocka_unit_test(test_sim_bad_options),
        cmocka_unit_test(test_bad_areas_both_methods),
        cmocka_unit_test(test_cs_marginal_matches_r),
        cmocka_unit_test(test_cs_simultaneous_matches_r),
        cmocka_unit_test(test_cs_two_areas_critical_value),
        cmocka_unit_test(test_cs_one_area),
        cmocka_unit_test(test_cs_all_equal),
        cmocka_unit_test(test_cs_separated_rates),
        cmocka_unit_test(test_cs_nesting),
        cmocka_unit_test(test_cs_simultaneous_matches_plain_algorithm),
        cmocka_unit_test(test_cs_reproducible_from_seed),
        cmocka_unit_test(test_cs_defaults),
        cmocka_unit_test(test_cs_bad_options),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
