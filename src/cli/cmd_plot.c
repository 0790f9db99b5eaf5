/* percap plot: charts as self-contained gnuplot scripts, drawn into PNG
 * and SVG files by gnuplot when asked. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "rank_cache.h"
#include "percap/chart.h"
#include "percap/funnel.h"
#include "percap/rank_intervals.h"
#include "percap/render.h"

static const char usage_head[] =
    "Usage: percap plot KIND INPUTS [--out DIR [--render png,svg]] [options]\n"
    "\n"
    "Writes a chart as a gnuplot script with its data inline, to DIR/KIND.gp\n"
    "(rank_intervals.gp for rank-intervals) with --out, else to standard output or\n"
    "-o FILE; with --render also draws DIR/KIND.png and/or DIR/KIND.svg (gnuplot must\n"
    "be installed). The script runs alone: 'gnuplot KIND.gp' in DIR draws KIND.png,\n"
    "'gnuplot -e \"percap_format='svg'\" KIND.gp' KIND.svg.\n"
    "\n"
    "Kinds:\n"
    "  ranking         every area's rate as a bar with its interval, pooled rate marked\n"
    "  rank-intervals  median rank and rank interval of every area (caterpillar)\n"
    "  scatter         rate against --x COL, circles sized by denominator, and a\n"
    "                  fitted model's line and band with --formula\n"
    "  funnel          rate against denominator with 95% and 99.8% limits\n"
    "  map             tile map coloured by rate (or --value COL)\n"
    "  timeline        deaths by month for chosen areas, from --records (one row per\n"
    "                  death, with a date) or --deaths with a month column (as\n"
    "                  'percap aggregate --by month' writes); --population not needed\n"
    "\n"
    "Chart options:\n"
    "  --out DIR              write DIR/KIND.gp (DIR is created if missing)\n"
    "  --render LIST          draw png, svg or png,svg with gnuplot (needs --out)\n"
    "  --title TEXT           the chart's title\n"
    "  --counted TEXT         what was counted, for the caption (default: the file name)\n"
    "  --as-of TEXT           when the counts stand (default: --until, else a date in the\n"
    "                         counts file's name)\n"
    "  --denominator-name TEXT  the denominator in labels (default: --population-col)\n"
    "  --labels N             scatter, funnel: name the N most extreme areas (default 8)\n"
    "  --rank-method M        rank-intervals: simulation (default) or csranks\n"
    "  --draws N, --seed N    rank-intervals: simulation draws (10000) and seed\n"
    "  --top N                rank-intervals: show P(rank <= N) (default 10)\n"
    "  --x COL                scatter: the covariate on the x axis (required)\n"
    "  --formula F            scatter: draw this model's line and band, e.g. 'rate ~ COL'\n"
    "  --family F             scatter: ols (default), wls, poisson or negbin\n"
    "  --overdispersion       funnel: limits adjusted for overdispersion\n"
    "  --value COL            map: colour by rate (default), deaths, population, ci_low,\n"
    "                         ci_high or a covariate\n"
    "  --grid FILE            map: tile places, a CSV with region, row and col columns\n"
    "                         (default: the registry's tile_row and tile_col)\n"
    "  --select A,B           timeline: the areas to draw (default: the 5 with most deaths)\n"
    "  --cumulative           timeline: running totals instead of counts per month\n"
    "\n";

static const char usage_tail[] =
    "\nExit status: 0 ok, 1 bad data, 2 bad usage, 3 input/output error (gnuplot\n"
    "missing or failing included: the script is still written), 4 out of memory.\n";

enum {
    OPT_OUT = 3400, OPT_RENDER, OPT_TITLE, OPT_COUNTED, OPT_AS_OF, OPT_DEN_NAME, OPT_LABELS,
    OPT_RANK_METHOD, OPT_DRAWS, OPT_SEED, OPT_TOP, OPT_X, OPT_FORMULA, OPT_FAMILY,
    OPT_OVERDISPERSION, OPT_VALUE, OPT_GRID, OPT_SELECT, OPT_CUMULATIVE
};

static const struct option long_options[] = {
    {"out", required_argument, NULL, OPT_OUT},
    {"render", required_argument, NULL, OPT_RENDER},
    {"title", required_argument, NULL, OPT_TITLE},
    {"counted", required_argument, NULL, OPT_COUNTED},
    {"as-of", required_argument, NULL, OPT_AS_OF},
    {"denominator-name", required_argument, NULL, OPT_DEN_NAME},
    {"labels", required_argument, NULL, OPT_LABELS},
    {"rank-method", required_argument, NULL, OPT_RANK_METHOD},
    {"draws", required_argument, NULL, OPT_DRAWS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"top", required_argument, NULL, OPT_TOP},
    {"x", required_argument, NULL, OPT_X},
    {"formula", required_argument, NULL, OPT_FORMULA},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"overdispersion", no_argument, NULL, OPT_OVERDISPERSION},
    {"value", required_argument, NULL, OPT_VALUE},
    {"grid", required_argument, NULL, OPT_GRID},
    {"select", required_argument, NULL, OPT_SELECT},
    {"cumulative", no_argument, NULL, OPT_CUMULATIVE},
    CLI_INPUT_OPTIONS, CLI_RATE_TABLE_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

typedef struct plot_args {
    cli_inputs in;
    percap_chart_kind kind;
    const char *out_dir, *title, *counted, *as_of, *den_name;
    unsigned formats;
    double labels, top, draws, seed;
    bool csranks, overdispersion, cumulative;
    const char *x, *formula, *value, *grid, *select;
    percap_model_family family;
    bool family_set;
    char as_of_buf[16];
} plot_args;

/* ---- options ---------------------------------------------------------------------- */

