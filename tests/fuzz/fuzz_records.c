/* libFuzzer target: a one-row-per-death list as `--records` and
 * `percap aggregate` read it (percap_records_count against the shipped
 * registry), with option bits: delimiter (0-1) and, in bit 2, a period
 * (2022-02-24 to 2023-04-12), counts by month and unknown regions
 * dropped. The counts are then written as CSV. Checks: errors are
 * documented codes with a message; every row is accounted for (counted,
 * or tallied under one reason); the counts add up to the rows counted,
 * by region and by month; output is valid UTF-8 without NUL bytes. */
#include <math.h>

#include "fuzz_common.h"

static void check_counts(const percap_records *r, bool by_month)
{
    FUZZ_ASSERT(r->counted + r->no_region + r->unmatched + r->no_date + r->bad_date +
                    r->outside == r->rows);
    double total = 0, by_months = 0;
    for (size_t i = 0; i < r->nregions; i++) {
        FUZZ_ASSERT(r->counts[i] >= 0 && r->counts[i] == floor(r->counts[i]));
        total += r->counts[i];
    }
    FUZZ_ASSERT(total == (double)r->counted);
    if (by_month) {
        for (size_t i = 0; i < r->nregions * r->nmonths; i++)
            by_months += r->month_counts[i];
        FUZZ_ASSERT(by_months == (double)r->counted);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = fuzz_flags(&data, &size);
    const percap_registry *reg = fuzz_shipped_registry();
    const char *path = fuzz_write_file(data, size);
    percap_records_options o = {.csv = fuzz_csv_options(flags)};
    bool dated = flags & 4;
    if (dated) {
        o.has_since = o.has_until = o.by_month = o.allow_unmatched = true;
        if (!percap_parse_date("2022-02-24", &o.since) ||
            !percap_parse_date("2023-04-12", &o.until))
            abort();
    }
    percap_records *r = NULL;
    percap_notes *notes = percap_notes_alloc();
    percap_error err;
    percap_status st = percap_records_count(path, reg, &o, &r, notes, &err);
    if (st == PERCAP_OK) {
        check_counts(r, dated);
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        FUZZ_ASSERT(fp != NULL);
        st = percap_output_counts(fp, reg, r, dated, NULL, &err);
        FUZZ_ASSERT(fclose(fp) == 0);
        FUZZ_ASSERT(st == PERCAP_OK);
        fuzz_check_text(buf, len);
        free(buf);
        percap_records_free(r);
    } else {
        fuzz_check_error(st, &err);
    }
    percap_notes_free(notes);
    return 0;
}
