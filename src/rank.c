/* Ranking. qsort is not stable, so every comparison ends in the region
 * code, which is unique: the same data always gives the same table. */
#include "percap/rank.h"

#include <stdlib.h>
#include <string.h>

int percap_sort_key_parse(const char *name, percap_sort_key *out)
{
    static const struct { const char *name; percap_sort_key key; } keys[] = {
        {"rate", PERCAP_SORT_RATE}, {"deaths", PERCAP_SORT_DEATHS},
        {"lower", PERCAP_SORT_LOWER}, {"ci_low", PERCAP_SORT_LOWER},
        {"name", PERCAP_SORT_NAME}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(name, keys[i].name) == 0) {
            *out = keys[i].key;
            return 0;
        }
    return -1;
}

typedef struct sort_item {
    const percap_areas *areas;
    size_t row;
    percap_sort_key key;
} sort_item;

static int cmp_desc(double a, double b) { return a > b ? -1 : a < b ? 1 : 0; }

static int compare(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    const percap_area *x = &a->areas->rows[a->row], *y = &b->areas->rows[b->row];
    int c = 0;
    switch (a->key) {
    case PERCAP_SORT_RATE: c = cmp_desc(x->rate, y->rate); break;
    case PERCAP_SORT_DEATHS: c = cmp_desc(x->deaths, y->deaths); break;
    case PERCAP_SORT_LOWER: c = cmp_desc(x->ci_low, y->ci_low); break;
    case PERCAP_SORT_NAME:
        c = strcmp(percap_areas_name(a->areas, a->row), percap_areas_name(b->areas, b->row));
        break;
    }
    if (c == 0 && a->key != PERCAP_SORT_RATE)
        c = cmp_desc(x->rate, y->rate);
    if (c == 0)
        c = strcmp(percap_areas_code(a->areas, a->row), percap_areas_code(b->areas, b->row));
    return c;
}

static sort_item *sorted(const percap_areas *a, percap_sort_key key, percap_error *err)
{
    sort_item *items = malloc((a->n ? a->n : 1) * sizeof *items);
    if (!items) {
        percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < a->n; i++)
        items[i] = (sort_item){a, i, key};
    qsort(items, a->n, sizeof *items, compare);
    return items;
}

percap_status percap_rank_assign(percap_areas *a, percap_error *err)
{
    sort_item *items = sorted(a, PERCAP_SORT_RATE, err);
    if (!items)
        return PERCAP_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        percap_area *r = &a->rows[items[i].row];
        const percap_area *prev = i ? &a->rows[items[i - 1].row] : NULL;
        r->rank = prev && prev->rate == r->rate ? prev->rank : (long)i + 1;
    }
    free(items);
    return PERCAP_OK;
}

percap_status percap_rank_order(const percap_areas *a, percap_sort_key key, size_t *order,
                                percap_error *err)
{
    sort_item *items = sorted(a, key, err);
    if (!items)
        return PERCAP_ENOMEM;
    for (size_t i = 0; i < a->n; i++)
        order[i] = items[i].row;
    free(items);
    return PERCAP_OK;
}
