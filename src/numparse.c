/* Strict number and date parsing. The grammar is checked by hand first so
 * that strtod never gets to accept "nan", "inf", hex floats or a trailing
 * "abc"; the decimal point is swapped for the locale's so a program that
 * called setlocale() still reads "1.5" as one and a half. */
#include "percap/numparse.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERCAP_NUM_MAX_TEXT 128
#define PERCAP_COUNT_MAX 9007199254740992.0 /* 2^53 */

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Length of the number at s, or 0 if s does not start with one that
 * runs to the end (spaces aside). */
static size_t scan_decimal(const char *s, bool *has_comma)
{
    const char *p = s;
    size_t digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    while (isdigit((unsigned char)*p)) { p++; digits++; }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) { p++; digits++; }
    }
    if (digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        const char *e = p + 1;
        if (*e == '+' || *e == '-')
            e++;
        if (!isdigit((unsigned char)*e))
            return 0;
        while (isdigit((unsigned char)*e))
            e++;
        p = e;
    }
    size_t len = (size_t)(p - s);
    if (*p == ',')
        *has_comma = true;
    if (*skip_spaces(p) != '\0')
        return 0;
    return len;
}

/* The exponent written after 'e', saturated: 10 MB of exponent digits
 * must not overflow a long. */
static long exponent_value(const char *p)
{
    bool neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    long e = 0;
    for (; isdigit((unsigned char)*p); p++)
        if (e < 1000000000L)
            e = e * 10 + (*p - '0');
    return neg ? -e : e;
}

/* The significant digits of a decimal (text already through
 * scan_decimal), without leading zeros: up to `max` of them into digits,
 * with their count in *nd and the total count in *all, and the position
 * of the decimal point as *point (value = 0.DIGITS x 10^point before the
 * exponent). *last is the index of the last nonzero digit. */
typedef struct sig_digits {
    size_t nd, all, last;
    long point;
} sig_digits;

static const char *significant_digits(const char *s, char *digits, size_t max, sig_digits *d)
{
    *d = (sig_digits){0};
    bool after_point = false;
    for (; isdigit((unsigned char)*s) || *s == '.'; s++) {
        if (*s == '.') {
            after_point = true;
            continue;
        }
        if (d->all == 0 && *s == '0') {
            d->point -= after_point; /* 0.00x: the point is further left */
            continue;
        }
        d->point += !after_point;
        if (*s != '0')
            d->last = d->all;
        if (d->nd < max)
            digits[d->nd++] = *s;
        d->all++;
    }
    return s;
}

/* A number too long to copy for strtod (10 MB of digits; a population
 * with a hundred zeros after the point) as "0.DIGITSe<point + exponent>".
 * 800 digits and a sticky 1 for any nonzero digit past them keep strtod's
 * rounding exact: a double's halfway points have at most 767 significant
 * digits. */
#define COMPACT_DIGITS 800
#define COMPACT_MAX (COMPACT_DIGITS + 40)

static void compact_decimal(const char *s, char *out)
{
    char digits[COMPACT_DIGITS];
    sig_digits d;
    const char *sign = *s == '-' ? "-" : "";
    if (*s == '+' || *s == '-')
        s++;
    const char *rest = significant_digits(s, digits, sizeof digits, &d);
    long exponent = (*rest == 'e' || *rest == 'E') ? exponent_value(rest + 1) : 0;
    if (d.all == 0) {
        snprintf(out, COMPACT_MAX, "%s0", sign);
        return;
    }
    bool sticky = d.last >= d.nd;
    snprintf(out, COMPACT_MAX, "%s0.%.*s%se%ld", sign, (int)d.nd, digits, sticky ? "1" : "",
             d.point + exponent);
}

percap_num_result percap_parse_number(const char *text, double *out)
{
    const char *s = skip_spaces(text);
    if (*s == '\0')
        return PERCAP_NUM_EMPTY;
    bool comma = false;
    size_t len = scan_decimal(s, &comma);
    if (len == 0)
        return PERCAP_NUM_SYNTAX;
    char buf[COMPACT_MAX];
    if (len < PERCAP_NUM_MAX_TEXT) {
        memcpy(buf, s, len);
        buf[len] = '\0';
    } else {
        compact_decimal(s, buf);
    }
    const char *point = localeconv()->decimal_point;
    char *dot = strchr(buf, '.');
    if (dot && point && point[0] && point[0] != '.' && point[1] == '\0')
        *dot = point[0];
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (*end != '\0')
        return PERCAP_NUM_SYNTAX;
    if (errno == ERANGE && fabs(v) > 1.0)
        return PERCAP_NUM_RANGE;
    if (!isfinite(v))
        return PERCAP_NUM_RANGE;
    *out = v;
    return PERCAP_NUM_OK;
}

/* Whether a count is whole and at most 2^53 is decided from its digits,
 * not from the double: "9007199254740993.0" rounds to 2^53 and
 * "4503599627370496.5" to a whole number, and both must be refused. The
 * text has already passed scan_decimal. */
