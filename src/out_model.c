/* Model and correlation tables. Numbers in CSV and JSON at full
 * precision; Markdown rounded for reading. */
#include <math.h>
#include <stdbool.h>

#include "out_formats.h"
#include "percap/output_model.h"

static bool is_count(const percap_model *m)
{
    return m->family == PERCAP_MODEL_POISSON || m->family == PERCAP_MODEL_NEGBIN;
}

static void num(FILE *fp, double v, bool json)
{
    char buf[64];
    percap_output_number(v, buf, sizeof buf);
    fputs(json && isnan(v) ? "null" : buf, fp);
}

static void csv_model(FILE *fp, const percap_model *m)
{
    fputs("term,estimate,std_error,statistic,p_value,ci_low,ci_high", fp);
    fputs(is_count(m) ? ",ratio,ratio_low,ratio_high\n" : "\n", fp);
    for (size_t i = 0; i < m->nterms; i++) {
        const percap_model_term *t = &m->terms[i];
        const double v[] = {t->estimate, t->std_error, t->statistic, t->p_value, t->ci_low,
                            t->ci_high, t->ratio, t->ratio_low, t->ratio_high};
        percap_output_csv_field(fp, t->name);
        for (size_t k = 0; k < (is_count(m) ? 9u : 6u); k++) {
            fputc(',', fp);
            num(fp, v[k], false);
        }
        fputc('\n', fp);
    }
}

static void json_pair(FILE *fp, const char *key, double v)
{
    fprintf(fp, ",\"%s\":", key);
    num(fp, v, true);
}

static void json_term(FILE *fp, const percap_model *m, const percap_model_term *t)
{
    fputs("{\"term\":", fp);
    percap_output_json_string(fp, t->name);
    json_pair(fp, "estimate", t->estimate);
    json_pair(fp, "std_error", t->std_error);
    json_pair(fp, "statistic", t->statistic);
    json_pair(fp, "ci_low", t->ci_low);
    json_pair(fp, "ci_high", t->ci_high);
    json_pair(fp, "p_value", t->p_value);
    if (is_count(m)) {
        json_pair(fp, "ratio", t->ratio);
        json_pair(fp, "ratio_low", t->ratio_low);
        json_pair(fp, "ratio_high", t->ratio_high);
    }
    fputc('}', fp);
}

static void json_model(FILE *fp, const percap_model *m, const char *formula, double level)
{
    fputs("{\"formula\":", fp);
    percap_output_json_string(fp, formula);
    fputs(",\"family\":", fp);
    percap_output_json_string(fp, percap_model_family_name(m->family));
    fprintf(fp, ",\"n\":%zu,\"df_residual\":%zu", m->n, m->df_residual);
    json_pair(fp, "level", level);
    if (!is_count(m)) {
        json_pair(fp, "r_squared", m->r_squared);
        json_pair(fp, "adj_r_squared", m->adj_r_squared);
        json_pair(fp, "sigma", m->sigma);
    } else {
        json_pair(fp, "deviance", m->deviance);
        json_pair(fp, "null_deviance", m->null_deviance);
        json_pair(fp, "aic", m->aic);
        json_pair(fp, "log_likelihood", m->log_likelihood);
        if (m->family == PERCAP_MODEL_NEGBIN) {
            json_pair(fp, "theta", m->theta);
            json_pair(fp, "theta_se", m->theta_se);
        }
        fprintf(fp, ",\"iterations\":%d,\"converged\":%s", m->iterations,
                m->converged ? "true" : "false");
    }
    fputs(",\"terms\":[", fp);
    for (size_t i = 0; i < m->nterms; i++) {
        fputs(i ? ",\n" : "\n", fp);
        json_term(fp, m, &m->terms[i]);
    }
    fputs("]}\n", fp);
}

static void md_number(FILE *fp, double v, int digits)
{
    if (isnan(v))
        fputs("NA", fp);
    else if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e6))
        fprintf(fp, "%.*e", digits - 1, v);
    else
        fprintf(fp, "%.*f", digits, v);
}

static void md_p_value(FILE *fp, double p)
{
    if (p == 0)
        fputs("< 1e-300", fp); /* below what a double holds, not zero */
    else
        md_number(fp, p, 4);
}

