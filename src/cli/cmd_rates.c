/* percap rates: the ranked table of rates with intervals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_COVARIATE_FILES 32

static const char usage[] =
    "Usage: percap rates --population FILE (--deaths FILE | --records FILE) [options]\n"
    "\n"
    "Rates of deaths per 100,000 (or --per N) by region, with confidence intervals,\n"
    "ranked highest first. Regions are matched across files whatever their spelling.\n"
    "\n"
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
    "Statistics:\n"
    "  --per N                rate base (default: 100000)\n"
    "  --ci METHOD            exact (Garwood, default), byar, wilson or normal\n"
    "  --level L              confidence level (default: 0.95)\n"
    "  --suppress N           flag counts <= N as 'suppressed' (default: 9)\n"
    "  --unreliable N         flag counts < N as 'unreliable' (default: 20)\n"
    "  --sort KEY             rate (default), deaths, lower or name\n"
    "  --pooled               add a row for all regions together\n"
    "\n"
    "Output:\n"
    "  --format FMT           csv (default), json or md\n"
    "  -o, --output FILE      write here (atomically) instead of standard output\n"
    "  -q, --quiet            no notes on standard error\n"
    "\n"
    "Columns: rank,region_code,region_name,deaths,population,rate,ci_low,ci_high,flag,\n"
    "then the covariates. Exit status: 0 ok, 1 bad data, 2 bad usage, 3 I/O error,\n"
    "4 out of memory.\n";

typedef struct rates_args {
    cli_common common;
    const char *population, *population_col;
    const char *deaths, *count_col;
    const char *records;
    percap_records_options rec;
    const char *covariates[MAX_COVARIATE_FILES];
    size_t ncovariates;
    char *covariate_cols_buf;
    const char *covariate_cols[MAX_COVARIATE_FILES + 1];
    size_t ncovariate_cols;
    bool covariate_col_found[MAX_COVARIATE_FILES];
    percap_rate_options rates;
    percap_sort_key sort;
    bool pooled;
} rates_args;

enum { OPT_POP = 2000, OPT_POPCOL, OPT_DEATHS, OPT_COUNTCOL, OPT_RECORDS, OPT_DATECOL,
       OPT_SINCE, OPT_UNTIL, OPT_COV, OPT_PER, OPT_CI, OPT_LEVEL, OPT_SUPPRESS,
       OPT_UNRELIABLE, OPT_SORT, OPT_POOLED, OPT_COVCOLS };

static const struct option long_options[] = {
    {"population", required_argument, NULL, OPT_POP},
    {"population-col", required_argument, NULL, OPT_POPCOL},
    {"deaths", required_argument, NULL, OPT_DEATHS},
    {"count-col", required_argument, NULL, OPT_COUNTCOL},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"date-col", required_argument, NULL, OPT_DATECOL},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"covariates", required_argument, NULL, OPT_COV},
    {"covariate-cols", required_argument, NULL, OPT_COVCOLS},
    {"per", required_argument, NULL, OPT_PER},
    {"ci", required_argument, NULL, OPT_CI},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"suppress", required_argument, NULL, OPT_SUPPRESS},
    {"unreliable", required_argument, NULL, OPT_UNRELIABLE},
    {"sort", required_argument, NULL, OPT_SORT},
    {"pooled", no_argument, NULL, OPT_POOLED},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

static int split_columns(rates_args *a, const char *arg)
{
    free(a->covariate_cols_buf);
    if (!(a->covariate_cols_buf = strdup(arg)))
        return -1;
    a->ncovariate_cols = 0;
    char *save = NULL;
    for (char *c = strtok_r(a->covariate_cols_buf, ",", &save); c;
         c = strtok_r(NULL, ",", &save)) {
        if (a->ncovariate_cols == MAX_COVARIATE_FILES)
            return cli_usage_error("rates", "at most %d --covariate-cols", MAX_COVARIATE_FILES), -1;
        a->covariate_cols[a->ncovariate_cols++] = c;
    }
    a->covariate_cols[a->ncovariate_cols] = NULL;
    return 0;
}

/* Options that take a value; -1 on a bad value (already reported). */
static int value_option(rates_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_POP: a->population = arg; return 0;
    case OPT_POPCOL: a->population_col = arg; return 0;
    case OPT_DEATHS: a->deaths = arg; return 0;
    case OPT_COUNTCOL: a->count_col = arg; return 0;
    case OPT_RECORDS: a->records = arg; return 0;
    case OPT_DATECOL: a->rec.date_col = arg; return 0;
    case OPT_SINCE: a->rec.has_since = true; return cli_parse_date(&a->common, "--since", arg, &a->rec.since) ? 0 : -1;
    case OPT_UNTIL: a->rec.has_until = true; return cli_parse_date(&a->common, "--until", arg, &a->rec.until) ? 0 : -1;
    case OPT_PER: return cli_parse_double(&a->common, "--per", arg, &a->rates.per) ? 0 : -1;
    case OPT_LEVEL: return cli_parse_double(&a->common, "--level", arg, &a->rates.level) ? 0 : -1;
    case OPT_SUPPRESS: return cli_parse_double(&a->common, "--suppress", arg, &a->rates.suppress_max) ? 0 : -1;
    case OPT_UNRELIABLE:
        return cli_parse_double(&a->common, "--unreliable", arg, &a->rates.unreliable_below) ? 0 : -1;
    case OPT_POOLED: a->pooled = true; return 0;
    case OPT_COVCOLS: return split_columns(a, arg);
    case OPT_COV:
        if (a->ncovariates == MAX_COVARIATE_FILES)
            return cli_usage_error("rates", "at most %d --covariates files", MAX_COVARIATE_FILES), -1;
        a->covariates[a->ncovariates++] = arg;
        return 0;
    case OPT_CI:
        if (percap_ci_method_parse(arg, &a->rates.method) != 0)
            return cli_usage_error("rates", "--ci must be exact, byar, wilson or normal (got '%s')", arg), -1;
        return 0;
    case OPT_SORT:
        if (percap_sort_key_parse(arg, &a->sort) != 0)
            return cli_usage_error("rates", "--sort must be rate, deaths, lower or name (got '%s')", arg), -1;
        return 0;
    }
    return cli_usage_error("rates", "unknown option"), -1;
}