static int whole(const char *option, const char *arg, double *out, double min)
{
    if (!cli_parse_double(&(cli_common){.command = "plot"}, option, arg, out))
        return CLI_USAGE;
    if (*out != floor(*out) || *out < min || *out > 4294967295.0)
        return cli_usage_error("plot", "%s needs a whole number of at least %.0f (got '%s')",
                               option, min, arg);
    return 0;
}

static int choice_option(plot_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_RENDER:
        if (percap_render_formats_parse(arg, &a->formats) == 0)
            return 0;
        return cli_usage_error("plot", "--render must be png, svg or png,svg (got '%s')", arg);
    case OPT_RANK_METHOD:
        if (strcmp(arg, "simulation") == 0 || strcmp(arg, "csranks") == 0) {
            a->csranks = strcmp(arg, "csranks") == 0;
            return 0;
        }
        return cli_usage_error("plot", "--rank-method must be simulation or csranks (got '%s')",
                               arg);
    case OPT_FAMILY:
        a->family_set = true;
        if (percap_model_family_parse(arg, &a->family) == 0)
            return 0;
        return cli_usage_error("plot", "--family must be ols, wls, poisson or negbin (got '%s')",
                               arg);
    }
    return CLI_USAGE;
}

static int own_option(void *ctx, int opt, const char *arg)
{
    plot_args *a = ctx;
    switch (opt) {
    case OPT_OUT: a->out_dir = arg; return 0;
    case OPT_TITLE: a->title = arg; return 0;
    case OPT_COUNTED: a->counted = arg; return 0;
    case OPT_AS_OF: a->as_of = arg; return 0;
    case OPT_DEN_NAME: a->den_name = arg; return 0;
    case OPT_LABELS: return whole("--labels", arg, &a->labels, 0);
    case OPT_DRAWS: return whole("--draws", arg, &a->draws, 1);
    case OPT_SEED: return whole("--seed", arg, &a->seed, 0);
    case OPT_TOP: return whole("--top", arg, &a->top, 1);
    case OPT_X: a->x = arg; return 0;
    case OPT_FORMULA: a->formula = arg; return 0;
    case OPT_OVERDISPERSION: a->overdispersion = true; return 0;
    case OPT_VALUE: a->value = arg; return 0;
    case OPT_GRID: a->grid = arg; return 0;
    case OPT_SELECT: a->select = arg; return 0;
    case OPT_CUMULATIVE: a->cumulative = true; return 0;
    }
    return choice_option(a, opt, arg);
}

/* Options that only one kind reads are refused elsewhere, so that a
 * typo'd kind or a misplaced option is not silently ignored. */
