/* percap rates: the ranked table of rates with intervals, and on request
 * the uncertainty of each rank and each region's rate ratio. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "rank_cache.h"

static const char usage_head[] =
    "Usage: percap rates --population FILE (--deaths FILE | --records FILE) [options]\n"
    "\n"
    "Rates of deaths per 100,000 (or --per N) by region, with confidence intervals,\n"
    "ranked highest first. Regions are matched across files whatever their spelling.\n"
    "\n"
    "Uncertainty of ranks (adds rank_median,rank_low,rank_high,p_top):\n"
    "  --rank-intervals M     simulation: each rate drawn from its Gamma(deaths + 1/2,\n"
    "                         1/denominator) posterior, ranks per draw (p_top =\n"
    "                         P(rank <= --top)); csranks: the confidence sets of\n"
    "                         Mogstad, Romano, Shaikh and Wilhelm (2023) on log-rates\n"
    "  --top K                for p_top (default: 10)\n"
    "  --draws N              simulation draws (default: 10000)\n"
    "  --seed S               random seed (default: fixed, so runs repeat exactly)\n"
    "  --marginal             csranks: sets for each region alone (default: all\n"
    "                         regions' ranks at once, simultaneous)\n"
    "\n"
    "Rate ratios (adds ratio,ratio_low,ratio_high; exact conditional binomial):\n"
    "  --ratios               each region against all others pooled\n"
    "  --reference REGION     each region against this one (e.g. Moscow)\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "Columns: rank,region_code,region_name,deaths,population,rate,ci_low,ci_high,flag,\n"
    "then the covariates, then the columns asked for above.\n" CLI_EXIT_STATUS_HELP;

enum { OPT_RANKS = 3300, OPT_TOP, OPT_DRAWS, OPT_SEED, OPT_MARGINAL, OPT_RATIOS,
       OPT_REFERENCE };

static const struct option long_options[] = {
    {"rank-intervals", required_argument, NULL, OPT_RANKS},
    {"top", required_argument, NULL, OPT_TOP},
    {"draws", required_argument, NULL, OPT_DRAWS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"marginal", no_argument, NULL, OPT_MARGINAL},
    {"ratios", no_argument, NULL, OPT_RATIOS},
    {"reference", required_argument, NULL, OPT_REFERENCE},
    CLI_INPUT_OPTIONS, CLI_RATE_TABLE_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

typedef enum { RANKS_NONE, RANKS_SIMULATION, RANKS_CSRANKS } rank_method;

typedef struct rates_run {
    cli_inputs in;
    rank_method ranks;
    percap_rank_sim_options sim;
    percap_csranks_options cs;
    bool ratios;
    const char *reference;
    const cli_analysis *an;
    percap_column cols[7];
    size_t ncols;
    double *values;          /* 7 columns of n */
    char note[256];
} rates_run;

static bool whole_option(const cli_common *c, const char *name, const char *arg, double min,
                         double *v)
{
    if (!cli_parse_double(c, name, arg, v))
        return false;
    if (*v >= min && *v == floor(*v) && *v < 4294967296.0)
        return true;
    cli_usage_error(c->command, "%s needs a whole number of at least %g (got '%s')", name, min,
                    arg);
    return false;
}

static int own_option(void *ctx, int opt, const char *arg)
{
    rates_run *r = ctx;
    const cli_common *c = &r->in.common;
    double v;
    switch (opt) {
    case OPT_RANKS:
        if (!strcmp(arg, "simulation") || !strcmp(arg, "csranks")) {
            r->ranks = arg[0] == 's' ? RANKS_SIMULATION : RANKS_CSRANKS;
            return 0;
        }
        return cli_usage_error("rates", "--rank-intervals must be simulation or csranks (got "
                               "'%s')", arg);
    case OPT_TOP: if (!whole_option(c, "--top", arg, 1, &v)) return CLI_USAGE;
        r->sim.top = (size_t)v; return 0;
    case OPT_DRAWS: if (!whole_option(c, "--draws", arg, 1, &v)) return CLI_USAGE;
        r->sim.draws = (size_t)v; r->cs.bootstrap = (size_t)v; return 0;
    case OPT_SEED: if (!whole_option(c, "--seed", arg, 0, &v)) return CLI_USAGE;
        r->sim.seed = r->cs.seed = (unsigned long)v; return 0;
    case OPT_MARGINAL: r->cs.simultaneous = false; return 0;
    case OPT_RATIOS: r->ratios = true; return 0;
    case OPT_REFERENCE: r->reference = arg; r->ratios = true; return 0;
    }
    return CLI_USAGE;
}

