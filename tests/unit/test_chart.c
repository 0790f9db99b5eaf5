/* Tests for the charts (src/charts/, percap/chart.h) and the renderer
 * (src/render.c, percap/render.h).
 *
 * Where the numbers come from: tests/data/chart_expected.csv was printed
 * by tests/data/chart_expected.R under R 4.2.2 with MASS 7.3-58.2, every
 * value via sprintf("%.17g"): the scatter chart's fitted line and 95%
 * band (percap_chart_fit_compute) at 101 points over the x range, from
 * predict.lm(interval = "confidence") for ols and wls and from
 * predict.glm(type = "link", se.fit = TRUE), exponentiated, for poisson
 * and MASS::glm.nb, on the shipped datasets/deaths_2023-04-12.csv over
 * men_16_61_2021 of datasets/region_stats.csv and a synthetic 4-area
 * table. Tolerances: 1e-9 relative for the linear models (closed form),
 * 1e-6 for the count models (iterative fits); x to 1e-12 (R's seq() and
 * percap's grid round differently in the last bit). The worst error of
 * each case is printed.
 *
 * The rest needs no R: the charts' scripts for edge cases (one area, no
 * deaths, equal rates, missing covariates, huge counts, flagged areas)
 * and their errors for impossible input; the layout (the ranking grows
 * 18 pixels per area; the caption states what was counted, as of when,
 * the denominator and the caveats); the tile places from a registry; and
 * the renderer's handling of a missing or failing gnuplot. Where gnuplot
 * is installed every edge-case script is also drawn, to PNG and SVG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "percap/chart.h"
#include "percap/rank.h"
#include "percap/rates.h"
#include "percap/render.h"

#include "test_util.h"

#define EXPECTED_CSV PERCAP_TEST_DATA "/chart_expected.csv"
#define GRID 101

/* ---- tables ------------------------------------------------------------------ */

typedef test_areas table;

static percap_rate_options rate_options(void)
{
    percap_rate_options ro;
    percap_rate_options_default(&ro);
    return ro;
}

/* The shipped data through the library, as `percap rates` reads it, ranked. */
static table shipped(void)
{
    percap_error err;
    percap_error_clear(&err);
    table t = test_areas_shipped(true);
    assert_status(percap_rank_assign(t.areas, &err), PERCAP_OK, err);
    return t;
}

/* A synthetic table: names, populations, deaths and one covariate x. */
static table synthetic(const char *const *names, const double *pop, const double *deaths,
                       const double *x, size_t n)
{
    percap_error err;
    percap_error_clear(&err);
    table t = {percap_registry_alloc(), NULL};
    assert_non_null(t.reg);
    t.areas = percap_areas_alloc(t.reg, n);
    assert_non_null(t.areas);
    size_t col;
    assert_status(percap_areas_add_covariate(t.areas, "x", &col, &err), PERCAP_OK, err);
    for (size_t i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "A%zu", i + 1);
        size_t idx;
        assert_status(percap_registry_add(t.reg, code, names[i], &idx, &err), PERCAP_OK, err);
        t.areas->rows[i].region = idx;
        t.areas->rows[i].population = pop[i];
        t.areas->rows[i].deaths = deaths[i];
        t.areas->cov[i] = x ? x[i] : NAN;
    }
    percap_rate_options ro = rate_options();
    assert_status(percap_rates_compute(t.areas, &ro, &err), PERCAP_OK, err);
    assert_status(percap_rank_assign(t.areas, &err), PERCAP_OK, err);
    return t;
}

/* ---- the fitted band against R ---------------------------------------------------- */

typedef struct band_row {
    char name[32];
    size_t i;
    double x, fit, low, high;
} band_row;

static size_t read_expected(band_row *rows, size_t max)
{
    FILE *fp = fopen(EXPECTED_CSV, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "case,i,x,fit,low,high\n");
    size_t n = 0;
    while (fgets(line, sizeof line, fp) && n < max) {
        char *save = NULL, *f[6] = {0};
        f[0] = strtok_r(line, ",\n", &save);
        for (int k = 1; k < 6; k++)
            f[k] = strtok_r(NULL, ",\n", &save);
        assert_non_null(f[5]);
        snprintf(rows[n].name, sizeof rows[n].name, "%s", f[0]);
        rows[n].i = strtoul(f[1], NULL, 10);
        rows[n].x = strtod(f[2], NULL);
        rows[n].fit = strtod(f[3], NULL);
        rows[n].low = strtod(f[4], NULL);
        rows[n].high = strtod(f[5], NULL);
        n++;
    }
    fclose(fp);
    return n;
}

