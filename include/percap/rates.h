/* percap: rates per `per` people with intervals and reliability flags. */
#ifndef PERCAP_RATES_H
#define PERCAP_RATES_H

#include "percap/areas.h"
#include "percap/intervals.h"

typedef struct percap_rate_options {
    double per;                /* rate per this many people (100000) */
    percap_ci_method method;   /* PERCAP_CI_EXACT */
    double level;              /* 0.95 */
    double suppress_max;       /* counts <= this are 'suppressed' (9) */
    double unreliable_below;   /* counts < this are 'unreliable' (20) */
} percap_rate_options;

void percap_rate_options_default(percap_rate_options *opts);

percap_flag percap_rates_flag(double deaths, const percap_rate_options *opts);

/* Fills rate, ci_low, ci_high and flag of every area. */
percap_status percap_rates_compute(percap_areas *areas, const percap_rate_options *opts,
                                   percap_error *err);

/* All areas together: deaths and denominators summed. */
percap_status percap_rates_pooled(const percap_areas *areas, const percap_rate_options *opts,
                                  percap_area *pooled, percap_error *err);

#endif
