/* Loading and joining the inputs of an analysis command, then rates,
 * ranks and order: one path for rates, funnel, smooth and model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

static const char inputs_help[] =
    "Inputs:\n"
    "  --population FILE      denominators, one row per region\n"
    "  --population-col NAME  the denominator column (default: population)\n"
    "  --deaths FILE          counts by region\n"
    "  --count-col NAME       the count column of --deaths (default: deaths)\n"
    "  --records FILE         one row per death, counted by region\n"
    "  --date-col NAME        date column of --records (default: the one named *date*)\n"
    "  --since DATE, --until DATE  count only records dated in this range (inclusive)\n"
    "  --covariates FILE      numeric columns to carry along, joined by region (repeatable)\n"
    "  --covariate-cols A,B   only these covariate columns (default: every numeric one)\n"
    "  --regions FILE         region registry (default: the shipped datasets/regions.csv)\n"
    "  --region-col NAME      the region column, in every file that has it\n"
    "  --delimiter D          ',', ';' or 'tab' (default: detected from the header)\n"
    "  --allow-unmatched      drop rows whose region is unknown instead of failing\n"
    "\n"
    "Rates:\n"
    "  --per N                rate base (default: 100000)\n"
    "  --level L              confidence level (default: 0.95)\n";

static const char rate_table_help[] =
    "  --ci METHOD            exact (Garwood, default), byar, wilson or normal\n"
    "  --suppress N           flag counts <= N as 'suppressed' (default: 9)\n"
    "  --unreliable N         flag counts < N as 'unreliable' (default: 20)\n"
    "  --sort KEY             rate (default), deaths, lower or name\n"
    "  --pooled               add a row for all regions together\n";

static const char output_help[] =
    "\n"
    "Output:\n"
    "  --format FMT           csv (default), json or md\n"
    "  -o, --output FILE      write here (atomically) instead of standard output\n"
    "  -q, --quiet            no notes on standard error\n";

void cli_inputs_init(cli_inputs *in, const char *command)
{
    memset(in, 0, sizeof *in);
    cli_common_init(&in->common, command);
    percap_rate_options_default(&in->rates);
    in->population_col = "population";
    in->count_col = "deaths";
}

void cli_inputs_free(cli_inputs *in)
{
    free(in->covariate_cols_buf);
    in->covariate_cols_buf = NULL;
}

static int split_columns(cli_inputs *in, const char *arg)
{
    free(in->covariate_cols_buf);
    if (!(in->covariate_cols_buf = strdup(arg)))
        return -2; /* out of memory */
    in->ncovariate_cols = 0;
    char *save = NULL;
    for (char *c = strtok_r(in->covariate_cols_buf, ",", &save); c;
         c = strtok_r(NULL, ",", &save)) {
        if (in->ncovariate_cols == CLI_MAX_FILES)
            return cli_usage_error(in->common.command, "at most %d --covariate-cols",
                                   CLI_MAX_FILES), -1;
        in->covariate_cols[in->ncovariate_cols++] = c;
    }
    in->covariate_cols[in->ncovariate_cols] = NULL;
    return 0;
}

static int parsed(bool ok) { return ok ? 1 : -1; }

static int choice_option(cli_inputs *in, int opt, const char *arg)
{
    const char *cmd = in->common.command;
    switch (opt) {
    case 2008:
        if (in->ncovariates == CLI_MAX_FILES)
            return cli_usage_error(cmd, "at most %d --covariates files", CLI_MAX_FILES), -1;
        in->covariates[in->ncovariates++] = arg;
        return 1;
    case 2009: {
        int st = split_columns(in, arg);
        return st == 0 ? 1 : st;
    }
    case 2011:
        if (percap_ci_method_parse(arg, &in->rates.method) != 0)
            return cli_usage_error(cmd, "--ci must be exact, byar, wilson or normal (got '%s')",
                                   arg), -1;
        return 1;
    case 2015:
        if (percap_sort_key_parse(arg, &in->sort) != 0)
            return cli_usage_error(cmd, "--sort must be rate, deaths, lower or name (got '%s')",
                                   arg), -1;
        return 1;
    }
    return 0;
}

int cli_inputs_option(cli_inputs *in, int opt, const char *arg)
{
    int common = cli_common_option(&in->common, opt, arg);
    if (common != 0)
        return common;
    const cli_common *c = &in->common;
    switch (opt) {
    case 2000: in->population = arg; return 1;
    case 2001: in->population_col = arg; return 1;
    case 2002: in->deaths = arg; return 1;
    case 2003: in->count_col = arg; return 1;
    case 2004: in->records = arg; return 1;
    case 2005: in->rec.date_col = arg; return 1;
    case 2006: in->rec.has_since = true; return parsed(cli_parse_date(c, "--since", arg, &in->rec.since));
    case 2007: in->rec.has_until = true; return parsed(cli_parse_date(c, "--until", arg, &in->rec.until));
    case 2010: return parsed(cli_parse_double(c, "--per", arg, &in->rates.per));
    case 2012: return parsed(cli_parse_double(c, "--level", arg, &in->rates.level));
    case 2013: return parsed(cli_parse_double(c, "--suppress", arg, &in->rates.suppress_max));
    case 2014: return parsed(cli_parse_double(c, "--unreliable", arg, &in->rates.unreliable_below));
    case 2016: in->pooled = true; return 1;
    }
    return choice_option(in, opt, arg);
}

