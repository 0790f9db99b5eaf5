/* percap: charts of rates and of the statistics around them, written as
 * self-contained gnuplot scripts (data inline; see gp_emit.h for why
 * names in them can never run as code). Each chart writes one script to
 * fp; the script draws NAME.png, or NAME.svg (see percap_gp_canvas), at a
 * size the chart chooses from its data, so every label has room.
 *
 * Every chart carries a title, axis labels and a caption saying what was
 * counted, as of when, over which denominator, and what the numbers
 * cannot show: counts of verified, named deaths are a lower bound, and
 * intervals cover chance variation only. */
#ifndef PERCAP_CHART_H
#define PERCAP_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "percap/areas.h"
#include "percap/error.h"
#include "percap/formula.h"
#include "percap/model.h"
#include "percap/rank_intervals.h"
#include "percap/rates.h"

/* The words around a chart. Strings may hold anything (they are data). */
typedef struct percap_chart_info {
    const char *title;          /* NULL: the chart's own */
    const char *counted;        /* what was counted, e.g. "deaths_2023-04-12.csv" */
    const char *as_of;          /* when the counts stand, e.g. "2023-04-12"; NULL: unstated */
    const char *denominator;    /* what it is, for axis labels: "men_16_61_2021" */
    const char *denominator_source;  /* where from, for the caption: "region_stats.csv" */
    const percap_rate_options *rates;  /* per, interval method and level, flag thresholds */
} percap_chart_info;

/* The kinds, as the command line names them: "ranking", "rank-intervals",
 * "scatter", "funnel", "map", "timeline". The script and image files are
 * named by percap_chart_stem: "rank_intervals" for rank-intervals, the
 * kind itself for the others. */
typedef enum percap_chart_kind {
    PERCAP_CHART_RANKING,
    PERCAP_CHART_RANK_INTERVALS,
    PERCAP_CHART_SCATTER,
    PERCAP_CHART_FUNNEL,
    PERCAP_CHART_MAP,
    PERCAP_CHART_TIMELINE
} percap_chart_kind;

int percap_chart_kind_parse(const char *name, percap_chart_kind *out);
const char *percap_chart_kind_name(percap_chart_kind kind);
const char *percap_chart_stem(percap_chart_kind kind);

/* ---- ranking ---------------------------------------------------------------
 * Horizontal bars of every area's rate, in `order` (top to bottom), with
 * interval whiskers, flagged areas drawn paler and named in the key, the
 * rate printed beside each bar, and the pooled rate (if not NULL) as a
 * dashed line. The canvas grows 18 pixels per area. */
percap_status percap_chart_ranking(FILE *fp, const percap_chart_info *info,
                                   const percap_areas *areas, const size_t *order,
                                   const percap_area *pooled, percap_error *err);

/* ---- rank intervals ----------------------------------------------------------
 * A caterpillar plot: areas by median rank, each with its rank interval;
 * where p_top is known (simulation), P(rank <= top) is printed at the
 * right. `method` describes how the ranks were made ("10000 draws from
 * each rate's posterior, seed 20230412"). */
percap_status percap_chart_rank_intervals(FILE *fp, const percap_chart_info *info,
                                          const percap_areas *areas,
                                          const percap_rank_interval *ranks, double level,
                                          size_t top, const char *method, percap_error *err);

/* ---- scatter ------------------------------------------------------------------
 * The rate against a covariate, point area proportional to the
 * denominator, optionally a fitted model's line and confidence band, and
 * the `nlabels` areas furthest from the line (or from the pooled rate
 * without one; by |observed - expected| / sqrt(expected) deaths) named. */

/* A fitted model's mean rate along x, per `per`, with its band. */
typedef struct percap_chart_fit {
    size_t n;
    double *x, *fit, *low, *high;
    double level;
    char label[512];      /* for the key: "OLS: rate ~ poverty_pct_2020" */
    bool others_at_mean;  /* the model has terms besides x, held at their means */
} percap_chart_fit;