static double rel_err(double got, double want)
{
    double d = fabs(got - want);
    return want == 0 ? d : d / fabs(want);
}

static const struct band_case {
    const char *name, *family, *formula, *x;
    double tol;
} band_cases[] = {
    {"ols", "ols", "rate ~ poverty_pct_2020", "poverty_pct_2020", 1e-9},
    {"wls", "wls", "rate ~ poverty_pct_2020", "poverty_pct_2020", 1e-9},
    {"poisson", "poisson", "rate ~ poverty_pct_2020", "poverty_pct_2020", 1e-6},
    {"negbin", "negbin", "rate ~ poverty_pct_2020", "poverty_pct_2020", 1e-6},
    {"ols_log", "ols", "rate ~ log(mean_income_2020)", "mean_income_2020", 1e-9},
    {"ols_two", "ols", "rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)",
     "poverty_pct_2020", 1e-9},
    {"negbin_two", "negbin", "rate ~ poverty_pct_2020 + russian_pct_men_2010",
     "russian_pct_men_2010", 1e-6},
    {"tiny", "ols", "rate ~ x", "x", 1e-9},
};

static table tiny_table(void)
{
    static const char *const names[] = {"T1", "T2", "T3", "T4"};
    static const double pop[] = {1000, 2000, 4000, 8000}, deaths[] = {3, 9, 10, 30},
                        x[] = {1, 2, 3.5, 5};
    return synthetic(names, pop, deaths, x, 4);
}

static percap_chart_fit *band_for(const table *t, const struct band_case *c, percap_model **mout,
                                  percap_formula **fout)
{
    percap_error err;
    percap_error_clear(&err);
    percap_model_options o;
    percap_model_options_default(&o);
    assert_int_equal(percap_model_family_parse(c->family, &o.family), 0);
    percap_formula *f = percap_formula_parse(c->formula, &err);
    assert_non_null(f);
    percap_model *m = NULL;
    assert_status(percap_model_fit(f, t->areas, &o, &m, NULL, &err), PERCAP_OK, err);
    percap_chart_fit *fit = NULL;
    assert_status(percap_chart_fit_compute(t->areas, c->x, f, &o, m, 1e5, GRID, &fit, &err),
                  PERCAP_OK, err);
    *mout = m;
    *fout = f;
    return fit;
}

static void test_band_matches_r(void **state)
{
    (void)state;
    static band_row rows[1024];
    size_t nrows = read_expected(rows, 1024);
    assert_int_equal(nrows, GRID * (sizeof band_cases / sizeof band_cases[0]));
    table real = shipped(), tiny = tiny_table();
    for (size_t c = 0; c < sizeof band_cases / sizeof band_cases[0]; c++) {
        const struct band_case *bc = &band_cases[c];
        percap_model *m;
        percap_formula *f;
        percap_chart_fit *fit = band_for(strcmp(bc->name, "tiny") ? &real : &tiny, bc, &m, &f);
        assert_int_equal(fit->n, GRID);
        assert_true(fit->level == 0.95);
        double worst = 0, worst_x = 0;
        size_t seen = 0;
        for (size_t r = 0; r < nrows; r++) {
            if (strcmp(rows[r].name, bc->name) != 0)
                continue;
            size_t i = rows[r].i;
            assert_true(i < GRID);
            seen++;
            worst_x = fmax(worst_x, rel_err(fit->x[i], rows[r].x));
            double e[3] = {rel_err(fit->fit[i], rows[r].fit), rel_err(fit->low[i], rows[r].low),
                           rel_err(fit->high[i], rows[r].high)};
            for (int k = 0; k < 3; k++) {
                if (!(e[k] <= bc->tol))
                    fail_msg("%s point %zu: quantity %d off by %.3g relative (got %.17g %.17g "
                             "%.17g, R %.17g %.17g %.17g)", bc->name, i, k, e[k], fit->fit[i],
                             fit->low[i], fit->high[i], rows[r].fit, rows[r].low, rows[r].high);
                worst = fmax(worst, e[k]);
            }
        }
        assert_int_equal(seen, GRID);
        assert_true(worst_x <= 1e-12);
        print_message("band %-10s max relative error vs R: %.2e (x %.1e)\n", bc->name, worst,
                      worst_x);
        assert_int_equal(fit->others_at_mean, strstr(bc->name, "two") != NULL);
        percap_chart_fit_free(fit);
        percap_model_free(m);
        percap_formula_free(f);
    }
    test_areas_free(&real);
    test_areas_free(&tiny);
}