/* Settings are checked before any file is read, so a typo costs nothing. */
static int check_statistics(const cli_inputs *in)
{
    const percap_rate_options *r = &in->rates;
    const char *cmd = in->common.command;
    if (!(r->per > 0))
        return cli_usage_error(cmd, "--per must be a positive number (got '%g')", r->per);
    if (!(r->level > 0 && r->level < 1))
        return cli_usage_error(cmd, "--level must lie strictly between 0 and 1 (got '%g')",
                               r->level);
    if (r->suppress_max < 0 || r->unreliable_below < 0)
        return cli_usage_error(cmd, "--suppress and --unreliable must not be negative");
    return 0;
}

int cli_inputs_parse(cli_inputs *in, int argc, char **argv, const struct option *options,
                     cli_own_option own, void *ctx, bool *help)
{
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
        if (opt == 'h')
            return *help = true, 0;
        if (opt == '?')
            return cli_bad_option(&in->common, argv);
        int r = cli_inputs_option(in, opt, optarg);
        if (r < 0)
            return r == -2 ? CLI_NOMEM : CLI_USAGE;
        int st = r == 0 ? (own ? own(ctx, opt, optarg) : CLI_USAGE) : 0;
        if (st != 0)
            return st;
    }
    if (optind < argc)
        return cli_usage_error(in->common.command, "unexpected argument '%s'", argv[optind]);
    return 0;
}

void cli_inputs_print_help(const char *head, const char *tail, bool rate_table)
{
    printf("%s%s%s%s%s", head, inputs_help, rate_table ? rate_table_help : "", output_help,
           tail ? tail : "\n" CLI_EXIT_STATUS_HELP);
}

int cli_inputs_check(cli_inputs *in)
{
    const char *cmd = in->common.command;
    if (!in->population)
        return cli_usage_error(cmd, "--population FILE is required");
    if (in->ncovariate_cols && !in->ncovariates)
        return cli_usage_error(cmd, "--covariate-cols goes with --covariates FILE");
    if (!!in->deaths == !!in->records)
        return cli_usage_error(cmd, "give one of --deaths FILE or --records FILE");
    if (in->deaths && (in->rec.date_col || in->rec.has_since || in->rec.has_until))
        return cli_usage_error(cmd, "--date-col, --since and --until go with --records");
    if (check_statistics(in) != 0 || cli_check_period(&in->common, &in->rec) != 0)
        return CLI_USAGE;
    in->rec.csv = in->common.csv;
    in->rec.unmatched_hint = CLI_UNMATCHED_HINT;
    in->rec.allow_unmatched = in->common.allow_unmatched;
    in->rec.region_col = in->common.region_col;
    return 0;
}

/* The registry kept by cli_analysis_keep_registry. */
static struct {
    percap_registry *reg;
    char *regions_path;
} kept;

void cli_analysis_drop_registry(void)
{
    percap_registry_free(kept.reg);
    free(kept.regions_path);
    kept.reg = NULL;
    kept.regions_path = NULL;
}

void cli_analysis_keep_registry(const char *regions_path)
{
    cli_analysis_drop_registry();
    cli_common c;
    cli_common_init(&c, "regions");
    c.regions_path = regions_path;
    percap_error err;
    percap_error_clear(&err);
    if (regions_path && !(kept.regions_path = strdup(regions_path)))
        return;
    if (!(kept.reg = cli_load_registry(&c, &err)))
        cli_analysis_drop_registry();
}