static int check_kind_options(const plot_args *a)
{
    static const char *const names[] = {"ranking", "rank-intervals", "scatter",
                                        "funnel", "map", "timeline"};
    const char *k = names[a->kind];
    struct { bool given; percap_chart_kind kind; const char *option; } only[] = {
        {a->x != NULL, PERCAP_CHART_SCATTER, "--x"},
        {a->formula != NULL, PERCAP_CHART_SCATTER, "--formula"},
        {a->family_set, PERCAP_CHART_SCATTER, "--family"},
        {a->overdispersion, PERCAP_CHART_FUNNEL, "--overdispersion"},
        {a->value != NULL, PERCAP_CHART_MAP, "--value"},
        {a->grid != NULL, PERCAP_CHART_MAP, "--grid"},
        {a->select != NULL, PERCAP_CHART_TIMELINE, "--select"},
        {a->cumulative, PERCAP_CHART_TIMELINE, "--cumulative"},
        {a->csranks, PERCAP_CHART_RANK_INTERVALS, "--rank-method"},
        {!isnan(a->draws), PERCAP_CHART_RANK_INTERVALS, "--draws"},
        {!isnan(a->seed), PERCAP_CHART_RANK_INTERVALS, "--seed"},
        {!isnan(a->top), PERCAP_CHART_RANK_INTERVALS, "--top"},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        if (only[i].given && only[i].kind != a->kind)
            return cli_usage_error("plot", "%s goes with the %s chart, not %s", only[i].option,
                                   names[only[i].kind], k);
    if (!isnan(a->labels) && a->kind != PERCAP_CHART_SCATTER && a->kind != PERCAP_CHART_FUNNEL)
        return cli_usage_error("plot", "--labels goes with the scatter and funnel charts");
    if (a->kind == PERCAP_CHART_SCATTER && !a->x)
        return cli_usage_error("plot", "the scatter chart needs --x COL (a covariate column)");
    if (a->family_set && !a->formula)
        return cli_usage_error("plot", "--family goes with --formula");
    return 0;
}

static int check_args(plot_args *a)
{
    if (a->formats && !a->out_dir)
        return cli_usage_error("plot", "--render needs --out DIR (where the images go)");
    if (a->out_dir && strcmp(a->in.common.output, "-") != 0)
        return cli_usage_error("plot", "give --out DIR or -o FILE, not both");
    if (a->in.common.format != PERCAP_FORMAT_CSV)
        return cli_usage_error("plot", "--format does not apply to charts");
    return check_kind_options(a);
}

/* The timeline needs no denominators, so it checks its inputs itself. */
static int check_timeline_inputs(cli_inputs *in)
{
    if (!!in->deaths == !!in->records)
        return cli_usage_error("plot", "the timeline needs one of --records FILE or --deaths FILE");
    if (in->deaths && (in->rec.date_col || in->rec.has_since || in->rec.has_until))
        return cli_usage_error("plot", "--date-col, --since and --until go with --records");
    if (cli_check_period(&in->common, &in->rec) != 0)
        return CLI_USAGE;
    in->rec.csv = in->common.csv;
    in->rec.unmatched_hint = CLI_UNMATCHED_HINT;
    in->rec.allow_unmatched = in->common.allow_unmatched;
    in->rec.region_col = in->common.region_col;
    return 0;
}

static int parse_args(plot_args *a, int argc, char **argv, bool *help)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return *help = true, 0;
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage_error("plot", "give the chart first: percap plot KIND ... (ranking, "
                                       "rank-intervals, scatter, funnel, map or timeline)");
    if (percap_chart_kind_parse(argv[1], &a->kind) != 0)
        return cli_usage_error("plot", "unknown chart '%s': ranking, rank-intervals, scatter, "
                                       "funnel, map or timeline", argv[1]);
    int st = cli_inputs_parse(&a->in, argc - 1, argv + 1, long_options, own_option, a, help);
    if (st != 0 || *help)
        return st;
    if ((st = check_args(a)) != 0)
        return st;
    return a->kind == PERCAP_CHART_TIMELINE ? check_timeline_inputs(&a->in)
                                            : cli_inputs_check(&a->in);
}

/* ---- the caption's facts ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

/* A YYYY-MM-DD inside a file name ("deaths_2023-04-12.csv"), if any. */
static bool date_in_name(const char *name, char *out, size_t size)
{
    for (const char *p = name; p && strlen(p) >= 10; p++) {
        int32_t days;
        char cand[11];
        memcpy(cand, p, 10);
        cand[10] = '\0';
        if (percap_parse_date(cand, &days) && (p == name || !isdigit((unsigned char)p[-1])) &&
            !isdigit((unsigned char)p[10])) {
            snprintf(out, size, "%s", cand);
            return true;
        }
    }
    return false;
}

