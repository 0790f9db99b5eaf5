/* libFuzzer target: a counts table as `--deaths` reads it --
 * percap_table_read and percap_join_counts into the 85 regions with the
 * shipped denominators (men 16-61.5) -- then rates and the pooled row.
 * Checks: errors are documented codes with a message; every count
 * accepted is a whole number, at least 0, at most its denominator. */
#include <math.h>

#include "fuzz_common.h"

static percap_table *denominators;

static percap_areas *fresh_areas(void)
{
    percap_error err;
    if (!denominators &&
        !(denominators = percap_table_read(PERCAP_SOURCE_DIR "/datasets/region_stats.csv",
                                           NULL, &err)))
        abort();
    percap_areas *a = NULL;
    if (percap_join_denominators(fuzz_shipped_registry(), denominators, "men_16_61_2021", NULL,
                                 &a, NULL, &err) != PERCAP_OK)
        abort();
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = fuzz_flags(&data, &size);
    percap_csv_options csv = fuzz_csv_options(flags);
    const char *path = fuzz_write_file(data, size);
    percap_error err;
    percap_table *t = percap_table_read(path, &csv, &err);
    if (!t) {
        fuzz_check_error(err.code, &err);
        return 0;
    }
    percap_areas *a = fresh_areas();
    percap_notes *notes = percap_notes_alloc();
    percap_join_options o = {.allow_unmatched = flags & 4};
    percap_status st = percap_join_counts(a, t, "deaths", &o, notes, &err);
    if (st == PERCAP_OK) {
        for (size_t i = 0; i < a->n; i++) {
            double d = a->rows[i].deaths;
            FUZZ_ASSERT(d >= 0 && d == floor(d) && d <= a->rows[i].population);
        }
        percap_rate_options ro;
        percap_rate_options_default(&ro);
        percap_area pooled;
        FUZZ_ASSERT(percap_rates_compute(a, &ro, &err) == PERCAP_OK);
        FUZZ_ASSERT(percap_rates_pooled(a, &ro, &pooled, &err) == PERCAP_OK);
    } else {
        fuzz_check_error(st, &err);
    }
    percap_notes_free(notes);
    percap_areas_free(a);
    percap_table_free(t);
    return 0;
}