static void test_band_refuses_impossible_lines(void **state)
{
    (void)state;
    table t = shipped();
    percap_error err;
    percap_model_options o;
    percap_model_options_default(&o);
    percap_formula *f = percap_formula_parse("rate ~ poverty_pct_2020", &err);
    percap_formula *flog = percap_formula_parse("log(rate) ~ poverty_pct_2020", &err);
    percap_formula *fother = percap_formula_parse("rate ~ mean_income_2020", &err);
    percap_model *m = NULL, *mlog = NULL, *mother = NULL;
    assert_status(percap_model_fit(f, t.areas, &o, &m, NULL, &err), PERCAP_OK, err);
    assert_status(percap_model_fit(flog, t.areas, &o, &mlog, NULL, &err), PERCAP_OK, err);
    assert_status(percap_model_fit(fother, t.areas, &o, &mother, NULL, &err), PERCAP_OK, err);
    percap_chart_fit *fit = NULL;
    /* the line is drawn against x: a formula without x has none */
    assert_status(percap_chart_fit_compute(t.areas, "poverty_pct_2020", fother, &o, mother, 1e5,
                                           GRID, &fit, &err), PERCAP_EUSAGE, err);
    assert_non_null(strstr(err.message, "does not use"));
    /* the chart's y is the rate: log(rate) would need another axis */
    assert_status(percap_chart_fit_compute(t.areas, "poverty_pct_2020", flog, &o, mlog, 1e5, GRID,
                                           &fit, &err), PERCAP_EUSAGE, err);
    assert_status(percap_chart_fit_compute(t.areas, "no_such", f, &o, m, 1e5, GRID, &fit, &err),
                  PERCAP_EUSAGE, err);
    assert_status(percap_chart_fit_compute(t.areas, "poverty_pct_2020", f, &o, m, 1e5, 1, &fit,
                                           &err), PERCAP_EUSAGE, err);
    percap_model_options wrong = o;
    wrong.family = PERCAP_MODEL_POISSON;
    assert_status(percap_chart_fit_compute(t.areas, "poverty_pct_2020", f, &wrong, m, 1e5, GRID,
                                           &fit, &err), PERCAP_EUSAGE, err);
    wrong = o;
    wrong.level = 1;
    assert_status(percap_chart_fit_compute(t.areas, "poverty_pct_2020", f, &wrong, m, 1e5, GRID,
                                           &fit, &err), PERCAP_EUSAGE, err);
    assert_null(fit);
    percap_model_free(m);
    percap_model_free(mlog);
    percap_model_free(mother);
    percap_formula_free(f);
    percap_formula_free(flog);
    percap_formula_free(fother);
    test_areas_free(&t);
}

static void test_band_skips_points_a_term_cannot_take(void **state)
{
    (void)state;
    /* log(x) over x in [-1, 4]: the grid points at or below 0 are left out */
    static const char *const names[] = {"a", "b", "c", "d", "e"};
    static const double pop[] = {1e4, 1e4, 1e4, 1e4, 1e4}, deaths[] = {5, 7, 9, 12, 20},
                        x[] = {-1, 0.5, 1, 2, 4};
    table t = synthetic(names, pop, deaths, x, 5);
    percap_error err;
    percap_model_options o;
    percap_model_options_default(&o);
    o.family = PERCAP_MODEL_POISSON;
    percap_formula *f = percap_formula_parse("rate ~ log(x)", &err);
    percap_model *m = NULL;
    assert_status(percap_model_fit(f, t.areas, &o, &m, NULL, &err), PERCAP_OK, err);
    percap_chart_fit *fit = NULL;
    assert_status(percap_chart_fit_compute(t.areas, "x", f, &o, m, 1e5, 11, &fit, &err),
                  PERCAP_OK, err);
    /* the model used the 4 rows with x > 0: the grid spans [0.5, 4] */
    assert_int_equal(fit->n, 11);
    assert_true(fit->x[0] == 0.5 && fit->x[10] == 4);
    for (size_t i = 0; i < fit->n; i++)
        assert_true(fit->low[i] < fit->fit[i] && fit->fit[i] < fit->high[i]);
    percap_chart_fit_free(fit);
    percap_model_free(m);
    percap_formula_free(f);
    test_areas_free(&t);
}

/* ---- scripts ---------------------------------------------------------------------- */

