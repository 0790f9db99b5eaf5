/* percap: league-table ranks and display order. */
#ifndef PERCAP_RANK_H
#define PERCAP_RANK_H

#include "percap/areas.h"

typedef enum percap_sort_key {
    PERCAP_SORT_RATE,     /* highest rate first */
    PERCAP_SORT_DEATHS,   /* most deaths first */
    PERCAP_SORT_LOWER,    /* highest lower confidence limit first */
    PERCAP_SORT_NAME      /* region name, A to Z (bytewise) */
} percap_sort_key;

int percap_sort_key_parse(const char *name, percap_sort_key *out);

/* Ranks by rate, highest first; equal rates share the best rank
 * (1, 2, 2, 4). Rates must have been computed. */
percap_status percap_rank_assign(percap_areas *areas, percap_error *err);

/* Fills order[0..n) with row indices in display order; ties fall back to
 * the region code so the order never depends on the input's. */
percap_status percap_rank_order(const percap_areas *areas, percap_sort_key key,
                                size_t *order, percap_error *err);

#endif