static bool same_path(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static percap_registry *load_registry(cli_analysis *r)
{
    const cli_common *c = &r->in->common;
    r->shipped_kept = kept.reg && same_path(kept.regions_path, c->regions_path);
    return r->shipped_kept ? kept.reg : cli_load_registry(c, &r->err);
}

static percap_join_options join_options(cli_analysis *r, const percap_table *t)
{
    const cli_common *c = &r->in->common;
    percap_join_options o = {.allow_unmatched = c->allow_unmatched,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    if (c->region_col && percap_table_find(t, c->region_col) >= 0) {
        o.region_col = c->region_col;
        r->region_col_used = true;
    }
    return o;
}

static percap_table *read_table(cli_analysis *r, const char *path)
{
    return percap_table_read(path, &r->in->common.csv, &r->err);
}

static percap_status load_population(cli_analysis *r)
{
    percap_table *t = read_table(r, r->in->population);
    if (!t)
        return r->err.code;
    percap_join_options o = join_options(r, t);
    size_t col;
    percap_status st = percap_join_region_column(r->shipped, t, o.region_col, &col, NULL, &r->err);
    if (st == PERCAP_OK)
        st = percap_join_own_registry(r->shipped, t, col, &r->own, r->notes, &r->err);
    r->reg = r->own ? r->own : r->shipped;
    if (st == PERCAP_OK)
        st = percap_join_denominators(r->reg, t, r->in->population_col, &o, &r->areas,
                                      r->notes, &r->err);
    snprintf(r->denominator, sizeof r->denominator, "'%s' from %s", r->in->population_col,
             r->in->population);
    percap_table_free(t);
    return st;
}

static percap_status load_counts(cli_analysis *r)
{
    const cli_inputs *a = r->in;
    if (a->deaths) {
        percap_table *t = read_table(r, a->deaths);
        if (!t)
            return r->err.code;
        percap_join_options o = join_options(r, t);
        percap_status st = percap_join_counts(r->areas, t, a->count_col, &o, r->notes, &r->err);
        percap_table_free(t);
        return st;
    }
    percap_records *rec;
    if (percap_records_count(a->records, r->reg, &a->rec, &rec, r->notes, &r->err) != PERCAP_OK)
        return r->err.code;
    if (a->common.region_col && strcmp(rec->region_col, a->common.region_col) == 0)
        r->region_col_used = true;
    percap_join_options o = {.allow_unmatched = a->common.allow_unmatched,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    percap_status st = percap_join_count_array(r->areas, rec->counts, a->records, &o, r->notes,
                                               &r->err);
    percap_records_free(rec);
    return st;
}

/* The --covariate-cols this table has (all of them NULL-terminated). */
static const char *const *wanted_here(cli_analysis *r, const percap_table *t, const char **out)
{
    cli_inputs *a = (cli_inputs *)r->in;
    size_t n = 0;
    for (size_t i = 0; i < a->ncovariate_cols; i++)
        if (percap_table_find(t, a->covariate_cols[i]) >= 0) {
            out[n++] = a->covariate_cols[i];
            a->covariate_col_found[i] = true;
        }
    out[n] = NULL;
    return out;
}

static percap_status load_covariates(cli_analysis *r)
{
    const cli_inputs *a = r->in;
    for (size_t i = 0; i < a->ncovariates; i++) {
        percap_table *t = read_table(r, a->covariates[i]);
        if (!t)
            return r->err.code;
        percap_join_options o = join_options(r, t);
        const char *cols[CLI_MAX_FILES + 1];
        const char *const *wanted = a->ncovariate_cols ? wanted_here(r, t, cols) : NULL;
        percap_status st = wanted && !wanted[0] ? PERCAP_OK
                           : percap_join_covariates(r->areas, t, wanted, &o, r->notes, &r->err);
        percap_table_free(t);
        if (st != PERCAP_OK)
            return st;
    }
    for (size_t i = 0; i < a->ncovariate_cols; i++)
        if (!a->covariate_col_found[i])
            return percap_error_set(&r->err, PERCAP_EUSAGE, NULL, 0, 0,
                                    "no --covariates file has a column '%s'", a->covariate_cols[i]);
    return PERCAP_OK;
}

static percap_status compute(cli_analysis *r)
{
    const cli_inputs *a = r->in;
    if (percap_rates_compute(r->areas, &a->rates, &r->err) != PERCAP_OK) {
        if (r->err.line > 0 && r->err.file[0] == '\0') /* the line of a denominator */
            snprintf(r->err.file, sizeof r->err.file, "%s", a->population);
        return r->err.code;
    }
    if (percap_rank_assign(r->areas, &r->err) != PERCAP_OK)
        return r->err.code;
    if (a->pooled && percap_rates_pooled(r->areas, &a->rates, &r->pooled, &r->err) != PERCAP_OK)
        return r->err.code;
    r->order = malloc(r->areas->n * sizeof *r->order);
    if (!r->order)
        return percap_error_set(&r->err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    return percap_rank_order(r->areas, a->sort, r->order, &r->err);
}


int cli_analysis_run(const cli_inputs *in, cli_analysis *r)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    percap_error_clear(&r->err);
    if (!(r->notes = percap_notes_alloc()))
        return CLI_NOMEM;
    if (!(r->shipped = load_registry(r)) || load_population(r) ||
        load_counts(r) || load_covariates(r)) {
        cli_print_notes(&in->common, r->notes);
        return cli_fail(&r->err);
    }
    cli_print_notes(&in->common, r->notes);
    if (in->common.region_col && !r->region_col_used)
        return cli_usage_error(in->common.command, "no input has a column '%s' (--region-col)",
                               in->common.region_col);
    if (compute(r) != PERCAP_OK)
        return cli_fail(&r->err);
    return 0;
}

void cli_analysis_free(cli_analysis *r)
{
    percap_areas_free(r->areas);
    percap_registry_free(r->own);
    if (!r->shipped_kept)
        percap_registry_free(r->shipped);
    percap_notes_free(r->notes);
    free(r->order);
    memset(r, 0, sizeof *r);
}

percap_report cli_analysis_report(const cli_analysis *r)
{
    const cli_inputs *in = r->in;
    return (percap_report){.areas = r->areas, .order = r->order,
                           .pooled = in->pooled ? &r->pooled : NULL, .rates = &in->rates,
                           .counted = in->deaths ? in->deaths : in->records,
                           .denominator = r->denominator};
}
