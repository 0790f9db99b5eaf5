/* Pieces every output format shares: the column list, number text and
 * the dispatch on format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "enum_names.h"
#include "out_formats.h"

const char *const percap_output_columns[9] = {"rank", "region_code", "region_name", "deaths",
                                              "population", "rate", "ci_low", "ci_high", "flag"};

static const char *const format_names[] = {"csv", "json", "md"};

int percap_format_parse(const char *name, percap_format *out)
{
    int i = enum_names_find(format_names, 3, name);
    if (i < 0 && name && strcmp(name, "markdown") == 0)
        i = PERCAP_FORMAT_MD;
    if (i >= 0)
        *out = (percap_format)i;
    return i < 0 ? -1 : 0;
}

void percap_output_number(double v, char *buf, size_t size)
{
    if (isnan(v)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v + 0.0);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

const char *percap_output_note_lines[] = {
    "Counts are what the source lists. For lists of verified, named deaths they are a "
    "lower bound (the publishers estimate that perhaps half of deaths are named), and "
    "coverage differs between regions.",
    "Confidence intervals reflect chance (Poisson) variation only: not undercounting, "
    "differences in coverage, or errors in the denominators.",
    NULL};

percap_status percap_output_rates(FILE *fp, percap_format format, const percap_report *rep,
                                  percap_error *err)
{
    switch (format) {
    case PERCAP_FORMAT_CSV: percap_out_csv(fp, rep); break;
    case PERCAP_FORMAT_JSON: percap_out_json(fp, rep); break;
    case PERCAP_FORMAT_MD: percap_out_md(fp, rep); break;
    }
    if (ferror(fp))
        return percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error");
    return PERCAP_OK;
}
