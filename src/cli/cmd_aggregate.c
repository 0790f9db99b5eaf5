/* percap aggregate: a record list counted by region (and month). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: percap aggregate --records FILE [options]\n"
    "\n"
    "Counts a list with one row per death by region; writes\n"
    "region_code,region_name,deaths (with --by month: region_code,region_name,month,deaths).\n"
    "Rows without a region, with an unusable date or outside the period are counted\n"
    "and reported on standard error.\n"
    "\n"
    "  --records FILE       the list\n"
    "  --date-col NAME      the date column (default: the one named *date*)\n"
    "  --since DATE, --until DATE  keep rows dated in this range (inclusive)\n"
    "  --by month           count by calendar month too\n"
    "  --zeros              list every region of the registry, 0 where it has no deaths\n"
    "  --zeros-from FILE    list the regions of FILE's region column, 0 where no deaths\n"
    "  --regions FILE, --region-col NAME, --delimiter D, --allow-unmatched,\n"
    "  -o FILE, -q          as for 'percap rates'\n"
    "\n" CLI_EXIT_STATUS_HELP;

enum { OPT_RECORDS = 2000, OPT_DATECOL, OPT_SINCE, OPT_UNTIL, OPT_BY, OPT_ZEROS, OPT_ZEROS_FROM };

static const struct option long_options[] = {
    {"records", required_argument, NULL, OPT_RECORDS},
    {"date-col", required_argument, NULL, OPT_DATECOL},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"by", required_argument, NULL, OPT_BY},
    {"zeros", no_argument, NULL, OPT_ZEROS},
    {"zeros-from", required_argument, NULL, OPT_ZEROS_FROM},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

typedef struct agg {
    cli_common common;
    const char *records;
    percap_records_options opts;
    bool zeros;
    const char *zeros_from;
    bool *listed;
    const percap_registry *reg;
    percap_records *rec;
} agg;

static int own_option(agg *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_RECORDS: a->records = arg; return 0;
    case OPT_DATECOL: a->opts.date_col = arg; return 0;
    case OPT_SINCE: a->opts.has_since = true;
        return cli_parse_date(&a->common, "--since", arg, &a->opts.since) ? 0 : CLI_USAGE;
    case OPT_UNTIL: a->opts.has_until = true;
        return cli_parse_date(&a->common, "--until", arg, &a->opts.until) ? 0 : CLI_USAGE;
    case OPT_ZEROS: a->zeros = true; return 0;
    case OPT_ZEROS_FROM: a->zeros_from = arg; return 0;
    case OPT_BY:
        if (strcmp(arg, "month") != 0)
            return cli_usage_error("aggregate", "--by takes 'month' (got '%s')", arg);
        a->opts.by_month = true;
        return 0;
    }
    return CLI_USAGE;
}

static int parse_args(agg *a, int argc, char **argv, bool *help)
{
    cli_common_init(&a->common, "aggregate");
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
        if (opt == 'h')
            return *help = true, 0;
        if (opt == '?')
            return cli_bad_option(&a->common, argv);
        int r = cli_common_option(&a->common, opt, optarg);
        if (r < 0)
            return CLI_USAGE;
        int st = r == 0 ? own_option(a, opt, optarg) : 0;
        if (st != 0)
            return st;
    }
    if (optind < argc)
        return cli_usage_error("aggregate", "unexpected argument '%s'", argv[optind]);
    if (!a->records)
        return cli_usage_error("aggregate", "--records FILE is required");
    if (a->common.format != PERCAP_FORMAT_CSV)
        return cli_usage_error("aggregate", "--format: counts are written as CSV only");
    if (cli_check_period(&a->common, &a->opts) != 0)
        return CLI_USAGE;
    a->opts.csv = a->common.csv;
    a->opts.unmatched_hint = CLI_UNMATCHED_HINT;
    a->opts.region_col_required = true;
    a->opts.region_col = a->common.region_col;
    a->opts.allow_unmatched = a->common.allow_unmatched;
    return 0;
}

static percap_status write_counts(FILE *fp, const void *ctx, percap_error *err)
{
    const agg *a = ctx;
    return percap_output_counts(fp, a->reg, a->rec, a->opts.by_month, a->listed, err);
}

/* Which regions to list even with no deaths: all (--zeros), those of a
 * file (--zeros-from), or none. */
static percap_status list_regions(agg *a, percap_notes *notes, percap_error *err)
{
    size_t n = percap_registry_size(a->reg);
    if (!a->zeros && !a->zeros_from)
        return PERCAP_OK;
    if (!(a->listed = calloc(n, sizeof *a->listed)))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        a->listed[i] = a->zeros;
    if (!a->zeros_from)
        return PERCAP_OK;
    percap_table *t = percap_table_read(a->zeros_from, &a->common.csv, err);
    if (!t)
        return err->code;
    percap_join_options o = {.allow_unmatched = a->common.allow_unmatched};
    percap_areas *areas = NULL;
    percap_status st = percap_join_areas(a->reg, t, &o, &areas, notes, err);
    for (size_t i = 0; st == PERCAP_OK && i < areas->n; i++)
        a->listed[areas->rows[i].region] = true;
    percap_areas_free(areas);
    percap_table_free(t);
    return st;
}

int cmd_aggregate(int argc, char **argv)
{
    agg a = {0};
    bool help = false;
    int status = parse_args(&a, argc, argv, &help);
    if (help)
        return fputs(usage, stdout), CLI_OK;
    if (status)
        return status;
    percap_error err;
    percap_error_clear(&err);
    percap_notes *notes = percap_notes_alloc();
    percap_registry *reg = cli_load_registry(&a.common, &err);
    a.reg = reg;
    if (!notes || !reg || list_regions(&a, notes, &err) != PERCAP_OK ||
        percap_records_count(a.records, reg, &a.opts, &a.rec, notes, &err) != PERCAP_OK) {
        cli_print_notes(&a.common, notes);
        status = notes ? cli_fail(&err) : CLI_NOMEM;
    }
    else {
        cli_print_notes(&a.common, notes);
        status = cli_write_output(&a.common, write_counts, &a);
    }
    percap_records_free(a.rec);
    free(a.listed);
    percap_registry_free(reg);
    percap_notes_free(notes);
    return status;
}
