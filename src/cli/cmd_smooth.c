/* percap smooth: empirical-Bayes rates, shrunk towards the overall rate in
 * proportion to how little each area's own count can say. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"

static const char usage_head[] =
    "Usage: percap smooth INPUTS [--method marshall|clayton-kaldor] [options]\n"
    "\n"
    "The rates table plus smoothed_rate,smoothed_low,smoothed_high,shrinkage:\n"
    "empirical-Bayes estimates that pull small areas towards the overall rate.\n"
    "  marshall          Marshall (1991) global estimator (moments); the interval is\n"
    "                    the gamma posterior with Marshall's prior moments\n"
    "  clayton-kaldor    Clayton and Kaldor (1987) Poisson-Gamma model, prior fitted\n"
    "                    by maximum likelihood (default); gamma posterior intervals\n"
    "shrinkage is the weight on the overall rate (0: the area's own rate, 1: the\n"
    "overall rate). Intervals at --level.\n"
    "\n";

enum { OPT_METHOD = 3200 };

static const struct option long_options[] = {
    {"method", required_argument, NULL, OPT_METHOD},
    CLI_INPUT_OPTIONS, CLI_RATE_TABLE_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

typedef struct smooth_run {
    cli_inputs in;
    percap_smooth_method method;
    const cli_analysis *an;
    percap_smooth_summary summary;
    double *values;                 /* 4 columns of n: rate, low, high, shrinkage */
    char note[512];
} smooth_run;

static int own_option(void *ctx, int opt, const char *arg)
{
    smooth_run *s = ctx;
    if (opt == OPT_METHOD && percap_smooth_method_parse(arg, &s->method) == 0)
        return 0;
    return cli_usage_error("smooth", "--method must be marshall or clayton-kaldor (got '%s')",
                           arg);
}

static percap_status write_table(FILE *fp, const void *ctx, percap_error *err)
{
    const smooth_run *s = ctx;
    size_t n = s->an->areas->n;
    static const char *const names[] = {"smoothed_rate", "smoothed_low", "smoothed_high",
                                        "shrinkage"};
    percap_column cols[4];
    for (size_t k = 0; k < 4; k++)
        cols[k] = (percap_column){.name = names[k], .values = s->values + k * n, .pooled = NAN};
    const char *notes[] = {s->note, NULL};
    percap_report rep = cli_analysis_report(s->an);
    rep.extra = cols;
    rep.nextra = 4;
    rep.notes = notes;
    return percap_output_rates(fp, s->in.common.format, &rep, err);
}

/* What the fitted prior is, for the notes and the Markdown caption. */
static void describe(smooth_run *s)
{
    const percap_smooth_summary *m = &s->summary;
    double per = s->in.rates.per;
    if (m->at_boundary)
        snprintf(s->note, sizeof s->note, "%s smoothing: the rates vary no more than chance "
                 "allows, so every area gets the overall rate %.6g per %g.",
                 percap_smooth_method_name(s->method), m->prior_mean * per, per);
    else
        snprintf(s->note, sizeof s->note, "%s smoothing: prior mean %.6g per %g, prior "
                 "standard deviation %.6g (gamma shape %.6g)%s.",
                 percap_smooth_method_name(s->method), m->prior_mean * per, per,
                 sqrt(m->prior_var) * per, m->shape,
                 m->converged ? "" : "; the fit did NOT converge");
}

static int run(smooth_run *s)
{
    const percap_areas *a = s->an->areas;
    percap_smoothed *out = malloc(a->n * sizeof *out);
    s->values = malloc(4 * a->n * sizeof *s->values);
    percap_error err;
    percap_error_clear(&err);
    int status = 0;
    if (!out || !s->values)
        status = CLI_NOMEM;
    else if (percap_smooth_compute(a, s->method, s->in.rates.level, s->in.rates.per, out,
                                   &s->summary, &err) != PERCAP_OK)
        status = cli_fail(&err);
    for (size_t i = 0; status == 0 && i < a->n; i++) {
        s->values[i] = out[i].rate;
        s->values[a->n + i] = out[i].low;
        s->values[2 * a->n + i] = out[i].high;
        s->values[3 * a->n + i] = out[i].shrinkage;
    }
    if (status == 0) {
        describe(s);
        if (!s->in.common.quiet)
            fprintf(stderr, "percap: %s\n", s->note);
        status = cli_write_output(&s->in.common, write_table, s);
    }
    free(out);
    return status;
}

int cmd_smooth(int argc, char **argv)
{
    smooth_run s = {.method = PERCAP_SMOOTH_CLAYTON_KALDOR};
    cli_inputs_init(&s.in, "smooth");
    bool help = false;
    int status = cli_inputs_parse(&s.in, argc, argv, long_options, own_option, &s, &help);
    if (status == 0 && !help)
        status = cli_inputs_check(&s.in);
    if (help)
        cli_inputs_print_help(usage_head, NULL, true);
    cli_analysis an = {0};
    s.an = &an;
    if (!help && status == 0 && (status = cli_analysis_run(&s.in, &an)) == 0)
        status = run(&s);
    free(s.values);
    cli_analysis_free(&an);
    cli_inputs_free(&s.in);
    return help ? CLI_OK : status;
}