static percap_chart_info chart_info(plot_args *a)
{
    const cli_inputs *in = &a->in;
    const char *file = base_name(in->deaths ? in->deaths : in->records);
    const char *as_of = a->as_of;
    if (!as_of && in->rec.has_until) {
        int y, m, d;
        percap_date_split(in->rec.until, &y, &m, &d);
        snprintf(a->as_of_buf, sizeof a->as_of_buf, "%04d-%02d-%02d", y, m, d);
        as_of = a->as_of_buf;
    } else if (!as_of && date_in_name(file, a->as_of_buf, sizeof a->as_of_buf)) {
        as_of = a->as_of_buf;
    }
    return (percap_chart_info){a->title, a->counted ? a->counted : file, as_of,
                               a->den_name ? a->den_name : in->population_col,
                               base_name(in->population), &in->rates};
}

/* ---- what each chart needs -------------------------------------------------------- */

typedef struct plot_job {
    plot_args *a;
    percap_chart_info info;
    const cli_analysis *an;
    percap_area pooled;
    percap_rank_interval *ranks;
    char method[256];
    percap_chart_fit *fit;
    percap_chart_tile *tiles;
    double *values;
    const char *value_name;
    percap_table *grid;
    percap_registry *reg;           /* timeline */
    percap_chart_series *series;
    size_t nseries, nmonths;
    int32_t first_month;
    double *months;                 /* nregions x nmonths */
    percap_notes *notes;
} plot_job;

static void job_free(plot_job *j)
{
    free(j->ranks);
    percap_chart_fit_free(j->fit);
    free(j->tiles);
    free(j->values);
    percap_table_free(j->grid);
    percap_registry_free(j->reg);
    free(j->series);
    free(j->months);
    percap_notes_free(j->notes);
}

static int fail(percap_error *err)
{
    return cli_fail(err);
}

static int prepare_ranks(plot_job *j)
{
    const percap_areas *a = j->an->areas;
    plot_args *p = j->a;
    percap_error err;
    percap_error_clear(&err);
    if (!(j->ranks = malloc(a->n * sizeof *j->ranks)))
        return CLI_NOMEM;
    percap_status st;
    if (p->csranks) {
        percap_csranks_options o;
        percap_csranks_options_default(&o);
        o.level = p->in.rates.level;
        if (!isnan(p->seed))
            o.seed = (unsigned long)p->seed;
        snprintf(j->method, sizeof j->method, "simultaneous confidence sets for ranks "
                 "(Mogstad, Romano, Shaikh and Wilhelm 2023) on log rates");
        st = percap_rank_intervals_csranks(a, &o, j->ranks, &err);
    } else {
        percap_rank_sim_options o;
        percap_rank_sim_options_default(&o);
        o.level = p->in.rates.level;
        if (!isnan(p->draws))
            o.draws = (size_t)p->draws;
        if (!isnan(p->seed))
            o.seed = (unsigned long)p->seed;
        if (!isnan(p->top))
            o.top = (size_t)p->top;
        snprintf(j->method, sizeof j->method, "%zu draws of every rate from its posterior "
                 "(Gamma(deaths + 1/2), Jeffreys prior), seed %lu", o.draws, o.seed);
        st = cli_rank_simulate(a, &o, j->ranks, &err);
    }
    return st == PERCAP_OK ? 0 : fail(&err);
}

static int prepare_fit(plot_job *j)
{
    plot_args *p = j->a;
    if (!p->formula)
        return 0;
    percap_error err;
    percap_error_clear(&err);
    percap_model_options o;
    percap_model_options_default(&o);
    o.family = p->family_set ? p->family : PERCAP_MODEL_OLS;
    o.level = p->in.rates.level;
    percap_formula *f = percap_formula_parse(p->formula, &err);
    percap_model *m = NULL;
    int status = 0;
    if (!f || percap_model_fit(f, j->an->areas, &o, &m, j->notes, &err) != PERCAP_OK ||
        percap_chart_fit_compute(j->an->areas, p->x, f, &o, m, p->in.rates.per, 101, &j->fit,
                                 &err) != PERCAP_OK) {
        if (err.file[0] == '\0' && err.line > 0)
            snprintf(err.file, sizeof err.file, "formula");
        status = fail(&err);
    }
    percap_model_free(m);
    percap_formula_free(f);
    return status;
}

