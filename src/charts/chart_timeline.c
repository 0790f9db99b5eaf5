/* The timeline chart: deaths by calendar month for a few chosen areas,
 * one line each, per month or as a running total. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"

#define PLOT_W 700.0
#define PLOT_H 420.0
#define MAX_TICKS 14
#define MAX_SERIES 40

static const char *const colours[] = {"#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b",
                                      "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#79706e"};
#define NCOLOURS (sizeof colours / sizeof colours[0])

typedef struct timeline {
    chart_frame f;
    double ymax;
} timeline;

static void month_text(int32_t month, char *buf, size_t size)
{
    int year = (int)(month / 12), m = (int)(month % 12) + 1;
    snprintf(buf, size, "%04d-%02d", year, m);
}

/* Values as drawn: per month, or running totals. */
static double value(const percap_chart_series *s, size_t k, bool cumulative)
{
    if (!cumulative)
        return s->counts[k];
    double sum = 0;
    for (size_t j = 0; j <= k; j++)
        sum += s->counts[j];
    return sum;
}

static percap_status check(const percap_chart_series *series, size_t nseries, size_t nmonths,
                           percap_error *err)
{
    if (!series || nseries == 0 || nmonths == 0)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the timeline needs at least one area and one month");
    if (nseries > MAX_SERIES)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the timeline draws at most %d areas (got %zu)", MAX_SERIES,
                                nseries);
    for (size_t i = 0; i < nseries; i++)
        for (size_t k = 0; k < nmonths; k++)
            if (!(series[i].counts[k] >= 0))
                return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                        "%s: a monthly count is not a number >= 0",
                                        series[i].name ? series[i].name : "?");
    return PERCAP_OK;
}

static void xtics(percap_gp *gp, int32_t first, size_t nmonths)
{
    size_t step = (nmonths + MAX_TICKS - 1) / MAX_TICKS;
    size_t n = (nmonths + step - 1) / step;
    char (*text)[16] = malloc(n * sizeof *text);
    const char **labels = malloc(n * sizeof *labels);
    double *at = malloc(n * sizeof *at);
    for (size_t i = 0; text && labels && at && i < n; i++) {
        month_text(first + (int32_t)(i * step), text[i], sizeof text[i]);
        labels[i] = text[i];
        at[i] = (double)(i * step);
    }
    if (text && labels && at)
        percap_gp_tics(gp, "x", labels, at, n, "out nomirror rotate by 45 right font ',9'");
    free(text);
    free(labels);
    free(at);
}

static void draw(percap_gp *gp, const timeline *t, const percap_chart_series *s, size_t ns,
                 int32_t first, size_t nmonths, bool cumulative)
{
    percap_gp_set_text(gp, "ylabel", cumulative ? "Deaths, running total" : "Deaths per month",
                       "offset 0.5,0");
    percap_gp_range(gp, "x", -0.5, (double)nmonths - 0.5);
    percap_gp_range(gp, "y", 0, t->ymax);
    /* Counts: whole-number steps only. */
    percap_gp_code(gp, "set ytics 0,%s", percap_gp_num(gp, fmax(1, chart_nice_step(t->ymax / 7))));
    percap_gp_code(gp, "set grid ytics lc rgb '#e6e6e6' lw 1 dt 1");
    percap_gp_code(gp, "set key outside right top vertical Left reverse samplen 2 font ',9' "
                       "spacing 1.2");
    xtics(gp, first, nmonths);
    double *row = malloc((ns + 1) * sizeof *row);
    if (!row)
        return;
    percap_gp_block_begin(gp, "months", "month(0 = first) then one column per area", ns + 1);
    for (size_t k = 0; k < nmonths; k++) {
        row[0] = (double)k;
        for (size_t i = 0; i < ns; i++)
            row[i + 1] = value(&s[i], k, cumulative);
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
    free(row);
    percap_gp_plot_begin(gp);
    for (size_t i = 0; i < ns; i++)
        percap_gp_plot_item(gp, s[i].name ? s[i].name : "",
                            "$months using 1:%zu with linespoints pt 7 ps 0.45 lw 2 dt %zu "
                            "lc rgb '%s'",
                            i + 2, i / NCOLOURS + 1, colours[i % NCOLOURS]);
    percap_gp_plot_end(gp);
}

percap_status percap_chart_timeline(FILE *fp, const percap_chart_info *info,
                                    const percap_chart_series *series, size_t nseries,
                                    int32_t first_month, size_t nmonths, bool cumulative,
                                    percap_error *err)
{
    if (!info)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "the timeline needs its info");
    percap_status st = check(series, nseries, nmonths, err);
    if (st != PERCAP_OK)
        return st;
    timeline t = {0};
    double widest = 0;
    for (size_t i = 0; i < nseries; i++) {
        widest = fmax(widest, chart_text_px(series[i].name, 9));
        for (size_t k = 0; k < nmonths; k++)
            t.ymax = fmax(t.ymax, value(&series[i], k, cumulative));
    }
    t.ymax = t.ymax > 0 ? t.ymax * 1.08 : 1;
    t.f = (chart_frame){0, 0, 80, fmin(widest, 360) + 70, CHART_TITLE_PX + 20, 0};
    chart_fit_width(&t.f, PLOT_W);
    chart_caption cap = {0};
    char first[16], last[16], extra[512];
    month_text(first_month, first, sizeof first);
    month_text(first_month + (int32_t)nmonths - 1, last, sizeof last);
    snprintf(extra, sizeof extra, "Deaths counted by the month of their date in the list, %s "
                                  "to %s; the last month may be incomplete, and deaths are "
                                  "often listed months after they happen.%s",
             first, last, cumulative ? " Running total from the first month." : "");
    st = chart_caption_make(&cap, info, extra, t.f.width, err);
    if (st == PERCAP_OK) {
        t.f.bottom = 76 + chart_caption_height(&cap);
        chart_fit_height(&t.f, PLOT_H);
        char subtitle[256];
        snprintf(subtitle, sizeof subtitle, "%s, %s to %s",
                 cumulative ? "Running total" : "Per calendar month", first, last);
        percap_gp *gp = chart_begin(fp, "timeline", &t.f, info, "Deaths by month", subtitle, &cap);
        if (gp)
            draw(gp, &t, series, nseries, first_month, nmonths, cumulative);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    return st;
}