typedef struct script {
    char *text;
    size_t len;
    FILE *fp;
} script;

static FILE *script_open(script *s)
{
    s->text = NULL;
    s->len = 0;
    s->fp = open_memstream(&s->text, &s->len);
    assert_non_null(s->fp);
    return s->fp;
}

static void script_close(script *s)
{
    fclose(s->fp);
}

static percap_chart_info info_for(const percap_rate_options *ro)
{
    return (percap_chart_info){NULL, "deaths_test.csv", "2023-04-12", "men", "pop_test.csv", ro};
}

static void canvas_size(const char *text, int *w, int *h)
{
    const char *p = strstr(text, "set terminal pngcairo size ");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "set terminal pngcairo size %d,%d", w, h), 2);
}

/* Pixels between the bottom and top margins. */
static double plot_height(const char *text)
{
    int w, h;
    double b, t;
    canvas_size(text, &w, &h);
    const char *pb = strstr(text, "set bmargin at screen ");
    const char *pt = strstr(text, "set tmargin at screen ");
    assert_non_null(pb);
    assert_non_null(pt);
    assert_int_equal(sscanf(pb, "set bmargin at screen %lf", &b), 1);
    assert_int_equal(sscanf(pt, "set tmargin at screen %lf", &t), 1);
    return (t - b) * h;
}

/* The caption's lines joined again (they hold no quotes here). */
static char *caption_text(const char *text)
{
    char *out = calloc(1, strlen(text) + 1);
    assert_non_null(out);
    const char *style = "font ',8.5' textcolor rgb '#555555'";
    for (const char *p = text; (p = strstr(p, "\nset label '")); p++) {
        const char *start = p + strlen("\nset label '"), *end = strchr(start, '\'');
        const char *eol = strchr(start, '\n');
        if (!end || !eol || !strstr(start, style) || strstr(start, style) > eol)
            continue;
        if (*out)
            strcat(out, " ");
        strncat(out, start, (size_t)(end - start));
    }
    return out;
}

/* The shape every chart script has. */
static void check_script(const char *text)
{
    assert_non_null(strstr(text, "set encoding utf8\n"));
    assert_non_null(strstr(text, "noenhanced"));
    assert_non_null(strstr(text, "\nplot "));
    size_t n = strlen(text);
    assert_true(n > 14 && strcmp(text + n - 13, "unset output\n") == 0);
    /* every datablock ends */
    size_t opened = 0, closed = 0;
    for (const char *p = text; (p = strstr(p, "<< PERCAP_EOD\n")); p++)
        opened++;
    for (const char *p = text; (p = strstr(p, "\nPERCAP_EOD\n")); p++)
        closed++;
    assert_int_equal(opened, closed);
}

/* Draws the script with gnuplot, when there is one, into both formats. */
static void render_if_possible(const script *s, const char *stem)
{
    if (!test_have_program("gnuplot"))
        return;
    char dir[] = "/tmp/percap-chart-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/%s.gp", dir, stem);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fwrite(s->text, 1, s->len, fp);
    fclose(fp);
    percap_error err;
    percap_error_clear(&err);
    percap_notes *notes = percap_notes_alloc();
    assert_status(percap_render(dir, stem, PERCAP_RENDER_PNG | PERCAP_RENDER_SVG, NULL, notes,
                                &err), PERCAP_OK, err);
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        print_message("%s: %s\n", stem, percap_notes_get(notes, i));
    percap_notes_free(notes);
    const char *ext[] = {"gp", "png", "svg"};
    for (int k = 0; k < 3; k++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s.%s", dir, stem, ext[k]);
        assert_int_equal(stat(path, &sb), 0);
        assert_true(sb.st_size > 0);
        unlink(path);
    }
    rmdir(dir);
}

static void order_of(const percap_areas *a, size_t *order)
{
    percap_error err;
    assert_status(percap_rank_order(a, PERCAP_SORT_RATE, order, &err), PERCAP_OK, err);
}

