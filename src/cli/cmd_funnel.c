/* percap funnel: which regions lie outside what chance allows around the
 * overall rate, for their own size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"

#define CURVE_POINTS 200

static const char usage_head[] =
    "Usage: percap funnel INPUTS [--overdispersion] [--curves FILE] [options]\n"
    "\n"
    "The rates table plus a 'funnel' column: each region against the pooled rate,\n"
    "with exact Poisson limits at 95% and 99.8% for its denominator (as in\n"
    "PHEindicatormethods): high_99.8, high_95, within, low_95 or low_99.8.\n"
    "  --overdispersion   use Spiegelhalter's (2005) random-effects limits instead:\n"
    "                     z-scores of log-rates, 10% winsorised, phi and a\n"
    "                     DerSimonian-Laird tau^2 (both reported either way)\n"
    "  --curves FILE      also write the limits as curves over the denominator\n"
    "                     range (denominator,low_99.8,low_95,high_95,high_99.8),\n"
    "                     in the rate per --per, for charts\n"
    "\n";

enum { OPT_OVER = 3400, OPT_CURVES };

static const struct option long_options[] = {
    {"overdispersion", no_argument, NULL, OPT_OVER},
    {"curves", required_argument, NULL, OPT_CURVES},
    CLI_INPUT_OPTIONS, CLI_RATE_TABLE_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};

static const double funnel_probs[4] = {0.001, 0.025, 0.975, 0.999};

typedef struct funnel_run {
    cli_inputs in;
    bool overdispersed;
    const char *curves;
    const cli_analysis *an;
    percap_funnel_summary summary;
    const char **classes;
    double *curve;              /* CURVE_POINTS x 5 */
    char note[400];
} funnel_run;

static int own_option(void *ctx, int opt, const char *arg)
{
    funnel_run *f = ctx;
    if (opt == OPT_OVER)
        f->overdispersed = true;
    else if (opt == OPT_CURVES)
        f->curves = arg;
    else
        return CLI_USAGE;
    return 0;
}

static percap_status write_table(FILE *fp, const void *ctx, percap_error *err)
{
    const funnel_run *f = ctx;
    percap_column col = {.name = "funnel", .text = f->classes, .pooled = NAN};
    const char *notes[] = {f->note, NULL};
    percap_report rep = cli_analysis_report(f->an);
    rep.extra = &col;
    rep.nextra = 1;
    rep.notes = notes;
    return percap_output_rates(fp, f->in.common.format, &rep, err);
}

/* Log-spaced denominators from half the smallest to twice the largest. */
static percap_status make_curves(funnel_run *f, percap_error *err)
{
    const percap_areas *a = f->an->areas;
    double lo = INFINITY, hi = 0, n[CURVE_POINTS], lim[CURVE_POINTS];
    for (size_t i = 0; i < a->n; i++) {
        lo = fmin(lo, a->rows[i].population);
        hi = fmax(hi, a->rows[i].population);
    }
    lo /= 2;
    hi *= 2;
    for (size_t k = 0; k < CURVE_POINTS; k++)
        n[k] = exp(log(lo) + (log(hi) - log(lo)) * (double)k / (CURVE_POINTS - 1));
    if (!(f->curve = malloc(CURVE_POINTS * 5 * sizeof *f->curve)))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < CURVE_POINTS; k++)
        f->curve[k * 5] = n[k];
    for (size_t p = 0; p < 4; p++) {
        if (percap_funnel_curve(&f->summary, f->overdispersed, funnel_probs[p], n,
                                CURVE_POINTS, lim, err) != PERCAP_OK)
            return err->code;
        for (size_t k = 0; k < CURVE_POINTS; k++)
            f->curve[k * 5 + 1 + p] = lim[k] * f->in.rates.per;
    }
    return PERCAP_OK;
}

static percap_status write_curves(FILE *fp, const void *ctx, percap_error *err)
{
    const funnel_run *f = ctx;
    fputs("denominator,low_99.8,low_95,high_95,high_99.8\n", fp);
    for (size_t k = 0; k < CURVE_POINTS; k++) {
        for (size_t c = 0; c < 5; c++) {
            char buf[64];
            percap_output_number(f->curve[k * 5 + c], buf, sizeof buf);
            fprintf(fp, "%s%s", c ? "," : "", buf);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}

static void describe(funnel_run *f)
{
    const percap_funnel_summary *s = &f->summary;
    snprintf(f->note, sizeof f->note, "Funnel: target %.6g per %g (all areas pooled); %s "
             "limits; overdispersion phi = %.4g, tau^2 = %.4g (%zu z-scores winsorised)%s.",
             s->target * f->in.rates.per, f->in.rates.per,
             f->overdispersed ? "random-effects (Spiegelhalter 2005)" : "exact Poisson",
             s->phi, s->tau2, s->winsorised_low + s->winsorised_high,
             !f->overdispersed && s->phi > 1.5
                 ? "; phi well above 1: the Poisson limits are too narrow for these data, "
                   "consider --overdispersion" : "");
}

static int run(funnel_run *f)
{
    const percap_areas *a = f->an->areas;
    percap_funnel_class *cls = malloc(a->n * sizeof *cls);
    f->classes = malloc(a->n * sizeof *f->classes);
    percap_error err;
    percap_error_clear(&err);
    int status = !cls || !f->classes ? CLI_NOMEM : 0;
    if (status == 0 && percap_funnel_classify(a, f->overdispersed, cls, &f->summary, &err))
        status = cli_fail(&err);
    for (size_t i = 0; status == 0 && i < a->n; i++)
        f->classes[i] = percap_funnel_class_name(cls[i]);
    if (status == 0 && f->curves && make_curves(f, &err) != PERCAP_OK)
        status = cli_fail(&err);
    if (status == 0) {
        describe(f);
        if (!f->in.common.quiet)
            fprintf(stderr, "percap: %s\n", f->note);
        status = cli_write_output(&f->in.common, write_table, f);
    }
    if (status == 0 && f->curves) {
        cli_common c = f->in.common;
        c.output = f->curves;
        status = cli_write_output(&c, write_curves, f);
    }
    free(cls);
    return status;
}

int cmd_funnel(int argc, char **argv)
{
    funnel_run f = {0};
    cli_inputs_init(&f.in, "funnel");
    bool help = false;
    int status = cli_inputs_parse(&f.in, argc, argv, long_options, own_option, &f, &help);
    if (status == 0 && !help)
        status = cli_inputs_check(&f.in);
    if (help)
        cli_inputs_print_help(usage_head, NULL, true);
    cli_analysis an = {0};
    f.an = &an;
    if (!help && status == 0 && (status = cli_analysis_run(&f.in, &an)) == 0)
        status = run(&f);
    free(f.classes);
    free(f.curve);
    cli_analysis_free(&an);
    cli_inputs_free(&f.in);
    return help ? CLI_OK : status;
}
