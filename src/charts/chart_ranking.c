/* The ranking chart: every area's rate as a horizontal bar with its
 * interval, top to bottom in display order, tall enough that every name
 * can be read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"

#define ROW_PX 18.0
#define MAX_HEIGHT 20000
#define PLOT_WIDTH 620.0
#define VALUE_ROOM_PX 46.0

/* Bar colours by flag: the flagged are paler, so the eye weighs them less. */
static const char *const flag_colour[] = {CHART_BLUE, CHART_PALE_BLUE, CHART_GREY};
static const double flag_rgb[] = {0x4c78a8, 0xa8c3de, 0xb0b0b0};

typedef struct ranking_layout {
    chart_frame f;
    double row_px;
    size_t label_every;    /* name every k-th row when rows are too thin to hold all */
    double xmax;
    double caption_px;
    char **names;
} ranking_layout;

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* "12. Tuva Republic": ties share their rank, as in the table. */
static percap_status make_names(ranking_layout *l, const percap_areas *a, const size_t *order,
                                percap_error *err)
{
    l->names = calloc(a->n, sizeof *l->names);
    if (!l->names)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n; i++) {
        const char *name = percap_areas_name(a, order[i]);
        size_t len = strlen(name) + 32;
        if (!(l->names[i] = malloc(len)))
            return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
        snprintf(l->names[i], len, "%ld. %s", a->rows[order[i]].rank, name);
    }
    return PERCAP_OK;
}

static void layout(ranking_layout *l, const percap_areas *a, const size_t *order,
                   double caption_px)
{
    double widest = 0;
    for (size_t i = 0; i < a->n; i++) {
        double w = chart_text_px(l->names[i], CHART_FONT);
        if (w > widest)
            widest = w;
    }
    /* Very long names are clipped rather than squeezing the bars away. */
    if (widest > 420)
        widest = 420;
    l->f.left = widest + 36;
    l->f.right = 30;
    l->f.top = CHART_TITLE_PX + 26;
    l->caption_px = caption_px;
    l->f.bottom = 52 + CHART_KEY_ROW_PX + caption_px;
    chart_fit_width(&l->f, PLOT_WIDTH);
    double room = MAX_HEIGHT - l->f.top - l->f.bottom;
    l->row_px = (double)a->n * ROW_PX <= room ? ROW_PX : room / (double)a->n;
    l->label_every = l->row_px >= 11 ? 1 : (size_t)ceil(11 / l->row_px);
    double plot_h = l->row_px * (double)a->n;
    if (plot_h < 120)
        plot_h = 120;
    chart_fit_height(&l->f, plot_h);
    /* Room right of the longest whisker for its value. */
    double hi = 0;
    for (size_t i = 0; i < a->n; i++) {
        const percap_area *r = &a->rows[order[i]];
        double top = isfinite(r->ci_high) ? r->ci_high : r->rate;
        if (isfinite(top) && top > hi)
            hi = top;
    }
    if (!(hi > 0))
        hi = 1;
    l->xmax = hi / (1 - VALUE_ROOM_PX / PLOT_WIDTH);
}