static void test_ranking_grows_with_the_areas(void **state)
{
    (void)state;
    table t = shipped();
    percap_rate_options ro = rate_options();
    percap_chart_info info = info_for(&ro);
    size_t order[85];
    order_of(t.areas, order);
    percap_area pooled;
    percap_error err;
    assert_status(percap_rates_pooled(t.areas, &ro, &pooled, &err), PERCAP_OK, err);
    script s85, s10;
    assert_status(percap_chart_ranking(script_open(&s85), &info, t.areas, order, &pooled, &err),
                  PERCAP_OK, err);
    script_close(&s85);
    size_t n = t.areas->n;
    t.areas->n = 10;
    size_t order10[10];
    order_of(t.areas, order10);
    assert_status(percap_chart_ranking(script_open(&s10), &info, t.areas, order10, NULL, &err),
                  PERCAP_OK, err);
    script_close(&s10);
    t.areas->n = n;
    /* the plot area is 18 pixels per area, whatever the caption takes */
    assert_true(fabs(plot_height(s85.text) - 85 * 18) < 0.5);
    assert_true(fabs(plot_height(s10.text) - 10 * 18) < 0.5);
    check_script(s85.text);
    /* every area named, with its rank, as a tic label */
    for (size_t i = 0; i < n; i++) {
        char want[256];
        snprintf(want, sizeof want, "'%ld. %s' %zu", t.areas->rows[order[i]].rank,
                 percap_areas_name(t.areas, order[i]), n - i);
        if (!strchr(percap_areas_name(t.areas, order[i]), '\'') && !strstr(s85.text, want))
            fail_msg("no tic '%s'", want);
    }
    /* the caption: what, when, over what, and the caveats */
    char *cap = caption_text(s85.text);
    assert_non_null(strstr(cap, "Counted: deaths_test.csv, as of 2023-04-12. Denominator: "
                                "men (pop_test.csv). Rates per 100,000."));
    assert_non_null(strstr(cap, "verified, named deaths are a lower bound"));
    assert_non_null(strstr(cap, "Intervals (exact, 95%) reflect chance variation only"));
    free(cap);
    assert_non_null(strstr(s85.text, "all areas together: 44.8"));
    assert_null(strstr(s10.text, "all areas together"));
    render_if_possible(&s85, "ranking");
    free(s85.text);
    free(s10.text);
    test_areas_free(&t);
}

static void test_all_charts_of_the_shipped_data(void **state)
{
    (void)state;
    table t = shipped();
    percap_rate_options ro = rate_options();
    percap_chart_info info = info_for(&ro);
    percap_error err;
    percap_error_clear(&err);
    percap_rank_interval ranks[85];
    percap_rank_sim_options so;
    percap_rank_sim_options_default(&so);
    so.draws = 2000;
    assert_status(percap_rank_intervals_simulate(t.areas, &so, ranks, &err), PERCAP_OK, err);
    script s;
    assert_status(percap_chart_rank_intervals(script_open(&s), &info, t.areas, ranks, 0.95, 10,
                                              "2000 draws", &err), PERCAP_OK, err);
    script_close(&s);
    check_script(s.text);
    assert_non_null(strstr(s.text, "P(top 10)"));
    render_if_possible(&s, "rank_intervals");
    free(s.text);

    assert_status(percap_chart_funnel(script_open(&s), &info, t.areas, false, 8, &err), PERCAP_OK,
                  err);
    script_close(&s);
    check_script(s.text);
    assert_non_null(strstr(s.text, "set logscale x"));
    assert_non_null(strstr(s.text, "above the 99.8% limit (34)"));
    render_if_possible(&s, "funnel");
    free(s.text);

    assert_status(percap_chart_funnel(script_open(&s), &info, t.areas, true, 8, &err), PERCAP_OK,
                  err);
    script_close(&s);
    assert_non_null(strstr(s.text, "phi = 21.3, tau^2 = 0.0890"));
    free(s.text);

    percap_chart_tile tiles[85];
    size_t placed;
    assert_status(percap_chart_tiles_from_registry(t.areas, tiles, &placed, &err), PERCAP_OK, err);
    assert_int_equal(placed, 85);
    double values[85];
    for (size_t i = 0; i < 85; i++)
        values[i] = t.areas->rows[i].rate;
    assert_status(percap_chart_map(script_open(&s), &info, t.areas, tiles, "rate", values, &err),
                  PERCAP_OK, err);
    script_close(&s);
    check_script(s.text);
    assert_non_null(strstr(s.text, "set label 'Tuva' at first 14, first 6 noenhanced center"));
    /* Karachay-Cherkessia is too wide for a tile: two lines, split at the hyphen */
    assert_non_null(strstr(s.text, "set label 'Karachay-' at first 5, first 10"));
    assert_non_null(strstr(s.text, "set label 'Cherkessia' at first 5, first 10"));
    render_if_possible(&s, "map");
    free(s.text);
    test_areas_free(&t);
}