/* The column the map is coloured by, one value per area row. */
static int map_values(plot_job *j)
{
    const percap_areas *a = j->an->areas;
    const char *name = j->a->value ? j->a->value : "rate";
    static const char *const fixed[] = {"rate", "deaths", "population", "ci_low", "ci_high"};
    long cov = -1, which = -1;
    for (size_t k = 0; k < 5; k++)
        if (strcmp(name, fixed[k]) == 0)
            which = (long)k;
    for (size_t c = 0; which < 0 && c < a->ncov && cov < 0; c++)
        if (strcmp(a->cov_names[c], name) == 0)
            cov = (long)c;
    if (which < 0 && cov < 0)
        return cli_usage_error("plot", "--value must be rate, deaths, population, ci_low, "
                                       "ci_high or a covariate column (got '%s')", name);
    if (!(j->values = malloc(a->n * sizeof *j->values)))
        return CLI_NOMEM;
    for (size_t i = 0; i < a->n; i++) {
        const percap_area *r = &a->rows[i];
        double v[5] = {r->rate, r->deaths, r->population, r->ci_low, r->ci_high};
        j->values[i] = which >= 0 ? v[which] : a->cov[i * a->ncov + (size_t)cov];
    }
    j->value_name = cov >= 0 ? a->cov_names[cov] : fixed[which];
    return 0;
}

/* Tile places from --grid FILE: region, row and col columns. */
static percap_status grid_tiles(plot_job *j, percap_error *err)
{
    const percap_areas *a = j->an->areas;
    const cli_common *c = &j->a->in.common;
    percap_table *t = j->grid = percap_table_read(j->a->grid, &c->csv, err);
    if (!t)
        return err->code;
    size_t rc, row, col;
    long lc = percap_table_find(t, "label");
    const char *row_name = percap_table_find(t, "row") >= 0 ? "row" : "tile_row";
    const char *col_name = percap_table_find(t, "col") >= 0 ? "col" : "tile_col";
    long *index = malloc((percap_table_rows(t) ? percap_table_rows(t) : 1) * sizeof *index);
    percap_join_options o = {.allow_unmatched = c->allow_unmatched,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    percap_status st = index ? PERCAP_OK : PERCAP_ENOMEM;
    if (st == PERCAP_OK)
        st = percap_join_region_column(j->an->reg, t, c->region_col, &rc, NULL, err);
    if (st == PERCAP_OK)
        st = percap_table_require(t, row_name, "grid row", &row, err);
    if (st == PERCAP_OK)
        st = percap_table_require(t, col_name, "grid column", &col, err);
    if (st == PERCAP_OK)
        st = percap_join_resolve(j->an->reg, t, rc, &o, index, j->notes, err);
    for (size_t r = 0; st == PERCAP_OK && r < percap_table_rows(t); r++) {
        long area = index[r] >= 0 ? percap_areas_find(a, (size_t)index[r]) : -1;
        if (area < 0)
            continue;
        percap_chart_tile *tile = &j->tiles[area];
        if (percap_parse_number(percap_table_cell(t, r, row), &tile->row) != PERCAP_NUM_OK ||
            percap_parse_number(percap_table_cell(t, r, col), &tile->col) != PERCAP_NUM_OK)
            st = percap_error_set(err, PERCAP_EDATA, percap_table_path(t), percap_table_line(t, r),
                                  0, "the grid row and column must be numbers");
        else if (lc >= 0 && *percap_table_cell(t, r, (size_t)lc))
            tile->label = percap_table_cell(t, r, (size_t)lc);
    }
    free(index);
    return st == PERCAP_ENOMEM ? percap_error_set(err, st, NULL, 0, 0, "out of memory") : st;
}

static int prepare_map(plot_job *j)
{
    const percap_areas *a = j->an->areas;
    int status = map_values(j);
    if (status != 0)
        return status;
    if (!(j->tiles = malloc(a->n * sizeof *j->tiles)))
        return CLI_NOMEM;
    percap_error err;
    percap_error_clear(&err);
    size_t placed;
    if (percap_chart_tiles_from_registry(a, j->tiles, &placed, &err) != PERCAP_OK)
        return fail(&err);
    if (j->a->grid) {
        for (size_t i = 0; i < a->n; i++)
            j->tiles[i].row = j->tiles[i].col = NAN;
        if (grid_tiles(j, &err) != PERCAP_OK)
            return fail(&err);
    }
    return 0;
}

/* ---- timeline: counts by month ------------------------------------------------------ */

/* "YYYY-MM" (or a full date) as year * 12 + month - 1. */
static bool parse_month(const char *s, int32_t *out)
{
    while (*s == ' ')
        s++;
    int32_t days;
    if (strlen(s) >= 10 && percap_parse_date(s, &days)) {
        int y, m, d;
        percap_date_split(days, &y, &m, &d);
        *out = y * 12 + m - 1;
        return true;
    }
    if (strlen(s) < 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit((unsigned char)s[i]))
            return false;
    if (s[7] && s[7] != ' ')
        return false;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1000 || m < 1 || m > 12)
        return false;
    *out = y * 12 + m - 1;
    return true;
}

