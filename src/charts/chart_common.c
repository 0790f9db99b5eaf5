/* What every chart shares: canvas and margins, title block, caption. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"
#include "percap/intervals.h"

static const char *const kind_names[] = {"ranking", "rank-intervals", "scatter",
                                         "funnel",  "map",            "timeline"};
static const char *const kind_stems[] = {"ranking", "rank_intervals", "scatter",
                                         "funnel",  "map",            "timeline"};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

int percap_chart_kind_parse(const char *name, percap_chart_kind *out)
{
    for (size_t i = 0; name && i < NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0 || strcmp(name, kind_stems[i]) == 0) {
            *out = (percap_chart_kind)i;
            return 0;
        }
    return -1;
}

const char *percap_chart_kind_name(percap_chart_kind kind)
{
    return (size_t)kind < NKINDS ? kind_names[kind] : "unknown";
}

const char *percap_chart_stem(percap_chart_kind kind)
{
    return (size_t)kind < NKINDS ? kind_stems[kind] : "chart";
}

/* ---- numbers for readers ------------------------------------------------------ */

void chart_grouped(double v, char *buf, size_t size)
{
    char digits[64];
    percap_gp_fixed(fabs(v), 0, digits, sizeof digits);
    if (!isfinite(v) || fabs(v) >= 1e15 || v != floor(v)) {
        chart_short(v, buf, size);
        return;
    }
    size_t n = strlen(digits), k = 0;
    char out[96];
    if (v < 0)
        out[k++] = '-';
    for (size_t i = 0; i < n && k + 2 < sizeof out; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
}

void chart_short(double v, char *buf, size_t size)
{
    percap_gp_fixed(v, 6, buf, size);
    if (!strchr(buf, '.'))
        return;
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
}

void chart_value(double v, char *buf, size_t size)
{
    double a = fabs(v);
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a > 0 ? 3 : 0;
    percap_gp_fixed(v, decimals, buf, size);
}

double chart_nice_step(double v)
{
    if (!(v > 0) || !isfinite(v))
        return 1;
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Advance widths of DejaVu Sans by kind of character, in pixels per
 * point as gnuplot's cairo terminal draws them (measured, rounded up). */
double chart_text_px(const char *text, double pt)
{
    double em = 0;
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        em += *p == ' ' ? 0.42 : *p >= 'a' && *p <= 'z' ? 0.70 : *p >= 'A' && *p <= 'Z' ? 0.92
              : *p >= '0' && *p <= '9' ? 0.85 : *p < 0x80 ? 0.55 : 0.85;
    }
    return em * pt;
}

void chart_key_below(percap_gp *gp, const chart_frame *f, double caption_px)
{
    percap_gp_code(gp, "set key at screen %s, screen %s left bottom horizontal Left reverse "
                       "samplen 1.5 width 1 font ',9'",
                   percap_gp_num(gp, 10.0 / f->width),
                   percap_gp_num(gp, (caption_px + 2) / f->height));
}

void chart_fit_height(chart_frame *f, double plot_h)
{
    double total = f->top + plot_h + f->bottom;
    f->height = (int)ceil(total);
    f->bottom += f->height - total;
}

void chart_fit_width(chart_frame *f, double plot_w)
{
    double total = f->left + plot_w + f->right;
    f->width = (int)ceil(total);
    f->right += f->width - total;
}

double chart_plot_width(const chart_frame *f) { return f->width - f->left - f->right; }
double chart_plot_height(const chart_frame *f) { return f->height - f->top - f->bottom; }

void chart_rate_label(const percap_chart_info *info, char *buf, size_t size)
{
    char per[64];
    chart_grouped(info->rates->per, per, sizeof per);
    if (info->denominator && *info->denominator)
        snprintf(buf, size, "Deaths per %s %s", per, info->denominator);
    else
        snprintf(buf, size, "Deaths per %s of the denominator", per);
}

percap_status chart_check(const percap_chart_info *info, const percap_areas *areas,
                          percap_error *err)
{
    if (!info || !info->rates || !areas)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "a chart needs its areas and rate settings");
    if (areas->n == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0, "no areas to chart");
    return PERCAP_OK;
}

int chart_text_on(double t)
{
    return t > 0.55;
}

/* ---- caption ------------------------------------------------------------------ */

static percap_status add_line(chart_caption *c, const char *start, size_t len,
                              percap_error *err)
{
    char **lines = realloc(c->lines, (c->n + 1) * sizeof *lines);
    if (!lines)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    c->lines = lines;
    if (!(lines[c->n] = strndup(start, len)))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    c->n++;
    return PERCAP_OK;
}