static void test_edge_cases_draw(void **state)
{
    (void)state;
    percap_rate_options ro = rate_options();
    percap_chart_info info = info_for(&ro);
    percap_error err;
    percap_error_clear(&err);
    /* one area */
    static const char *const one[] = {"Only"};
    table t1 = synthetic(one, (double[]){1000}, (double[]){5}, (double[]){1}, 1);
    size_t order[8];
    order_of(t1.areas, order);
    script s;
    assert_status(percap_chart_ranking(script_open(&s), &info, t1.areas, order, NULL, &err),
                  PERCAP_OK, err);
    script_close(&s);
    check_script(s.text);
    /* flagged: 5 deaths is suppressed (<= 9) */
    assert_non_null(strstr(s.text, "9 deaths or fewer (suppressed)"));
    render_if_possible(&s, "ranking");
    free(s.text);
    assert_status(percap_chart_scatter(script_open(&s), &info, t1.areas, "x", NULL, 8, &err),
                  PERCAP_OK, err);
    script_close(&s);
    render_if_possible(&s, "scatter");
    free(s.text);
    test_areas_free(&t1);

    /* no deaths anywhere, equal rates, a missing covariate, huge counts */
    static const char *const names[] = {"a", "b", "c", "d"};
    table t0 = synthetic(names, (double[]){1e3, 2e3, 3e3, 4e3}, (double[]){0, 0, 0, 0},
                         (double[]){1, NAN, 3, 4}, 4);
    order_of(t0.areas, order);
    assert_status(percap_chart_ranking(script_open(&s), &info, t0.areas, order, NULL, &err),
                  PERCAP_OK, err);
    script_close(&s);
    render_if_possible(&s, "ranking");
    free(s.text);
    assert_status(percap_chart_scatter(script_open(&s), &info, t0.areas, "x", NULL, 8, &err),
                  PERCAP_OK, err);
    script_close(&s);
    assert_non_null(strstr(s.text, "1 area without x not shown."));
    render_if_possible(&s, "scatter");
    free(s.text);
    /* a funnel needs deaths to set its target */
    assert_status(percap_chart_funnel(script_open(&s), &info, t0.areas, false, 8, &err),
                  PERCAP_EDATA, err);
    script_close(&s);
    free(s.text);
    test_areas_free(&t0);

    table te = synthetic(names, (double[]){1e3, 2e3, 3e3, 4e3}, (double[]){10, 20, 30, 40},
                         (double[]){2, 2, 2, 2}, 4);
    assert_status(percap_chart_funnel(script_open(&s), &info, te.areas, true, 8, &err), PERCAP_OK,
                  err);
    script_close(&s);
    assert_non_null(strstr(s.text, "within the 95% limits (4)"));
    render_if_possible(&s, "funnel");
    free(s.text);
    test_areas_free(&te);

    table th = synthetic(names, (double[]){1e9, 2e9, 3e9, 4e9}, (double[]){1e7, 3e7, 2e7, 9e6},
                         (double[]){1, 2, 3, 4}, 4);
    order_of(th.areas, order);
    assert_status(percap_chart_ranking(script_open(&s), &info, th.areas, order, NULL, &err),
                  PERCAP_OK, err);
    script_close(&s);
    render_if_possible(&s, "ranking");
    free(s.text);
    assert_status(percap_chart_funnel(script_open(&s), &info, th.areas, false, 8, &err),
                  PERCAP_OK, err);
    script_close(&s);
    render_if_possible(&s, "funnel");
    free(s.text);
    test_areas_free(&th);
}

