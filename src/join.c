/* Joining publishers' tables on region. Every table is resolved against
 * the registry first (row -> region index), so the joins themselves are
 * index lookups and every mismatch is reported with its file and line. */
#include "percap/join.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/numparse.h"
#include "region_guess.h"
#include "utf8.h"

#define UNMATCHED_SHOWN 5

static const char *const region_column_names[] = {"region", "region_code", "iso_code",
                                                  "code", "name"};

static size_t count_recognised(const percap_registry *reg, const percap_table *t, size_t col)
{
    size_t hits = 0;
    for (size_t r = 0; r < percap_table_rows(t); r++)
        hits += percap_registry_lookup(reg, percap_table_cell(t, r, col)) >= 0;
    return hits;
}

static size_t column_score(const percap_registry *reg, const percap_table *t, size_t col,
                           size_t *hits)
{
    region_guess g = {0};
    region_guess_header(&g, percap_table_header(t, col));
    for (size_t r = 0; r < percap_table_rows(t); r++) {
        const char *v = percap_table_cell(t, r, col);
        double x;
        if (percap_is_missing(v))
            continue;
        region_guess_add(&g, v, percap_registry_lookup(reg, v) >= 0,
                         percap_parse_number(v, &x) == PERCAP_NUM_OK);
    }
    *hits = g.hits;
    return region_guess_score(&g);
}

static int by_text(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Whether every value of the column is text (no number, none missing)
 * and no two are alike. Sorted copies make repeats neighbours: pairwise
 * comparison took an hour at 10^6 rows. `cells` has room for every row. */
static bool all_distinct_text(const percap_table *t, size_t c, const char **cells)
{
    size_t n = percap_table_rows(t);
    for (size_t r = 0; r < n; r++) {
        double x;
        cells[r] = percap_table_cell(t, r, c);
        if (percap_is_missing(cells[r]) || percap_parse_number(cells[r], &x) == PERCAP_NUM_OK)
            return false;
    }
    qsort(cells, n, sizeof *cells, by_text);
    for (size_t r = 1; r < n; r++)
        if (strcmp(cells[r - 1], cells[r]) == 0)
            return false;
    return n > 0;
}

/* Areas the registry does not know: the first text column whose values
 * are all different is taken to name them. Returns -1 if none is, -2 if
 * out of memory. */
static long unique_text_column(const percap_table *t)
{
    size_t n = percap_table_rows(t);
    const char **cells = malloc((n ? n : 1) * sizeof *cells);
    if (!cells)
        return -2;
    long found = -1;
    for (size_t c = 0; found < 0 && c < percap_table_cols(t); c++)
        if (all_distinct_text(t, c, cells))
            found = (long)c;
    free(cells);
    return found;
}

percap_status percap_join_region_column(const percap_registry *reg, const percap_table *t,
                                        const char *given, size_t *col,
                                        percap_notes *notes, percap_error *err)
{
    const char *path = percap_table_path(t);
    if (given) {
        if (percap_table_require(t, given, "region", col, err) != PERCAP_OK)
            return err->code;
        percap_notes_add(notes, "%s: region column '%s' (given)", path, given);
        return PERCAP_OK;
    }
    for (size_t i = 0; i < sizeof region_column_names / sizeof *region_column_names; i++) {
        long c = percap_table_find(t, region_column_names[i]);
        if (c >= 0) {
            *col = (size_t)c;
            percap_notes_add(notes, "%s: region column '%s' (by its name)", path,
                             percap_table_header(t, *col));
            return PERCAP_OK;
        }
    }
    size_t best = 0, best_score = 0, best_hits = 0;
    for (size_t c = 0; c < percap_table_cols(t); c++) {
        size_t hits, score = column_score(reg, t, c, &hits);
        if (score > best_score) {
            best_score = score;
            best = c;
            best_hits = hits;
        }
    }
    if (best_score > 0) {
        *col = best;
        percap_notes_add(notes, "%s: region column '%s' (%zu of %zu values are known regions)",
                         path, percap_table_header(t, best), best_hits, percap_table_rows(t));
        return PERCAP_OK;
    }
    long text = unique_text_column(t);
    if (text == -2)
        return percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    if (text < 0)
        return percap_error_set(err, PERCAP_EUSAGE, path, 1, 0,
                                "cannot tell which column holds the regions: name it "
                                "'region' or give --region-col");
    *col = (size_t)text;
    percap_notes_add(notes, "%s: region column '%s' (the first text column with no repeated "
                     "value; no value is a known region)", path, percap_table_header(t, *col));
    return PERCAP_OK;
}

static void describe_suggestions(const percap_registry *reg, const char *key,
                                 char *buf, size_t size)
{
    size_t found[3];
    size_t n = percap_registry_suggest(reg, key, found, 3);
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s'%s' (%s)",
                         i == 0 ? "; did you mean " : i + 1 == n ? " or " : ", ",
                         percap_registry_name(reg, found[i]),
                         percap_registry_code(reg, found[i]));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (n > 0 && used < size)
        snprintf(buf + used, size - used, "?");
}

