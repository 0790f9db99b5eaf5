/* percap model: regression of rates or counts on regional characteristics. */
#include <stdio.h>

#include "analysis.h"

static const char usage_head[] =
    "Usage: percap model --formula 'rate ~ x1 + x2' [--family F] INPUTS [options]\n"
    "\n"
    "Fits a model over the joined table (rates computed as for 'percap rates').\n"
    "Variables: rate (per --per), deaths, population (the denominator) and every\n"
    "covariate column; log(x), sqrt(x), exp(x) and I(expression) as in R, e.g.\n"
    "'rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)'. Rows missing a value\n"
    "are dropped and listed on standard error.\n"
    "\n"
    "  --formula F            the model, in R's notation (required)\n"
    "  --family F             ols (default), wls (weights: --weights, default the\n"
    "                         denominator), poisson or negbin (of deaths, with offset\n"
    "                         log(denominator); the left side must be rate or deaths)\n"
    "  --weights COL          weights for wls\n"
    "\n";

static const char usage_tail[] =
    "\nOutput: CSV (one row per term), JSON ({\"n\", \"r_squared\" or \"deviance\" and\n"
    "\"aic\", \"terms\": [...]}) or Markdown. " CLI_EXIT_STATUS_HELP;

enum { OPT_FORMULA = 3000, OPT_FAMILY, OPT_WEIGHTS };

static const struct option long_options[] = {
    {"formula", required_argument, NULL, OPT_FORMULA},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"weights", required_argument, NULL, OPT_WEIGHTS},
    CLI_INPUT_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

typedef struct model_args {
    cli_inputs in;
    const char *formula;
    percap_model_options model;
} model_args;

static int own_option(void *ctx, int opt, const char *arg)
{
    model_args *a = ctx;
    switch (opt) {
    case OPT_FORMULA: a->formula = arg; return 0;
    case OPT_WEIGHTS: a->model.weights = arg; return 0;
    case OPT_FAMILY:
        if (percap_model_family_parse(arg, &a->model.family) == 0)
            return 0;
        return cli_usage_error("model", "--family must be ols, wls, poisson or negbin (got '%s')",
                               arg);
    }
    return CLI_USAGE;
}

static int parse_args(model_args *a, int argc, char **argv, bool *help)
{
    int st = cli_inputs_parse(&a->in, argc, argv, long_options, own_option, a, help);
    if (st != 0 || *help)
        return st;
    if (!a->formula)
        return cli_usage_error("model", "--formula is required");
    if (a->model.weights && a->model.family != PERCAP_MODEL_WLS)
        return cli_usage_error("model", "--weights goes with --family wls");
    return cli_inputs_check(&a->in);
}

typedef struct model_out {
    const percap_model *model;
    const model_args *args;
} model_out;

static percap_status write_model(FILE *fp, const void *ctx, percap_error *err)
{
    const model_out *o = ctx;
    return percap_output_model(fp, o->args->in.common.format, o->model, o->args->formula,
                               o->args->model.level, err);
}

static int fit(model_args *a, const cli_analysis *an)
{
    percap_error err;
    percap_error_clear(&err);
    percap_notes *notes = percap_notes_alloc();
    percap_formula *f = notes ? percap_formula_parse(a->formula, &err) : NULL;
    percap_model *m = NULL;
    a->model.level = a->in.rates.level;
    int status = 0;
    if (!f || percap_model_fit(f, an->areas, &a->model, &m, notes, &err) != PERCAP_OK) {
        if (err.file[0] == '\0' && err.line > 0)
            snprintf(err.file, sizeof err.file, "formula");
        status = notes ? cli_fail(&err) : CLI_NOMEM;
    }
    cli_print_notes(&a->in.common, notes);
    if (status == 0) {
        model_out o = {m, a};
        status = cli_write_output(&a->in.common, write_model, &o);
    }
    percap_model_free(m);
    percap_formula_free(f);
    percap_notes_free(notes);
    return status;
}

int cmd_model(int argc, char **argv)
{
    model_args a = {0};
    cli_inputs_init(&a.in, "model");
    percap_model_options_default(&a.model);
    bool help = false;
    int status = parse_args(&a, argc, argv, &help);
    if (help) {
        cli_inputs_print_help(usage_head, usage_tail, false);
        cli_inputs_free(&a.in);
        return CLI_OK;
    }
    cli_analysis an = {0};
    if (status == 0 && (status = cli_analysis_run(&a.in, &an)) == 0)
        status = fit(&a, &an);
    cli_analysis_free(&an);
    cli_inputs_free(&a.in);
    return status;
}