static void test_impossible_charts_are_refused(void **state)
{
    (void)state;
    percap_rate_options ro = rate_options();
    percap_chart_info info = info_for(&ro);
    percap_error err;
    percap_error_clear(&err);
    static const char *const names[] = {"a", "b"};
    table t = synthetic(names, (double[]){1e3, 2e3}, (double[]){1, 2}, (double[]){NAN, NAN}, 2);
    size_t order[2];
    order_of(t.areas, order);
    script s;
    FILE *fp = script_open(&s);
    assert_status(percap_chart_ranking(fp, &info, t.areas, NULL, NULL, &err), PERCAP_EUSAGE, err);
    percap_chart_info no_rates = info;
    no_rates.rates = NULL;
    assert_status(percap_chart_ranking(fp, &no_rates, t.areas, order, NULL, &err), PERCAP_EUSAGE,
                  err);
    assert_status(percap_chart_scatter(fp, &info, t.areas, "y", NULL, 8, &err), PERCAP_EUSAGE,
                  err);
    assert_status(percap_chart_scatter(fp, &info, t.areas, "x", NULL, 8, &err), PERCAP_EDATA, err);
    percap_rank_interval bad[2] = {{1, 1, 2, NAN}, {NAN, 1, 2, NAN}};
    assert_status(percap_chart_rank_intervals(fp, &info, t.areas, bad, 0.95, 10, "x", &err),
                  PERCAP_EDATA, err);
    assert_status(percap_chart_rank_intervals(fp, &info, t.areas, bad, 1.5, 10, "x", &err),
                  PERCAP_EUSAGE, err);
    percap_chart_tile nowhere[2] = {{NAN, NAN, "a"}, {NAN, 1, "b"}};
    double v[2] = {1, 2};
    assert_status(percap_chart_map(fp, &info, t.areas, nowhere, "rate", v, &err), PERCAP_EDATA,
                  err);
    percap_chart_tile far[2] = {{1, 1, "a"}, {1, 1e6, "b"}};
    assert_status(percap_chart_map(fp, &info, t.areas, far, "rate", v, &err), PERCAP_EDATA, err);
    double months[3] = {1, -1, 2};
    percap_chart_series series = {"a", months};
    assert_status(percap_chart_timeline(fp, &info, &series, 1, 24270, 3, false, &err),
                  PERCAP_EDATA, err);
    assert_status(percap_chart_timeline(fp, &info, &series, 0, 24270, 3, false, &err),
                  PERCAP_EUSAGE, err);
    t.areas->n = 0;
    assert_status(percap_chart_ranking(fp, &info, t.areas, order, NULL, &err), PERCAP_EDATA, err);
    t.areas->n = 2;
    script_close(&s);
    /* nothing was written by a refused chart */
    assert_int_equal(s.len, 0);
    free(s.text);
    test_areas_free(&t);
}

static void test_map_places_and_labels(void **state)
{
    (void)state;
    percap_rate_options ro = rate_options();
    percap_chart_info info = info_for(&ro);
    percap_error err;
    percap_error_clear(&err);
    table t = shipped();
    /* the registry's places; an area the grid does not know is left out */
    percap_chart_tile tiles[85];
    size_t placed;
    assert_status(percap_chart_tiles_from_registry(t.areas, tiles, &placed, &err), PERCAP_OK, err);
    double values[85];
    for (size_t i = 0; i < 85; i++)
        values[i] = t.areas->cov[i * t.areas->ncov];   /* some covariate */
    values[3] = NAN;
    tiles[5].row = NAN;
    script s;
    assert_status(percap_chart_map(script_open(&s), &info, t.areas, tiles, "my column", values,
                                   &err), PERCAP_OK, err);
    script_close(&s);
    assert_non_null(strstr(s.text, "Hatched: no value of my column."));
    assert_non_null(strstr(s.text, "1 area without a grid place not shown."));
    assert_non_null(strstr(s.text, "set cblabel 'my column'"));
    render_if_possible(&s, "map");
    free(s.text);
    test_areas_free(&t);

    /* short_en where there is one, else the code without its prefix */
    percap_registry *reg = percap_registry_alloc();
    size_t idx;
    assert_status(percap_registry_add(reg, "RU-XY", "Far Away Oblast", &idx, &err), PERCAP_OK,
                  err);
    percap_areas *a = percap_areas_alloc(reg, 1);
    a->rows[0].region = idx;
    percap_chart_tile tile;
    assert_status(percap_chart_tiles_from_registry(a, &tile, &placed, &err), PERCAP_OK, err);
    assert_int_equal(placed, 0);
    assert_string_equal(tile.label, "XY");
    assert_true(isnan(tile.row) && isnan(tile.col));
    percap_areas_free(a);
    percap_registry_free(reg);
}

