/* percap join: tables from several sources joined on region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#define MAX_NAMES 64

static const char usage[] =
    "Usage: percap join FILE [FILE...] [options]\n"
    "\n"
    "Joins the numeric columns of several tables on region, whatever spelling each\n"
    "uses; the regions are those of the first FILE. Writes\n"
    "region_code,region_name,COLUMNS... in the registry's order. A column named\n"
    "like a column of 'percap rates' (rank, region_code, region_name, deaths,\n"
    "population, rate, ci_low, ci_high, flag) is refused: it would be ambiguous\n"
    "when the table is read back as covariates.\n"
    "\n"
    "  --columns A,B,...    take only these columns (each from the file that has it)\n"
    "  --rename OLD=NEW     rename a column in the output (repeatable)\n"
    "  --regions FILE, --region-col NAME, --delimiter D, --allow-unmatched,\n"
    "  -o FILE, -q          as for 'percap rates'\n"
    "\n" CLI_EXIT_STATUS_HELP;

enum { OPT_COLUMNS = 2000, OPT_RENAME };

static const struct option long_options[] = {
    {"columns", required_argument, NULL, OPT_COLUMNS},
    {"rename", required_argument, NULL, OPT_RENAME},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0}};

typedef struct join_args {
    cli_common common;
    char *columns_buf;
    const char *columns[MAX_NAMES + 1];
    size_t ncolumns;
    const char *renames[MAX_NAMES];
    size_t nrenames;
} join_args;

static int split_columns(join_args *a, const char *arg)
{
    free(a->columns_buf);
    a->columns_buf = strdup(arg);
    if (!a->columns_buf)
        return CLI_NOMEM;
    a->ncolumns = 0;
    char *save = NULL;
    for (char *c = strtok_r(a->columns_buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (a->ncolumns == MAX_NAMES)
            return cli_usage_error("join", "at most %d --columns", MAX_NAMES);
        a->columns[a->ncolumns++] = c;
    }
    a->columns[a->ncolumns] = NULL;
    return 0;
}

static int parse_args(join_args *a, int argc, char **argv, bool *help)
{
    cli_common_init(&a->common, "join");
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
        int r = opt == 'h' || opt == '?' ? 0 : cli_common_option(&a->common, opt, optarg);
        if (opt == 'h')
            return *help = true, 0;
        if (opt == '?')
            return cli_bad_option(&a->common, argv);
        if (r < 0)
            return CLI_USAGE;
        if (r == 1)
            continue;
        if (opt == OPT_COLUMNS && (r = split_columns(a, optarg)) != 0)
            return r;
        if (opt == OPT_RENAME) {
            if (!strchr(optarg, '=') || a->nrenames == MAX_NAMES)
                return cli_usage_error("join", "--rename takes OLD=NEW (got '%s')", optarg);
            a->renames[a->nrenames++] = optarg;
        }
    }
    if (optind >= argc)
        return cli_usage_error("join", "give at least one FILE");
    if (a->common.format != PERCAP_FORMAT_CSV)
        return cli_usage_error("join", "joined tables are written as CSV only");
    return 0;
}

/* The listed columns this table has. */
static size_t columns_here(const join_args *a, const percap_table *t, const char **out,
                           bool *found)
{
    size_t n = 0;
    for (size_t i = 0; i < a->ncolumns; i++)
        if (percap_table_find(t, a->columns[i]) >= 0) {
            out[n++] = a->columns[i];
            found[i] = true;
        }
    out[n] = NULL;
    return n;
}

static percap_join_options join_options(const join_args *a, const percap_table *t,
                                        bool *region_col_used)
{
    percap_join_options o = {.allow_unmatched = a->common.allow_unmatched,
                             .unmatched_hint = CLI_UNMATCHED_HINT};
    if (a->common.region_col && percap_table_find(t, a->common.region_col) >= 0) {
        o.region_col = a->common.region_col;
        *region_col_used = true;
    }
    return o;
}