/* Greedy word wrap at spaces, by shown characters. */
static percap_status wrap(chart_caption *c, const char *text, size_t max_chars,
                          percap_error *err)
{
    const char *line = text;
    while (*line == ' ')
        line++;
    while (*line) {
        const char *p = line, *cut = NULL;
        size_t shown = 0;
        while (*p) {
            const char *word_end = strchr(p, ' ');
            if (!word_end)
                word_end = p + strlen(p);
            char *word = strndup(p, (size_t)(word_end - p));
            if (!word)
                return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
            size_t w = percap_gp_text_length(word);
            free(word);
            if (cut && shown + 1 + w > max_chars)
                break;
            shown += (cut ? 1 : 0) + w;
            cut = word_end;
            p = *word_end ? word_end + 1 : word_end;
        }
        percap_status st = add_line(c, line, (size_t)(cut - line), err);
        if (st != PERCAP_OK)
            return st;
        line = cut;
        while (*line == ' ')
            line++;
    }
    return PERCAP_OK;
}

static void describe_counts(const percap_chart_info *info, char *buf, size_t size)
{
    char per[64];
    const char *counted = info->counted && *info->counted ? info->counted : "(not stated)";
    if (!info->rates) {
        if (info->as_of && *info->as_of)
            snprintf(buf, size, "Counted: %s, as of %s.", counted, info->as_of);
        else
            snprintf(buf, size, "Counted: %s.", counted);
        (void)per;
        return;
    }
    chart_grouped(info->rates->per, per, sizeof per);
    const char *den = info->denominator && *info->denominator ? info->denominator
                                                              : "(not stated)";
    const char *src = info->denominator_source && *info->denominator_source
                          ? info->denominator_source : NULL;
    char when[300] = "";
    if (info->as_of && *info->as_of)
        snprintf(when, sizeof when, ", as of %s", info->as_of);
    snprintf(buf, size, "Counted: %s%s. Denominator: %s%s%s%s. Rates per %s.", counted, when,
             den, src ? " (" : "", src ? src : "", src ? ")" : "", per);
}

static void describe_caveat(const percap_chart_info *info, char *buf, size_t size)
{
    char level[32];
    if (!info->rates) {
        snprintf(buf, size, "Counts of verified, named deaths are a lower bound, and coverage "
                            "differs between regions and over time.");
        return;
    }
    chart_short(info->rates->level * 100, level, sizeof level);
    snprintf(buf, size,
             "Counts of verified, named deaths are a lower bound, and coverage differs between "
             "regions. Intervals (%s, %s%%) reflect chance variation only, not undercounting or "
             "errors in the denominators.",
             percap_ci_method_name(info->rates->method), level);
}

percap_status chart_caption_make(chart_caption *c, const percap_chart_info *info,
                                 const char *extra, int width, percap_error *err)
{
    c->lines = NULL;
    c->n = 0;
    size_t max_chars = (size_t)((width - 28) / CHART_CHAR_PX(CHART_CAPTION_FONT));
    if (max_chars < 20)
        max_chars = 20;
    char *buf = malloc(8192);
    if (!buf)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    describe_counts(info, buf, 8192);
    percap_status st = wrap(c, buf, max_chars, err);
    describe_caveat(info, buf, 8192);
    if (st == PERCAP_OK)
        st = wrap(c, buf, max_chars, err);
    if (st == PERCAP_OK && extra && *extra)
        st = wrap(c, extra, max_chars, err);
    free(buf);
    return st;
}

void chart_caption_free(chart_caption *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->lines[i]);
    free(c->lines);
    c->lines = NULL;
    c->n = 0;
}

double chart_caption_height(const chart_caption *c)
{
    return (double)c->n * CHART_LINE_PX(CHART_CAPTION_FONT) + 12;
}

static void caption_put(percap_gp *gp, const chart_frame *f, const chart_caption *c)
{
    double line = CHART_LINE_PX(CHART_CAPTION_FONT);
    for (size_t i = 0; i < c->n; i++) {
        double y = 10 + line * (double)(c->n - 1 - i) + line * 0.4;
        percap_gp_label(gp, c->lines[i], "screen", 14.0 / f->width, y / f->height,
                        "left font ',8.5' textcolor rgb '" CHART_CAPTION_INK "'");
    }
}

/* ---- the script ------------------------------------------------------------------ */