typedef struct unmatched {
    size_t count;
    size_t first_row;
    char shown[UNMATCHED_SHOWN * 80];
} unmatched;

static void unmatched_add(unmatched *u, const percap_table *t, size_t row, size_t col)
{
    if (u->count == 0)
        u->first_row = row;
    if (u->count < UNMATCHED_SHOWN) {
        size_t used = strlen(u->shown);
        const char *name = percap_table_cell(t, row, col);
        snprintf(u->shown + used, sizeof u->shown - used, "%s'%.*s%s' (line %ld)",
                 u->count ? ", " : "", percap_utf8_prefix(name, 40), name,
                 strlen(name) > 40 ? "..." : "", percap_table_line(t, row));
    }
    u->count++;
}

static percap_status unmatched_finish(const unmatched *u, const percap_registry *reg,
                                      const percap_table *t, size_t col,
                                      const percap_join_options *opts,
                                      percap_notes *notes, percap_error *err)
{
    if (u->count == 0)
        return PERCAP_OK;
    const char *more = u->count > UNMATCHED_SHOWN ? ", ..." : "";
    if (opts && opts->allow_unmatched) {
        percap_notes_add(notes, "%s: %zu rows with unknown regions dropped: %s%s",
                         percap_table_path(t), u->count, u->shown, more);
        return PERCAP_OK;
    }
    const char *key = percap_table_cell(t, u->first_row, col);
    char hint[400];
    describe_suggestions(reg, key, hint, sizeof hint);
    char tail[sizeof u->shown + 64] = "";
    if (u->count > 1)
        snprintf(tail, sizeof tail, " [%zu unknown in all: %s%s]", u->count, u->shown, more);
    const char *how = opts && opts->unmatched_hint ? opts->unmatched_hint : "";
    if (percap_is_missing(key))
        return percap_error_set(err, PERCAP_EDATA, percap_table_path(t),
                                percap_table_line(t, u->first_row), (long)col + 1,
                                "empty region name%s%s", tail, how);
    return percap_error_set(err, PERCAP_EDATA, percap_table_path(t),
                            percap_table_line(t, u->first_row), (long)col + 1,
                            "unknown region ('%.*s%s')%s%s%s", percap_utf8_prefix(key, 200),
                            key, strlen(key) > 200 ? "..." : "", hint, tail, how);
}