static void md_model(FILE *fp, const percap_model *m, const char *formula, double level)
{
    fprintf(fp, "Model: `%s`, %s, n = %zu. Intervals: %g%%.\n\n", formula,
            percap_model_family_name(m->family), m->n, level * 100);
    fputs(is_count(m) ? "| term | estimate | std. error | z | p | interval | rate ratio | "
                        "ratio interval |\n|---|---:|---:|---:|---:|---|---:|---|\n"
                      : "| term | estimate | std. error | t | p | interval |\n"
                        "|---|---:|---:|---:|---:|---|\n", fp);
    for (size_t i = 0; i < m->nterms; i++) {
        const percap_model_term *t = &m->terms[i];
        fprintf(fp, "| `%s` | ", t->name);
        md_number(fp, t->estimate, 4);
        fputs(" | ", fp);
        md_number(fp, t->std_error, 4);
        fputs(" | ", fp);
        md_number(fp, t->statistic, 3);
        fputs(" | ", fp);
        md_p_value(fp, t->p_value);
        fputs(" | ", fp);
        md_number(fp, t->ci_low, 4);
        fputs(" – ", fp);
        md_number(fp, t->ci_high, 4);
        if (is_count(m)) {
            fputs(" | ", fp);
            md_number(fp, t->ratio, 4);
            fputs(" | ", fp);
            md_number(fp, t->ratio_low, 4);
            fputs(" – ", fp);
            md_number(fp, t->ratio_high, 4);
        }
        fputs(" |\n", fp);
    }
    if (!is_count(m))
        fprintf(fp, "\nR² = %.4f, adjusted R² = %.4f, residual standard error %.4g on %zu df.\n",
                m->r_squared, m->adj_r_squared, m->sigma, m->df_residual);
    else
        fprintf(fp, "\nDeviance %.2f on %zu df (null %.2f), AIC %.2f%s", m->deviance,
                m->df_residual, m->null_deviance, m->aic,
                m->family == PERCAP_MODEL_NEGBIN ? "" : ".\n");
    if (m->family == PERCAP_MODEL_NEGBIN)
        fprintf(fp, ", theta %.4g (SE %.4g).\n", m->theta, m->theta_se);
}

percap_status percap_output_model(FILE *fp, percap_format format, const percap_model *m,
                                  const char *formula, double level, percap_error *err)
{
    switch (format) {
    case PERCAP_FORMAT_CSV: csv_model(fp, m); break;
    case PERCAP_FORMAT_JSON: json_model(fp, m, formula, level); break;
    case PERCAP_FORMAT_MD: md_model(fp, m, formula, level); break;
    }
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}

static void correlation_row(FILE *fp, percap_format format, const percap_correlation_row *r)
{
    const double v[] = {r->value.r, r->value.low, r->value.high, r->value.p_value};
    bool json = format == PERCAP_FORMAT_JSON;
    if (format == PERCAP_FORMAT_MD) {
        fprintf(fp, "| `%s` | `%s` | %s | %zu | %.3f | ", r->x, r->y, r->method, r->value.n,
                v[0]);
        md_number(fp, v[1], 3);
        fputs(" – ", fp);
        md_number(fp, v[2], 3);
        fputs(" | ", fp);
        md_p_value(fp, v[3]);
        fputs(" |\n", fp);
        return;
    }
    if (json) {
        fputs("{\"x\":", fp);
        percap_output_json_string(fp, r->x);
        fputs(",\"y\":", fp);
        percap_output_json_string(fp, r->y);
        fprintf(fp, ",\"method\":\"%s\",\"n\":%zu", r->method, r->value.n);
        static const char *const keys[] = {"r", "ci_low", "ci_high", "p_value"};
        for (size_t k = 0; k < 4; k++)
            json_pair(fp, keys[k], v[k]);
        fputc('}', fp);
        return;
    }
    percap_output_csv_field(fp, r->x);
    fputc(',', fp);
    percap_output_csv_field(fp, r->y);
    fprintf(fp, ",%s,%zu", r->method, r->value.n);
    for (size_t k = 0; k < 4; k++) {
        fputc(',', fp);
        num(fp, v[k], false);
    }
    fputc('\n', fp);
}

percap_status percap_output_correlations(FILE *fp, percap_format format,
                                         const percap_correlation_row *rows, size_t n,
                                         double level, percap_error *err)
{
    if (format == PERCAP_FORMAT_CSV)
        fputs("x,y,method,n,r,ci_low,ci_high,p_value\n", fp);
    else if (format == PERCAP_FORMAT_MD)
        fprintf(fp, "Correlations, intervals at %g%%.\n\n| x | y | method | n | r | interval | p |\n"
                    "|---|---|---|---:|---:|---|---:|\n", level * 100);
    else
        fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        if (format == PERCAP_FORMAT_JSON && i)
            fputs(",\n", fp);
        correlation_row(fp, format, &rows[i]);
    }
    if (format == PERCAP_FORMAT_JSON)
        fputs("]\n", fp);
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}