static percap_status month_range(const percap_table *t, size_t mc, const long *index,
                                 int32_t *lo, int32_t *hi, percap_error *err)
{
    *lo = INT32_MAX;
    *hi = INT32_MIN;
    for (size_t r = 0; r < percap_table_rows(t); r++) {
        int32_t m;
        if (index[r] < 0)
            continue;
        if (!parse_month(percap_table_cell(t, r, mc), &m))
            return percap_error_set(err, PERCAP_EDATA, percap_table_path(t),
                                    percap_table_line(t, r), (long)mc + 1,
                                    "expected a month as YYYY-MM, got '%s'",
                                    percap_table_cell(t, r, mc));
        *lo = m < *lo ? m : *lo;
        *hi = m > *hi ? m : *hi;
    }
    if (*lo > *hi)
        return percap_error_set(err, PERCAP_EDATA, percap_table_path(t), 0, 0,
                                "no rows to count");
    return PERCAP_OK;
}

/* A table with a month column, as 'percap aggregate --by month' writes. */
static percap_status monthly_table(plot_job *j, percap_error *err)
{
    const cli_inputs *in = &j->a->in;
    percap_table *t = percap_table_read(in->deaths, &in->common.csv, err);
    if (!t)
        return err->code;
    size_t rc, mc, cc, nreg = percap_registry_size(j->reg);
    long *index = malloc((percap_table_rows(t) ? percap_table_rows(t) : 1) * sizeof *index);
    percap_join_options o = {.allow_unmatched = in->common.allow_unmatched, .allow_repeats = true,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    int32_t lo = 0, hi = 0;
    percap_status st = index ? PERCAP_OK : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0,
                                                            "out of memory");
    if (st == PERCAP_OK)
        st = percap_join_region_column(j->reg, t, in->common.region_col, &rc, j->notes, err);
    if (st == PERCAP_OK)
        st = percap_table_require(t, "month", "month", &mc, err);
    if (st == PERCAP_OK)
        st = percap_table_require(t, in->count_col, "count", &cc, err);
    if (st == PERCAP_OK)
        st = percap_join_resolve(j->reg, t, rc, &o, index, j->notes, err);
    if (st == PERCAP_OK)
        st = month_range(t, mc, index, &lo, &hi, err);
    if (st == PERCAP_OK) {
        j->first_month = lo;
        j->nmonths = (size_t)(hi - lo) + 1;
        if (!(j->months = calloc(nreg * j->nmonths, sizeof *j->months)))
            st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t r = 0; st == PERCAP_OK && r < percap_table_rows(t); r++) {
        int32_t m;
        double v;
        if (index[r] < 0 || !parse_month(percap_table_cell(t, r, mc), &m))
            continue;
        percap_num_result nr = percap_parse_count(percap_table_cell(t, r, cc), &v);
        if (nr != PERCAP_NUM_OK)
            st = percap_error_set(err, PERCAP_EDATA, percap_table_path(t), percap_table_line(t, r),
                                  (long)cc + 1, "%s",
                                  percap_num_result_describe(nr, percap_table_cell(t, r, cc)));
        else
            j->months[(size_t)index[r] * j->nmonths + (size_t)(m - lo)] += v;
    }
    free(index);
    percap_table_free(t);
    return st;
}

