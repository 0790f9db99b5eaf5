/* The rank-interval (caterpillar) chart: each area's median rank and the
 * interval its rank could plausibly take, so that a reader sees which
 * places in the league table are settled and which are not. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"

#define ROW_PX 18.0
#define MAX_HEIGHT 20000
#define PLOT_WIDTH 560.0

static const double flag_rgb[] = {0x4c78a8, 0xa8c3de, 0xb0b0b0};

typedef struct ranked {
    size_t row;
    double median, low, high, rate;
    const char *code;
} ranked;

/* By median rank, then the tighter interval, then the higher rate, then
 * the code, so the order never depends on the input's. */
static int by_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->median != b->median)
        return a->median < b->median ? -1 : 1;
    if (a->low != b->low)
        return a->low < b->low ? -1 : 1;
    if (a->high != b->high)
        return a->high < b->high ? -1 : 1;
    if (a->rate != b->rate)
        return a->rate > b->rate ? -1 : 1;
    return strcmp(a->code, b->code);
}

typedef struct caterpillar {
    chart_frame f;
    ranked *rows;
    size_t n;
    double row_px;
    size_t label_every;
    double caption_px;
    bool has_p;
} caterpillar;

static percap_status order_rows(caterpillar *c, const percap_areas *a,
                                const percap_rank_interval *r, percap_error *err)
{
    c->n = a->n;
    c->rows = malloc(a->n * sizeof *c->rows);
    if (!c->rows)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n; i++) {
        if (!isfinite(r[i].median) || !isfinite(r[i].low) || !isfinite(r[i].high))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: its rank interval is not a number",
                                    percap_areas_code(a, i));
        c->rows[i] = (ranked){i, r[i].median, r[i].low, r[i].high, a->rows[i].rate,
                              percap_areas_code(a, i)};
        if (isfinite(r[i].p_top))
            c->has_p = true;
    }
    qsort(c->rows, c->n, sizeof *c->rows, by_rank);
    return PERCAP_OK;
}

static void layout(caterpillar *c, const percap_areas *a, double caption_px)
{
    double widest = 0;
    for (size_t i = 0; i < c->n; i++) {
        double w = chart_text_px(percap_areas_name(a, c->rows[i].row), CHART_FONT);
        if (w > widest)
            widest = w;
    }
    if (widest > 420)
        widest = 420;
    c->f.left = widest + 36;
    c->f.right = c->has_p ? 96 : 30;
    c->f.top = CHART_TITLE_PX + 30;
    c->caption_px = caption_px;
    c->f.bottom = 52 + CHART_KEY_ROW_PX + caption_px;
    chart_fit_width(&c->f, PLOT_WIDTH);
    double room = MAX_HEIGHT - c->f.top - c->f.bottom;
    c->row_px = (double)c->n * ROW_PX <= room ? ROW_PX : room / (double)c->n;
    c->label_every = c->row_px >= 11 ? 1 : (size_t)ceil(11 / c->row_px);
    double plot_h = c->row_px * (double)c->n;
    if (plot_h < 120)
        plot_h = 120;
    chart_fit_height(&c->f, plot_h);
}

