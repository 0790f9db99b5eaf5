/* Internal: choosing the region column from the values when no column is
 * named for regions. Region numbers are small numbers ("17" is Tuva), and
 * so are ages and counts: a column of them qualifies only if every value
 * is a known code AND its header says it holds codes. Long codes (OKATO's
 * eleven digits) and codes written with a leading zero are no age or
 * count, so their values alone suffice. Guessing wrong would put deaths
 * against the wrong regions, silently. */
#ifndef PERCAP_REGION_GUESS_H
#define PERCAP_REGION_GUESS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "percap/regions.h"

typedef struct region_guess {
    size_t values;     /* non-empty values seen */
    size_t hits;       /* values the registry knows */
    bool all_numeric;  /* every value a plain number */
    bool all_small;    /* every value 1-3 digits, no leading zero */
    bool code_header;  /* the header names codes ("code", "OKATO", "регион", ...) */
} region_guess;

/* Words that say a column holds region codes, as percap_region_normalize
 * writes them (lower case, Cyrillic too). */
static inline bool region_guess_header(region_guess *g, const char *header)
{
    static const char *const words[] = {"code", "kod", "код", "okato", "oktmo", "окато",
                                        "октмо", "region", "регион", "subject", "субъект"};
    char norm[256];
    percap_region_normalize(header, norm, sizeof norm);
    g->code_header = false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        g->code_header = g->code_header || strstr(norm, words[i]) != NULL;
    return g->code_header;
}

static inline bool region_guess_small_number(const char *v)
{
    size_t n = strspn(v, "0123456789");
    return n >= 1 && n <= 3 && v[n] == '\0' && !(v[0] == '0' && n > 1);
}

static inline void region_guess_add(region_guess *g, const char *value, bool known,
                                    bool numeric)
{
    if (g->values == 0)
        g->all_numeric = g->all_small = true;
    g->values++;
    g->hits += known;
    g->all_numeric = g->all_numeric && numeric;
    g->all_small = g->all_small && region_guess_small_number(value);
}

/* Higher is better; 0 means the column does not qualify. Text columns
 * beat code columns with as many hits. */
static inline size_t region_guess_score(const region_guess *g)
{
    if (g->hits == 0 || (g->all_numeric && g->hits < g->values) ||
        (g->all_numeric && g->all_small && !g->code_header))
        return 0;
    return g->hits * 2 + !g->all_numeric;
}

#endif