percap_status percap_join_resolve(const percap_registry *reg, const percap_table *t,
                                  size_t col, const percap_join_options *opts,
                                  long *index, percap_notes *notes, percap_error *err)
{
    size_t nreg = percap_registry_size(reg);
    long *seen = malloc((nreg ? nreg : 1) * sizeof *seen);
    if (!seen)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nreg; i++)
        seen[i] = -1;
    unmatched u = {0};
    percap_status st = PERCAP_OK;
    size_t empty = 0;
    for (size_t r = 0; r < percap_table_rows(t) && st == PERCAP_OK; r++) {
        const char *key = percap_table_cell(t, r, col);
        long i = percap_registry_lookup(reg, key);
        index[r] = i;
        if (i < 0 && opts && opts->allow_empty && percap_is_missing(key)) {
            empty++;
        } else if (i < 0) {
            unmatched_add(&u, t, r, col);
        } else if (seen[i] >= 0 && !(opts && opts->allow_repeats)) {
            st = percap_error_set(err, PERCAP_EDATA, percap_table_path(t),
                                  percap_table_line(t, r), (long)col + 1,
                                  "region '%s' appears twice: line %ld names it too, as '%s' "
                                  "(both are %s)", key, percap_table_line(t, (size_t)seen[i]),
                                  percap_table_cell(t, (size_t)seen[i], col),
                                  percap_registry_code(reg, (size_t)i));
        } else {
            seen[i] = (long)r;
        }
    }
    free(seen);
    if (st == PERCAP_OK && empty)
        percap_notes_add(notes, "%s: %zu rows without a region", percap_table_path(t), empty);
    if (st == PERCAP_OK)
        st = unmatched_finish(&u, reg, t, col, opts, notes, err);
    return st;
}

/* Trims ASCII spaces so that own-registry codes print cleanly. */
/* A copy of s without the blanks around it (malloc'd; NULL if out of
 * memory). Never cut short: two names that differ only past some length
 * are two names, and a cut could split a character. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

percap_status percap_join_own_registry(const percap_registry *reg, const percap_table *t,
                                       size_t col, percap_registry **own,
                                       percap_notes *notes, percap_error *err)
{
    *own = NULL;
    if (percap_table_rows(t) == 0 || (reg && count_recognised(reg, t, col) > 0))
        return PERCAP_OK;
    percap_registry *mine = percap_registry_alloc();
    if (!mine)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t r = 0; r < percap_table_rows(t); r++) {
        char *key = trimmed(percap_table_cell(t, r, col));
        percap_status st = key ? PERCAP_OK
                               : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0,
                                                  "out of memory");
        /* empty or repeated keys are skipped: percap_join_resolve reports them */
        if (st == PERCAP_OK && key[0] != '\0' && percap_registry_lookup(mine, key) < 0)
            st = percap_registry_add(mine, key, key, NULL, err);
        free(key);
        if (st != PERCAP_OK) {
            err->line = percap_table_line(t, r);
            snprintf(err->file, sizeof err->file, "%s", percap_table_path(t));
            percap_registry_free(mine);
            return err->code;
        }
    }
    percap_notes_add(notes, "%s: no value of column '%s' is a region the registry knows: "
                     "matching area names across files as written (%zu areas)",
                     percap_table_path(t), percap_table_header(t, col),
                     percap_registry_size(mine));
    *own = mine;
    return PERCAP_OK;
}

/* Finds the region column and resolves it: the common start of every join. */
static percap_status resolve_table(const percap_registry *reg, const percap_table *t,
                                   const percap_join_options *opts, size_t *col,
                                   long **index, percap_notes *notes, percap_error *err)
{
    *index = NULL;
    if (percap_join_region_column(reg, t, opts ? opts->region_col : NULL, col, notes,
                                  err) != PERCAP_OK)
        return err->code;
    size_t n = percap_table_rows(t);
    *index = malloc((n ? n : 1) * sizeof **index);
    if (!*index)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    percap_status st = percap_join_resolve(reg, t, *col, opts, *index, notes, err);
    if (st != PERCAP_OK) {
        free(*index);
        *index = NULL;
    }
    return st;
}

static percap_status bad_cell(percap_error *err, const percap_table *t, size_t row,
                              size_t col, const char *what)
{
    return percap_error_set(err, PERCAP_EDATA, percap_table_path(t), percap_table_line(t, row),
                            (long)col + 1, "column '%s': %s ('%.60s')",
                            percap_table_header(t, col), what, percap_table_cell(t, row, col));
}

