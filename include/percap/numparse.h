/* percap: strict, locale-independent parsing of numbers and ISO dates. */
#ifndef PERCAP_NUMPARSE_H
#define PERCAP_NUMPARSE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum percap_num_result {
    PERCAP_NUM_OK = 0,
    PERCAP_NUM_EMPTY,     /* nothing but spaces */
    PERCAP_NUM_SYNTAX,    /* not a decimal number: "12abc", "1,234", "nan" */
    PERCAP_NUM_RANGE,     /* finite in text but too large: "1e400" */
    PERCAP_NUM_NEGATIVE,  /* a count below zero */
    PERCAP_NUM_FRACTION,  /* a count that is not whole */
    PERCAP_NUM_TOO_LARGE  /* a count above 2^53, where doubles stop being exact */
} percap_num_result;

/* A finite decimal: optional sign, digits with at most one '.', optional
 * exponent; surrounding spaces allowed. No "nan", "inf", hex, or
 * thousands separators. Independent of the C locale. */
percap_num_result percap_parse_number(const char *text, double *out);

/* A count: a whole, non-negative number (plain digits, or a decimal such
 * as "12.0" or "1e3" whose value is whole), at most 2^53. */
percap_num_result percap_parse_count(const char *text, double *out);

/* A short English reason for a result, e.g. "not a number". */
const char *percap_num_result_describe(percap_num_result result, const char *text);

/* Cells that mean "no value": "", "NA", "N/A", "-" and "." (any case,
 * spaces ignored). "nan" is not among them: it is a number gone wrong. */
bool percap_is_missing(const char *text);

/* An ISO 8601 calendar date YYYY-MM-DD (years 1000-9999), optionally
 * followed by 'T' or ' ' and a time, which is ignored. Returns true and
 * the days since 1970-01-01 when valid. */
bool percap_parse_date(const char *text, int32_t *days);

/* Inverse of the above: year, month (1-12) and day of a day number. */
void percap_date_split(int32_t days, int *year, int *month, int *day);

#endif