static void test_timeline(void **state)
{
    (void)state;
    percap_chart_info info = {NULL, "records.csv", NULL, NULL, NULL, NULL};
    double a[15], b[15];
    for (int k = 0; k < 15; k++) {
        a[k] = k;
        b[k] = 15 - k;
    }
    percap_chart_series series[2] = {{"Тыва", a}, {"O'Brien", b}};
    percap_error err;
    percap_error_clear(&err);
    script s;
    /* months from 2022-02: year * 12 + month - 1 */
    assert_status(percap_chart_timeline(script_open(&s), &info, series, 2, 2022 * 12 + 1, 15, true,
                                        &err), PERCAP_OK, err);
    script_close(&s);
    check_script(s.text);
    assert_non_null(strstr(s.text, "'2022-02' 0"));
    assert_non_null(strstr(s.text, "'2023-04' 14"));
    assert_non_null(strstr(s.text, "title 'Тыва' noenhanced"));
    assert_non_null(strstr(s.text, "title 'O'.percap_quote.'Brien' noenhanced"));
    /* running totals: the last row holds 0+1+...+14 = 105 and 15+...+1 = 120 */
    assert_non_null(strstr(s.text, "\n14 105 120\nPERCAP_EOD\n"));
    assert_non_null(strstr(s.text, "Counted: records.csv."));
    assert_null(strstr(s.text, "Denominator"));
    render_if_possible(&s, "timeline");
    free(s.text);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = {"ranking", "rank-intervals", "scatter", "funnel", "map",
                                        "timeline"};
    for (int k = 0; k < 6; k++) {
        percap_chart_kind kind;
        assert_int_equal(percap_chart_kind_parse(names[k], &kind), 0);
        assert_int_equal(kind, k);
        assert_string_equal(percap_chart_kind_name(kind), names[k]);
    }
    percap_chart_kind kind;
    assert_int_equal(percap_chart_kind_parse("rank_intervals", &kind), 0);
    assert_string_equal(percap_chart_stem(kind), "rank_intervals");
    assert_int_equal(percap_chart_kind_parse("pie", &kind), -1);
    assert_int_equal(percap_chart_kind_parse(NULL, &kind), -1);
}

/* ---- rendering ---------------------------------------------------------------------- */

static void test_render_formats(void **state)
{
    (void)state;
    unsigned f;
    assert_int_equal(percap_render_formats_parse("png", &f), 0);
    assert_int_equal(f, PERCAP_RENDER_PNG);
    assert_int_equal(percap_render_formats_parse("svg,png", &f), 0);
    assert_int_equal(f, PERCAP_RENDER_PNG | PERCAP_RENDER_SVG);
    static const char *const bad[] = {"", "pdf", "png,", ",png", "png,,svg", "PNG", "png svg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(percap_render_formats_parse(bad[i], &f), -1);
    assert_int_equal(percap_render_formats_parse(NULL, &f), -1);
}

static void test_render_without_gnuplot(void **state)
{
    (void)state;
    char dir[] = "/tmp/percap-render-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.gp", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("set terminal svg\nset output percap_output\nplot x\n", fp);
    fclose(fp);
    percap_error err;
    percap_error_clear(&err);
    assert_status(percap_render(dir, "x", PERCAP_RENDER_PNG, "/nonexistent/gnuplot", NULL, &err),
                  PERCAP_EIO, err);
    assert_non_null(strstr(err.message, "apt-get install gnuplot-nox"));
    assert_non_null(strstr(err.message, "No such file or directory"));
    /* a gnuplot that fails: its status is reported, no image is left */
    assert_status(percap_render(dir, "x", PERCAP_RENDER_SVG, "false", NULL, &err), PERCAP_EIO,
                  err);
    assert_non_null(strstr(err.message, "exit status 1"));
    assert_status(percap_render(dir, "../x", PERCAP_RENDER_SVG, NULL, NULL, &err), PERCAP_EUSAGE,
                  err);
    assert_status(percap_render(dir, "x", 0, NULL, NULL, &err), PERCAP_EUSAGE, err);
    if (test_have_program("gnuplot")) {
        /* a script with an error: gnuplot's message comes back */
        fp = fopen(path, "w");
        fputs("set terminal svg\nset output percap_output\nplot no_such_function(x)\n", fp);
        fclose(fp);
        assert_status(percap_render(dir, "x", PERCAP_RENDER_SVG, NULL, NULL, &err), PERCAP_EIO,
                      err);
        assert_non_null(strstr(err.message, "no_such_function"));
    }
    snprintf(path, sizeof path, "%s/x.svg", dir);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/x.gp", dir);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);   /* empty: no temporary image left behind */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_matches_r),
        cmocka_unit_test(test_band_refuses_impossible_lines),
        cmocka_unit_test(test_band_skips_points_a_term_cannot_take),
        cmocka_unit_test(test_ranking_grows_with_the_areas),
        cmocka_unit_test(test_all_charts_of_the_shipped_data),
        cmocka_unit_test(test_edge_cases_draw),
        cmocka_unit_test(test_impossible_charts_are_refused),
        cmocka_unit_test(test_map_places_and_labels),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_render_formats),
        cmocka_unit_test(test_render_without_gnuplot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
