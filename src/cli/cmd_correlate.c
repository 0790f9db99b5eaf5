/* percap correlate: Pearson and Spearman correlations of the rate (or any
 * variable) with regional characteristics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

#define MAX_X 32

static const char usage_head[] =
    "Usage: percap correlate --x A[,B...] [--y VAR] INPUTS [options]\n"
    "\n"
    "Pearson's r (Fisher-z interval) and Spearman's rho (Bonett-Wright interval)\n"
    "of --y (default: rate) with each --x, over the joined table; p-values as R's\n"
    "cor.test. Each variable may be an expression as in 'percap model'\n"
    "(log(mean_income_2020), I(100 - russian_pct_men_2010)).\n"
    "\n";

enum { OPT_X = 3100, OPT_Y };

static const struct option long_options[] = {
    {"x", required_argument, NULL, OPT_X}, {"y", required_argument, NULL, OPT_Y},
    CLI_INPUT_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

typedef struct corr_args {
    cli_inputs in;
    char *x_buf;
    const char *x[MAX_X];
    size_t nx;
    const char *y;
} corr_args;

static int split_x(corr_args *a, const char *arg)
{
    free(a->x_buf);
    if (!(a->x_buf = strdup(arg)))
        return CLI_NOMEM;
    a->nx = 0;
    char *save = NULL;
    for (char *c = strtok_r(a->x_buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (a->nx == MAX_X)
            return cli_usage_error("correlate", "at most %d --x variables", MAX_X);
        a->x[a->nx++] = c;
    }
    return 0;
}

static int own_option(void *ctx, int opt, const char *arg)
{
    corr_args *a = ctx;
    if (opt == OPT_Y) {
        a->y = arg;
        return 0;
    }
    return opt == OPT_X ? split_x(a, arg) : CLI_USAGE;
}

static int parse_args(corr_args *a, int argc, char **argv, bool *help)
{
    int st = cli_inputs_parse(&a->in, argc, argv, long_options, own_option, a, help);
    if (st != 0 || *help)
        return st;
    if (a->nx == 0)
        return cli_usage_error("correlate", "--x is required");
    return cli_inputs_check(&a->in);
}

/* Both coefficients for one x, over the rows where y and x exist. */
static percap_status correlate_one(const corr_args *a, const percap_areas *areas, size_t i,
                                   percap_correlation_row *out, percap_notes *notes,
                                   percap_error *err)
{
    char text[1024];
    snprintf(text, sizeof text, "%s ~ %s", a->y, a->x[i]);
    percap_formula *f = percap_formula_parse(text, err);
    percap_formula_frame *frame = NULL;
    percap_status st = f ? percap_formula_evaluate(f, areas, NULL, &frame, notes, err) : err->code;
    if (st == PERCAP_OK && frame->p != 2)
        st = percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                              "--x '%s' must be one variable or expression", a->x[i]);
    double *x = st == PERCAP_OK ? malloc((frame->n + 1) * sizeof *x) : NULL;
    if (st == PERCAP_OK && !x)
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t r = 0; st == PERCAP_OK && r < frame->n; r++)
        x[r] = frame->x[r * 2 + 1];
    out[0] = (percap_correlation_row){.x = a->x[i], .y = a->y, .method = "pearson"};
    out[1] = (percap_correlation_row){.x = a->x[i], .y = a->y, .method = "spearman"};
    if (st == PERCAP_OK)
        st = percap_correlation_pearson(x, frame->y, frame->n, a->in.rates.level,
                                        &out[0].value, err);
    if (st == PERCAP_OK)
        st = percap_correlation_spearman(x, frame->y, frame->n, a->in.rates.level,
                                         &out[1].value, err);
    free(x);
    percap_formula_frame_free(frame);
    percap_formula_free(f);
    return st;
}

typedef struct corr_out {
    const corr_args *args;
    const percap_correlation_row *rows;
    size_t n;
} corr_out;

static percap_status write_rows(FILE *fp, const void *ctx, percap_error *err)
{
    const corr_out *o = ctx;
    return percap_output_correlations(fp, o->args->in.common.format, o->rows, o->n,
                                      o->args->in.rates.level, err);
}

static int run(const corr_args *a, const cli_analysis *an)
{
    percap_correlation_row rows[2 * MAX_X];
    percap_error err;
    percap_error_clear(&err);
    percap_notes *notes = percap_notes_alloc();
    percap_status st = notes ? PERCAP_OK : PERCAP_ENOMEM;
    for (size_t i = 0; st == PERCAP_OK && i < a->nx; i++)
        st = correlate_one(a, an->areas, i, &rows[2 * i], notes, &err);
    cli_print_notes(&a->in.common, notes);
    percap_notes_free(notes);
    if (st != PERCAP_OK)
        return st == PERCAP_ENOMEM && !err.message[0] ? CLI_NOMEM : cli_fail(&err);
    corr_out o = {a, rows, 2 * a->nx};
    return cli_write_output(&a->in.common, write_rows, &o);
}

int cmd_correlate(int argc, char **argv)
{
    corr_args a = {0};
    cli_inputs_init(&a.in, "correlate");
    a.y = "rate";
    bool help = false;
    int status = parse_args(&a, argc, argv, &help);
    if (help)
        cli_inputs_print_help(usage_head, NULL, false);
    cli_analysis an = {0};
    if (!help && status == 0 && (status = cli_analysis_run(&a.in, &an)) == 0)
        status = run(&a, &an);
    cli_analysis_free(&an);
    cli_inputs_free(&a.in);
    free(a.x_buf);
    return help ? CLI_OK : status;
}