static percap_status record_months(plot_job *j, percap_error *err)
{
    percap_records_options o = j->a->in.rec;
    o.by_month = true;
    percap_records *rec;
    if (percap_records_count(j->a->in.records, j->reg, &o, &rec, j->notes, err) != PERCAP_OK)
        return err->code;
    percap_status st = PERCAP_OK;
    size_t n = rec->nregions * rec->nmonths;
    if (rec->nmonths == 0)
        st = percap_error_set(err, PERCAP_EDATA, j->a->in.records, 0, 0,
                              "no dated rows to count by month");
    else if (!(j->months = malloc(n * sizeof *j->months)))
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    else
        memcpy(j->months, rec->month_counts, n * sizeof *j->months);
    j->first_month = rec->first_month;
    j->nmonths = rec->nmonths;
    percap_records_free(rec);
    return st;
}

static double region_total(const plot_job *j, size_t r)
{
    double sum = 0;
    for (size_t k = 0; k < j->nmonths; k++)
        sum += j->months[r * j->nmonths + k];
    return sum;
}

#define DEFAULT_SERIES 5

/* The most deaths first; the registry's order among equals. */
static size_t top_regions(const plot_job *j, size_t *out, size_t max)
{
    size_t nreg = percap_registry_size(j->reg), n = 0;
    for (size_t r = 0; r < nreg; r++) {
        double t = region_total(j, r);
        if (!(t > 0))
            continue;
        size_t at = n < max ? n++ : max;
        while (at > 0 && region_total(j, out[at - 1]) < t) {
            if (at < max)
                out[at] = out[at - 1];
            at--;
        }
        if (at < max)
            out[at] = r;
    }
    return n;
}

static int select_series(plot_job *j)
{
    size_t nreg = percap_registry_size(j->reg), n = 0;
    size_t *pick = malloc((nreg + DEFAULT_SERIES) * sizeof *pick);
    if (!pick)
        return CLI_NOMEM;
    int status = 0;
    if (!j->a->select) {
        n = top_regions(j, pick, DEFAULT_SERIES);
        if (n == 0)
            status = cli_usage_error("plot", "no area has any deaths to draw");
    }
    char *list = j->a->select ? strdup(j->a->select) : NULL, *save = NULL;
    for (char *k = list ? strtok_r(list, ",", &save) : NULL; k && status == 0;
         k = strtok_r(NULL, ",", &save)) {
        long r = percap_registry_lookup(j->reg, k);
        if (r < 0)
            status = cli_usage_error("plot", "--select: no region '%s'", k);
        else if (n < nreg)
            pick[n++] = (size_t)r;
    }
    free(list);
    if (status == 0 && !(j->series = malloc((n ? n : 1) * sizeof *j->series)))
        status = CLI_NOMEM;
    for (size_t i = 0; status == 0 && i < n; i++)
        j->series[i] = (percap_chart_series){percap_registry_name(j->reg, pick[i]),
                                             j->months + pick[i] * j->nmonths};
    j->nseries = status == 0 ? n : 0;
    free(pick);
    return status;
}

static int prepare_timeline(plot_job *j)
{
    percap_error err;
    percap_error_clear(&err);
    const cli_inputs *in = &j->a->in;
    percap_status st = PERCAP_OK;
    if (!(j->reg = cli_load_registry(&in->common, &err)))
        return fail(&err);
    st = in->records ? record_months(j, &err) : monthly_table(j, &err);
    cli_print_notes(&in->common, j->notes);
    return st == PERCAP_OK ? select_series(j) : fail(&err);
}

/* ---- writing and drawing ------------------------------------------------------------ */

static percap_status write_chart(FILE *fp, const void *ctx, percap_error *err)
{
    const plot_job *j = ctx;
    const plot_args *a = j->a;
    size_t nlabels = isnan(a->labels) ? 8 : (size_t)a->labels;
    switch (a->kind) {
    case PERCAP_CHART_RANKING:
        return percap_chart_ranking(fp, &j->info, j->an->areas, j->an->order, &j->pooled, err);
    case PERCAP_CHART_RANK_INTERVALS:
        return percap_chart_rank_intervals(fp, &j->info, j->an->areas, j->ranks,
                                           a->in.rates.level,
                                           isnan(a->top) ? 10 : (size_t)a->top, j->method, err);
    case PERCAP_CHART_SCATTER:
        return percap_chart_scatter(fp, &j->info, j->an->areas, a->x, j->fit, nlabels, err);
    case PERCAP_CHART_FUNNEL:
        return percap_chart_funnel(fp, &j->info, j->an->areas, a->overdispersion, nlabels, err);
    case PERCAP_CHART_MAP:
        return percap_chart_map(fp, &j->info, j->an->areas, j->tiles, j->value_name, j->values,
                                err);
    case PERCAP_CHART_TIMELINE:
        return percap_chart_timeline(fp, &j->info, j->series, j->nseries, j->first_month,
                                     j->nmonths, a->cumulative, err);
    }
    return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "unknown chart");
}

