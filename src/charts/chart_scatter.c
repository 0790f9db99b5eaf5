/* The scatter chart: rate against a covariate, each area a circle whose
 * area is proportional to its denominator, with a fitted model's line
 * and band if one is given, and the areas furthest from it named. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chart_common.h"

#define PLOT_W 760.0
#define PLOT_H 500.0
#define MIN_PS 0.6
#define MAX_PS 4.0
/* gnuplot's pt 7 at pointsize 1 is about this many pixels across in the
 * cairo terminal. */
#define PS_RADIUS_PX 3.6

typedef struct scatter {
    chart_frame f;
    long xcol;
    size_t shown, missing;
    double xlo, xhi, ymax, maxpop;
} scatter;

static long covariate(const percap_areas *a, const char *name)
{
    for (size_t j = 0; j < a->ncov; j++)
        if (strcmp(a->cov_names[j], name) == 0)
            return (long)j;
    for (size_t j = 0; j < a->ncov; j++)
        if (strcasecmp(a->cov_names[j], name) == 0)
            return (long)j;
    return -1;
}

static double xval(const percap_areas *a, const scatter *s, size_t i)
{
    return a->cov[i * a->ncov + (size_t)s->xcol];
}

static bool shown(const percap_areas *a, const scatter *s, size_t i)
{
    return isfinite(xval(a, s, i)) && isfinite(a->rows[i].rate);
}

static void ranges(scatter *s, const percap_areas *a, const percap_chart_fit *fit)
{
    s->xlo = INFINITY;
    s->xhi = -INFINITY;
    s->ymax = 0;
    s->maxpop = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (!shown(a, s, i)) {
            s->missing++;
            continue;
        }
        s->shown++;
        double x = xval(a, s, i);
        s->xlo = fmin(s->xlo, x);
        s->xhi = fmax(s->xhi, x);
        s->ymax = fmax(s->ymax, a->rows[i].rate);
        s->maxpop = fmax(s->maxpop, a->rows[i].population);
    }
    for (size_t k = 0; fit && k < fit->n; k++)
        if (isfinite(fit->high[k]))
            s->ymax = fmax(s->ymax, fit->high[k]);
    double span = s->xhi - s->xlo;
    if (!(span > 0))
        span = fabs(s->xhi) > 0 ? fabs(s->xhi) : 1;
    s->xlo -= span * 0.05;
    s->xhi += span * 0.05;
    s->ymax = s->ymax > 0 ? s->ymax * 1.08 : 1;
}

static double point_size(const scatter *s, double pop)
{
    double t = s->maxpop > 0 && pop > 0 ? sqrt(pop / s->maxpop) : 0;
    return MIN_PS + (MAX_PS - MIN_PS) * t;
}

/* The fitted mean rate at x, by straight lines between the grid points;
 * NAN outside the grid. */
static double fitted_at(const percap_chart_fit *fit, double x)
{
    if (!fit || fit->n < 2)
        return NAN;
    /* Beyond the grid (areas the model left out, or rounding at its
     * ends) the end segments are extended. */
    size_t k = 0;
    while (k + 2 < fit->n && x > fit->x[k + 1])
        k++;
    double dx = fit->x[k + 1] - fit->x[k];
    double t = dx > 0 ? (x - fit->x[k]) / dx : 0;
    return fit->fit[k] + t * (fit->fit[k + 1] - fit->fit[k]);
}

/* How far each area is from the line (or the pooled rate): in Poisson
 * standard errors of its count, and in rate as the eye sees it. Returns
 * how many areas have an expected count. */