static percap_status join_file(const join_args *a, percap_areas *areas, const char *path,
                               bool *found, bool *region_col_used, percap_notes *notes,
                               percap_error *err)
{
    percap_table *t = percap_table_read(path, &a->common.csv, err);
    if (!t)
        return err->code;
    percap_join_options o = join_options(a, t, region_col_used);
    const char *cols[MAX_NAMES + 1];
    percap_status st = PERCAP_OK;
    if (a->ncolumns == 0)
        st = percap_join_covariates(areas, t, NULL, &o, notes, err);
    else if (columns_here(a, t, cols, found) > 0)
        st = percap_join_covariates(areas, t, cols, &o, notes, err);
    percap_table_free(t);
    return st;
}

static int apply_renames(const join_args *a, percap_areas *areas)
{
    for (size_t i = 0; i < a->nrenames; i++) {
        const char *eq = strchr(a->renames[i], '=');
        size_t len = (size_t)(eq - a->renames[i]);
        size_t k = 0;
        while (k < areas->ncov && !(strlen(areas->cov_names[k]) == len &&
                                    strncasecmp(areas->cov_names[k], a->renames[i], len) == 0))
            k++;
        if (k == areas->ncov)
            return cli_usage_error("join", "--rename: no column '%.*s'", (int)len, a->renames[i]);
        char *name = strdup(eq + 1);
        if (!name)
            return CLI_NOMEM;
        free(areas->cov_names[k]);
        areas->cov_names[k] = name;
    }
    return 0;
}

static percap_status write_joined(FILE *fp, const void *ctx, percap_error *err)
{
    return percap_output_joined(fp, ctx, err);
}

/* Every input joined onto the regions of the first; 0 or the status of
 * a failure, whose message has been printed after the notes so far. */
static int join_all(join_args *a, int nfiles, char **files, percap_registry *reg,
                    percap_areas **areas, percap_notes *notes)
{
    percap_error err;
    percap_error_clear(&err);
    bool found[MAX_NAMES] = {false}, region_col_used = false;
    percap_table *first = percap_table_read(files[0], &a->common.csv, &err);
    percap_join_options o = first ? join_options(a, first, &region_col_used)
                                  : (percap_join_options){0};
    /* no notes here: joining the first file's columns below says the same */
    percap_status st = first ? percap_join_areas(reg, first, &o, areas, NULL, &err) : err.code;
    percap_table_free(first);
    for (int i = 0; st == PERCAP_OK && i < nfiles; i++)
        st = join_file(a, *areas, files[i], found, &region_col_used, notes, &err);
    cli_print_notes(&a->common, notes);
    if (st != PERCAP_OK)
        return cli_fail(&err);
    if (a->common.region_col && !region_col_used)
        return cli_usage_error("join", "no input has a column '%s' (--region-col)",
                               a->common.region_col);
    for (size_t i = 0; i < a->ncolumns; i++)
        if (!found[i])
            return cli_usage_error("join", "no file has a column '%s'", a->columns[i]);
    return apply_renames(a, *areas);
}

static int run(join_args *a, int nfiles, char **files, percap_notes *notes)
{
    percap_error err;
    percap_error_clear(&err);
    percap_registry *reg = cli_load_registry(&a->common, &err);
    if (!reg)
        return cli_fail(&err);
    percap_areas *areas = NULL;
    int status = join_all(a, nfiles, files, reg, &areas, notes);
    if (status == 0)
        status = cli_write_output(&a->common, write_joined, areas);
    percap_areas_free(areas);
    percap_registry_free(reg);
    return status;
}

int cmd_join(int argc, char **argv)
{
    join_args a = {0};
    bool help = false;
    int status = parse_args(&a, argc, argv, &help);
    if (help) {
        free(a.columns_buf);
        return fputs(usage, stdout), CLI_OK;
    }
    percap_notes *notes = status == 0 ? percap_notes_alloc() : NULL;
    if (status == 0)
        status = notes ? run(&a, argc - optind, argv + optind, notes) : CLI_NOMEM;
    percap_notes_free(notes);
    free(a.columns_buf);
    return status;
}