static percap_num_result exact_count_check(const char *text)
{
    const char *s = skip_spaces(text);
    if (*s == '+' || *s == '-')
        s++;
    char digits[17];
    sig_digits d;
    const char *rest = significant_digits(s, digits, sizeof digits, &d);
    if (d.all == 0)
        return PERCAP_NUM_OK; /* zero */
    long exponent = (*rest == 'e' || *rest == 'E') ? exponent_value(rest + 1) : 0;
    long int_digits = d.point + exponent; /* how many digits stand before the point */
    if (int_digits <= (long)d.last)
        return PERCAP_NUM_FRACTION; /* a nonzero digit after the point */
    if (int_digits > 16)
        return PERCAP_NUM_TOO_LARGE;
    if (int_digits < 16)
        return PERCAP_NUM_OK;
    char whole[17];
    for (size_t i = 0; i < 16; i++)
        whole[i] = i < d.nd ? digits[i] : '0';
    whole[16] = '\0';
    return strcmp(whole, "9007199254740992") > 0 ? PERCAP_NUM_TOO_LARGE : PERCAP_NUM_OK;
}

percap_num_result percap_parse_count(const char *text, double *out)
{
    double v;
    percap_num_result r = percap_parse_number(text, &v);
    if (r != PERCAP_NUM_OK)
        return r;
    if (v < 0)
        return PERCAP_NUM_NEGATIVE;
    percap_num_result exact = exact_count_check(text);
    if (exact != PERCAP_NUM_OK)
        return exact;
    if (v != floor(v))
        return PERCAP_NUM_FRACTION;
    if (v > PERCAP_COUNT_MAX)
        return PERCAP_NUM_TOO_LARGE;
    *out = v + 0.0; /* turns -0 into 0 */
    return PERCAP_NUM_OK;
}

static bool looks_like_thousands(const char *text)
{
    const char *s = skip_spaces(text);
    bool digit_comma_digit = false;
    for (const char *p = s; *p; p++) {
        if (*p == ',' && p > s && isdigit((unsigned char)p[-1]) &&
            isdigit((unsigned char)p[1]))
            digit_comma_digit = true;
        else if (!isdigit((unsigned char)*p) && *p != '.' && *p != ',' &&
                 *p != ' ' && *p != '-')
            return false;
    }
    return digit_comma_digit;
}

static bool is_word_ci(const char *text, const char *word)
{
    const char *s = skip_spaces(text);
    if (*s == '+' || *s == '-')
        s++;
    size_t n = strlen(word);
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != word[i])
            return false;
    return *skip_spaces(s + n) == '\0';
}

const char *percap_num_result_describe(percap_num_result result, const char *text)
{
    switch (result) {
    case PERCAP_NUM_OK: return "a valid number";
    case PERCAP_NUM_EMPTY: return "empty value where a number is required";
    case PERCAP_NUM_SYNTAX:
        if (text && percap_is_missing(text))
            return "missing value where a number is required";
        if (text && looks_like_thousands(text))
            return "not a number (write numbers without thousands separators, "
                   "and use '.' for decimals)";
        if (text && (is_word_ci(text, "nan") || is_word_ci(text, "inf") ||
                     is_word_ci(text, "infinity")))
            return "not a finite number";
        return "not a number";
    case PERCAP_NUM_RANGE: return "number out of range";
    case PERCAP_NUM_NEGATIVE: return "negative count";
    case PERCAP_NUM_FRACTION: return "count is not a whole number";
    case PERCAP_NUM_TOO_LARGE: return "count too large (above 2^53)";
    }
    return "invalid number";
}

bool percap_is_missing(const char *text)
{
    static const char *const words[] = {"", "na", "n/a", "-", "."};
    char buf[8];
    const char *s = skip_spaces(text);
    size_t n = 0;
    while (s[n] && n < sizeof buf - 1) {
        buf[n] = (char)tolower((unsigned char)s[n]);
        n++;
    }
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        n--;
    if (s[n] != '\0' && *skip_spaces(s + n) != '\0')
        return false;
    buf[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(buf, words[i]) == 0)
            return true;
    return false;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), valid for every year we accept. */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void percap_date_split(int32_t days, int *year, int *month, int *day)
{
    int32_t z = days + 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int32_t doe = z - era * 146097;
    const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int32_t mp = (5 * doy + 2) / 153;
    const int32_t d = doy - (153 * mp + 2) / 5 + 1;
    const int32_t m = mp + (mp < 10 ? 3 : -9);
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool percap_parse_date(const char *text, int32_t *days)
{
    const char *s = skip_spaces(text);
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = read_digits(s, 4), m = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    /* a time may follow, but nothing else: "2022-04-05 foo" is not a date */
    const char *rest = s + 10;
    if (*rest != '\0' && *rest != 'T' && *rest != ' ')
        return false;
    for (const char *p = rest; *p; p++)
        if (!strchr("0123456789:.+-TZ ", *p))
            return false;
    *days = days_from_civil(y, m, d);
    return true;
}
