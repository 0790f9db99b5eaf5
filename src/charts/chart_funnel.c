/* The funnel chart: rate against denominator with the limits chance
 * alone would keep an area within, so that a reader can tell a real
 * difference from a small area's noise. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"
#include "percap/funnel.h"

#define PLOT_W 760.0
#define PLOT_H 500.0
#define CURVE_POINTS 160

/* Diverging red-blue by class, grey within: readable in print. */
static const char *const class_colour[] = {"#2166ac", "#67a9cf", "#8c8c8c", "#ef8a62",
                                           "#b2182b"};
static const char *const class_text[] = {"below the 99.8% limit", "below the 95% limit",
                                         "within the 95% limits", "above the 95% limit",
                                         "above the 99.8% limit"};

typedef struct funnel {
    chart_frame f;
    percap_funnel_class *cls;
    percap_funnel_summary sum;
    double xlo, xhi, ymax, per;
    double *den, *limit[4];
} funnel;

static const double probs[4] = {0.001, 0.025, 0.975, 0.999};

static void funnel_free(funnel *fn)
{
    free(fn->cls);
    free(fn->den);
    for (size_t k = 0; k < 4; k++)
        free(fn->limit[k]);
}

static percap_status curves(funnel *fn, const percap_areas *a, bool over, double per,
                            percap_error *err)
{
    fn->per = per;
    fn->xlo = INFINITY;
    fn->xhi = 0;
    fn->ymax = 0;
    for (size_t i = 0; i < a->n; i++) {
        fn->xlo = fmin(fn->xlo, a->rows[i].population);
        fn->xhi = fmax(fn->xhi, a->rows[i].population);
        if (isfinite(a->rows[i].rate))
            fn->ymax = fmax(fn->ymax, a->rows[i].rate);
    }
    fn->xlo /= 1.6;
    fn->xhi *= 1.6;
    fn->ymax = fn->ymax > 0 ? fn->ymax * 1.1 : 1;
    fn->den = malloc(CURVE_POINTS * sizeof *fn->den);
    for (size_t k = 0; k < 4; k++)
        fn->limit[k] = malloc(CURVE_POINTS * sizeof *fn->limit[k]);
    if (!fn->den || !fn->limit[0] || !fn->limit[1] || !fn->limit[2] || !fn->limit[3])
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    double l0 = log(fn->xlo), l1 = log(fn->xhi);
    for (size_t j = 0; j < CURVE_POINTS; j++)
        fn->den[j] = exp(l0 + (l1 - l0) * (double)j / (CURVE_POINTS - 1));
    for (size_t k = 0; k < 4; k++) {
        percap_status st = percap_funnel_curve(&fn->sum, over, probs[k], fn->den, CURVE_POINTS,
                                               fn->limit[k], err);
        if (st != PERCAP_OK)
            return st;
        for (size_t j = 0; j < CURVE_POINTS; j++)
            fn->limit[k][j] *= per;
    }
    return PERCAP_OK;
}

static double px_of(const funnel *fn, double den)
{
    return (log(den) - log(fn->xlo)) / (log(fn->xhi) - log(fn->xlo)) * chart_plot_width(&fn->f);
}

static chart_mark mark(const funnel *fn, const percap_areas *a, size_t i)
{
    const percap_area *r = &a->rows[i];
    return (chart_mark){r->population, r->rate, px_of(fn, r->population),
                        r->rate / fn->ymax * chart_plot_height(&fn->f), 4,
                        percap_areas_name(a, i)};
}

/* Names areas outside the 99.8% limits, the furthest out first. */
static void name_outliers(percap_gp *gp, const funnel *fn, const percap_areas *a,
                          size_t nlabels)
{
    size_t n = a->n ? a->n : 1, k = 0;
    chart_outlier *o = malloc(n * sizeof *o);
    chart_mark *marks = malloc(n * sizeof *marks), *all = malloc(n * sizeof *all);
    size_t *rows = malloc(n * sizeof *rows);
    double target = fn->sum.target * fn->per;
    for (size_t i = 0; o && i < a->n; i++) {
        if (fn->cls[i] != PERCAP_FUNNEL_HIGH_998 && fn->cls[i] != PERCAP_FUNNEL_LOW_998)
            continue;
        double e = fn->sum.target * a->rows[i].population;
        o[k++] = (chart_outlier){i, e > 0 ? (a->rows[i].deaths - e) / sqrt(e) : 0,
                                 a->rows[i].rate - target};
    }
    if (o && marks && all && rows) {
        k = chart_pick_outliers(o, k, nlabels, rows);
        for (size_t j = 0; j < k; j++)
            marks[j] = mark(fn, a, rows[j]);
        for (size_t i = 0; i < a->n; i++)
            all[i] = mark(fn, a, i);
        chart_label_marks(gp, &fn->f, marks, k, all, a->n);
    }
    free(o);
    free(marks);
    free(all);
    free(rows);
}