/* The line of model `m` (fitted by percap_model_fit with `f` and `o` to
 * `areas`) at `npoints` (>= 2) values of covariate `x_col` spread evenly
 * over the range of the rows the model used, every other covariate and
 * the denominator held at their means over those rows. The band is the
 * confidence interval of the mean at `level`, as R's predict() gives it:
 *   ols, wls: fit +- qt(1 - (1 - level)/2, df) * se, se^2 = x0' V x0,
 *             V = sigma^2 (X'WX)^-1 (W = 1 for ols);
 *   poisson, negbin: per * exp(eta +- qnorm(...) * se) on the log scale,
 *             V = (X'WX)^-1, W = mu (poisson) or mu / (1 + mu/theta),
 *             at the fitted mu (the weights of the final IRLS step).
 * Linear models must have `rate` as their left side (the chart's y).
 * Grid points where a term cannot be computed (log of a negative x) are
 * left out. Errors: PERCAP_EUSAGE if the formula does not use x_col or the
 * left side is not rate; PERCAP_EDATA if no grid point can be computed. */
percap_status percap_chart_fit_compute(const percap_areas *areas, const char *x_col,
                                       const percap_formula *f, const percap_model_options *o,
                                       const percap_model *m, double per, size_t npoints,
                                       percap_chart_fit **out, percap_error *err);
void percap_chart_fit_free(percap_chart_fit *fit);

percap_status percap_chart_scatter(FILE *fp, const percap_chart_info *info,
                                   const percap_areas *areas, const char *x_col,
                                   const percap_chart_fit *fit, size_t nlabels,
                                   percap_error *err);

/* ---- funnel --------------------------------------------------------------------
 * Rate against denominator (log scale) around the pooled rate, with the
 * 95% and 99.8% limits of percap_funnel_curve (overdispersion-adjusted if
 * asked, with phi and tau^2 in the caption), points coloured by their
 * percap_funnel_classify class and the `nlabels` areas furthest outside
 * the 99.8% limits named. */
percap_status percap_chart_funnel(FILE *fp, const percap_chart_info *info,
                                  const percap_areas *areas, bool overdispersed,
                                  size_t nlabels, percap_error *err);

/* ---- tile map --------------------------------------------------------------------
 * One square per area at its grid place (row 1 at the top, column 1 at
 * the left), coloured by `values` (one per area row; NAN draws the tile
 * hatched as missing) on a light-to-dark scale with a colour bar, and
 * labelled with the tile's short label and the value. */
typedef struct percap_chart_tile {
    double row, col;       /* NAN: the area has no place and is not drawn */
    const char *label;     /* short; long labels are split over two lines */
} percap_chart_tile;

/* Tiles from the registry's tile_row, tile_col and short_en columns
 * (the code without its country prefix where short_en is empty). Areas
 * without a position get NAN. Returns how many have one in *placed. */
percap_status percap_chart_tiles_from_registry(const percap_areas *areas,
                                               percap_chart_tile *tiles, size_t *placed,
                                               percap_error *err);

percap_status percap_chart_map(FILE *fp, const percap_chart_info *info,
                               const percap_areas *areas, const percap_chart_tile *tiles,
                               const char *value_name, const double *values,
                               percap_error *err);

/* ---- timeline -------------------------------------------------------------------
 * Deaths by calendar month for a few areas, one line each, per month or
 * cumulative. Months are year * 12 + month - 1, as percap_records counts
 * them. */
typedef struct percap_chart_series {
    const char *name;
    const double *counts;   /* nmonths values */
} percap_chart_series;

percap_status percap_chart_timeline(FILE *fp, const percap_chart_info *info,
                                    const percap_chart_series *series, size_t nseries,
                                    int32_t first_month, size_t nmonths, bool cumulative,
                                    percap_error *err);

#endif