static void margins(percap_gp *gp, const chart_frame *f)
{
    percap_gp_code(gp, "set lmargin at screen %s", percap_gp_num(gp, f->left / f->width));
    percap_gp_code(gp, "set rmargin at screen %s",
                   percap_gp_num(gp, 1 - f->right / f->width));
    percap_gp_code(gp, "set bmargin at screen %s", percap_gp_num(gp, f->bottom / f->height));
    percap_gp_code(gp, "set tmargin at screen %s", percap_gp_num(gp, 1 - f->top / f->height));
}

percap_gp *chart_begin(FILE *fp, const char *stem, const chart_frame *f,
                       const percap_chart_info *info, const char *title,
                       const char *subtitle, const chart_caption *caption)
{
    percap_gp_canvas canvas = {stem, f->width, f->height, CHART_FONT, NULL};
    const char *t = info->title && *info->title ? info->title : title;
    percap_gp *gp = percap_gp_begin(fp, &canvas, t);
    if (!gp)
        return NULL;
    margins(gp, f);
    percap_gp_code(gp, "set border 3 lw 1 lc rgb '#666666'");
    percap_gp_code(gp, "set tics nomirror out scale 0.6 textcolor rgb '" CHART_DARK "'");
    percap_gp_code(gp, "set key noenhanced");
    percap_gp_code(gp, "set style textbox opaque noborder margins 0.5,0.2");
    percap_gp_label(gp, t, "screen", 14.0 / f->width, 1 - 24.0 / f->height,
                    "left font ',15' textcolor rgb '" CHART_INK "'");
    if (subtitle && *subtitle)
        percap_gp_label(gp, subtitle, "screen", 14.0 / f->width, 1 - 46.0 / f->height,
                        "left font ',10.5' textcolor rgb '" CHART_CAPTION_INK "'");
    caption_put(gp, f, caption);
    return gp;
}