static void data(percap_gp *gp, const caterpillar *c, const percap_areas *a)
{
    percap_gp_block_begin(gp, "ranks", "y median low high colour", 5);
    for (size_t i = 0; i < c->n; i++) {
        const ranked *r = &c->rows[i];
        double row[5] = {(double)(c->n - i), r->median, r->low, r->high,
                         flag_rgb[a->rows[r->row].flag]};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
    double *ys = malloc(c->n * sizeof *ys);
    const char **labels = malloc(c->n * sizeof *labels);
    size_t k = 0;
    for (size_t i = 0; ys && labels && i < c->n; i += c->label_every) {
        ys[k] = (double)(c->n - i);
        labels[k++] = percap_areas_name(a, c->rows[i].row);
    }
    if (k)
        percap_gp_tics(gp, "y", labels, ys, k, "nomirror scale 0 font ',10'");
    free(ys);
    free(labels);
}

static void probabilities(percap_gp *gp, const caterpillar *c, const percap_rank_interval *r,
                          size_t top)
{
    if (!c->has_p || c->label_every > 1)
        return;
    char head[64];
    snprintf(head, sizeof head, "P(top %zu)", top);
    percap_gp_label(gp, head, "graph", 1, 1, "left offset 1.2,1.1 font ',9' textcolor rgb '"
                                             CHART_DARK "'");
    for (size_t i = 0; i < c->n; i++) {
        double p = r[c->rows[i].row].p_top;
        if (!(p >= 0.005))
            continue;
        char text[32];
        percap_gp_fixed(p, 2, text, sizeof text);
        percap_gp_label(gp, text, "first", (double)c->n + 0.5, (double)(c->n - i),
                        "left offset 1.2,0 font ',9' textcolor rgb '#555555'");
    }
}

static void draw(percap_gp *gp, const caterpillar *c, const percap_areas *a,
                 const percap_rank_interval *r, double level, size_t top)
{
    char xlabel[128], lv[32];
    chart_short(level * 100, lv, sizeof lv);
    snprintf(xlabel, sizeof xlabel, "Rank (1 = highest rate); bar: %s%% interval", lv);
    percap_gp_set_text(gp, "xlabel", xlabel, "offset 0,0.3");
    double hi = (double)c->n + 0.5;
    percap_gp_range(gp, "x", 0.5, hi);
    percap_gp_range(gp, "x2", 0.5, hi);
    percap_gp_range(gp, "y", 0.4, (double)c->n + 0.6);
    double step = c->n <= 12 ? 1 : c->n <= 60 ? 5 : c->n <= 300 ? 10 : 100;
    percap_gp_code(gp, "set xtics 0,%s out nomirror", percap_gp_num(gp, step));
    percap_gp_code(gp, "set x2tics 0,%s out nomirror", percap_gp_num(gp, step));
    percap_gp_code(gp, "set grid xtics lc rgb '#e6e6e6' lw 1 dt 1");
    chart_key_below(gp, &c->f, c->caption_px);
    data(gp, c, a);
    probabilities(gp, c, r, top);
    percap_gp_plot_begin(gp);
    percap_gp_plot_item(gp, NULL, "$ranks using (($3+$4)/2):1:($3-0.35):($4+0.35):"
                                  "($1-0.2):($1+0.2):5 "
                                  "with boxxyerror fs solid 1.0 noborder lc rgb variable");
    percap_gp_plot_item(gp, "median rank", "$ranks using 2:1 with points pt 7 ps 0.55 "
                                           "lc rgb '" CHART_INK "'");
    char text[64];
    snprintf(text, sizeof text, "%s%% rank interval", lv);
    percap_gp_plot_item(gp, text, "NaN with boxes fs solid 1.0 noborder lc rgb '"
                                  CHART_BLUE "'");
    bool flagged = false;
    for (size_t i = 0; i < a->n; i++)
        flagged = flagged || a->rows[i].flag != PERCAP_FLAG_OK;
    if (flagged)
        percap_gp_plot_item(gp, "area with too few deaths for its rate to be trusted",
                            "NaN with boxes fs solid 1.0 noborder lc rgb '" CHART_PALE_BLUE
                            "'");
    percap_gp_plot_end(gp);
}

percap_status percap_chart_rank_intervals(FILE *fp, const percap_chart_info *info,
                                          const percap_areas *areas,
                                          const percap_rank_interval *ranks, double level,
                                          size_t top, const char *method, percap_error *err)
{
    percap_status st = chart_check(info, areas, err);
    if (st != PERCAP_OK)
        return st;
    if (!ranks || !(level > 0 && level < 1))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the rank chart needs the rank intervals and their level");
    caterpillar c = {0};
    chart_caption cap = {0};
    st = order_rows(&c, areas, ranks, err);
    char extra[1024], lv[32];
    chart_short(level * 100, lv, sizeof lv);
    snprintf(extra, sizeof extra,
             "Ranks: %s. An area's rank is uncertain when its rate is: the bar shows the "
             "ranks it takes in %s%% of cases%s.",
             method && *method ? method : "as computed", lv,
             c.has_p ? "; the right column, how often it ranks in the top group (blank: "
                       "under 0.005)" : "");
    if (st == PERCAP_OK) {
        layout(&c, areas, 0);
        st = chart_caption_make(&cap, info, extra, c.f.width, err);
    }
    if (st == PERCAP_OK) {
        layout(&c, areas, chart_caption_height(&cap));
        char subtitle[256];
        snprintf(subtitle, sizeof subtitle,
                 "Median rank of each of %zu areas with its %s%% rank interval", areas->n, lv);
        percap_gp *gp = chart_begin(fp, "rank_intervals", &c.f, info,
                                    "How sure is each area's place in the ranking?", subtitle,
                                    &cap);
        if (gp)
            draw(gp, &c, areas, ranks, level, top);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    free(c.rows);
    return st;
}
