/* CSV output: RFC 4180, full precision, one line per area. */
#include <stdbool.h>
#include <string.h>

#include "out_formats.h"

void percap_output_csv_field(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    bool quote = n && (strpbrk(s, ",\"\r\n;\t") || s[0] == ' ' || s[n - 1] == ' ');
    if (!quote) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void number(FILE *fp, double v)
{
    char buf[64];
    percap_output_number(v, buf, sizeof buf);
    fputs(buf, fp);
}

static void extra_cells(FILE *fp, const percap_report *rep, long row)
{
    for (size_t k = 0; k < rep->nextra; k++) {
        const percap_column *c = &rep->extra[k];
        fputc(',', fp);
        if (c->values)
            number(fp, row >= 0 ? c->values[row] : c->pooled);
        else if (row >= 0)
            percap_output_csv_field(fp, c->text[row]);
    }
}

static void row(FILE *fp, const percap_report *rep, const percap_area *r, const char *code,
                const char *name, const double *cov, long index)
{
    if (r->rank > 0)
        fprintf(fp, "%ld", r->rank);
    fputc(',', fp);
    percap_output_csv_field(fp, code);
    fputc(',', fp);
    percap_output_csv_field(fp, name);
    const double nums[] = {r->deaths, r->population, r->rate, r->ci_low, r->ci_high};
    for (size_t i = 0; i < 5; i++) {
        fputc(',', fp);
        number(fp, nums[i]);
    }
    fprintf(fp, ",%s", percap_flag_name(r->flag));
    for (size_t k = 0; k < rep->areas->ncov; k++) {
        fputc(',', fp);
        if (cov)
            number(fp, cov[k]);
    }
    extra_cells(fp, rep, index);
    fputc('\n', fp);
}

void percap_out_csv(FILE *fp, const percap_report *rep)
{
    const percap_areas *a = rep->areas;
    for (size_t i = 0; i < 9; i++)
        fprintf(fp, "%s%s", i ? "," : "", percap_output_columns[i]);
    for (size_t k = 0; k < a->ncov; k++) {
        fputc(',', fp);
        percap_output_csv_field(fp, a->cov_names[k]);
    }
    for (size_t k = 0; k < rep->nextra; k++) {
        fputc(',', fp);
        percap_output_csv_field(fp, rep->extra[k].name);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < a->n; i++) {
        size_t r = rep->order[i];
        row(fp, rep, &a->rows[r], percap_areas_code(a, r), percap_areas_name(a, r),
            (a->cov ? a->cov + r * a->ncov : NULL), (long)r);
    }
    if (rep->pooled)
        row(fp, rep, rep->pooled, "ALL", "All areas (pooled)", NULL, -1);
}
