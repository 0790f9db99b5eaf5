/* percap reproduce: the named analyses, from the shipped datasets into a
 * report folder. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "reproduce.h"

static const char usage[] =
    "Usage: percap reproduce lenton-2022|bessudnov-2023|all --out DIR [options]\n"
    "\n"
    "Turns the shipped datasets into a report folder: report.md, every table as CSV,\n"
    "and manifest.json listing each file with the percap command that made it.\n"
    "Deterministic: two runs give identical files.\n"
    "\n"
    "  lenton-2022      A. Lenton's per-capita ranking of April 2022, rebuilt with\n"
    "                   intervals, rank intervals and P(top 9)\n"
    "  bessudnov-2023   A. Bessudnov, Demographic Research 48(31), 2023: rates per\n"
    "                   100,000 men 16-61.5, his OLS model, and what percap adds\n"
    "  --out DIR        the report folder (created if needed)\n"
    "  --datasets DIR   the datasets (default: the shipped ones)\n"
    "\n"
    "Exit status as for the command of a step that fails (the report is then not\n"
    "written): 0 ok, 1 bad data, 2 bad usage, 3 input/output error (also a step\n"
    "killed by a signal), 4 out of memory.\n";

static const char data_note[] =
    "> **What these numbers are.** The counts are *verified names* of Russian military dead "
    "collected by BBC News Russian, Mediazona and volunteers: a lower bound. The publishers "
    "estimate that about half of all deaths are named, and how completely deaths are found "
    "differs between regions (more in small communities with active local media, fewer in big "
    "cities), so part of the regional pattern may be coverage. The confidence and rank "
    "intervals cover chance (Poisson) variation only, not undercounting or coverage. Population "
    "figures are Rosstat's (1 January 2020) and the 2021 census; the 2022-annexed Ukrainian "
    "regions are left out.\n\n";

static const struct option long_options[] = {
    {"out", required_argument, NULL, 'o'}, {"datasets", required_argument, NULL, 1},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "percap: %s: cannot create the report folder: %s\n", dir, strerror(errno));
    return CLI_IO;
}

static int run(const char *which, const char *datasets, const char *out)
{
    bool lenton = !strcmp(which, "lenton-2022") || !strcmp(which, "all");
    bool bessudnov = !strcmp(which, "bessudnov-2023") || !strcmp(which, "all");
    if (!lenton && !bessudnov)
        return cli_usage_error("reproduce", "unknown analysis '%s' (lenton-2022, bessudnov-2023 "
                               "or all)", which);
    int status = make_dir(out);
    repro *r = status == 0 ? repro_alloc(datasets, out, true) : NULL;
    if (status == 0 && !r)
        return CLI_NOMEM;
    if (status != 0)
        return status;
    repro_printf(r, "# percap reproduction: %s\n\n%s", which, data_note);
    if (lenton)
        reproduce_lenton_2022(r);
    if (bessudnov) {
        if (lenton)
            repro_printf(r, "\n");
        reproduce_bessudnov_2023(r);
    }
    repro_printf(r, "\n---\nMade by `percap reproduce %s`; every file with the command that "
                    "made it: `manifest.json`.\n", which);
    status = repro_finish(r);
    repro_free(r);
    if (status == 0)
        fprintf(stderr, "percap: report written: %s/report.md\n", out);
    return status;
}

int cmd_reproduce(int argc, char **argv)
{
    const char *out = NULL, *datasets = NULL;
    char buf[PATH_MAX + 64];
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:h", long_options, NULL)) != -1) {
        if (opt == 'h')
            return fputs(usage, stdout), CLI_OK;
        if (opt == 'o')
            out = optarg;
        else if (opt == 1)
            datasets = optarg;
        else
            return cli_usage_error("reproduce", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind + 1 != argc)
        return cli_usage_error("reproduce", "name one analysis: lenton-2022, bessudnov-2023 or "
                               "all");
    if (!out)
        return cli_usage_error("reproduce", "--out DIR is required");
    return run(argv[optind], datasets ? datasets : cli_find_datasets(buf, sizeof buf), out);
}
