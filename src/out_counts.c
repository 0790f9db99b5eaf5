/* CSV tables that are not rates: counts from record lists (the shipped
 * death counts are made with this) and joined covariate tables. */
#include <stdlib.h>

#include "out_formats.h"
#include "percap/records.h"

static void region_cells(FILE *fp, const percap_registry *reg, size_t i)
{
    percap_output_csv_field(fp, percap_registry_code(reg, i));
    fputc(',', fp);
    percap_output_csv_field(fp, percap_registry_name(reg, i));
}

static percap_status finish(FILE *fp, percap_error *err)
{
    return ferror(fp) ? percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error") : PERCAP_OK;
}

percap_status percap_output_counts(FILE *fp, const percap_registry *reg,
                                   const percap_records *rec, bool by_month,
                                   const bool *listed, percap_error *err)
{
    if (by_month && !rec->month_counts)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "no monthly counts were made");
    fputs(by_month ? "region_code,region_name,month,deaths\n" : "region_code,region_name,deaths\n",
          fp);
    for (size_t i = 0; i < rec->nregions; i++) {
        if (!by_month) {
            if (rec->counts[i] == 0 && !(listed && listed[i]))
                continue;
            region_cells(fp, reg, i);
            fprintf(fp, ",%.0f\n", rec->counts[i]);
            continue;
        }
        for (size_t m = 0; m < rec->nmonths; m++) {
            double v = rec->month_counts[i * rec->nmonths + m];
            if (v == 0 && !(listed && listed[i]))
                continue;
            int32_t month = rec->first_month + (int32_t)m;
            region_cells(fp, reg, i);
            fprintf(fp, ",%04d-%02d,%.0f\n", (int)(month / 12), (int)(month % 12) + 1, v);
        }
    }
    return finish(fp, err);
}

static int by_region(const void *pa, const void *pb)
{
    const percap_area *a = pa, *b = pb;
    return a->region < b->region ? -1 : a->region > b->region;
}

percap_status percap_output_joined(FILE *fp, const percap_areas *areas, percap_error *err)
{
    percap_area *copy = malloc((areas->n + 1) * sizeof *copy);
    if (!copy)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    /* sort a copy tagged with its row, so covariates stay with their area */
    for (size_t i = 0; i < areas->n; i++) {
        copy[i] = areas->rows[i];
        copy[i].line = (long)i;
    }
    qsort(copy, areas->n, sizeof *copy, by_region);
    fputs("region_code,region_name", fp);
    for (size_t k = 0; k < areas->ncov; k++) {
        fputc(',', fp);
        percap_output_csv_field(fp, areas->cov_names[k]);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < areas->n; i++) {
        size_t row = (size_t)copy[i].line;
        region_cells(fp, areas->registry, copy[i].region);
        for (size_t k = 0; k < areas->ncov; k++) {
            char buf[64];
            percap_output_number(percap_areas_cov(areas, row, k), buf, sizeof buf);
            fprintf(fp, ",%s", buf);
        }
        fputc('\n', fp);
    }
    free(copy);
    return finish(fp, err);
}
