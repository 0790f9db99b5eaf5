/* The tile map: each area one square at its place on a grid that keeps
 * neighbours near each other, coloured by a value. Equal squares keep a
 * few huge, empty regions from dominating the picture, as they do on a
 * geographic map of Russia. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_common.h"
#include "percap/numparse.h"

#define TILE_PX 68.0
#define HALF 0.47
#define NAME_FONT 7.5
#define VALUE_FONT 8.0
#define MAX_GRID 400

percap_status percap_chart_tiles_from_registry(const percap_areas *areas,
                                               percap_chart_tile *tiles, size_t *placed,
                                               percap_error *err)
{
    if (!areas || !tiles)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "no areas to place");
    size_t k = 0;
    for (size_t i = 0; i < areas->n; i++) {
        size_t reg = areas->rows[i].region;
        double row, col;
        const char *short_name = percap_registry_attr(areas->registry, reg, "short_en");
        const char *code = percap_areas_code(areas, i);
        const char *dash = strchr(code, '-');
        tiles[i].label = short_name && *short_name ? short_name : dash && dash[1] ? dash + 1
                                                                                 : code;
        if (percap_parse_number(percap_registry_attr(areas->registry, reg, "tile_row"), &row) ==
                PERCAP_NUM_OK &&
            percap_parse_number(percap_registry_attr(areas->registry, reg, "tile_col"), &col) ==
                PERCAP_NUM_OK) {
            tiles[i].row = row;
            tiles[i].col = col;
            k++;
        } else {
            tiles[i].row = tiles[i].col = NAN;
        }
    }
    if (placed)
        *placed = k;
    return PERCAP_OK;
}

typedef struct tile_map {
    chart_frame f;
    double rmin, rmax, cmin, cmax;
    double lo, hi;
    size_t placed, unplaced, missing;
} tile_map;

static bool placed(const percap_chart_tile *t)
{
    return isfinite(t->row) && isfinite(t->col);
}

static percap_status extent(tile_map *m, const percap_areas *a, const percap_chart_tile *t,
                            const double *v, percap_error *err)
{
    m->rmin = m->cmin = INFINITY;
    m->rmax = m->cmax = -INFINITY;
    m->lo = INFINITY;
    m->hi = -INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        if (!placed(&t[i])) {
            m->unplaced++;
            continue;
        }
        m->placed++;
        m->rmin = fmin(m->rmin, t[i].row);
        m->rmax = fmax(m->rmax, t[i].row);
        m->cmin = fmin(m->cmin, t[i].col);
        m->cmax = fmax(m->cmax, t[i].col);
        if (isfinite(v[i])) {
            m->lo = fmin(m->lo, v[i]);
            m->hi = fmax(m->hi, v[i]);
        } else {
            m->missing++;
        }
    }
    if (m->placed == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "no area has a place on the grid (tile_row and tile_col)");
    if (m->rmax - m->rmin > MAX_GRID || m->cmax - m->cmin > MAX_GRID)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "the grid spans more than %d rows or columns", MAX_GRID);
    /* A scale from 0 when all values are positive: shades then compare as ratios. */
    if (!isfinite(m->lo))
        m->lo = 0, m->hi = 1;
    if (m->lo > 0)
        m->lo = 0;
    if (!(m->hi > m->lo))
        m->hi = m->lo + 1;
    return PERCAP_OK;
}

/* Where to break a long name into two lines: after the space, hyphen or
 * full stop that best balances the halves; 0 if it fits or cannot break. */
static size_t split_point(const char *s)
{
    if (chart_text_px(s, NAME_FONT) <= TILE_PX - 8)
        return 0;
    size_t n = strlen(s), best = 0;
    double best_cost = INFINITY;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] != ' ' && s[i] != '-' && s[i] != '.')
            continue;
        size_t cut = s[i] == ' ' ? i : i + 1;
        double cost = fabs((double)cut - (double)(n - cut));
        if (cost < best_cost) {
            best_cost = cost;
            best = i;
        }
    }
    return best;
}

static void tile_labels(percap_gp *gp, const tile_map *m, const percap_chart_tile *t,
                        double v)
{
    double tcol = (v - m->lo) / (m->hi - m->lo);
    const char *ink = isfinite(v) && chart_text_on(tcol) ? "#ffffff" : CHART_INK;
    char opts[192], dy[48], value[64];
    size_t cut = split_point(t->label);
    char first[512], second[512];
    if (cut)
        snprintf(first, sizeof first, "%.*s", (int)(cut + (t->label[cut] != ' ')), t->label);
    else
        snprintf(first, sizeof first, "%s", t->label);
    snprintf(second, sizeof second, "%s", cut ? t->label + cut + 1 : "");
    double line = CHART_LINE_PX(NAME_FONT) * 0.85;
    double y0 = cut ? line * 1.1 : line * 0.6;
    const char *lines[3] = {first, cut ? second : NULL, NULL};
    for (size_t k = 0; k < 2 && lines[k]; k++) {
        /* A word too long for the tile is set smaller rather than spill over. */
        double pt = NAME_FONT, w = chart_text_px(lines[k], pt);
        if (w > TILE_PX - 3)
            pt = fmax(5.5, pt * (TILE_PX - 3) / w);
        char size[32];
        percap_gp_fixed(pt, 1, size, sizeof size);
        percap_gp_number((y0 - line * (double)k) / m->f.height, dy, sizeof dy);
        snprintf(opts, sizeof opts, "center offset 0, screen %s font ',%s' textcolor rgb '%s' "
                                    "front", dy, size, ink);
        percap_gp_label(gp, lines[k], "first", t->col, t->row, opts);
    }
    chart_value(v, value, sizeof value);
    double yv = cut ? -line * 1.25 : -line * 0.8;
    percap_gp_number(yv / m->f.height, dy, sizeof dy);
    snprintf(opts, sizeof opts, "center offset 0, screen %s font ',8' textcolor rgb '%s' front",
             dy, ink);
    percap_gp_label(gp, value, "first", t->col, t->row, opts);
}

static void tiles_block(percap_gp *gp, const percap_areas *a, const percap_chart_tile *t,
                        const double *v)
{
    percap_gp_block_begin(gp, "tiles", "col row value has_value", 4);
    for (size_t i = 0; i < a->n; i++) {
        if (!placed(&t[i]))
            continue;
        double row[4] = {t[i].col, t[i].row, v[i], isfinite(v[i]) ? 1 : 0};
        percap_gp_block_row(gp, row);
    }
    percap_gp_block_end(gp);
}