static percap_status fill_denominators(percap_areas *a, const percap_table *t,
                                       const long *index, size_t vcol, percap_error *err)
{
    for (size_t r = 0, k = 0; r < percap_table_rows(t); r++) {
        if (index[r] < 0)
            continue;
        double v;
        const char *cell = percap_table_cell(t, r, vcol);
        percap_num_result res = percap_parse_number(cell, &v);
        if (res != PERCAP_NUM_OK)
            return bad_cell(err, t, r, vcol, percap_num_result_describe(res, cell));
        if (v <= 0)
            return bad_cell(err, t, r, vcol, "a denominator must be positive");
        a->rows[k++].population = v;
    }
    return PERCAP_OK;
}

percap_status percap_join_areas(const percap_registry *reg, const percap_table *t,
                                const percap_join_options *opts, percap_areas **out,
                                percap_notes *notes, percap_error *err)
{
    *out = NULL;
    size_t col, n = 0;
    long *index;
    if (resolve_table(reg, t, opts, &col, &index, notes, err) != PERCAP_OK)
        return err->code;
    for (size_t r = 0; r < percap_table_rows(t); r++)
        n += index[r] >= 0;
    percap_areas *a = n ? percap_areas_alloc(reg, n) : NULL;
    if (!a) {
        free(index);
        return n ? percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory")
                 : percap_error_set(err, PERCAP_EDATA, percap_table_path(t), 0, 0,
                                    "no areas in the file");
    }
    for (size_t r = 0, k = 0; r < percap_table_rows(t); r++) {
        if (index[r] < 0)
            continue;
        a->rows[k].region = (size_t)index[r];
        a->rows[k].population = NAN;
        a->rows[k].deaths = 0;
        a->rows[k++].line = percap_table_line(t, r);
    }
    free(index);
    *out = a;
    return PERCAP_OK;
}

/* Rows of `areas` come from `t` in order, so the denominators are read
 * by walking the table again and skipping dropped rows. */
percap_status percap_join_denominators(const percap_registry *reg, const percap_table *t,
                                       const char *value_col,
                                       const percap_join_options *opts,
                                       percap_areas **out, percap_notes *notes,
                                       percap_error *err)
{
    *out = NULL;
    size_t vcol, col;
    percap_areas *a;
    if (percap_table_require(t, value_col, "denominator", &vcol, err) != PERCAP_OK)
        return err->code;
    if (percap_join_areas(reg, t, opts, &a, notes, err) != PERCAP_OK)
        return err->code;
    long *index = malloc((percap_table_rows(t) + 1) * sizeof *index);
    percap_status st = index ? percap_join_region_column(reg, t, opts ? opts->region_col : NULL,
                                                         &col, NULL, err)
                             : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        st = percap_join_resolve(reg, t, col, opts, index, NULL, err);
    if (st == PERCAP_OK)
        st = fill_denominators(a, t, index, vcol, err);
    free(index);
    if (st != PERCAP_OK) {
        percap_areas_free(a);
        return st;
    }
    *out = a;
    return PERCAP_OK;
}

static void note_uncounted(const percap_areas *a, const bool *counted, const char *source,
                           percap_notes *notes)
{
    char list[400] = "";
    size_t missing = 0, used = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (counted[i])
            continue;
        if (missing < 8 && used < sizeof list) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", missing ? ", " : "",
                             percap_areas_code(a, i));
            used += w > 0 ? (size_t)w : 0;
        }
        missing++;
    }
    if (missing)
        percap_notes_add(notes, "%s: %zu areas have no row and are counted as 0 deaths: %s%s",
                         source, missing, list, missing > 8 ? ", ..." : "");
}

static percap_status store_count(percap_areas *a, const percap_table *t, size_t r,
                                 size_t ccol, long area, percap_error *err)
{
    double v;
    const char *cell = percap_table_cell(t, r, ccol);
    percap_num_result res = percap_parse_count(cell, &v);
    if (res != PERCAP_NUM_OK)
        return bad_cell(err, t, r, ccol, percap_num_result_describe(res, cell));
    if (v > a->rows[area].population) {
        char what[160];
        snprintf(what, sizeof what, "more deaths than the denominator (%.17g)",
                 a->rows[area].population);
        return bad_cell(err, t, r, ccol, what);
    }
    a->rows[area].deaths = v;
    return PERCAP_OK;
}

