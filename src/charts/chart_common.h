/* Internal: what every chart shares: the canvas and its margins, the
 * title block, the caption, colours and how numbers read on a chart. */
#ifndef PERCAP_CHART_COMMON_H
#define PERCAP_CHART_COMMON_H

#include <stddef.h>

#include "percap/chart.h"
#include "percap/gp_emit.h"

/* Font sizes in points. */
#define CHART_FONT 10.0
#define CHART_SMALL_FONT 8.0
#define CHART_CAPTION_FONT 8.5

/* Pixels per point of DejaVu Sans at the size gnuplot's cairo terminal
 * draws it: a character's advance averages 0.72 (Latin) to 0.78
 * (Cyrillic) of the point size, measured on rendered labels; a line
 * needs about 1.6. Estimates err wide, so labels get room to spare. */
#define CHART_CHAR_PX(pt) ((pt) * 0.78)
#define CHART_LINE_PX(pt) ((pt) * 1.6)

/* Colours (Tableau 10 and greys): distinct in print and for the common
 * colour-vision deficiencies when paired by lightness as below. */
#define CHART_BLUE "#4c78a8"
#define CHART_PALE_BLUE "#a8c3de"
#define CHART_GREY "#b0b0b0"
#define CHART_DARK "#333333"
#define CHART_RED "#c0392b"
#define CHART_ORANGE "#f28e2b"
#define CHART_INK "#222222"
#define CHART_CAPTION_INK "#555555"

typedef struct chart_frame {
    int width, height;                 /* canvas, pixels */
    double left, right, top, bottom;   /* margins around the plot area, pixels */
} chart_frame;

typedef struct chart_caption {
    char **lines;
    size_t n;
} chart_caption;

/* The caption for a chart `width` pixels wide: what was counted, as of
 * when, the denominator and rate base, the honesty caveat, then `extra`
 * (chart-specific, may be NULL), wrapped to fit. */
percap_status chart_caption_make(chart_caption *c, const percap_chart_info *info,
                                 const char *extra, int width, percap_error *err);
void chart_caption_free(chart_caption *c);
double chart_caption_height(const chart_caption *c);

/* Room above the plot for the title and subtitle, pixels. */
#define CHART_TITLE_PX 64.0

/* Opens the script: canvas, margins, title (info->title if given, else
 * `title`), subtitle, caption and the shared style. NULL only if memory
 * ran out. */
percap_gp *chart_begin(FILE *fp, const char *stem, const chart_frame *f,
                       const percap_chart_info *info, const char *title,
                       const char *subtitle, const chart_caption *caption);

/* Sets the canvas height for a plot area exactly plot_h pixels tall,
 * the bottom margin taking up the rounding to whole pixels. */
void chart_fit_height(chart_frame *f, double plot_h);
/* The same across: the right margin takes up the rounding. */
void chart_fit_width(chart_frame *f, double plot_w);

/* The key as one row (or more, if it must wrap) just above the caption,
 * where it can cover no data whatever the data are. Needs KEY_ROW_PX of
 * bottom margin above the caption. */
#define CHART_KEY_ROW_PX 36.0
void chart_key_below(percap_gp *gp, const chart_frame *f, double caption_px);

/* Plot-area size in pixels. */
double chart_plot_width(const chart_frame *f);
double chart_plot_height(const chart_frame *f);

/* Text of numbers for readers, in the C locale: "100,000"; "95" or
 * "99.8"; a value with three significant digits or at most one decimal
 * above 100 ("46.2", "5.13", "1234"). */
void chart_grouped(double v, char *buf, size_t size);
void chart_short(double v, char *buf, size_t size);
void chart_value(double v, char *buf, size_t size);

/* 1, 2 or 5 times a power of ten, at least v (1 for v <= 0): a tic step. */
double chart_nice_step(double v);

/* Estimated width of text at `pt` points, pixels. */
double chart_text_px(const char *text, double pt);

/* "Deaths per 100,000 DENOMINATOR". */
void chart_rate_label(const percap_chart_info *info, char *buf, size_t size);

/* Checks the shared inputs of the rate charts. */
percap_status chart_check(const percap_chart_info *info, const percap_areas *areas,
                          percap_error *err);

/* A sequential colour, 0 (light) to 1 (dark), as gnuplot's palette
 * below draws it, and whether text on it should be white. */
/* A point to name: where it is in data coordinates and in pixels from
 * the plot area's bottom-left corner, how big it is drawn, and its name. */
typedef struct chart_mark {
    double x, y;
    double px, py;
    double radius;
    const char *text;
} chart_mark;

/* Names the marks with `set label`, each on the first side of its point
 * (right, left, above, below, then the diagonals) where it covers no
 * name placed before and no other point (`points`, which may include the
 * marks themselves) and stays inside the plot area; where no side is
 * free, on the side that covers least. Marks are placed in the order
 * given, so the most important come first. */
void chart_label_marks(percap_gp *gp, const chart_frame *f, const chart_mark *marks, size_t n,
                       const chart_mark *points, size_t npoints);

/* A candidate to name: its area row and how far it is from what was
 * expected, in standard errors of its count (z) and in rate (gap). */
typedef struct chart_outlier {
    size_t row;
    double z, gap;
} chart_outlier;

/* Up to `max` rows, alternately the furthest by |z| (areas that differ
 * for sure) and by |gap| (small areas with extreme rates, which readers
 * will ask about), without repeats; ties by row. Reorders c. Returns how
 * many went to out. */
size_t chart_pick_outliers(chart_outlier *c, size_t n, size_t max, size_t *out);

#define CHART_PALETTE                                                                    \
    "defined (0 '#fff5eb', 0.25 '#fdd0a2', 0.5 '#fd8d3c', 0.75 '#d94801', 1 '#7f2704')"
int chart_text_on(double t);

#endif
