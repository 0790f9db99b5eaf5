/* The command-line tool: option parsing shared by the subcommands. The
 * tool only parses, calls the library, and turns errors into messages and
 * exit statuses. */
#ifndef PERCAP_CLI_H
#define PERCAP_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "percap/percap.h"
#include "percap/output_model.h"

/* Exit statuses: the library's codes, documented in --help. */
enum { CLI_OK = 0, CLI_DATA = 1, CLI_USAGE = 2, CLI_IO = 3, CLI_NOMEM = 4 };

typedef struct cli_common {
    const char *regions_path;   /* --regions */
    percap_csv_options csv;     /* --delimiter */
    const char *region_col;     /* --region-col */
    bool allow_unmatched;       /* --allow-unmatched */
    const char *output;         /* -o, "-" for stdout */
    percap_format format;       /* --format */
    bool quiet;                 /* -q: no notes on stderr */
    const char *command;        /* the subcommand, for messages */
} cli_common;

/* Long options every subcommand takes; to be appended to its own. */
#define CLI_COMMON_OPTIONS                                          \
    {"regions", required_argument, NULL, 1001},                     \
    {"delimiter", required_argument, NULL, 1002},                   \
    {"region-col", required_argument, NULL, 1003},                  \
    {"allow-unmatched", no_argument, NULL, 1004},                   \
    {"output", required_argument, NULL, 'o'},                       \
    {"format", required_argument, NULL, 1005},                      \
    {"quiet", no_argument, NULL, 'q'},                              \
    {"help", no_argument, NULL, 'h'}

/* `command` names the subcommand in messages ("Try 'percap rates --help'"). */
void cli_common_init(cli_common *c, const char *command);

/* Handles a common option: 1 if it was one, 0 if not, -1 if its value is
 * bad (after printing why). */
int cli_common_option(cli_common *c, int opt, const char *arg);

/* Loads the registry: --regions, else $PERCAP_REGIONS, else the shipped
 * datasets/regions.csv beside the executable or where it was installed. */
percap_registry *cli_load_registry(const cli_common *c, percap_error *err);

/* The shipped datasets folder: ./datasets when run from the repository,
 * else beside the executable, else where it was installed. */
const char *cli_find_datasets(char *buf, size_t size);

/* Prints "percap: FILE:LINE:COLUMN: message" and returns the exit status. */
int cli_fail(const percap_error *err);
int cli_usage_error(const char *command, const char *fmt, ...) PERCAP_PRINTF(2, 3);
/* Whether cli_fail or cli_usage_error has printed a failure. */
bool cli_error_told(void);
void cli_print_notes(const cli_common *c, const percap_notes *notes);

#define CLI_UNMATCHED_HINT " (use --allow-unmatched to drop such rows)"

/* --since after --until is a usage error (status 2), else 0. */
int cli_check_period(const cli_common *c, const percap_records_options *o);

/* Reports the option getopt_long rejected ('?'); returns CLI_USAGE. */
int cli_bad_option(const cli_common *c, char **argv);

/* Parses a number option strictly; prints and returns false if bad. */
bool cli_parse_double(const cli_common *c, const char *option, const char *arg, double *out);
bool cli_parse_date(const cli_common *c, const char *option, const char *arg, int32_t *out);

/* The exit statuses, as every --help states them. */
#define CLI_EXIT_STATUS_HELP                                                                 \
    "Exit status: 0 ok, 1 bad data, 2 bad usage, 3 input/output error, 4 out of memory.\n"

/* Runs `write` into --output atomically. */
typedef percap_status (*cli_writer)(FILE *fp, const void *ctx, percap_error *err);
int cli_write_output(const cli_common *c, cli_writer write, const void *ctx);

/* From now on (in this process and the copies it forks), outputs are
 * renamed into place without waiting for the disk: for percap reproduce,
 * which syncs its whole folder once before it writes the report that
 * names them (percap_atomic_set_sync). false restores the default. */
void cli_defer_sync(bool defer);

/* Runs a subcommand: argv[0] is its name. */
int cli_dispatch(int argc, char **argv);

int cmd_rates(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_join(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_correlate(int argc, char **argv);
int cmd_smooth(int argc, char **argv);
int cmd_funnel(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif
