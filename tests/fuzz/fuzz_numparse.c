/* libFuzzer target: the strict number, count and date parsers
 * (percap/numparse.h) on arbitrary text. Besides the sanitizers it checks
 * what the header promises: a number is finite; a count is whole, at
 * least 0, at most 2^53 and the same value as the number; a date is in
 * years 1000-9999 and reads back to the same day once written out; every
 * result has a description. */
#include <math.h>

#include "fuzz_common.h"

static void check_number(const char *s)
{
    double v = NAN;
    percap_num_result r = percap_parse_number(s, &v);
    FUZZ_ASSERT(r == PERCAP_NUM_OK || r == PERCAP_NUM_EMPTY || r == PERCAP_NUM_SYNTAX ||
                r == PERCAP_NUM_RANGE);
    FUZZ_ASSERT(r != PERCAP_NUM_OK || isfinite(v));
    FUZZ_ASSERT(percap_num_result_describe(r, s) != NULL);

    double c = NAN;
    percap_num_result rc = percap_parse_count(s, &c);
    FUZZ_ASSERT(percap_num_result_describe(rc, s) != NULL);
    if (rc == PERCAP_NUM_OK) {
        FUZZ_ASSERT(r == PERCAP_NUM_OK);
        FUZZ_ASSERT(c >= 0 && c == floor(c) && c <= 9007199254740992.0);
        FUZZ_ASSERT(c == v);
        FUZZ_ASSERT(!signbit(c));
    }
    if (r != PERCAP_NUM_OK)
        FUZZ_ASSERT(rc == r);
    (void)percap_is_missing(s);
}

static void check_date(const char *s)
{
    int32_t days = INT32_MIN;
    if (!percap_parse_date(s, &days))
        return;
    int y, m, d;
    percap_date_split(days, &y, &m, &d);
    FUZZ_ASSERT(y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
    char text[16];
    snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    int32_t again = INT32_MIN;
    FUZZ_ASSERT(percap_parse_date(text, &again));
    FUZZ_ASSERT(again == days);
    /* the date part of the input is what was read */
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    FUZZ_ASSERT(strncmp(p, text, 10) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    check_number(s);
    check_date(s);
    free(s);
    return 0;
}