static int make_dir(const char *dir)
{
    struct stat sb;
    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return 0;
    int e = errno == EEXIST ? ENOTDIR : errno;
    fprintf(stderr, "percap: cannot use '%s' as the output directory: %s\n", dir, strerror(e));
    return CLI_IO;
}

static int render(plot_job *j, const char *dir, const char *stem, const char *script)
{
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_render(dir, stem, j->a->formats, NULL, j->notes, &err);
    cli_print_notes(&j->a->in.common, j->notes);
    if (st != PERCAP_OK) {
        int status = cli_fail(&err);
        fprintf(stderr, "percap: the script %s is written\n", script);
        return status;
    }
    return 0;
}

static int write_out(plot_job *j)
{
    const char *dir = j->a->out_dir, *stem = percap_chart_stem(j->a->kind);
    if (!dir)
        return cli_write_output(&j->a->in.common, write_chart, j);
    int status = make_dir(dir);
    if (status != 0)
        return status;
    size_t len = strlen(dir) + strlen(stem) + 8;
    char *script = malloc(len);
    if (!script)
        return CLI_NOMEM;
    snprintf(script, len, "%s/%s.gp", dir, stem);
    cli_common c = j->a->in.common;
    c.output = script;
    status = cli_write_output(&c, write_chart, j);
    if (status == 0 && j->a->formats) {
        percap_notes_free(j->notes);
        j->notes = percap_notes_alloc();
        status = j->notes ? render(j, dir, stem, script) : CLI_NOMEM;
    }
    free(script);
    return status;
}

static int prepare(plot_job *j)
{
    switch (j->a->kind) {
    case PERCAP_CHART_RANKING: {
        percap_error err;
        percap_error_clear(&err);
        if (percap_rates_pooled(j->an->areas, &j->a->in.rates, &j->pooled, &err) != PERCAP_OK)
            return fail(&err);
        return 0;
    }
    case PERCAP_CHART_RANK_INTERVALS: return prepare_ranks(j);
    case PERCAP_CHART_SCATTER: {
        int st = prepare_fit(j);
        cli_print_notes(&j->a->in.common, j->notes);
        return st;
    }
    case PERCAP_CHART_MAP: {
        int st = prepare_map(j);
        cli_print_notes(&j->a->in.common, j->notes);
        return st;
    }
    case PERCAP_CHART_FUNNEL:
    case PERCAP_CHART_TIMELINE: return 0;
    }
    return 0;
}

static int run(plot_args *a)
{
    plot_job j = {.a = a};
    cli_analysis an = {0};
    int status = (j.notes = percap_notes_alloc()) ? 0 : CLI_NOMEM;
    if (status == 0 && a->kind == PERCAP_CHART_TIMELINE) {
        status = prepare_timeline(&j);
    } else if (status == 0 && (status = cli_analysis_run(&a->in, &an)) == 0) {
        j.an = &an;
        percap_notes_free(j.notes);
        status = (j.notes = percap_notes_alloc()) ? prepare(&j) : CLI_NOMEM;
    }
    if (status == 0) {
        j.info = chart_info(a);
        if (a->kind == PERCAP_CHART_TIMELINE)
            j.info.rates = NULL;
        status = write_out(&j);
    }
    job_free(&j);
    cli_analysis_free(&an);
    return status;
}

int cmd_plot(int argc, char **argv)
{
    plot_args a = {.labels = NAN, .top = NAN, .draws = NAN, .seed = NAN};
    cli_inputs_init(&a.in, "plot");
    bool help = false;
    int status = parse_args(&a, argc, argv, &help);
    if (help) {
        cli_inputs_print_help(usage_head, usage_tail, true);
        cli_inputs_free(&a.in);
        return CLI_OK;
    }
    if (status == 0)
        status = run(&a);
    cli_inputs_free(&a.in);
    return status;
}