percap_status percap_join_counts(percap_areas *a, const percap_table *t,
                                 const char *count_col, const percap_join_options *opts,
                                 percap_notes *notes, percap_error *err)
{
    size_t col, ccol;
    long *index;
    if (percap_table_require(t, count_col, "count", &ccol, err) != PERCAP_OK)
        return err->code;
    if (percap_table_rows(t) == 0)
        return percap_error_set(err, PERCAP_EDATA, percap_table_path(t), 1, 0,
                                "no rows of counts, only a header");
    if (resolve_table(a->registry, t, opts, &col, &index, notes, err) != PERCAP_OK)
        return err->code;
    bool *counted = calloc(a->n, sizeof *counted);
    percap_status st = counted ? PERCAP_OK
                               : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    unmatched u = {0};
    for (size_t r = 0; r < percap_table_rows(t) && st == PERCAP_OK; r++) {
        if (index[r] < 0)
            continue;
        long area = percap_areas_find(a, (size_t)index[r]);
        double zero;
        if (area < 0 && percap_parse_count(percap_table_cell(t, r, ccol), &zero) ==
                            PERCAP_NUM_OK && zero == 0)
            continue; /* no deaths and no denominator: nothing to report */
        if (area < 0) {
            unmatched_add(&u, t, r, col);
            continue;
        }
        st = store_count(a, t, r, ccol, area, err);
        counted[area] = true;
    }
    if (st == PERCAP_OK && u.count > 0 && !(opts && opts->allow_unmatched))
        st = percap_error_set(err, PERCAP_EDATA, percap_table_path(t),
                              percap_table_line(t, u.first_row), (long)col + 1,
                              "%zu region%s with deaths but no denominator: %s%s%s", u.count,
                              u.count == 1 ? "" : "s", u.shown,
                              u.count > UNMATCHED_SHOWN ? ", ..." : "",
                              opts && opts->unmatched_hint ? opts->unmatched_hint : "");
    else if (st == PERCAP_OK && u.count > 0)
        percap_notes_add(notes, "%s: %zu regions with deaths but no denominator left out: %s",
                         percap_table_path(t), u.count, u.shown);
    if (st == PERCAP_OK)
        note_uncounted(a, counted, percap_table_path(t), notes);
    free(counted);
    free(index);
    return st;
}

percap_status percap_join_count_array(percap_areas *a, const double *counts,
                                      const char *source, const percap_join_options *opts,
                                      percap_notes *notes, percap_error *err)
{
    const percap_registry *reg = a->registry;
    for (size_t r = 0; r < percap_registry_size(reg); r++) {
        if (counts[r] <= 0)
            continue;
        long area = percap_areas_find(a, r);
        if (area < 0 && !(opts && opts->allow_unmatched))
            return percap_error_set(err, PERCAP_EDATA, source, 0, 0,
                                    "%.0f deaths in %s (%s), which has no denominator%s",
                                    counts[r], percap_registry_name(reg, r),
                                    percap_registry_code(reg, r),
                                    opts && opts->unmatched_hint ? opts->unmatched_hint : "");
        if (area < 0) {
            percap_notes_add(notes, "%s: %.0f deaths in %s (%s) left out: no denominator",
                             source, counts[r], percap_registry_name(reg, r),
                             percap_registry_code(reg, r));
            continue;
        }
        if (counts[r] > a->rows[area].population)
            return percap_error_set(err, PERCAP_EDATA, source, 0, 0,
                                    "%.0f deaths in %s (%s), more than its denominator (%.17g)",
                                    counts[r], percap_registry_name(reg, r),
                                    percap_registry_code(reg, r), a->rows[area].population);
        a->rows[area].deaths = counts[r];
    }
    return PERCAP_OK;
}

/* -1: no value parses (a text column); -2: all parse; else the first row
 * that does not, in a column where others do. */
