/* Dataset validation. Reuses the loaders, so a file that passes here is
 * a file the analysis commands will read the same way. */
#include "percap/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "percap/join.h"
#include "percap/numparse.h"
#include "percap/table.h"

static bool is_count_column(const char *name)
{
    size_t n = strlen(name);
    return strncasecmp(name, "deaths", 6) == 0 || strncasecmp(name, "population", 10) == 0 ||
           strncasecmp(name, "men_", 4) == 0 || strcasecmp(name, "count") == 0 ||
           (n > 6 && strcasecmp(name + n - 6, "_count") == 0);
}

static percap_status bad(percap_error *err, const percap_table *t, size_t r, size_t c,
                         const char *what)
{
    return percap_error_set(err, PERCAP_EDATA, percap_table_path(t), percap_table_line(t, r),
                            (long)c + 1, "column '%s': %s ('%.60s')",
                            percap_table_header(t, c), what, percap_table_cell(t, r, c));
}

/* Returns true if the column is numeric and valid, false for text;
 * errors for a numeric column with bad cells. */
static percap_status check_column(const percap_table *t, size_t c, bool *numeric, double *total,
                                  percap_error *err)
{
    size_t good = 0, rows = percap_table_rows(t);
    long first_bad = -1;
    *total = 0;
    for (size_t r = 0; r < rows; r++) {
        double v;
        const char *cell = percap_table_cell(t, r, c);
        if (percap_is_missing(cell))
            continue;
        if (percap_parse_number(cell, &v) == PERCAP_NUM_OK) {
            good++;
            *total += v;
        } else if (first_bad < 0) {
            first_bad = (long)r;
        }
    }
    *numeric = good > 0;
    if (!*numeric && !is_count_column(percap_table_header(t, c)))
        return PERCAP_OK;
    if (first_bad >= 0) {
        double v;
        const char *cell = percap_table_cell(t, (size_t)first_bad, c);
        return bad(err, t, (size_t)first_bad, c,
                   percap_num_result_describe(percap_parse_number(cell, &v), cell));
    }
    if (!is_count_column(percap_table_header(t, c)))
        return PERCAP_OK;
    for (size_t r = 0; r < rows; r++) {
        double v;
        const char *cell = percap_table_cell(t, r, c);
        percap_num_result res = percap_parse_number(cell, &v);
        if (res != PERCAP_NUM_OK)
            return bad(err, t, r, c, "missing value in a count column");
        if (v < 0)
            return bad(err, t, r, c, "negative value in a count column");
    }
    return PERCAP_OK;
}

/* Regions seen, by a mark per region of the registry (0 to size - 1):
 * linear, where comparing every pair of rows took half a minute at 10^5
 * areas. Returns false if out of memory. */
static bool count_distinct(const long *index, size_t n, size_t size, size_t *distinct)
{
    bool *seen = calloc(size ? size : 1, sizeof *seen);
    if (!seen)
        return false;
    *distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (index[i] >= 0 && (size_t)index[i] < size && !seen[index[i]]) {
            seen[index[i]] = true;
            ++*distinct;
        }
    free(seen);
    return true;
}

typedef struct key_cmp {
    const percap_table *t;
    const size_t *cols;
    size_t ncols;
    long region_col;       /* compared by resolved region, not by spelling */
    const long *region;    /* resolved region of each row */
} key_cmp;

static key_cmp key_ctx; /* qsort has no context argument in C11 */

static int compare_cell(size_t a, size_t b, size_t col)
{
    if (key_ctx.region && (long)col == key_ctx.region_col && key_ctx.region[a] >= 0 &&
        key_ctx.region[b] >= 0)
        return (key_ctx.region[a] > key_ctx.region[b]) - (key_ctx.region[a] < key_ctx.region[b]);
    return strcmp(percap_table_cell(key_ctx.t, a, col), percap_table_cell(key_ctx.t, b, col));
}

static int compare_key_only(size_t a, size_t b)
{
    for (size_t k = 0; k < key_ctx.ncols; k++) {
        int c = compare_cell(a, b, key_ctx.cols[k]);
        if (c)
            return c;
    }
    return 0;
}

static int compare_keys(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = compare_key_only(a, b);
    return c ? c : (a < b ? -1 : a > b);
}

static percap_status check_key(const percap_table *t, const char *key, long region_col,
                               const long *region, percap_error *err)
{
    size_t cols[32], ncols = 0, n = percap_table_rows(t);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", key);
    char *save = NULL;
    for (char *c = strtok_r(buf, ", ", &save); c; c = strtok_r(NULL, ", ", &save)) {
        if (ncols == 32 || percap_table_require(t, c, "key", &cols[ncols++], err) != PERCAP_OK)
            return ncols == 32 ? percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                                  "too many key columns") : err->code;
    }
    size_t *rows = malloc((n + 1) * sizeof *rows);
    if (!rows)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    key_ctx = (key_cmp){t, cols, ncols, region_col, region};
    qsort(rows, n, sizeof *rows, compare_keys);
    percap_status st = PERCAP_OK;
    for (size_t i = 1; i < n && st == PERCAP_OK; i++) {
        size_t a = rows[i - 1], b = rows[i];
        if (compare_key_only(a, b) == 0)
            st = percap_error_set(err, PERCAP_EDATA, percap_table_path(t), percap_table_line(t, b),
                                  0, "the key (%s) repeats line %ld", key,
                                  percap_table_line(t, a));
    }
    free(rows);
    return st;
}