static void draw(percap_gp *gp, const tile_map *m, const percap_chart_info *info,
                 const percap_areas *a, const percap_chart_tile *t, const char *value_name,
                 const double *v)
{
    char per[64], per_label[96];
    chart_grouped(info->rates->per, per, sizeof per);
    snprintf(per_label, sizeof per_label, "deaths per %s", per);
    double pw = chart_plot_width(&m->f), ph = chart_plot_height(&m->f);
    percap_gp_code(gp, "unset border");
    percap_gp_code(gp, "unset xtics");
    percap_gp_code(gp, "unset ytics");
    percap_gp_code(gp, "unset key");
    percap_gp_range(gp, "x", m->cmin - 0.5, m->cmax + 0.5);
    percap_gp_range(gp, "y", m->rmax + 0.5, m->rmin - 0.5);
    percap_gp_code(gp, "set palette %s", CHART_PALETTE);
    percap_gp_range(gp, "cb", m->lo, m->hi);
    /* About five labelled steps, so a short colour bar stays readable. */
    percap_gp_code(gp, "set cbtics %s out nomirror font ',9'",
                   percap_gp_num(gp, chart_nice_step((m->hi - m->lo) / 5)));
    double bar_h = fmin(ph * 0.8, 320);
    percap_gp_code(gp, "set colorbox vertical user origin screen %s, screen %s size screen %s, "
                       "screen %s bdefault",
                   percap_gp_num(gp, (m->f.left + pw + 26) / m->f.width),
                   percap_gp_num(gp, (m->f.bottom + (ph - bar_h) / 2) / m->f.height),
                   percap_gp_num(gp, 16 / (double)m->f.width),
                   percap_gp_num(gp, bar_h / m->f.height));
    percap_gp_set_text(gp, "cblabel", strcmp(value_name, "rate") == 0 ? per_label : value_name,
                       "font ',9' offset 0.5,0");
    tiles_block(gp, a, t, v);
    for (size_t i = 0; i < a->n; i++)
        if (placed(&t[i]))
            tile_labels(gp, m, &t[i], v[i]);
    percap_gp_plot_begin(gp);
    percap_gp_plot_item(gp, NULL, "$tiles using 1:($4 == 1 ? $2 : NaN):(%s):(%s):3 "
                                  "with boxxyerror fs solid 1.0 noborder lc palette",
                        percap_gp_num(gp, HALF), percap_gp_num(gp, HALF));
    percap_gp_plot_item(gp, NULL, "$tiles using 1:($4 == 0 ? $2 : NaN):(%s):(%s) "
                                  "with boxxyerror fs pattern 4 border lc rgb '#aaaaaa'",
                        percap_gp_num(gp, HALF), percap_gp_num(gp, HALF));
    percap_gp_plot_end(gp);
}

static void caption_extra(char *buf, size_t size, const tile_map *m, const char *value_name)
{
    char missing[160] = "", unplaced[160] = "";
    if (m->missing)
        snprintf(missing, sizeof missing, " Hatched: no value of %s.", value_name);
    if (m->unplaced)
        snprintf(unplaced, sizeof unplaced, " %zu area%s without a grid place not shown.",
                 m->unplaced, m->unplaced == 1 ? "" : "s");
    snprintf(buf, size, "Each square is one area, placed to keep neighbours near each other; "
                        "squares are equal whatever the area's size or population.%s%s",
             missing, unplaced);
}

percap_status percap_chart_map(FILE *fp, const percap_chart_info *info,
                               const percap_areas *areas, const percap_chart_tile *tiles,
                               const char *value_name, const double *values,
                               percap_error *err)
{
    percap_status st = chart_check(info, areas, err);
    if (st != PERCAP_OK)
        return st;
    if (!tiles || !values || !value_name)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the map needs tiles, values and the values' name");
    tile_map m = {0};
    if ((st = extent(&m, areas, tiles, values, err)) != PERCAP_OK)
        return st;
    double pw = (m.cmax - m.cmin + 1) * TILE_PX, ph = (m.rmax - m.rmin + 1) * TILE_PX;
    m.f = (chart_frame){0, 0, 20, 150, CHART_TITLE_PX + 16, 0};
    chart_fit_width(&m.f, pw);
    if (m.f.width < 640) {
        m.f.right += 640 - m.f.width;
        m.f.width = 640;
    }
    chart_caption cap = {0};
    char extra[512];
    caption_extra(extra, sizeof extra, &m, value_name);
    st = chart_caption_make(&cap, info, extra, m.f.width, err);
    if (st == PERCAP_OK) {
        m.f.bottom = 16 + chart_caption_height(&cap);
        chart_fit_height(&m.f, ph);
        char title[512], subtitle[256];
        if (strcmp(value_name, "rate") == 0)
            chart_rate_label(info, title, sizeof title);
        else
            snprintf(title, sizeof title, "%s by area", value_name);
        snprintf(subtitle, sizeof subtitle, "Tile map of %zu areas", m.placed);
        percap_gp *gp = chart_begin(fp, "map", &m.f, info, title, subtitle, &cap);
        if (gp)
            draw(gp, &m, info, areas, tiles, value_name, values);
        st = percap_gp_end(gp, err);
    }
    chart_caption_free(&cap);
    return st;
}