static void data(percap_gp *gp, const ranking_layout *l, const percap_areas *a,
                 const size_t *order)
{
    percap_gp_block_begin(gp, "bars", "y rate ci_low ci_high colour flag", 6);
    for (size_t i = 0; i < a->n; i++) {
        const percap_area *r = &a->rows[order[i]];
        double row[6] = {(double)(a->n - i), r->rate, r->ci_low, r->ci_high,
                         flag_rgb[r->flag], (double)r->flag};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
    double *ys = malloc(a->n * sizeof *ys);
    const char **labels = malloc(a->n * sizeof *labels);
    size_t k = 0;
    for (size_t i = 0; ys && labels && i < a->n; i += l->label_every) {
        ys[k] = (double)(a->n - i);
        labels[k++] = l->names[i];
    }
    if (k)
        percap_gp_tics(gp, "y", labels, ys, k, "nomirror scale 0 font ',10'");
    free(ys);
    free(labels);
}

static void values(percap_gp *gp, const ranking_layout *l, const percap_areas *a,
                   const size_t *order)
{
    if (l->label_every > 1)
        return;
    for (size_t i = 0; i < a->n; i++) {
        const percap_area *r = &a->rows[order[i]];
        double x = isfinite(r->ci_high) ? r->ci_high : r->rate;
        if (!isfinite(x))
            continue;
        char text[64];
        chart_value(r->rate, text, sizeof text);
        percap_gp_label(gp, text, "first", x, (double)(a->n - i),
                        "left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front");
    }
}

/* A plotted line rather than an arrow, so the values (front labels on a
 * white patch) stay readable where it crosses them. */
static void pooled_line(percap_gp *gp, const percap_areas *a, const percap_area *pooled)
{
    if (!pooled || !isfinite(pooled->rate))
        return;
    percap_gp_block_begin(gp, "pooled", "rate y", 2);
    percap_gp_block_row(gp, (double[2]){pooled->rate, 0.4});
    percap_gp_block_row(gp, (double[2]){pooled->rate, (double)a->n + 0.6});
    percap_gp_block_end(gp);
}

static void key_entries(percap_gp *gp, const percap_chart_info *info, const percap_areas *a,
                        const percap_area *pooled)
{
    bool seen[3] = {false, false, false};
    for (size_t i = 0; i < a->n; i++)
        seen[a->rows[i].flag] = true;
    char text[256], num[64], level[32];
    chart_short(info->rates->unreliable_below, num, sizeof num);
    snprintf(text, sizeof text, "%s deaths or more", num);
    if (seen[PERCAP_FLAG_OK])
        percap_gp_plot_item(gp, text, "NaN with boxes fs solid 1.0 noborder lc rgb '%s'",
                            flag_colour[0]);
    snprintf(text, sizeof text, "fewer than %s deaths (unreliable)", num);
    if (seen[PERCAP_FLAG_UNRELIABLE])
        percap_gp_plot_item(gp, text, "NaN with boxes fs solid 1.0 noborder lc rgb '%s'",
                            flag_colour[1]);
    chart_short(info->rates->suppress_max, num, sizeof num);
    snprintf(text, sizeof text, "%s deaths or fewer (suppressed)", num);
    if (seen[PERCAP_FLAG_SUPPRESSED])
        percap_gp_plot_item(gp, text, "NaN with boxes fs solid 1.0 noborder lc rgb '%s'",
                            flag_colour[2]);
    chart_short(info->rates->level * 100, level, sizeof level);
    snprintf(text, sizeof text, "%s%% interval", level);
    percap_gp_plot_item(gp, text, "NaN with lines lw 1 lc rgb '" CHART_INK "'");
    if (pooled && isfinite(pooled->rate)) {
        chart_value(pooled->rate, num, sizeof num);
        snprintf(text, sizeof text, "all areas together: %s", num);
        percap_gp_plot_item(gp, text, "$pooled using 1:2 with lines lw 1.5 dt 2 lc rgb '"
                                      CHART_RED "'");
    }
}

static void draw(percap_gp *gp, const ranking_layout *l, const percap_chart_info *info,
                 const percap_areas *a, const size_t *order, const percap_area *pooled)
{
    char xlabel[512];
    chart_rate_label(info, xlabel, sizeof xlabel);
    percap_gp_set_text(gp, "xlabel", xlabel, "offset 0,0.3");
    percap_gp_range(gp, "x", 0, l->xmax);
    percap_gp_range(gp, "y", 0.4, (double)a->n + 0.6);
    percap_gp_range(gp, "x2", 0, l->xmax);
    percap_gp_code(gp, "set xtics out nomirror");
    percap_gp_code(gp, "set x2tics out nomirror");
    percap_gp_code(gp, "set grid xtics lc rgb '#e6e6e6' lw 1 dt 1");
    percap_gp_code(gp, "set border 3 lw 1 lc rgb '#666666'");
    percap_gp_code(gp, "set style fill solid 1.0 noborder");
    percap_gp_code(gp, "set bars small");
    /* Values sit on a white patch, so the pooled-rate line passes behind them. */
    percap_gp_code(gp, "set style textbox opaque noborder margins 1,0.5");
    chart_key_below(gp, &l->f, l->caption_px);
    data(gp, l, a, order);
    values(gp, l, a, order);
    pooled_line(gp, a, pooled);
    percap_gp_plot_begin(gp);
    percap_gp_plot_item(gp, NULL, "$bars using ($2/2):1:(0):2:($1-0.36):($1+0.36):5 "
                                  "with boxxyerror fs solid 1.0 noborder lc rgb variable");
    percap_gp_plot_item(gp, NULL, "$bars using 2:1:3:4 with xerrorbars pt -1 lw 1 "
                                  "lc rgb '" CHART_INK "'");
    key_entries(gp, info, a, pooled);
    percap_gp_plot_end(gp);
}

percap_status percap_chart_ranking(FILE *fp, const percap_chart_info *info,
                                   const percap_areas *areas, const size_t *order,
                                   const percap_area *pooled, percap_error *err)
{
    percap_status st = chart_check(info, areas, err);
    if (st != PERCAP_OK)
        return st;
    if (!order)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "the ranking needs an order");
    ranking_layout l = {0};
    chart_caption cap = {0};
    st = make_names(&l, areas, order, err);
    char subtitle[512], level[32];
    chart_short(info->rates->level * 100, level, sizeof level);
    if (st == PERCAP_OK) {
        snprintf(subtitle, sizeof subtitle, "Rate for each of %zu areas, with %s%% interval",
                 areas->n, level);
        /* The caption wraps to the canvas, which is known once names are measured. */
        layout(&l, areas, order, 0);
        bool flagged = false;
        for (size_t i = 0; i < areas->n; i++)
            flagged = flagged || areas->rows[i].flag != PERCAP_FLAG_OK;
        st = chart_caption_make(&cap, info,
                                flagged ? "Each bar: deaths / denominator. Paler bars: too few "
                                          "deaths for the rate to be trusted; their ranks can "
                                          "move many places on one death."
                                        : "Each bar: deaths / denominator.",
                                l.f.width, err);
    }
    if (st == PERCAP_OK) {
        layout(&l, areas, order, chart_caption_height(&cap));
        char title[512];
        chart_rate_label(info, title, sizeof title);
        percap_gp *gp = chart_begin(fp, "ranking", &l.f, info, title, subtitle, &cap);
        if (gp)
            draw(gp, &l, info, areas, order, pooled);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    free_names(l.names, areas->n);
    return st;
}