/* ---- naming points ------------------------------------------------------------------ */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static bool overlaps(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Sides to try: offset of the anchor from the point in radii-plus-gap
 * units, and how the text hangs from it (-1 left end, 0 centre, 1 right end). */
static const struct side {
    double dx, dy;
    int align;
} sides[] = {{1, 0, -1}, {-1, 0, 1}, {0, 1, 0}, {0, -1, 0},
             {0.8, 0.8, -1}, {-0.8, 0.8, 1}, {0.8, -0.8, -1}, {-0.8, -0.8, 1}};
#define NSIDES (sizeof sides / sizeof sides[0])

/* Where crowding leaves no room beside a point, its name goes this much
 * further out with a thin line back to it. */
#define FAR_REACH 3.2
#define FAR_COST 5.0

/* The box a name would take, with a little room around it so that
 * neighbouring names never touch. */
#define LABEL_PAD 3.0

/* Slides b into [0, lim) along one axis, when it fits there at all. */
static void slide(double *lo, double *hi, double lim)
{
    double shift = *lo < 0 ? -*lo : *hi > lim ? lim - *hi : 0;
    if (*hi - *lo <= lim) {
        *lo += shift;
        *hi += shift;
    }
}

/* A name beside a point near an edge of the plot slides along that side
 * to stay inside, rather than giving up the side. */
static box side_box(const chart_mark *m, const struct side *s, double reach, double w,
                    double h, double plot_w, double plot_h)
{
    double gap = (m->radius + 3) * reach;
    double ax = m->px + s->dx * gap, ay = m->py + s->dy * (gap + (s->dx == 0 ? h / 2 : 0));
    double x0 = s->align < 0 ? ax : s->align > 0 ? ax - w : ax - w / 2;
    box b = {x0 - LABEL_PAD, ay - h / 2 - 1, x0 + w + LABEL_PAD, ay + h / 2 + 1};
    if (s->dx != 0)
        slide(&b.y0, &b.y1, plot_h);
    if (s->dy != 0)
        slide(&b.x0, &b.x1, plot_w);
    return b;
}

static const char *screen(percap_gp *gp, const chart_frame *f, double px, bool x)
{
    return percap_gp_num(gp, x ? (f->left + px) / f->width : (f->bottom + px) / f->height);
}

/* On a white patch, so that limit lines and grid lines crossing a name
 * do not cut through its letters. */
#define NAME_STYLE " font ',8.5' textcolor rgb '" CHART_INK "' boxed front"

/* Names sit at screen positions computed here; a far one gets a line from
 * its point to the nearest edge of its box. */
static void put_mark(percap_gp *gp, const chart_frame *f, const chart_mark *m,
                     const struct side *s, bool far, const box *b)
{
    double ax = s->align < 0 ? b->x0 + LABEL_PAD : s->align > 0 ? b->x1 - LABEL_PAD
                                                               : (b->x0 + b->x1) / 2;
    double ay = (b->y0 + b->y1) / 2;
    percap_gp_label(gp, m->text, "screen", (f->left + ax) / f->width, (f->bottom + ay) / f->height,
                    s->align < 0 ? "left" NAME_STYLE : s->align > 0 ? "right" NAME_STYLE
                                                                    : "center" NAME_STYLE);
    if (!far)
        return;
    double ex = m->px < b->x0 ? b->x0 : m->px > b->x1 ? b->x1 : m->px;
    double ey = m->py < b->y0 ? b->y0 : m->py > b->y1 ? b->y1 : m->py;
    percap_gp_code(gp, "set arrow from screen %s, screen %s to screen %s, screen %s nohead "
                       "lw 0.7 lc rgb '#777777' front",
                   screen(gp, f, m->px, true), screen(gp, f, m->py, false),
                   screen(gp, f, ex, true), screen(gp, f, ey, false));
}

/* Whether the box covers a point's circle (by its bounding square). */
static bool covers(const box *b, const chart_mark *p)
{
    box c = {p->px - p->radius, p->py - p->radius, p->px + p->radius, p->py + p->radius};
    return overlaps(b, &c);
}

/* How much a place for mark m is in the way: names already placed count
 * most, then other points, then leaving the plot area. */
static double clutter(const box *b, const chart_mark *m, const box *placed, size_t nplaced,
                      const chart_mark *points, size_t npoints, double w, double h)
{
    double cost = covers(b, m) ? 50 : 0;
    for (size_t k = 0; k < nplaced; k++)
        cost += overlaps(b, &placed[k]) ? 100 : 0;
    for (size_t k = 0; k < npoints; k++)
        if (!(points[k].px == m->px && points[k].py == m->py))
            cost += covers(b, &points[k]) ? 10 : 0;
    if (b->x0 < 0 || b->x1 > w || b->y0 < 0 || b->y1 > h)
        cost += 1000;
    return cost;
}

void chart_label_marks(percap_gp *gp, const chart_frame *f, const chart_mark *marks, size_t n,
                       const chart_mark *points, size_t npoints)
{
    box *placed = malloc((n ? n : 1) * sizeof *placed);
    if (!placed)
        return;
    double w_plot = chart_plot_width(f), h_plot = chart_plot_height(f);
    double h = CHART_LINE_PX(8.5) * 0.85;
    for (size_t i = 0; i < n; i++) {
        const chart_mark *m = &marks[i];
        double w = chart_text_px(m->text, 8.5), best = INFINITY;
        size_t pick = 0;
        for (size_t c = 0; c < 2 * NSIDES && best > 0; c++) {
            bool far = c >= NSIDES;
            box b = side_box(m, &sides[c % NSIDES], far ? FAR_REACH : 1, w, h, w_plot, h_plot);
            double cost = clutter(&b, m, placed, i, points, npoints, w_plot, h_plot) +
                          (far ? FAR_COST : 0);
            if (cost < best) {
                best = cost;
                pick = c;
            }
        }
        bool far = pick >= NSIDES;
        placed[i] = side_box(m, &sides[pick % NSIDES], far ? FAR_REACH : 1, w, h, w_plot,
                             h_plot);
        put_mark(gp, f, m, &sides[pick % NSIDES], far, &placed[i]);
    }
    free(placed);
}

/* ---- choosing what to name ---------------------------------------------------------- */

static int by_z(const void *pa, const void *pb)
{
    const chart_outlier *a = pa, *b = pb;
    if (fabs(a->z) != fabs(b->z))
        return fabs(a->z) > fabs(b->z) ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static int by_gap(const void *pa, const void *pb)
{
    const chart_outlier *a = pa, *b = pb;
    if (fabs(a->gap) != fabs(b->gap))
        return fabs(a->gap) > fabs(b->gap) ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

size_t chart_pick_outliers(chart_outlier *c, size_t n, size_t max, size_t *out)
{
    chart_outlier *gap = malloc((n ? n : 1) * sizeof *gap);
    if (!gap)
        return 0;
    memcpy(gap, c, n * sizeof *c);
    qsort(c, n, sizeof *c, by_z);
    qsort(gap, n, sizeof *gap, by_gap);
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        for (int list = 0; list < 2 && k < max; list++) {
            size_t row = list == 0 ? c[i].row : gap[i].row;
            bool seen = false;
            for (size_t j = 0; j < k && !seen; j++)
                seen = out[j] == row;
            if (!seen)
                out[k++] = row;
        }
    free(gap);
    return k;
}
