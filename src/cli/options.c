/* Options and plumbing shared by every subcommand. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_common_init(cli_common *c, const char *command)
{
    memset(c, 0, sizeof *c);
    c->command = command;
    c->output = "-";
    c->format = PERCAP_FORMAT_CSV;
}

int cli_common_option(cli_common *c, int opt, const char *arg)
{
    switch (opt) {
    case 1001: c->regions_path = arg; return 1;
    case 1002:
        if (!(c->csv.delimiter = percap_csv_delimiter_parse(arg)))
            return cli_usage_error(c->command, "--delimiter must be ',', ';' or 'tab' (got '%s')",
                                   arg), -1;
        return 1;
    case 1003: c->region_col = arg; return 1;
    case 1004: c->allow_unmatched = true; return 1;
    case 'o': c->output = arg; return 1;
    case 1005:
        if (percap_format_parse(arg, &c->format) != 0)
            return cli_usage_error(c->command, "--format must be csv, json or md (got '%s')", arg), -1;
        return 1;
    case 'q': c->quiet = true; return 1;
    default: return 0;
    }
}

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* The directory of the running executable, from /proc (Linux). */
static bool exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

const char *cli_find_datasets(char *buf, size_t size)
{
    if (readable("datasets/regions.csv"))
        return "datasets";
    char dir[PATH_MAX];
    static const char *const rel[] = {"/../datasets", "/../../datasets", "/../share/percap"};
    if (exe_dir(dir, sizeof dir))
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            snprintf(buf, size, "%s%s/regions.csv", dir, rel[i]);
            if (readable(buf)) {
                snprintf(buf, size, "%s%s", dir, rel[i]);
                return buf;
            }
        }
    return PERCAP_DATADIR;
}

static const char *find_registry(char *buf, size_t size)
{
    const char *env = getenv("PERCAP_REGIONS");
    if (env && *env)
        return env;
    char dir[PATH_MAX + 64];
    snprintf(buf, size, "%s/regions.csv", cli_find_datasets(dir, sizeof dir));
    return buf;
}

percap_registry *cli_load_registry(const cli_common *c, percap_error *err)
{
    char buf[PATH_MAX + 64];
    const char *path = c->regions_path ? c->regions_path : find_registry(buf, sizeof buf);
    percap_csv_options csv = {0};
    return percap_registry_load(path, &csv, err);
}

/* Whether a failure has been told: main() adds a message for the paths
 * that give up on a failed allocation without one. */
static bool error_told;

bool cli_error_told(void) { return error_told; }

int cli_fail(const percap_error *err)
{
    error_told = true;
    char buf[PERCAP_ERROR_MSG_MAX + PERCAP_ERROR_FILE_MAX + 64];
    percap_error_format(err, buf, sizeof buf);
    fprintf(stderr, "percap: %s\n", buf);
    switch (err->code) {
    case PERCAP_OK: return CLI_OK;
    case PERCAP_EDATA: return CLI_DATA;
    case PERCAP_EUSAGE: return CLI_USAGE;
    case PERCAP_EIO: return CLI_IO;
    case PERCAP_ENOMEM: return CLI_NOMEM;
    }
    return CLI_DATA;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    error_told = true;
    fputs("percap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (command)
        fprintf(stderr, "\nTry 'percap %s --help'.\n", command);
    else
        fputs("\nTry 'percap --help'.\n", stderr);
    return CLI_USAGE;
}

void cli_print_notes(const cli_common *c, const percap_notes *notes)
{
    if (c->quiet)
        return;
    for (size_t i = 0; i < percap_notes_count(notes); i++)
        fprintf(stderr, "percap: %s\n", percap_notes_get(notes, i));
}

bool cli_parse_double(const cli_common *c, const char *option, const char *arg, double *out)
{
    if (percap_parse_number(arg, out) == PERCAP_NUM_OK)
        return true;
    cli_usage_error(c->command, "%s needs a number (got '%s')", option, arg);
    return false;
}

bool cli_parse_date(const cli_common *c, const char *option, const char *arg, int32_t *out)
{
    if (percap_parse_date(arg, out))
        return true;
    cli_usage_error(c->command, "%s needs a calendar date as YYYY-MM-DD (got '%s')", option, arg);
    return false;
}

static bool sync_deferred;

void cli_defer_sync(bool defer)
{
    sync_deferred = defer;
}

int cli_write_output(const cli_common *c, cli_writer write, const void *ctx)
{
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(c->output, &err);
    if (!f)
        return cli_fail(&err);
    percap_atomic_set_sync(f, !sync_deferred);
    if (write(percap_atomic_stream(f), ctx, &err) != PERCAP_OK) {
        percap_atomic_abort(f);
        return cli_fail(&err);
    }
    if (percap_atomic_commit(f, &err) != PERCAP_OK)
        return cli_fail(&err);
    return CLI_OK;
}

int cli_bad_option(const cli_common *c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (optopt == 'o')
        return cli_usage_error(c->command, "option -o needs a value");
    if (optopt && optopt < 256)
        return cli_usage_error(c->command, "unknown option '-%c'", optopt);
    if (optopt)
        return cli_usage_error(c->command, "option '%s' needs a value", arg);
    return cli_usage_error(c->command, "unknown option '%s'", arg);
}

int cli_check_period(const cli_common *c, const percap_records_options *o)
{
    if (!o->has_since || !o->has_until || o->since <= o->until)
        return 0;
    int y1, m1, d1, y2, m2, d2;
    percap_date_split(o->since, &y1, &m1, &d1);
    percap_date_split(o->until, &y2, &m2, &d2);
    return cli_usage_error(c->command, "--since (%04d-%02d-%02d) is after --until (%04d-%02d-%02d)",
                           y1, m1, d1, y2, m2, d2);
}
