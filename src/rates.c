/* Rates and their intervals. The interval module works per person; here
 * everything is scaled to `per` once, so rate and limits share a scale. */
#include "percap/rates.h"

#include <math.h>
#include <stdio.h>

void percap_rate_options_default(percap_rate_options *o)
{
    o->per = 100000;
    o->method = PERCAP_CI_EXACT;
    o->level = 0.95;
    o->suppress_max = 9;
    o->unreliable_below = 20;
}

percap_flag percap_rates_flag(double deaths, const percap_rate_options *o)
{
    if (deaths <= o->suppress_max)
        return PERCAP_FLAG_SUPPRESSED;
    if (deaths < o->unreliable_below)
        return PERCAP_FLAG_UNRELIABLE;
    return PERCAP_FLAG_OK;
}

static percap_status check_options(const percap_rate_options *o, percap_error *err)
{
    if (!(o->per > 0) || !isfinite(o->per))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the rate base (--per) must be a positive number");
    if (!(o->level > 0 && o->level < 1))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the confidence level must lie strictly between 0 and 1");
    return PERCAP_OK;
}

static percap_status fill(percap_area *r, const percap_rate_options *o, const char *what,
                          percap_error *err)
{
    double lo, hi;
    percap_status st = percap_interval_rate(o->method, r->deaths, r->population, o->level,
                                            &lo, &hi, err);
    if (st != PERCAP_OK) {
        /* a denominator so small the rate overflows (1e-311 people): the
         * line of its row lets the caller name the place */
        char msg[PERCAP_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        return percap_error_set(err, st, NULL, r->line > 0 ? r->line : 0, 0, "%s: %s", what,
                                msg);
    }
    /* deaths * per is exact for whole numbers, so equal ratios give equal
     * doubles and ties rank as ties */
    r->rate = r->deaths * o->per / r->population;
    r->ci_low = lo * o->per;
    r->ci_high = hi * o->per;
    r->flag = percap_rates_flag(r->deaths, o);
    return PERCAP_OK;
}

percap_status percap_rates_compute(percap_areas *a, const percap_rate_options *o,
                                   percap_error *err)
{
    if (check_options(o, err) != PERCAP_OK)
        return err->code;
    for (size_t i = 0; i < a->n; i++)
        if (fill(&a->rows[i], o, percap_areas_code(a, i), err) != PERCAP_OK)
            return err->code;
    return PERCAP_OK;
}

percap_status percap_rates_pooled(const percap_areas *a, const percap_rate_options *o,
                                  percap_area *pooled, percap_error *err)
{
    if (check_options(o, err) != PERCAP_OK)
        return err->code;
    percap_area p = {0};
    for (size_t i = 0; i < a->n; i++) {
        p.deaths += a->rows[i].deaths;
        p.population += a->rows[i].population;
    }
    if (fill(&p, o, "all areas", err) != PERCAP_OK)
        return err->code;
    p.rank = 0;
    *pooled = p;
    return PERCAP_OK;
}
