/* percap regions: show the registry, or what names resolve to. */
#include <stdio.h>

#include "cli.h"

static const char usage[] =
    "Usage: percap regions [options] [NAME...]\n"
    "\n"
    "Without NAMEs, lists the registry: code, name and group of each region.\n"
    "With NAMEs, shows the region each resolves to, with the closest spellings for\n"
    "those that do not (exit status 1 if one does not).\n"
    "\n"
    "  --regions FILE       the registry (default: the shipped datasets/regions.csv)\n"
    "\n" CLI_EXIT_STATUS_HELP;

static const struct option long_options[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

static int resolve(const percap_registry *reg, const char *name)
{
    long i = percap_registry_lookup(reg, name);
    fputs(name, stdout);
    if (i >= 0) {
        printf("\t%s\t%s\n", percap_registry_code(reg, (size_t)i),
               percap_registry_name(reg, (size_t)i));
        return 0;
    }
    size_t best[3];
    size_t n = percap_registry_suggest(reg, name, best, 3);
    fputs("\tunknown", stdout);
    for (size_t k = 0; k < n; k++)
        printf("%s%s (%s)", k ? ", " : "; did you mean ", percap_registry_name(reg, best[k]),
               percap_registry_code(reg, best[k]));
    fputs(n ? "?\n" : "\n", stdout);
    return 1;
}

int cmd_regions(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c, "regions");
    int opt;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read "-qo" cluster */
    while ((opt = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
        if (opt == 'h')
            return fputs(usage, stdout), CLI_OK;
        if (opt == '?')
            return cli_bad_option(&c, argv);
        if (cli_common_option(&c, opt, optarg) <= 0)
            return CLI_USAGE;
    }
    percap_error err;
    percap_error_clear(&err);
    percap_registry *reg = cli_load_registry(&c, &err);
    if (!reg)
        return cli_fail(&err);
    int status = 0;
    if (optind == argc) {
        puts("region_code\tregion_name\tgroup");
        for (size_t i = 0; i < percap_registry_size(reg); i++)
            printf("%s\t%s\t%s\n", percap_registry_code(reg, i), percap_registry_name(reg, i),
                   percap_registry_attr(reg, i, "group"));
    }
    for (int i = optind; i < argc; i++)
        status |= resolve(reg, argv[i]);
    percap_registry_free(reg);
    if (fflush(stdout) != 0)
        return CLI_IO;
    return status ? CLI_DATA : CLI_OK;
}
