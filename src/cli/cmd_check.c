/* percap check: validate dataset files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_TOTALS 32

static const char usage[] =
    "Usage: percap check [options] FILE...\n"
    "\n"
    "Validates each FILE: a well-formed CSV with a unique header; every region\n"
    "known and listed once; numeric columns numeric throughout; count columns\n"
    "(deaths*, population*, men_*, count, *_count) complete and non-negative; a\n"
    "registry (a file with an 'aliases' column) with no spelling naming two regions.\n"
    "Prints a summary with each numeric column's total.\n"
    "\n"
    "  --key COL,COL...     the columns that identify a row, for long tables with\n"
    "                       several rows per region (default: the region column)\n"
    "  --total COL=VALUE    also require that column COL of every FILE having it\n"
    "                       sums to VALUE (repeatable)\n"
    "  --regions FILE, --region-col NAME, --delimiter D, -q  as for 'percap rates'\n"
    "\n" CLI_EXIT_STATUS_HELP;

static const struct option long_options[] = {
    {"total", required_argument, NULL, 2000},
    {"key", required_argument, NULL, 2001},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

typedef struct total {
    char column[128];
    double value;
} total;

static int parse_total(const char *arg, total *t)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof t->column ||
        percap_parse_number(eq + 1, &t->value) != PERCAP_NUM_OK)
        return cli_usage_error("check", "--total takes COLUMN=NUMBER (got '%s')", arg);
    snprintf(t->column, sizeof t->column, "%.*s", (int)(eq - arg), arg);
    return 0;
}

static int check_one(const char *path, const percap_check_options *o, const total *totals,
                     size_t ntotals, percap_notes *notes)
{
    percap_error err;
    percap_error_clear(&err);
    if (percap_check_file(path, o, notes, &err) != PERCAP_OK)
        return cli_fail(&err);
    percap_table *t = percap_table_read(path, &o->csv, &err);
    if (!t)
        return cli_fail(&err);
    int status = 0;
    for (size_t i = 0; i < ntotals && status == 0; i++)
        if (percap_table_find(t, totals[i].column) >= 0 &&
            percap_check_total(path, &o->csv, totals[i].column, totals[i].value, &err) != PERCAP_OK)
            status = cli_fail(&err);
    percap_table_free(t);
    return status;
}

int cmd_check(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c, "check");
    total totals[MAX_TOTALS];
    size_t ntotals = 0;
    const char *key = NULL;
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
        if (opt == 'h')
            return fputs(usage, stdout), CLI_OK;
        if (opt == '?')
            return cli_bad_option(&c, argv);
        int r = cli_common_option(&c, opt, optarg);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0 && opt == 2001) {
            key = optarg;
            continue;
        }
        if (r == 0 && (ntotals == MAX_TOTALS || parse_total(optarg, &totals[ntotals++]) != 0))
            return CLI_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("check", "give at least one FILE");
    percap_error err;
    percap_error_clear(&err);
    percap_registry *reg = cli_load_registry(&c, &err);
    if (!reg)
        return cli_fail(&err);
    percap_check_options o = {.csv = c.csv, .registry = reg, .region_col = c.region_col,
                              .key = key};
    int status = 0;
    for (int i = optind; i < argc; i++) {
        percap_notes *notes = percap_notes_alloc();
        int s = notes ? check_one(argv[i], &o, totals, ntotals, notes) : CLI_NOMEM;
        for (size_t k = 0; !c.quiet && k < percap_notes_count(notes); k++)
            printf("%s\n", percap_notes_get(notes, k));
        percap_notes_free(notes);
        if (s != 0 && status == 0)
            status = s;
    }
    percap_registry_free(reg);
    if (fflush(stdout) != 0 && status == 0)
        status = CLI_IO;
    return status;
}