/* Settings are checked before any file is read, so a typo costs nothing. */
static int check_statistics(const rates_args *a)
{
    const percap_rate_options *r = &a->rates;
    if (!(r->per > 0))
        return cli_usage_error("rates", "--per must be a positive number (got '%g')", r->per);
    if (!(r->level > 0 && r->level < 1))
        return cli_usage_error("rates", "--level must lie strictly between 0 and 1 (got '%g')",
                               r->level);
    if (r->suppress_max < 0 || r->unreliable_below < 0)
        return cli_usage_error("rates", "--suppress and --unreliable must not be negative");
    return 0;
}

/* 0 to go on, else the exit status. */
static int parse_args(rates_args *a, int argc, char **argv, bool *help)
{
    cli_common_init(&a->common, "rates");
    percap_rate_options_default(&a->rates);
    a->population_col = "population";
    a->count_col = "deaths";
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
        if (opt == 'h') {
            *help = true;
            return 0;
        }
        if (opt == '?')
            return cli_bad_option(&a->common, argv);
        int r = cli_common_option(&a->common, opt, optarg);
        if (r < 0 || (r == 0 && value_option(a, opt, optarg) != 0))
            return CLI_USAGE;
    }
    if (optind < argc)
        return cli_usage_error("rates", "unexpected argument '%s'", argv[optind]);
    if (!a->population)
        return cli_usage_error("rates", "--population FILE is required");
    if (a->ncovariate_cols && !a->ncovariates)
        return cli_usage_error("rates", "--covariate-cols goes with --covariates FILE");
    if (!!a->deaths == !!a->records)
        return cli_usage_error("rates", "give one of --deaths FILE or --records FILE");
    if (a->deaths && (a->rec.date_col || a->rec.has_since || a->rec.has_until))
        return cli_usage_error("rates", "--date-col, --since and --until go with --records");
    if (check_statistics(a) != 0)
        return CLI_USAGE;
    if (cli_check_period(&a->common, &a->rec) != 0)
        return CLI_USAGE;
    a->rec.csv = a->common.csv;
    a->rec.unmatched_hint = CLI_UNMATCHED_HINT;
    a->rec.allow_unmatched = a->common.allow_unmatched;
    a->rec.region_col = a->common.region_col;
    return 0;
}

typedef struct run {
    const rates_args *args;
    percap_registry *shipped, *own;
    const percap_registry *reg;
    percap_areas *areas;
    percap_area pooled;
    size_t *order;
    percap_notes *notes;
    percap_error err;
    bool region_col_used;
    char denominator[512];
} run;

static percap_join_options join_options(run *r, const percap_table *t)
{
    const cli_common *c = &r->args->common;
    percap_join_options o = {.allow_unmatched = c->allow_unmatched,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    if (c->region_col && percap_table_find(t, c->region_col) >= 0) {
        o.region_col = c->region_col;
        r->region_col_used = true;
    }
    return o;
}

static percap_table *read_table(run *r, const char *path)
{
    return percap_table_read(path, &r->args->common.csv, &r->err);
}

static percap_status load_population(run *r)
{
    percap_table *t = read_table(r, r->args->population);
    if (!t)
        return r->err.code;
    percap_join_options o = join_options(r, t);
    size_t col;
    percap_status st = percap_join_region_column(r->shipped, t, o.region_col, &col, NULL, &r->err);
    if (st == PERCAP_OK)
        st = percap_join_own_registry(r->shipped, t, col, &r->own, r->notes, &r->err);
    r->reg = r->own ? r->own : r->shipped;
    if (st == PERCAP_OK)
        st = percap_join_denominators(r->reg, t, r->args->population_col, &o, &r->areas,
                                      r->notes, &r->err);
    snprintf(r->denominator, sizeof r->denominator, "'%s' from %s", r->args->population_col,
             r->args->population);
    percap_table_free(t);
    return st;
}

static percap_status load_counts(run *r)
{
    const rates_args *a = r->args;
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
static const char *const *wanted_here(run *r, const percap_table *t, const char **out)
{
    rates_args *a = (rates_args *)r->args;
    size_t n = 0;
    for (size_t i = 0; i < a->ncovariate_cols; i++)
        if (percap_table_find(t, a->covariate_cols[i]) >= 0) {
            out[n++] = a->covariate_cols[i];
            a->covariate_col_found[i] = true;
        }
    out[n] = NULL;
    return out;
}

static percap_status load_covariates(run *r)
{
    const rates_args *a = r->args;
    for (size_t i = 0; i < a->ncovariates; i++) {
        percap_table *t = read_table(r, a->covariates[i]);
        if (!t)
            return r->err.code;
        percap_join_options o = join_options(r, t);
        const char *cols[MAX_COVARIATE_FILES + 1];
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

static percap_status compute(run *r)
{
    const rates_args *a = r->args;
    if (percap_rates_compute(r->areas, &a->rates, &r->err) != PERCAP_OK ||
        percap_rank_assign(r->areas, &r->err) != PERCAP_OK)
        return r->err.code;
    if (a->pooled && percap_rates_pooled(r->areas, &a->rates, &r->pooled, &r->err) != PERCAP_OK)
        return r->err.code;
    r->order = malloc(r->areas->n * sizeof *r->order);
    if (!r->order)
        return percap_error_set(&r->err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    return percap_rank_order(r->areas, a->sort, r->order, &r->err);
}

static percap_status write_table(FILE *fp, const void *ctx, percap_error *err)
{
    const run *r = ctx;
    percap_report rep = {.areas = r->areas, .order = r->order,
                         .pooled = r->args->pooled ? &r->pooled : NULL,
                         .rates = &r->args->rates,
                         .counted = r->args->deaths ? r->args->deaths : r->args->records,
                         .denominator = r->denominator};
    return percap_output_rates(fp, r->args->common.format, &rep, err);
}

static int finish(run *r, int status)
{
    percap_areas_free(r->areas);
    percap_registry_free(r->own);
    percap_registry_free(r->shipped);
    percap_notes_free(r->notes);
    free(r->order);
    free(((rates_args *)r->args)->covariate_cols_buf);
    return status;
}

int cmd_rates(int argc, char **argv)
{
    rates_args args = {0};
    bool help = false;
    int status = parse_args(&args, argc, argv, &help);
    if (help)
        return fputs(usage, stdout), CLI_OK;
    if (status != 0)
        return status;
    run r = {.args = &args, .notes = percap_notes_alloc()};
    percap_error_clear(&r.err);
    if (!r.notes)
        return CLI_NOMEM;
    if (!(r.shipped = cli_load_registry(&args.common, &r.err)) || load_population(&r) ||
        load_counts(&r) || load_covariates(&r)) {
        cli_print_notes(&args.common, r.notes);
        return finish(&r, cli_fail(&r.err));
    }
    if (args.common.region_col && !r.region_col_used)
        return finish(&r, cli_usage_error("rates", "no input has a column '%s' (--region-col)",
                                          args.common.region_col));
    cli_print_notes(&args.common, r.notes);
    if (compute(&r) != PERCAP_OK)
        return finish(&r, cli_fail(&r.err));
    return finish(&r, cli_write_output(&args.common, write_table, &r));
}