static void add_column(rates_run *r, const char *name, size_t k)
{
    r->cols[r->ncols++] = (percap_column){.name = name,
                                          .values = r->values + k * r->an->areas->n,
                                          .pooled = NAN,
                                          .whole = strncmp(name, "rank_", 5) == 0};
}

static percap_status rank_columns(rates_run *r, percap_error *err)
{
    const percap_areas *a = r->an->areas;
    percap_rank_interval *ri = malloc(a->n * sizeof *ri);
    if (!ri)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    r->sim.level = r->cs.level = r->in.rates.level;
    percap_status st = r->ranks == RANKS_SIMULATION
                           ? cli_rank_simulate(a, &r->sim, ri, err)
                           : percap_rank_intervals_csranks(a, &r->cs, ri, err);
    for (size_t i = 0; st == PERCAP_OK && i < a->n; i++) {
        r->values[i] = ri[i].median;
        r->values[a->n + i] = ri[i].low;
        r->values[2 * a->n + i] = ri[i].high;
        r->values[3 * a->n + i] = ri[i].p_top;
    }
    free(ri);
    add_column(r, "rank_median", 0);
    add_column(r, "rank_low", 1);
    add_column(r, "rank_high", 2);
    if (r->ranks == RANKS_SIMULATION)
        add_column(r, "p_top", 3);
    if (r->ranks == RANKS_SIMULATION)
        snprintf(r->note, sizeof r->note, "Rank intervals: %zu draws from each rate's "
                 "Gamma(deaths + 1/2) posterior, seed %lu; p_top = P(rank <= %zu).",
                 r->sim.draws, r->sim.seed, r->sim.top);
    else
        snprintf(r->note, sizeof r->note, "Rank intervals: %s confidence sets for ranks "
                 "(Mogstad, Romano, Shaikh and Wilhelm 2023) on log((deaths + 1/2)/denominator).",
                 r->cs.simultaneous ? "simultaneous" : "marginal");
    return st;
}

static percap_status ratio_columns(rates_run *r, percap_error *err)
{
    const percap_areas *a = r->an->areas;
    long ref = -1;
    if (r->reference) {
        long region = percap_registry_lookup(a->registry, r->reference);
        ref = region < 0 ? -1 : percap_areas_find(a, (size_t)region);
        if (ref < 0)
            return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                    "--reference '%s' is not a region of the table",
                                    r->reference);
    }
    percap_ratio *q = malloc(a->n * sizeof *q);
    if (!q)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    percap_status st = percap_ratio_compute(a, ref, r->in.rates.level, q, err);
    for (size_t i = 0; st == PERCAP_OK && i < a->n; i++) {
        r->values[4 * a->n + i] = q[i].ratio;
        r->values[5 * a->n + i] = q[i].low;
        r->values[6 * a->n + i] = q[i].high;
    }
    free(q);
    add_column(r, "ratio", 4);
    add_column(r, "ratio_low", 5);
    add_column(r, "ratio_high", 6);
    return st;
}

static percap_status write_table(FILE *fp, const void *ctx, percap_error *err)
{
    const rates_run *r = ctx;
    const char *notes[] = {r->note[0] ? r->note : NULL, NULL};
    percap_report rep = cli_analysis_report(r->an);
    rep.extra = r->cols;
    rep.nextra = r->ncols;
    rep.notes = notes;
    return percap_output_rates(fp, r->in.common.format, &rep, err);
}

static int run(rates_run *r)
{
    percap_error err;
    percap_error_clear(&err);
    if (!(r->values = calloc(7 * r->an->areas->n, sizeof *r->values)))
        return CLI_NOMEM;
    if ((r->ranks != RANKS_NONE && rank_columns(r, &err) != PERCAP_OK) ||
        (r->ratios && ratio_columns(r, &err) != PERCAP_OK))
        return cli_fail(&err);
    return cli_write_output(&r->in.common, write_table, r);
}

int cmd_rates(int argc, char **argv)
{
    rates_run r = {0};
    cli_inputs_init(&r.in, "rates");
    percap_rank_sim_options_default(&r.sim);
    percap_csranks_options_default(&r.cs);
    bool help = false;
    int status = cli_inputs_parse(&r.in, argc, argv, long_options, own_option, &r, &help);
    if (status == 0 && !help)
        status = cli_inputs_check(&r.in);
    if (help)
        cli_inputs_print_help(usage_head, usage_tail, true);
    cli_analysis an = {0};
    r.an = &an;
    if (!help && status == 0 && (status = cli_analysis_run(&r.in, &an)) == 0)
        status = run(&r);
    free(r.values);
    cli_analysis_free(&an);
    cli_inputs_free(&r.in);
    return help ? CLI_OK : status;
}
