/* Internal: choosing the region column from the values when no column is
 * named for regions. A column of plain numbers qualifies only if every
 * value is a known code: counts and ages would otherwise pass for region
 * numbers ("17" is Tuva) and put deaths against the wrong regions. */
#ifndef PERCAP_REGION_GUESS_H
#define PERCAP_REGION_GUESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct region_guess {
    size_t values;     /* non-empty values seen */
    size_t hits;       /* values the registry knows */
    bool all_numeric;  /* every value a plain number */
} region_guess;

static inline void region_guess_add(region_guess *g, bool known, bool numeric)
{
    if (g->values == 0)
        g->all_numeric = true;
    g->values++;
    g->hits += known;
    g->all_numeric = g->all_numeric && numeric;
}

/* Higher is better; 0 means the column does not qualify. Text columns
 * beat code columns with as many hits. */
static inline size_t region_guess_score(const region_guess *g)
{
    if (g->hits == 0 || (g->all_numeric && g->hits < g->values))
        return 0;
    return g->hits * 2 + !g->all_numeric;
}

#endif
