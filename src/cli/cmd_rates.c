/* percap rates: the ranked table of rates with intervals. */
#include <stdio.h>

#include "analysis.h"

static const char usage_head[] =
    "Usage: percap rates --population FILE (--deaths FILE | --records FILE) [options]\n"
    "\n"
    "Rates of deaths per 100,000 (or --per N) by region, with confidence intervals,\n"
    "ranked highest first. Regions are matched across files whatever their spelling.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "Columns: rank,region_code,region_name,deaths,population,rate,ci_low,ci_high,flag,\n"
    "then the covariates. Exit status: 0 ok, 1 bad data, 2 bad usage, 3 I/O error,\n"
    "4 out of memory.\n";

static const struct option long_options[] = {CLI_INPUT_OPTIONS, CLI_COMMON_OPTIONS,
                                             {NULL, 0, NULL, 0}};

static percap_status write_table(FILE *fp, const void *ctx, percap_error *err)
{
    const cli_analysis *an = ctx;
    percap_report rep = cli_analysis_report(an);
    return percap_output_rates(fp, an->in->common.format, &rep, err);
}

int cmd_rates(int argc, char **argv)
{
    cli_inputs in;
    cli_inputs_init(&in, "rates");
    bool help = false;
    int status = cli_inputs_parse(&in, argc, argv, long_options, NULL, NULL, &help);
    if (status == 0 && !help)
        status = cli_inputs_check(&in);
    if (help) {
        cli_inputs_print_help(usage_head, usage_tail);
        cli_inputs_free(&in);
        return CLI_OK;
    }
    cli_analysis an = {0};
    if (status == 0 && (status = cli_analysis_run(&in, &an)) == 0)
        status = cli_write_output(&in.common, write_table, &an);
    cli_analysis_free(&an);
    cli_inputs_free(&in);
    return status;
}
