/* libFuzzer target: a table of regional characteristics as
 * `--covariates` reads it -- percap_table_read and percap_join_covariates
 * (every numeric column, or with flag bit 2 the column `income` by name)
 * into the 85 regions -- then the joined table written as CSV. Checks:
 * errors are documented codes with a message; every covariate value is
 * finite or missing (NAN); output is valid UTF-8 without NUL bytes. */
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
    static const char *const income[] = {"income", NULL};
    percap_status st = percap_join_covariates(a, t, flags & 4 ? income : NULL, NULL, notes, &err);
    if (st == PERCAP_OK) {
        for (size_t i = 0; i < a->n * a->ncov; i++)
            FUZZ_ASSERT(isnan(a->cov[i]) || isfinite(a->cov[i]));
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        FUZZ_ASSERT(fp != NULL);
        st = percap_output_joined(fp, a, &err);
        FUZZ_ASSERT(fclose(fp) == 0);
        FUZZ_ASSERT(st == PERCAP_OK);
        fuzz_check_text(buf, len);
        free(buf);
    } else {
        fuzz_check_error(st, &err);
    }
    percap_notes_free(notes);
    percap_areas_free(a);
    percap_table_free(t);
    return 0;
}