static void blocks(percap_gp *gp, const funnel *fn, const percap_areas *a)
{
    percap_gp_block_begin(gp, "limits", "denominator low_99.8 low_95 high_95 high_99.8", 5);
    for (size_t j = 0; j < CURVE_POINTS; j++) {
        double row[5] = {fn->den[j], fn->limit[0][j], fn->limit[1][j], fn->limit[2][j],
                         fn->limit[3][j]};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
    percap_gp_block_begin(gp, "areas", "denominator rate class(-2..2)", 3);
    for (size_t i = 0; i < a->n; i++) {
        double row[3] = {a->rows[i].population, a->rows[i].rate, (double)fn->cls[i]};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
}

static void draw(percap_gp *gp, const funnel *fn, const percap_chart_info *info,
                 const percap_areas *a, size_t nlabels)
{
    char ylabel[512], xlabel[512];
    chart_rate_label(info, ylabel, sizeof ylabel);
    snprintf(xlabel, sizeof xlabel, "Denominator: %s (log scale)",
             info->denominator && *info->denominator ? info->denominator : "population");
    percap_gp_set_text(gp, "xlabel", xlabel, "offset 0,0.3");
    percap_gp_set_text(gp, "ylabel", ylabel, "offset 0.5,0");
    percap_gp_code(gp, "set logscale x");
    percap_gp_code(gp, "set format x '%%.0s%%c'");
    percap_gp_range(gp, "x", fn->xlo, fn->xhi);
    percap_gp_range(gp, "y", 0, fn->ymax);
    percap_gp_code(gp, "set grid xtics ytics lc rgb '#e6e6e6' lw 1 dt 1");
    percap_gp_code(gp, "set key at screen %s, screen %s left top horizontal Left reverse "
                       "samplen 2 font ',9' maxrows 2",
                   percap_gp_num(gp, fn->f.left / fn->f.width),
                   percap_gp_num(gp, 1 - (CHART_TITLE_PX - 2) / fn->f.height));
    blocks(gp, fn, a);
    name_outliers(gp, fn, a, nlabels);
    char target[64], text[128];
    chart_value(fn->sum.target * info->rates->per, target, sizeof target);
    snprintf(text, sizeof text, "pooled rate %s", target);
    percap_gp_plot_begin(gp);
    percap_gp_plot_item(gp, "99.8% limits", "$limits using 1:2 with lines lw 1.2 dt 2 "
                                            "lc rgb '#555555'");
    percap_gp_plot_item(gp, NULL, "$limits using 1:5 with lines lw 1.2 dt 2 lc rgb '#555555'");
    percap_gp_plot_item(gp, "95% limits", "$limits using 1:3 with lines lw 1.2 lc rgb '#999999'");
    percap_gp_plot_item(gp, NULL, "$limits using 1:4 with lines lw 1.2 lc rgb '#999999'");
    percap_gp_plot_item(gp, text, "%s with lines lw 1.5 lc rgb '" CHART_INK "'",
                        percap_gp_num(gp, fn->sum.target * info->rates->per));
    size_t count[5] = {0};
    for (size_t i = 0; i < a->n; i++)
        count[fn->cls[i] + 2]++;
    for (int c = 4; c >= 0; c--) {
        if (!count[c])
            continue;
        snprintf(text, sizeof text, "%s (%zu)", class_text[c], count[c]);
        percap_gp_plot_item(gp, text, "$areas using 1:($3 == %d ? $2 : NaN) with points pt 7 "
                                      "ps 1.1 lc rgb '%s'",
                            c - 2, class_colour[c]);
    }
    percap_gp_plot_end(gp);
}

static void caption_extra(char *buf, size_t size, const funnel *fn, bool over, size_t nlabels)
{
    char phi[32], tau[32], named[160] = "";
    chart_value(fn->sum.phi, phi, sizeof phi);
    percap_gp_fixed(fn->sum.tau2, 4, tau, sizeof tau);
    if (nlabels)
        snprintf(named, sizeof named, " Named: up to %zu areas furthest outside the 99.8%% "
                                      "limits.", nlabels);
    if (over)
        snprintf(buf, size, "Limits widened for overdispersion (Spiegelhalter 2005, random "
                            "effects on log rates): phi = %s, tau^2 = %s.%s", phi, tau, named);
    else
        snprintf(buf, size, "Limits: exact Poisson around the pooled rate, as in "
                            "PHEindicatormethods. Overdispersion phi = %s (1 if areas differ by "
                            "chance alone).%s", phi, named);
}

percap_status percap_chart_funnel(FILE *fp, const percap_chart_info *info,
                                  const percap_areas *areas, bool overdispersed,
                                  size_t nlabels, percap_error *err)
{
    percap_status st = chart_check(info, areas, err);
    if (st != PERCAP_OK)
        return st;
    funnel fn = {0};
    chart_caption cap = {0};
    fn.f = (chart_frame){0, 0, 84, 36, CHART_TITLE_PX + 44, 0};
    chart_fit_width(&fn.f, PLOT_W);
    if (!(fn.cls = malloc(areas->n * sizeof *fn.cls)))
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        st = percap_funnel_classify(areas, overdispersed, fn.cls, &fn.sum, err);
    if (st == PERCAP_OK)
        st = curves(&fn, areas, overdispersed, info->rates->per, err);
    char extra[1024];
    if (st == PERCAP_OK) {
        caption_extra(extra, sizeof extra, &fn, overdispersed, nlabels);
        st = chart_caption_make(&cap, info, extra, fn.f.width, err);
    }
    if (st == PERCAP_OK) {
        fn.f.bottom = 56 + chart_caption_height(&cap);
        chart_fit_height(&fn.f, PLOT_H);
        char subtitle[256];
        snprintf(subtitle, sizeof subtitle, "Rate against denominator for %zu areas, with the "
                                            "limits chance alone would keep%s", areas->n,
                 overdispersed ? " (adjusted for overdispersion)" : "");
        percap_gp *gp = chart_begin(fp, "funnel", &fn.f, info,
                                    "Which areas differ from the pooled rate by more than chance?",
                                    subtitle, &cap);
        if (gp)
            draw(gp, &fn, info, areas, nlabels);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    funnel_free(&fn);
    return st;
}
