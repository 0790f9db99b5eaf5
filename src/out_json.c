/* JSON output: an object with the settings, the caveats and the rows. */
#include <math.h>

#include "out_formats.h"

void percap_output_json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c < 0x20 || c == 0x7F)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void number(FILE *fp, double v)
{
    char buf[64];
    percap_output_number(v, buf, sizeof buf);
    fputs(isnan(v) ? "null" : buf, fp);
}

static void key(FILE *fp, const char *k)
{
    percap_output_json_string(fp, k);
    fputc(':', fp);
}

static void extra_members(FILE *fp, const percap_report *rep, long row)
{
    for (size_t k = 0; k < rep->nextra; k++) {
        const percap_column *c = &rep->extra[k];
        fputc(',', fp);
        key(fp, c->name);
        if (c->values)
            number(fp, row >= 0 ? c->values[row] : c->pooled);
        else if (row >= 0)
            percap_output_json_string(fp, c->text[row]);
        else
            fputs("null", fp);
    }
}

static void row(FILE *fp, const percap_report *rep, const percap_area *r, const char *code,
                const char *name, const double *cov, long index)
{
    fputc('{', fp);
    key(fp, "rank");
    if (r->rank > 0)
        fprintf(fp, "%ld", r->rank);
    else
        fputs("null", fp);
    fputc(',', fp);
    key(fp, "region_code");
    percap_output_json_string(fp, code);
    fputc(',', fp);
    key(fp, "region_name");
    percap_output_json_string(fp, name);
    const double nums[] = {r->deaths, r->population, r->rate, r->ci_low, r->ci_high};
    for (size_t i = 0; i < 5; i++) {
        fputc(',', fp);
        key(fp, percap_output_columns[3 + i]);
        number(fp, nums[i]);
    }
    fputc(',', fp);
    key(fp, "flag");
    percap_output_json_string(fp, percap_flag_name(r->flag));
    for (size_t k = 0; cov && k < rep->areas->ncov; k++) {
        fputc(',', fp);
        key(fp, rep->areas->cov_names[k]);
        number(fp, cov[k]);
    }
    extra_members(fp, rep, index);
    fputc('}', fp);
}

void percap_out_json(FILE *fp, const percap_report *rep)
{
    const percap_areas *a = rep->areas;
    fputc('{', fp);
    key(fp, "per");
    number(fp, rep->rates->per);
    fputc(',', fp);
    key(fp, "ci_method");
    percap_output_json_string(fp, percap_ci_method_name(rep->rates->method));
    fputc(',', fp);
    key(fp, "level");
    number(fp, rep->rates->level);
    fputs(",", fp);
    key(fp, "notes");
    fputc('[', fp);
    for (size_t i = 0; percap_output_note_lines[i]; i++) {
        if (i)
            fputc(',', fp);
        percap_output_json_string(fp, percap_output_note_lines[i]);
    }
    for (size_t i = 0; rep->notes && rep->notes[i]; i++) {
        fputc(',', fp);
        percap_output_json_string(fp, rep->notes[i]);
    }
    fputs("],\n", fp);
    key(fp, "rows");
    fputs("[\n", fp);
    for (size_t i = 0; i < a->n; i++) {
        size_t r = rep->order[i];
        row(fp, rep, &a->rows[r], percap_areas_code(a, r), percap_areas_name(a, r),
            (a->cov ? a->cov + r * a->ncov : NULL), (long)r);
        fputs(i + 1 < a->n ? ",\n" : "\n", fp);
    }
    fputc(']', fp);
    if (rep->pooled) {
        fputs(",\n", fp);
        key(fp, "pooled");
        row(fp, rep, rep->pooled, "ALL", "All areas (pooled)", NULL, -1);
    }
    fputs("}\n", fp);
}
