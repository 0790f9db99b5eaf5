/* percap: the command-line front end. Only dispatch lives here. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: percap COMMAND [options]\n"
    "\n"
    "Per-capita rates of deaths by region, with honest uncertainty.\n"
    "\n"
    "Commands:\n"
    "  rates       ranked table of rates with confidence intervals\n"
    "  model       regression of rates or counts on regional characteristics\n"
    "  correlate   Pearson and Spearman correlations with intervals\n"
    "  smooth      empirical-Bayes smoothed rates for small areas\n"
    "  funnel      which regions lie outside the funnel limits around the overall rate\n"
    "  reproduce   the Lenton (2022) and Bessudnov (2023) analyses, as a report\n"
    "  aggregate   count a one-row-per-death list by region (and month)\n"
    "  join        join tables from different sources on region\n"
    "  check       validate dataset files\n"
    "  regions     list the region registry, or resolve names against it\n"
    "  plot        charts as gnuplot scripts, drawn to PNG and SVG\n"
    "\n"
    "'percap COMMAND --help' describes each; 'percap --version' prints the version.\n"
    CLI_EXIT_STATUS_HELP;

static const struct {
    const char *name;
    int (*run)(int, char **);
} commands[] = {
    {"rates", cmd_rates},   {"aggregate", cmd_aggregate}, {"join", cmd_join},
    {"check", cmd_check},   {"regions", cmd_regions}, {"model", cmd_model},
    {"correlate", cmd_correlate}, {"smooth", cmd_smooth},
    {"funnel", cmd_funnel}, {"reproduce", cmd_reproduce},
    {"plot", cmd_plot},
};

int cli_dispatch(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[0], commands[i].name))
            return commands[i].run(argc, argv);
    return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
}

int main(int argc, char **argv)
{
    opterr = 0; /* the commands report bad options themselves */
    if (argc < 2)
        return fputs(usage, stderr), CLI_USAGE;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return fputs(usage, stdout), CLI_OK;
    if (!strcmp(argv[1], "--version"))
        return printf("percap %s\n", PERCAP_VERSION), CLI_OK;
    int status = cli_dispatch(argc - 1, argv + 1);
    /* some paths give up on a failed allocation with no message of their
     * own (notes, buffers): the status alone would leave the user guessing */
    if (status == CLI_NOMEM && !cli_error_told())
        fputs("percap: out of memory\n", stderr);
    return status;
}
