/* The joined area table. */
#include "percap/areas.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *percap_flag_name(percap_flag flag)
{
    switch (flag) {
    case PERCAP_FLAG_OK: return "ok";
    case PERCAP_FLAG_UNRELIABLE: return "unreliable";
    case PERCAP_FLAG_SUPPRESSED: return "suppressed";
    }
    return "?";
}

percap_areas *percap_areas_alloc(const percap_registry *registry, size_t n)
{
    percap_areas *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->registry = registry;
    a->rows = calloc(n ? n : 1, sizeof *a->rows);
    if (!a->rows) {
        free(a);
        return NULL;
    }
    a->n = n;
    return a;
}

void percap_areas_free(percap_areas *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->ncov; i++)
        free(a->cov_names[i]);
    free(a->cov_names);
    free(a->cov);
    free(a->rows);
    free(a);
}

/* Covariates are stored row-major, so a new column means re-laying the
 * whole block; tables are small and columns few. */
percap_status percap_areas_add_covariate(percap_areas *a, const char *name,
                                         size_t *col, percap_error *err)
{
    static const char *const reserved[] = {"rank", "region_code", "region_name", "deaths",
                                           "population", "rate", "ci_low", "ci_high", "flag"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                    "covariate column '%s' has the name of an output column",
                                    name);
    for (size_t i = 0; i < a->ncov; i++)
        if (strcasecmp(name, a->cov_names[i]) == 0)
            return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                    "covariate column '%s' is given twice", name);
    size_t k = a->ncov + 1;
    double *cov = malloc((a->n ? a->n : 1) * k * sizeof *cov);
    char **names = realloc(a->cov_names, k * sizeof *names);
    char *copy = malloc(strlen(name) + 1);
    if (names)
        a->cov_names = names;
    if (!cov || !names || !copy) {
        free(cov);
        free(copy);
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    strcpy(copy, name);
    for (size_t r = 0; r < a->n; r++) {
        for (size_t c = 0; c < a->ncov; c++)
            cov[r * k + c] = a->cov[r * a->ncov + c];
        cov[r * k + a->ncov] = NAN;
    }
    free(a->cov);
    a->cov = cov;
    a->cov_names[a->ncov] = copy;
    *col = a->ncov++;
    return PERCAP_OK;
}

long percap_areas_find(const percap_areas *a, size_t region)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->rows[i].region == region)
            return (long)i;
    return -1;
}

const char *percap_areas_code(const percap_areas *a, size_t row)
{
    return percap_registry_code(a->registry, a->rows[row].region);
}

const char *percap_areas_name(const percap_areas *a, size_t row)
{
    return percap_registry_name(a->registry, a->rows[row].region);
}

double percap_areas_cov(const percap_areas *a, size_t row, size_t col)
{
    return a->cov[row * a->ncov + col];
}