static size_t deviations(const percap_areas *a, const scatter *s, const percap_chart_fit *fit,
                         double per, chart_outlier *out)
{
    double deaths = 0, pop = 0;
    for (size_t i = 0; i < a->n; i++)
        if (shown(a, s, i)) {
            deaths += a->rows[i].deaths;
            pop += a->rows[i].population;
        }
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (!shown(a, s, i))
            continue;
        double rate = fit ? fitted_at(fit, xval(a, s, i)) / per : deaths / pop;
        double expected = rate * a->rows[i].population;
        if (!(expected > 0))
            continue;
        out[k++] = (chart_outlier){i, (a->rows[i].deaths - expected) / sqrt(expected),
                               a->rows[i].rate - rate * per};
    }
    return k;
}

static size_t extremes(const percap_areas *a, const scatter *s, const percap_chart_fit *fit,
                       double per, size_t max, size_t *out)
{
    chart_outlier *c = malloc((a->n ? a->n : 1) * sizeof *c);
    size_t k = c ? chart_pick_outliers(c, deviations(a, s, fit, per, c), max, out) : 0;
    free(c);
    return k;
}

static void points(percap_gp *gp, const scatter *s, const percap_areas *a)
{
    percap_gp_block_begin(gp, "points", "x rate pointsize flag denominator", 5);
    for (size_t i = 0; i < a->n; i++) {
        if (!shown(a, s, i))
            continue;
        const percap_area *r = &a->rows[i];
        double row[5] = {xval(a, s, i), r->rate, point_size(s, r->population),
                         (double)r->flag, r->population};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
}

static void fit_block(percap_gp *gp, const percap_chart_fit *fit)
{
    percap_gp_block_begin(gp, "line", "x fit low high", 4);
    for (size_t k = 0; k < fit->n; k++) {
        double row[4] = {fit->x[k], fit->fit[k], fit->low[k], fit->high[k]};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
}

static chart_mark mark(const scatter *s, const percap_areas *a, size_t i)
{
    double w = chart_plot_width(&s->f), h = chart_plot_height(&s->f);
    double x = xval(a, s, i), y = a->rows[i].rate;
    return (chart_mark){x, y, (x - s->xlo) / (s->xhi - s->xlo) * w, y / s->ymax * h,
                        point_size(s, a->rows[i].population) * PS_RADIUS_PX,
                        percap_areas_name(a, i)};
}

static void name_extremes(percap_gp *gp, const scatter *s, const percap_areas *a,
                          const percap_chart_fit *fit, double per, size_t nlabels)
{
    size_t *rows = malloc((a->n ? a->n : 1) * sizeof *rows);
    chart_mark *marks = malloc((a->n ? a->n : 1) * sizeof *marks);
    chart_mark *all = malloc((a->n ? a->n : 1) * sizeof *all);
    size_t k = rows && marks && all ? extremes(a, s, fit, per, nlabels, rows) : 0, nall = 0;
    for (size_t i = 0; all && i < a->n; i++)
        if (shown(a, s, i))
            all[nall++] = mark(s, a, i);
    for (size_t j = 0; j < k; j++)
        marks[j] = mark(s, a, rows[j]);
    chart_label_marks(gp, &s->f, marks, k, all, nall);
    free(rows);
    free(marks);
    free(all);
}

static void draw(percap_gp *gp, const scatter *s, const percap_chart_info *info,
                 const percap_areas *a, const char *x_name, const percap_chart_fit *fit,
                 size_t nlabels)
{
    char ylabel[512];
    chart_rate_label(info, ylabel, sizeof ylabel);
    percap_gp_set_text(gp, "xlabel", x_name, "offset 0,0.3");
    percap_gp_set_text(gp, "ylabel", ylabel, "offset 0.5,0");
    percap_gp_range(gp, "x", s->xlo, s->xhi);
    percap_gp_range(gp, "y", 0, s->ymax);
    percap_gp_code(gp, "set grid xtics ytics lc rgb '#e6e6e6' lw 1 dt 1");
    percap_gp_code(gp, "set key at screen %s, screen %s left top horizontal Left reverse "
                       "samplen 2 font ',9'",
                   percap_gp_num(gp, s->f.left / s->f.width),
                   percap_gp_num(gp, 1 - (CHART_TITLE_PX - 2) / s->f.height));
    points(gp, s, a);
    if (fit)
        fit_block(gp, fit);
    name_extremes(gp, s, a, fit, info->rates->per, nlabels);
    percap_gp_plot_begin(gp);
    if (fit) {
        char band[64], lv[32];
        chart_short(fit->level * 100, lv, sizeof lv);
        snprintf(band, sizeof band, "%s%% confidence band", lv);
        percap_gp_plot_item(gp, band, "$line using 1:3:4 with filledcurves "
                                      "fs transparent solid 0.18 noborder lc rgb '" CHART_RED "'");
        percap_gp_plot_item(gp, fit->label, "$line using 1:2 with lines lw 2 lc rgb '"
                                            CHART_RED "'");
    }
    percap_gp_plot_item(gp, NULL, "$points using 1:($4 == 0 ? $2 : NaN):3 with points pt 7 "
                                  "ps variable lc rgb '#804c78a8'");
    percap_gp_plot_item(gp, "area (circle area proportional to the denominator)",
                        "$points using 1:2:3 with points pt 6 ps variable lw 1 "
                        "lc rgb '#2f4b7c'");
    percap_gp_plot_end(gp);
}

static void caption_extra(char *buf, size_t size, const percap_chart_info *info,
                          const scatter *s, const percap_chart_fit *fit, const char *x_name,
                          size_t nlabels)
{
    char num[32], named[256] = "", missing[256] = "";
    chart_short(info->rates->unreliable_below, num, sizeof num);
    if (nlabels)
        snprintf(named, sizeof named, " Named: the %zu areas furthest from %s, by turns in "
                                      "Poisson standard errors and in rate.",
                 nlabels, fit ? "the line" : "the pooled rate");
    if (s->missing)
        snprintf(missing, sizeof missing, " %zu area%s without %s not shown.", s->missing,
                 s->missing == 1 ? "" : "s", x_name);
    snprintf(buf, size, "Hollow circles: fewer than %s deaths.%s%s%s%s", num, named,
             fit ? " The band covers the mean rate, not single areas." : "",
             fit && fit->others_at_mean ? " The model's other terms are held at their means."
                                        : "",
             missing);
}

percap_status percap_chart_scatter(FILE *fp, const percap_chart_info *info,
                                   const percap_areas *areas, const char *x_col,
                                   const percap_chart_fit *fit, size_t nlabels,
                                   percap_error *err)
{
    percap_status st = chart_check(info, areas, err);
    if (st != PERCAP_OK)
        return st;
    scatter s = {0};
    if (!x_col || (s.xcol = covariate(areas, x_col)) < 0)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the scatter needs a covariate column for x%s%s%s",
                                x_col ? " ('" : "", x_col ? x_col : "",
                                x_col ? "' is not one)" : "");
    const char *x_name = areas->cov_names[s.xcol];
    ranges(&s, areas, fit);
    if (s.shown == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "no area has both a rate and a value of '%s'", x_name);
    chart_caption cap = {0};
    s.f = (chart_frame){0, 0, 84, 36, CHART_TITLE_PX + 26, 0};
    chart_fit_width(&s.f, PLOT_W);
    char extra[1024];
    caption_extra(extra, sizeof extra, info, &s, fit, x_name, nlabels);
    st = chart_caption_make(&cap, info, extra, s.f.width, err);
    if (st == PERCAP_OK) {
        s.f.bottom = 56 + chart_caption_height(&cap);
        chart_fit_height(&s.f, PLOT_H);
        char title[512], subtitle[512];
        chart_rate_label(info, title, sizeof title);
        snprintf(subtitle, sizeof subtitle, "against %s, %zu areas", x_name, s.shown);
        percap_gp *gp = chart_begin(fp, "scatter", &s.f, info, title, subtitle, &cap);
        if (gp)
            draw(gp, &s, info, areas, x_name, fit, nlabels);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    return st;
}