static percap_status check_regions(const percap_table *t, const percap_check_options *o,
                                   long *region_col, long **region, percap_notes *notes,
                                   percap_error *err)
{
    *region_col = -1;
    *region = NULL;
    if (!o->registry)
        return PERCAP_OK;
    size_t col;
    percap_error ignored;
    /* one --region-col serves several files: those without it are searched */
    const char *given = o->region_col && percap_table_find(t, o->region_col) >= 0
                            ? o->region_col : NULL;
    percap_status found = percap_join_region_column(o->registry, t, given, &col, NULL, &ignored);
    if (found == PERCAP_ENOMEM) {
        *err = ignored;
        return found;
    }
    if (found != PERCAP_OK)
        return PERCAP_OK; /* no region column: nothing to check there */
    percap_registry *own = NULL;
    if (percap_join_own_registry(o->registry, t, col, &own, NULL, err) != PERCAP_OK)
        return err->code;
    const percap_registry *reg = own ? own : o->registry;
    long *index = malloc((percap_table_rows(t) + 1) * sizeof *index);
    percap_join_options jo = {.allow_repeats = o->key != NULL, .allow_empty = o->key != NULL};
    percap_status st = index ? percap_join_resolve(reg, t, col, &jo, index, notes, err)
                             : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    size_t distinct = 0;
    if (st == PERCAP_OK &&
        !count_distinct(index, percap_table_rows(t), percap_registry_size(reg), &distinct))
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        percap_notes_add(notes, "%s: region column '%s': %zu distinct %s", percap_table_path(t),
                         percap_table_header(t, col), distinct,
                         own ? "area names (not in the registry)" : "known regions");
    percap_registry_free(own);
    *region_col = (long)col;
    if (st == PERCAP_OK)
        *region = index;
    else
        free(index);
    return st;
}

static percap_status check_table(const percap_table *t, const percap_check_options *o,
                                 percap_notes *notes, percap_error *err)
{
    long region_col, *region;
    if (check_regions(t, o, &region_col, &region, notes, err) != PERCAP_OK)
        return err->code;
    percap_status st = o->key ? check_key(t, o->key, region_col, region, err) : PERCAP_OK;
    free(region);
    if (st != PERCAP_OK)
        return st;
    char totals[1024] = "";
    size_t used = 0;
    for (size_t c = 0; c < percap_table_cols(t); c++) {
        bool numeric;
        double total;
        if ((long)c == region_col)
            continue;
        if (check_column(t, c, &numeric, &total, err) != PERCAP_OK)
            return err->code;
        if (numeric && used < sizeof totals) {
            int w = snprintf(totals + used, sizeof totals - used, "%s%s=%.15g",
                             used ? ", " : "", percap_table_header(t, c), total);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    percap_notes_add(notes, "%s: ok: %zu rows, %zu columns%s%s", percap_table_path(t),
                     percap_table_rows(t), percap_table_cols(t), used ? "; totals: " : "",
                     totals);
    return PERCAP_OK;
}

percap_status percap_check_file(const char *path, const percap_check_options *o,
                                percap_notes *notes, percap_error *err)
{
    percap_table *t = percap_table_read(path, &o->csv, err);
    if (!t)
        return err->code;
    percap_status st = PERCAP_OK;
    if (percap_table_find(t, "aliases") >= 0) {
        percap_registry *reg = percap_registry_load(path, &o->csv, err);
        st = reg ? PERCAP_OK : err->code;
        if (reg)
            percap_notes_add(notes, "%s: registry of %zu regions, no spelling names two",
                             path, percap_registry_size(reg));
        percap_registry_free(reg);
    }
    if (st == PERCAP_OK)
        st = check_table(t, o, notes, err);
    percap_table_free(t);
    return st;
}

percap_status percap_check_total(const char *path, const percap_csv_options *csv,
                                 const char *column, double expected, percap_error *err)
{
    percap_table *t = percap_table_read(path, csv, err);
    if (!t)
        return err->code;
    size_t c;
    bool numeric;
    double total = 0;
    percap_status st = percap_table_require(t, column, "total", &c, err);
    if (st == PERCAP_OK)
        st = check_column(t, c, &numeric, &total, err);
    if (st == PERCAP_OK && total != expected)
        st = percap_error_set(err, PERCAP_EDATA, path, 0, 0,
                              "column '%s' totals %.15g, expected %.15g", column, total, expected);
    percap_table_free(t);
    return st;
}
