/* Counting a one-row-per-death list by region and month. The file is
 * streamed, so memory does not grow with the number of rows; every row
 * that is not counted is tallied under its reason. */
#include "percap/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "percap/numparse.h"
#include "region_guess.h"

#define SAMPLE_ROWS 500
#define MONTH_FIRST (1900 * 12)
#define MONTH_COUNT (201 * 12)   /* 1900-01 .. 2100-12 */
#define UNKNOWN_SHOWN 5

static const char *const region_names[] = {"region", "region_code", "iso_code", "code", "name"};

typedef struct counter {
    const char *path;
    const percap_registry *reg;
    const percap_records_options *opts;
    percap_records *rec;
    long region_col, date_col;
    bool need_dates;
    size_t ncols;
    size_t unknown_distinct;
    long first_unknown_line;
    char unknown[UNKNOWN_SHOWN][64];
    percap_registry *unknown_set;
    region_guess *guess;     /* while sampling: what each column's values look like */
} counter;

static long find_name(const char *const *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(fields[i], name) == 0)
            return (long)i;
    return -1;
}

static long find_date_column(const char *const *fields, size_t n, const char *path,
                             percap_error *err)
{
    long found = -1;
    for (size_t i = 0; i < n; i++) {
        bool has = false;
        for (const char *p = fields[i]; *p && !has; p++)
            has = strncasecmp(p, "date", 4) == 0;
        if (has && found >= 0)
            return percap_error_set(err, PERCAP_EUSAGE, path, 1, 0,
                                    "several columns could hold the date ('%s', '%s'): "
                                    "give --date-col", fields[found], fields[i]), -2;
        if (has)
            found = (long)i;
    }
    if (found < 0)
        percap_error_set(err, PERCAP_EUSAGE, path, 1, 0,
                         "dates are needed but no column name contains 'date': give --date-col");
    return found < 0 ? -2 : found;
}

static percap_status take_header(counter *c, const char *const *f, size_t n, percap_error *err)
{
    const percap_records_options *o = c->opts;
    c->ncols = n;
    /* a given name that this file lacks falls back to the search below:
     * one --region-col serves several files */
    if (o->region_col && c->region_col < 0)
        c->region_col = find_name(f, n, o->region_col);
    if (o->region_col && c->region_col < 0 && o->region_col_required)
        return percap_error_set(err, PERCAP_EUSAGE, c->path, 1, 0, "no column '%s' (the region "
                                "column given)", o->region_col);
    for (size_t i = 0; c->region_col < 0 && i < sizeof region_names / sizeof *region_names; i++)
        c->region_col = find_name(f, n, region_names[i]);
    c->need_dates = o->has_since || o->has_until || o->by_month;
    if (o->date_col && (c->date_col = find_name(f, n, o->date_col)) < 0)
        return percap_error_set(err, PERCAP_EDATA, c->path, 1, 0, "no date column '%s'",
                                o->date_col);
    if (!o->date_col && c->need_dates && (c->date_col = find_date_column(f, n, c->path, err)) < 0)
        return err->code;
    if (c->date_col >= 0)
        snprintf(c->rec->date_col, sizeof c->rec->date_col, "%s", f[c->date_col]);
    if (c->region_col < 0)
        return PERCAP_CSV_STOP; /* the caller samples the values to find it */
    snprintf(c->rec->region_col, sizeof c->rec->region_col, "%s", f[c->region_col]);
    return PERCAP_OK;
}

static percap_status on_sample_row(void *ctx, const char *const *f, size_t n, long line,
                                   percap_error *err)
{
    counter *c = ctx;
    (void)line;
    (void)err;
    if (c->ncols == 0) {
        c->ncols = n;
        c->guess = calloc(n ? n : 1, sizeof *c->guess);
        return c->guess ? PERCAP_OK : PERCAP_ENOMEM;
    }
    for (size_t i = 0; i < n && i < c->ncols; i++) {
        double x;
        if (!percap_is_missing(f[i]))
            region_guess_add(&c->guess[i], percap_registry_lookup(c->reg, f[i]) >= 0,
                             percap_parse_number(f[i], &x) == PERCAP_NUM_OK);
    }
    return ++c->rec->rows >= SAMPLE_ROWS ? PERCAP_CSV_STOP : PERCAP_OK;
}

/* With no column named as a region, the one whose first values the
 * registry knows best. */
