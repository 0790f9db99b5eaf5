/* percap: the joined table, one row per area with its count, denominator,
 * computed rate and the covariates carried along. */
#ifndef PERCAP_AREAS_H
#define PERCAP_AREAS_H

#include <stddef.h>

#include "percap/error.h"
#include "percap/regions.h"

typedef enum percap_flag {
    PERCAP_FLAG_OK = 0,
    PERCAP_FLAG_UNRELIABLE,  /* fewer events than the reliability threshold */
    PERCAP_FLAG_SUPPRESSED   /* at or below the suppression threshold */
} percap_flag;

const char *percap_flag_name(percap_flag flag);

typedef struct percap_area {
    size_t region;        /* index in the registry */
    double deaths;
    double population;    /* the denominator */
    double rate;          /* per `per` of the denominator */
    double ci_low, ci_high;
    percap_flag flag;
    long rank;            /* 1 = highest rate; ties share the best rank */
    long line;            /* line of the area's denominator row, for messages */
} percap_area;

typedef struct percap_areas {
    const percap_registry *registry;  /* not owned */
    size_t n;
    percap_area *rows;
    size_t ncov;
    char **cov_names;
    double *cov;          /* n x ncov, row-major; NAN where missing */
} percap_areas;

percap_areas *percap_areas_alloc(const percap_registry *registry, size_t n);
void percap_areas_free(percap_areas *areas);

/* Adds a covariate column (all values missing) and returns its index
 * in *col; a name already in use is an error. */
percap_status percap_areas_add_covariate(percap_areas *areas, const char *name,
                                         size_t *col, percap_error *err);

/* Row holding registry region `region`, or -1. */
long percap_areas_find(const percap_areas *areas, size_t region);

const char *percap_areas_code(const percap_areas *areas, size_t row);
const char *percap_areas_name(const percap_areas *areas, size_t row);
double percap_areas_cov(const percap_areas *areas, size_t row, size_t col);

#endif
