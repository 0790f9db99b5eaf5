/* The inputs every analysis command shares (rates, funnel, smooth, model):
 * a denominator table, counts or records, covariates and the rate
 * settings, loaded and joined into rates once, the same way each time. */
#ifndef PERCAP_CLI_ANALYSIS_H
#define PERCAP_CLI_ANALYSIS_H

#include "cli.h"

#define CLI_MAX_FILES 32

typedef struct cli_inputs {
    cli_common common;
    const char *population, *population_col;
    const char *deaths, *count_col;
    const char *records;
    percap_records_options rec;
    const char *covariates[CLI_MAX_FILES];
    size_t ncovariates;
    char *covariate_cols_buf;
    const char *covariate_cols[CLI_MAX_FILES + 1];
    size_t ncovariate_cols;
    bool covariate_col_found[CLI_MAX_FILES];
    percap_rate_options rates;
    percap_sort_key sort;
    bool pooled;
} cli_inputs;

/* getopt_long codes 2000-2099 belong to these options. */
#define CLI_INPUT_OPTIONS                                            \
    {"population", required_argument, NULL, 2000},                   \
    {"population-col", required_argument, NULL, 2001},               \
    {"deaths", required_argument, NULL, 2002},                       \
    {"count-col", required_argument, NULL, 2003},                    \
    {"records", required_argument, NULL, 2004},                      \
    {"date-col", required_argument, NULL, 2005},                     \
    {"since", required_argument, NULL, 2006},                        \
    {"until", required_argument, NULL, 2007},                        \
    {"covariates", required_argument, NULL, 2008},                   \
    {"covariate-cols", required_argument, NULL, 2009},               \
    {"per", required_argument, NULL, 2010},                          \
    {"level", required_argument, NULL, 2012}

/* The settings of a printed table of rates: not for commands whose
 * output they would not change (model, correlate), which then refuse
 * them rather than take them silently. */
#define CLI_RATE_TABLE_OPTIONS                                       \
    {"ci", required_argument, NULL, 2011},                           \
    {"suppress", required_argument, NULL, 2013},                     \
    {"unreliable", required_argument, NULL, 2014},                   \
    {"sort", required_argument, NULL, 2015},                         \
    {"pooled", no_argument, NULL, 2016}

void cli_inputs_init(cli_inputs *in, const char *command);
void cli_inputs_free(cli_inputs *in);

/* 1 if `opt` was an input or common option, 0 if not, -1 if its value
 * was bad (reported), -2 if memory ran out (not reported). */
int cli_inputs_option(cli_inputs *in, int opt, const char *arg);

/* Checks the combination once all options are read: 0 or CLI_USAGE. */
int cli_inputs_check(cli_inputs *in);

/* The option loop of an analysis command: input and common options are
 * handled here, others passed to `own` (which returns 0 or an exit
 * status). Returns 0 to go on (with *help set for --help), else the exit
 * status; inputs are checked once all options are read. */
typedef int (*cli_own_option)(void *ctx, int opt, const char *arg);
int cli_inputs_parse(cli_inputs *in, int argc, char **argv, const struct option *options,
                     cli_own_option own, void *ctx, bool *help);

/* Prints the help of an analysis command: its head, the shared input
 * options (with those of CLI_RATE_TABLE_OPTIONS if it takes them), its
 * tail, which ends with the exit statuses. */
void cli_inputs_print_help(const char *head, const char *tail, bool rate_table);

typedef struct cli_analysis {
    const cli_inputs *in;
    percap_registry *shipped, *own;
    const percap_registry *reg;
    bool shipped_kept;          /* shipped is the kept one: not ours to free */
    percap_areas *areas;
    percap_area pooled;
    size_t *order;
    percap_notes *notes;
    percap_error err;
    bool region_col_used;
    char denominator[512];
} cli_analysis;

/* Loads, joins and computes rates, ranks and display order; prints the
 * notes. Returns 0, or the exit status after printing the error. */
int cli_analysis_run(const cli_inputs *in, cli_analysis *an);
void cli_analysis_free(cli_analysis *an);

/* The report for percap_output_rates, without extra columns. */
percap_report cli_analysis_report(const cli_analysis *an);

/* For a process that runs many analyses (percap reproduce runs a dozen,
 * in copies of itself): loads the registry once, now, so that every later
 * analysis taking the same --regions (NULL: the default) uses it instead
 * of building its own, the largest fixed cost of a small analysis. If it
 * cannot be loaded nothing is kept, and each analysis reports the error
 * itself. */
void cli_analysis_keep_registry(const char *regions_path);
void cli_analysis_drop_registry(void);

#endif