static percap_status sample_region_column(counter *c, percap_error *err)
{
    counter s = {.reg = c->reg, .rec = c->rec};
    percap_status st = percap_csv_read(c->path, &c->opts->csv, on_sample_row, &s, NULL, err);
    c->rec->rows = 0;
    size_t best = 0, best_score = 0;
    for (size_t i = 0; st == PERCAP_OK && i < s.ncols; i++)
        if (region_guess_score(&s.guess[i]) > best_score) {
            best_score = region_guess_score(&s.guess[i]);
            best = i;
        }
    if (st == PERCAP_OK && best_score == 0)
        st = percap_error_set(err, PERCAP_EUSAGE, c->path, 1, 0,
                              "cannot tell which column holds the regions: name it "
                              "'region' or give --region-col");
    if (st == PERCAP_ENOMEM)
        percap_error_set(err, st, c->path, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        c->region_col = (long)best;
    free(s.guess);
    return st;
}

/* Unknown names are kept in a registry of their own, so that repeats are
 * recognised however many there are (and however spelt). */
static void note_unknown(counter *c, const char *key, long line)
{
    if (!c->unknown_set && !(c->unknown_set = percap_registry_alloc()))
        return;
    if (percap_registry_lookup(c->unknown_set, key) >= 0 ||
        percap_registry_add(c->unknown_set, key, key, NULL, NULL) != PERCAP_OK)
        return;
    if (c->unknown_distinct == 0)
        c->first_unknown_line = line;
    if (c->unknown_distinct < UNKNOWN_SHOWN)
        snprintf(c->unknown[c->unknown_distinct], sizeof c->unknown[0], "%s", key);
    c->unknown_distinct++;
}

/* Checks the row's date; returns false (after tallying why) if the row
 * must not be counted, and gives its month. */
static bool date_ok(counter *c, const char *text, int32_t *month)
{
    percap_records *r = c->rec;
    const percap_records_options *o = c->opts;
    int32_t day;
    if (percap_is_missing(text)) {
        r->no_date++;
        return false;
    }
    int y, m, d;
    if (!percap_parse_date(text, &day) || (percap_date_split(day, &y, &m, &d), y < 1900) ||
        y > 2100) {
        r->bad_date++;
        return false;
    }
    if ((o->has_since && day < o->since) || (o->has_until && day > o->until)) {
        r->outside++;
        return false;
    }
    *month = y * 12 + (m - 1) - MONTH_FIRST;
    return true;
}

static percap_status on_row(void *ctx, const char *const *f, size_t n, long line,
                            percap_error *err)
{
    counter *c = ctx;
    percap_records *r = c->rec;
    if (c->ncols == 0)
        return take_header(c, f, n, err);
    r->rows++;
    if (n != c->ncols)
        return percap_error_set(err, PERCAP_EDATA, c->path, line,
                                (long)(n < c->ncols ? n + 1 : c->ncols + 1),
                                "row has %zu fields, the header has %zu", n, c->ncols);
    const char *key = f[c->region_col];
    if (percap_is_missing(key)) {
        r->no_region++;
        return PERCAP_OK;
    }
    int32_t month = 0;
    if (c->need_dates && !date_ok(c, f[c->date_col], &month))
        return PERCAP_OK;
    long i = percap_registry_lookup(c->reg, key);
    if (i < 0) {
        note_unknown(c, key, line);
        r->unmatched++;
        return PERCAP_OK;
    }
    r->counts[i] += 1;
    if (r->month_counts)
        r->month_counts[(size_t)i * MONTH_COUNT + (size_t)month] += 1;
    r->counted++;
    return PERCAP_OK;
}

static percap_status unknown_error(counter *c, percap_error *err)
{
    char list[UNKNOWN_SHOWN * 70] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->unknown_distinct && i < UNKNOWN_SHOWN; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "",
                         c->unknown[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    const char *more = c->unknown_distinct > UNKNOWN_SHOWN ? ", ..." : "";
    if (c->opts->allow_unmatched)
        return PERCAP_OK;
    size_t best[3];
    size_t ns = percap_registry_suggest(c->reg, c->unknown[0], best, 3);
    char hint[300] = "";
    for (size_t i = 0, u = 0; i < ns && u < sizeof hint; i++) {
        int w = snprintf(hint + u, sizeof hint - u, "%s'%s' (%s)",
                         i == 0 ? "; did you mean " : ", ",
                         percap_registry_name(c->reg, best[i]), percap_registry_code(c->reg, best[i]));
        u += w > 0 ? (size_t)w : 0;
    }
    return percap_error_set(err, PERCAP_EDATA, c->path, c->first_unknown_line,
                            c->region_col + 1,
                            "unknown region ('%s')%s%s; %zu row%s name%s %zu unknown region%s: "
                            "%s%s%s", c->unknown[0], hint, ns ? "?" : "", c->rec->unmatched,
                            c->rec->unmatched == 1 ? "" : "s", c->rec->unmatched == 1 ? "s" : "",
                            c->unknown_distinct, c->unknown_distinct == 1 ? "" : "s", list, more,
                            c->opts->unmatched_hint ? c->opts->unmatched_hint : "");
}

static void describe(const counter *c, percap_notes *notes)
{
    const percap_records *r = c->rec;
    percap_notes_add(notes, "%s: %zu rows, %zu counted (region column '%s'%s%s%s)", c->path,
                     r->rows, r->counted, r->region_col, c->date_col >= 0 ? ", date column '" : "",
                     c->date_col >= 0 ? r->date_col : "", c->date_col >= 0 ? "'" : "");
    if (r->no_region)
        percap_notes_add(notes, "%s: %zu rows without a region, not counted", c->path, r->no_region);
    if (r->unmatched)
        percap_notes_add(notes, "%s: %zu rows naming %zu unknown regions dropped", c->path,
                         r->unmatched, c->unknown_distinct);
    if (r->no_date)
        percap_notes_add(notes, "%s: %zu rows without a date, not counted", c->path, r->no_date);
    if (r->bad_date)
        percap_notes_add(notes, "%s: %zu rows with an unusable date, not counted", c->path,
                         r->bad_date);
    if (r->outside)
        percap_notes_add(notes, "%s: %zu rows dated outside the period, not counted", c->path,
                         r->outside);
}

/* Trims the month table to the months that hold deaths. */
static void trim_months(percap_records *r)
{
    size_t lo = MONTH_COUNT, hi = 0;
    for (size_t i = 0; i < r->nregions; i++)
        for (size_t m = 0; m < MONTH_COUNT; m++)
            if (r->month_counts[i * MONTH_COUNT + m] > 0) {
                lo = m < lo ? m : lo;
                hi = m > hi ? m : hi;
            }
    if (lo > hi) {
        r->nmonths = 0;
        return;
    }
    r->nmonths = hi - lo + 1;
    for (size_t i = 0; i < r->nregions; i++)
        memmove(r->month_counts + i * r->nmonths, r->month_counts + i * MONTH_COUNT + lo,
                r->nmonths * sizeof *r->month_counts);
    r->first_month = (int32_t)(MONTH_FIRST + lo);
}

static percap_records *records_alloc(size_t nregions, bool by_month)
{
    percap_records *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->nregions = nregions;
    r->counts = calloc(nregions ? nregions : 1, sizeof *r->counts);
    if (by_month)
        r->month_counts = calloc((nregions ? nregions : 1) * MONTH_COUNT, sizeof(double));
    if (!r->counts || (by_month && !r->month_counts)) {
        percap_records_free(r);
        return NULL;
    }
    return r;
}

percap_status percap_records_count(const char *path, const percap_registry *reg,
                                   const percap_records_options *opts,
                                   percap_records **out, percap_notes *notes,
                                   percap_error *err)
{
    *out = NULL;
    percap_records *r = records_alloc(percap_registry_size(reg), opts->by_month);
    if (!r)
        return percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    counter c = {.path = path, .reg = reg, .opts = opts, .rec = r, .region_col = -1,
                 .date_col = -1};
    percap_status st = percap_csv_read(path, &opts->csv, on_row, &c, NULL, err);
    if (st == PERCAP_OK && c.region_col < 0) {
        /* no column named for regions: pick one from the values, count again */
        if ((st = sample_region_column(&c, err)) == PERCAP_OK) {
            long col = c.region_col;
            memset(r->counts, 0, r->nregions * sizeof *r->counts);
            c = (counter){.path = path, .reg = reg, .opts = opts, .rec = r,
                          .region_col = col, .date_col = -1};
            st = percap_csv_read(path, &opts->csv, on_row, &c, NULL, err);
        }
    }
    if (st == PERCAP_OK && c.ncols == 0)
        st = percap_error_set(err, PERCAP_EDATA, path, 0, 0, "no header row");
    if (st == PERCAP_OK && c.region_col < 0)
        st = percap_error_set(err, PERCAP_EUSAGE, path, 1, 0, "no region column found");
    if (st == PERCAP_OK && c.unknown_distinct > 0)
        st = unknown_error(&c, err);
    percap_registry_free(c.unknown_set);
    if (st != PERCAP_OK) {
        percap_records_free(r);
        return st;
    }
    if (r->month_counts)
        trim_months(r);
    describe(&c, notes);
    *out = r;
    return PERCAP_OK;
}

void percap_records_free(percap_records *r)
{
    if (!r)
        return;
    free(r->counts);
    free(r->month_counts);
    free(r);
}
