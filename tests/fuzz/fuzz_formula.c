/* libFuzzer target: the formula parser (percap/formula.h) on arbitrary
 * text, and every formula it accepts evaluated over a small area table
 * (rows with zeros, missing values and huge numbers) and fitted by OLS
 * and Poisson regression. Checks: a refused formula is PERCAP_EUSAGE at
 * a line and column inside the text (plus one, for "the end"); every
 * design column of an accepted one has a name; a frame keeps at least one
 * row and no more than the table has; a fitted model has one term per
 * design column. */
#include <math.h>

#include "fuzz_common.h"

static percap_registry *reg;
static percap_areas *areas;

static void build_areas(void)
{
    static const double deaths[] = {0, 1, 25, 30, 10, 1e6};
    static const double pop[] = {100, 12717, 100000, 200000, 1000000, 2e7};
    /* the names the formula tests and seeds use, one that needs backticks */
    static const double cov[][4] = {{0, -1, 1e300, 1},   {NAN, 2, 3, 2},     {1, 0, -5, 3},
                                    {2.5, NAN, 0.5, 5},  {1e-300, 7, 7, 8},  {-3, 1e308, NAN, 13}};
    static const char *const names[] = {"x1", "x2", "x3", "men 16-61"};
    reg = percap_registry_alloc();
    percap_error err;
    size_t n = sizeof deaths / sizeof *deaths;
    char code[16];
    for (size_t i = 0; i < n; i++) {
        snprintf(code, sizeof code, "A%zu", i);
        if (percap_registry_add(reg, code, code, NULL, &err) != PERCAP_OK)
            abort();
    }
    areas = percap_areas_alloc(reg, n);
    for (size_t i = 0; i < n; i++)
        areas->rows[i] = (percap_area){.region = i, .deaths = deaths[i], .population = pop[i]};
    for (size_t k = 0; k < 4; k++) {
        size_t col;
        if (percap_areas_add_covariate(areas, names[k], &col, &err) != PERCAP_OK)
            abort();
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 4; k++)
            areas->cov[i * areas->ncov + k] = cov[i][k];
    percap_rate_options o;
    percap_rate_options_default(&o);
    if (percap_rates_compute(areas, &o, &err) != PERCAP_OK)
        abort();
}

static void fit(const percap_formula *f, percap_model_family family)
{
    percap_model_options o;
    percap_model_options_default(&o);
    o.family = family;
    percap_model *m = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_status st = percap_model_fit(f, areas, &o, &m, notes, &err);
    if (st == PERCAP_OK) {
        FUZZ_ASSERT(m != NULL && m->nterms == percap_formula_ncols(f));
        percap_model_free(m);
    } else {
        fuzz_check_error(st, &err);
    }
    percap_notes_free(notes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!areas)
        build_areas();
    char *text = fuzz_string(data, size);
    percap_error err;
    percap_formula *f = percap_formula_parse(text, &err);
    if (!f) {
        fuzz_check_error(err.code, &err);
        if (err.code == PERCAP_EUSAGE) {
            FUZZ_ASSERT(strcmp(err.file, "formula") == 0 && err.line >= 1);
            FUZZ_ASSERT(err.column >= 1 && (size_t)err.column <= strlen(text) + 1);
        }
        free(text);
        return 0;
    }
    FUZZ_ASSERT(percap_formula_text(f) != NULL && percap_formula_response(f) != NULL);
    size_t p = percap_formula_ncols(f);
    for (size_t j = 0; j < p; j++)
        FUZZ_ASSERT(percap_formula_column(f, j) && percap_formula_column(f, j)[0]);
    percap_formula_frame *frame = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_status st = percap_formula_evaluate(f, areas, NULL, &frame, notes, &err);
    if (st == PERCAP_OK) {
        FUZZ_ASSERT(frame->n >= 1 && frame->n <= areas->n && frame->p == p);
        for (size_t i = 0; i < frame->n; i++)
            FUZZ_ASSERT(frame->area[i] < areas->n);
        percap_formula_frame_free(frame);
        fit(f, PERCAP_MODEL_OLS);
        fit(f, PERCAP_MODEL_POISSON);
    } else {
        fuzz_check_error(st, &err);
    }
    percap_notes_free(notes);
    percap_formula_free(f);
    free(text);
    return 0;
}