static long numeric_column_status(const percap_table *t, size_t col, const long *index)
{
    long first_bad = -1;
    size_t good = 0;
    for (size_t r = 0; r < percap_table_rows(t); r++) {
        const char *cell = percap_table_cell(t, r, col);
        double v;
        if (index[r] < 0 || percap_is_missing(cell))
            continue;
        if (percap_parse_number(cell, &v) == PERCAP_NUM_OK)
            good++;
        else if (first_bad < 0)
            first_bad = (long)r;
    }
    if (good == 0)
        return -1;
    return first_bad < 0 ? -2 : first_bad;
}

static percap_status join_one_covariate(percap_areas *a, const percap_table *t, size_t col,
                                        const long *index, percap_error *err)
{
    char *name = trimmed(percap_table_header(t, col));
    size_t k;
    percap_status st = name ? percap_areas_add_covariate(a, name, &k, err)
                            : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    free(name);
    if (st != PERCAP_OK) {
        snprintf(err->file, sizeof err->file, "%s", percap_table_path(t));
        err->line = 1;
        err->column = (long)col + 1;
        return err->code;
    }
    for (size_t r = 0; r < percap_table_rows(t); r++) {
        long area = index[r] < 0 ? -1 : percap_areas_find(a, (size_t)index[r]);
        const char *cell = percap_table_cell(t, r, col);
        double v;
        if (area < 0 || percap_is_missing(cell))
            continue;
        percap_num_result res = percap_parse_number(cell, &v);
        if (res != PERCAP_NUM_OK)
            return bad_cell(err, t, r, col, percap_num_result_describe(res, cell));
        a->cov[(size_t)area * a->ncov + k] = v;
    }
    return PERCAP_OK;
}

static percap_status join_all_numeric(percap_areas *a, const percap_table *t, size_t region_col,
                                      const long *index, percap_notes *notes, percap_error *err)
{
    for (size_t c = 0; c < percap_table_cols(t); c++) {
        if (c == region_col || percap_table_header(t, c)[0] == '\0')
            continue;
        long s = numeric_column_status(t, c, index);
        if (s == -1) {
            percap_notes_add(notes, "%s: text column '%s' not used as a covariate",
                             percap_table_path(t), percap_table_header(t, c));
            continue;
        }
        if (s >= 0)
            return bad_cell(err, t, (size_t)s, c, "not a number in a numeric column");
        if (join_one_covariate(a, t, c, index, err) != PERCAP_OK)
            return err->code;
    }
    return PERCAP_OK;
}

static void note_coverage(const percap_areas *a, size_t first_col, const percap_table *t,
                          percap_notes *notes)
{
    for (size_t k = first_col; k < a->ncov; k++) {
        size_t missing = 0;
        for (size_t i = 0; i < a->n; i++)
            missing += isnan(a->cov[i * a->ncov + k]);
        if (missing)
            percap_notes_add(notes, "%s: covariate '%s' is missing for %zu of %zu areas",
                             percap_table_path(t), a->cov_names[k], missing, a->n);
    }
}

percap_status percap_join_covariates(percap_areas *a, const percap_table *t,
                                     const char *const *columns,
                                     const percap_join_options *opts,
                                     percap_notes *notes, percap_error *err)
{
    percap_join_options o = opts ? *opts : (percap_join_options){0};
    o.allow_unmatched = true; /* extra rows in a covariate file are harmless */
    size_t col, first = a->ncov;
    long *index;
    if (resolve_table(a->registry, t, &o, &col, &index, notes, err) != PERCAP_OK)
        return err->code;
    percap_status st = PERCAP_OK;
    if (columns) {
        for (size_t i = 0; columns[i] && st == PERCAP_OK; i++) {
            size_t c;
            st = percap_table_require(t, columns[i], "covariate", &c, err);
            if (st == PERCAP_OK)
                st = join_one_covariate(a, t, c, index, err);
        }
    } else {
        st = join_all_numeric(a, t, col, index, notes, err);
    }
    if (st == PERCAP_OK)
        note_coverage(a, first, t, notes);
    free(index);
    return st;
}
