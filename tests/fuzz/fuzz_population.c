/* libFuzzer target: a denominator table as `--population` reads it --
 * percap_table_read, the region column found, a registry of its own
 * names when the shipped one knows none, percap_join_denominators --
 * then rates, ranks and the table written as CSV, JSON and Markdown.
 * Checks: errors are documented codes with a message; every denominator
 * accepted is finite and positive; every rate's interval holds it;
 * output is valid UTF-8 without NUL bytes. */
#include <math.h>

#include "fuzz_common.h"

static void write_all(const percap_areas *a, const size_t *order)
{
    percap_rate_options ro;
    percap_rate_options_default(&ro);
    percap_report rep = {.areas = a, .order = order, .rates = &ro, .counted = "fuzz",
                         .denominator = "fuzz"};
    for (int f = PERCAP_FORMAT_CSV; f <= PERCAP_FORMAT_MD; f++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        FUZZ_ASSERT(fp != NULL);
        percap_error err;
        percap_status st = percap_output_rates(fp, (percap_format)f, &rep, &err);
        FUZZ_ASSERT(fclose(fp) == 0);
        if (st == PERCAP_OK)
            fuzz_check_text(buf, len);
        else
            fuzz_check_error(st, &err);
        free(buf);
    }
}

static void analyse(percap_areas *a)
{
    percap_rate_options ro;
    percap_rate_options_default(&ro);
    percap_error err;
    for (size_t i = 0; i < a->n; i++)
        FUZZ_ASSERT(isfinite(a->rows[i].population) && a->rows[i].population > 0);
    /* a denominator can be too small for its rate to fit a double (1e-311):
     * then an error naming the row, nothing else */
    percap_status st = percap_rates_compute(a, &ro, &err);
    if (st != PERCAP_OK) {
        FUZZ_ASSERT(st == PERCAP_EDATA && err.line > 1 && err.message[0] != '\0');
        return;
    }
    for (size_t i = 0; i < a->n; i++)
        FUZZ_ASSERT(a->rows[i].ci_low <= a->rows[i].rate && a->rows[i].rate <= a->rows[i].ci_high);
    FUZZ_ASSERT(percap_rank_assign(a, &err) == PERCAP_OK);
    size_t *order = malloc(a->n * sizeof *order);
    FUZZ_ASSERT(order != NULL);
    FUZZ_ASSERT(percap_rank_order(a, PERCAP_SORT_NAME, order, &err) == PERCAP_OK);
    write_all(a, order);
    free(order);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = fuzz_flags(&data, &size);
    const percap_registry *shipped = fuzz_shipped_registry();
    percap_csv_options csv = fuzz_csv_options(flags);
    const char *path = fuzz_write_file(data, size);
    percap_error err;
    percap_table *t = percap_table_read(path, &csv, &err);
    if (!t) {
        fuzz_check_error(err.code, &err);
        return 0;
    }
    percap_notes *notes = percap_notes_alloc();
    percap_join_options o = {.allow_unmatched = flags & 4};
    percap_registry *own = NULL;
    percap_areas *a = NULL;
    size_t col;
    percap_status st = percap_join_region_column(shipped, t, NULL, &col, notes, &err);
    if (st == PERCAP_OK)
        st = percap_join_own_registry(shipped, t, col, &own, notes, &err);
    if (st == PERCAP_OK)
        st = percap_join_denominators(own ? own : shipped, t, "population", &o, &a, notes, &err);
    if (st == PERCAP_OK)
        analyse(a);
    else
        fuzz_check_error(st, &err);
    percap_areas_free(a);
    percap_registry_free(own);
    percap_notes_free(notes);
    percap_table_free(t);
    return 0;
}
