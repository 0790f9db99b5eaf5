/* Markdown output: rounded for reading, with a caption that says what was
 * counted and what the intervals can and cannot show. */
#include <math.h>
#include <string.h>

#include "out_formats.h"

/* Keeps table cells intact: pipes, backslashes, markup and newlines in
 * names would otherwise break the table or inject HTML. */
static void cell(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', fp);
        else if (strchr("|\\`*_[]<>#", *s))
            fprintf(fp, "\\%c", *s);
        else
            fputc(*s, fp);
    }
}

static void grouped(FILE *fp, double v)
{
    if (isnan(v)) {
        fputs("NA", fp);
        return;
    }
    if (v != floor(v) || fabs(v) >= 1e15) {
        fprintf(fp, "%.2f", v);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits);
    if (v < 0)
        fputc('-', fp);
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            fputc(',', fp);
        fputc(digits[i], fp);
    }
}

static void fixed(FILE *fp, double v)
{
    if (isnan(v))
        fputs("NA", fp);
    else
        fprintf(fp, "%.2f", v);
}

static void whole_or_fixed(FILE *fp, double v, bool whole)
{
    if (whole && !isnan(v))
        fprintf(fp, "%.0f", v);
    else
        fixed(fp, v);
}

static void extra_cells(FILE *fp, const percap_report *rep, long row)
{
    for (size_t k = 0; k < rep->nextra; k++) {
        const percap_column *c = &rep->extra[k];
        fputc(' ', fp);
        if (c->values)
            whole_or_fixed(fp, row >= 0 ? c->values[row] : c->pooled, c->whole);
        else if (row >= 0)
            cell(fp, c->text[row]);
        fputs(" |", fp);
    }
}

static void row(FILE *fp, const percap_report *rep, const percap_area *r, const char *code,
                const char *name, const double *cov, long index)
{
    fputs("| ", fp);
    if (r->rank > 0)
        fprintf(fp, "%ld", r->rank);
    fputs(" | ", fp);
    cell(fp, code);
    fputs(" | ", fp);
    cell(fp, name);
    fputs(" | ", fp);
    grouped(fp, r->deaths);
    fputs(" | ", fp);
    grouped(fp, r->population);
    fputs(" | ", fp);
    fixed(fp, r->rate);
    fputs(" | ", fp);
    fixed(fp, r->ci_low);
    fputs(" – ", fp);
    fixed(fp, r->ci_high);
    fprintf(fp, " | %s |", percap_flag_name(r->flag));
    for (size_t k = 0; k < rep->areas->ncov; k++) {
        fputc(' ', fp);
        if (cov)
            grouped(fp, cov[k]);
        fputs(" |", fp);
    }
    extra_cells(fp, rep, index);
    fputc('\n', fp);
}

static void header(FILE *fp, const percap_report *rep)
{
    const percap_rate_options *o = rep->rates;
    fputs("Deaths per ", fp);
    grouped(fp, o->per);
    fputs(" of the denominator", fp);
    if (rep->counted) {
        fputs(". Deaths: ", fp);
        cell(fp, rep->counted);
    }
    if (rep->denominator) {
        fputs("; denominator: ", fp);
        cell(fp, rep->denominator);
    }
    fprintf(fp, ". Intervals: %s, %g%%.\n\n", percap_ci_method_name(o->method), o->level * 100);
    fputs("| rank | code | region | deaths | population | rate | interval | flag |", fp);
    for (size_t k = 0; k < rep->areas->ncov; k++) {
        fputc(' ', fp);
        cell(fp, rep->areas->cov_names[k]);
        fputs(" |", fp);
    }
    for (size_t k = 0; k < rep->nextra; k++) {
        fputc(' ', fp);
        cell(fp, rep->extra[k].name);
        fputs(" |", fp);
    }
    fputs("\n|---:|---|---|---:|---:|---:|---|---|", fp);
    for (size_t k = 0; k < rep->areas->ncov + rep->nextra; k++)
        fputs("---:|", fp);
    fputc('\n', fp);
}

void percap_out_md(FILE *fp, const percap_report *rep)
{
    const percap_areas *a = rep->areas;
    header(fp, rep);
    for (size_t i = 0; i < a->n; i++) {
        size_t r = rep->order[i];
        row(fp, rep, &a->rows[r], percap_areas_code(a, r), percap_areas_name(a, r),
            (a->cov ? a->cov + r * a->ncov : NULL), (long)r);
    }
    if (rep->pooled)
        row(fp, rep, rep->pooled, "ALL", "All areas (pooled)", NULL, -1);
    fputc('\n', fp);
    for (size_t i = 0; percap_output_note_lines[i]; i++)
        fprintf(fp, "- %s\n", percap_output_note_lines[i]);
    for (size_t i = 0; rep->notes && rep->notes[i]; i++) {
        fputs("- ", fp);
        cell(fp, rep->notes[i]);
        fputc('\n', fp);
    }
    fprintf(fp, "- Flags: 'suppressed' marks %g or fewer deaths, 'unreliable' fewer than %g; "
                "their rates can move many places with one death.\n",
            rep->rates->suppress_max, rep->rates->unreliable_below);
}
