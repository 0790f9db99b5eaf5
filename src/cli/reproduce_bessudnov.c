/* bessudnov-2023: A. Bessudnov, "Ethnic and regional inequalities in
 * Russian military fatalities in Ukraine", Demographic Research 48(31),
 * 2023: his table and model, then what percap adds. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reproduce.h"

#define INPUTS_FOR(deaths) "--population", "@D/region_stats.csv", "--population-col", \
    "men_16_61_2021", "--deaths", deaths, "--covariates", "@D/region_stats.csv"
#define INPUTS INPUTS_FOR("@D/deaths_2023-04-12.csv")
#define FORMULA "rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)"

/* The author's own output for the model (summary(lm(mortalityRate ~
 * percBelowSubsistence + percentNonRus)) in replicationAnalysis.md of
 * github.com/abessudnov/ruCasualtiesPublic, commit 29aa86c8d838), to the
 * digits printed there: what the reproduction must match. */
static const struct {
    const char *term;
    double estimate, std_error, t, p;
} published[] = {
    {"(Intercept)", 28.36623, 13.85164, 2.048, 0.0439},
    {"poverty_pct_2020", 2.60051, 1.06703, 2.437, 0.0170},
    {"I(100 - russian_pct_men_2010)", -0.01555, 0.20937, -0.074, 0.9410},
};
static const double published_r2 = 0.08803, published_adj_r2 = 0.06523;

static void run_steps(repro *r)
{
    const char *cov = "poverty_pct_2020,mean_income_2020,russian_pct_men_2010";
    repro_shared_step(r, "bessudnov_rates.csv", (const char *const[]){
        "rates", INPUTS, "--covariate-cols", cov, "--rank-intervals", "simulation", "--pooled",
        NULL});
    repro_step(r, "bessudnov_rates_2022-12.csv", (const char *const[]){
        "rates", INPUTS_FOR("@D/deaths_2022-12-09.csv"), "--covariate-cols", cov, "--pooled",
        NULL});
    repro_step(r, "bessudnov_ols.csv", (const char *const[]){
        "model", INPUTS, "--formula", FORMULA, NULL});
    repro_step(r, "bessudnov_ols.json", (const char *const[]){
        "model", INPUTS, "--formula", FORMULA, "--format", "json", NULL});
    repro_step(r, "bessudnov_poisson.csv", (const char *const[]){
        "model", INPUTS, "--formula", FORMULA, "--family", "poisson", NULL});
    repro_step(r, "bessudnov_negbin.csv", (const char *const[]){
        "model", INPUTS, "--formula", FORMULA, "--family", "negbin", NULL});
    repro_step_files(r, (const char *const[]){"bessudnov_funnel.csv",
                                              "bessudnov_funnel_curves.csv", NULL},
                     (const char *const[]){"funnel", INPUTS, "--covariate-cols", cov, "-q", "-o",
                                           "@O/bessudnov_funnel.csv", "--curves",
                                           "@O/bessudnov_funnel_curves.csv", NULL});
    repro_step(r, "bessudnov_smoothed.csv", (const char *const[]){
        "smooth", INPUTS, "--covariate-cols", cov, NULL});
}

/* "= published" when the value rounds to the printed digits. */
static const char *verdict(double ours, double printed, int decimals)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "%.*f", decimals, ours);
    snprintf(b, sizeof b, "%.*f", decimals, printed);
    return strcmp(a, b) == 0 ? "same" : "DIFFERENT";
}

static void replication(repro *r, const percap_table *ols)
{
    repro_printf(r, "### The published model (OLS, n = 83)\n\nRate per 100,000 men on %% below "
                    "subsistence (2020) and %% non-Russian among men (2010); Crimea and "
                    "Sevastopol drop out for lack of 2010 data. Published: the author's own "
                    "output in his replication repository (summary.lm).\n\n| term | estimate "
                    "(published) | estimate (percap) | std. error (published) | std. error "
                    "(percap) | t | p | |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        size_t row = i;
        double est = repro_cell(ols, row, "estimate"), se = repro_cell(ols, row, "std_error");
        double t = repro_cell(ols, row, "statistic"), p = repro_cell(ols, row, "p_value");
        bool same = !strcmp(verdict(est, published[i].estimate, 5), "same") &&
                    !strcmp(verdict(se, published[i].std_error, 5), "same") &&
                    !strcmp(verdict(t, published[i].t, 3), "same") &&
                    !strcmp(verdict(p, published[i].p, 4), "same");
        repro_printf(r, "| `%s` | %.5f | %.5f | %.5f | %.5f | %.3f | %.4f | %s |\n",
                     repro_cell_text(ols, row, "term"), published[i].estimate, est,
                     published[i].std_error, se, t, p,
                     same ? "same to the printed digits" : "**DIFFERS**");
    }
}

static void fit_statistics(repro *r)
{
    double r2 = repro_json_number(r, "bessudnov_ols.json", "r_squared");
    double adj = repro_json_number(r, "bessudnov_ols.json", "adj_r_squared");
    double n = repro_json_number(r, "bessudnov_ols.json", "n");
    repro_printf(r, "\nR² %.5f (published %.5f: %s), adjusted R² %.5f (published %.5f: %s), "
                    "n = %.0f (published 83).\n\nMade by\n\n    %s\n",
                 r2, published_r2, verdict(r2, published_r2, 5), adj, published_adj_r2,
                 verdict(adj, published_adj_r2, 5), n, repro_command(r, "bessudnov_ols.csv"));
}

static void rates_table(repro *r, const percap_table *t, const percap_table *dec)
{
    repro_printf(r, "\n### Deaths per 100,000 men aged 16-61.5 (list of 2023-04-12)\n\n"
                    "| rank | region | deaths | per 100,000 | 95%% interval | rank interval | "
                    "P(top 10) | per 100,000 in the list of 2022-12-09 |\n"
                    "|---:|---|---:|---:|---|---|---:|---:|\n");
    static const char *const names[] = {"region_code", "rank", "region_name", "deaths",
                                        "rate", "ci_low", "ci_high", "rank_low", "rank_high",
                                        "p_top"};
    long c[10], dec_rate = repro_col(dec, "rate");
    for (size_t k = 0; k < 10; k++)
        c[k] = repro_col(t, names[k]);
    for (long i = 0; (size_t)i < percap_table_rows(t) && i < 20; i++)
        repro_printf(r, "| %s | %s | %.0f | %.1f | %.1f–%.1f | %.0f–%.0f | %.2f | %.1f |\n",
                     repro_at(t, i, c[1]), repro_at(t, i, c[2]), repro_num(t, i, c[3]),
                     repro_num(t, i, c[4]), repro_num(t, i, c[5]), repro_num(t, i, c[6]),
                     repro_num(t, i, c[7]), repro_num(t, i, c[8]), repro_num(t, i, c[9]),
                     repro_num(dec, repro_row(dec, repro_at(t, i, c[0])), dec_rate));
    repro_printf(r, "\nThe 20 highest of 85; all in `bessudnov_rates.csv` (and "
                    "`bessudnov_rates_2022-12.csv` for the earlier list). All regions "
                    "together: %.1f per 100,000 (%.1f in the list of 2022-12-09).\n\n    %s\n",
                 repro_value(t, "ALL", "rate"), repro_value(dec, "ALL", "rate"),
                 repro_command(r, "bessudnov_rates.csv"));
}

static void funnel_section(repro *r, const percap_table *f)
{
    static const char *const classes[] = {"high_99.8", "high_95", "within", "low_95",
                                          "low_99.8"};
    long c_class = repro_col(f, "funnel"), c_name = repro_col(f, "region_name");
    repro_printf(r, "\n### Funnel: which regions chance cannot explain\n\nAgainst the pooled "
                    "rate with exact Poisson limits: ");
    for (size_t c = 0; c < 5; c++) {
        size_t k = 0;
        for (long i = 0; (size_t)i < percap_table_rows(f); i++)
            k += strcmp(repro_at(f, i, c_class), classes[c]) == 0;
        repro_printf(r, "%s%zu %s", c ? ", " : "", k, classes[c]);
    }
    repro_printf(r, ". Above the 99.8%% limit: ");
    size_t shown = 0;
    for (long i = 0; (size_t)i < percap_table_rows(f); i++)
        if (!strcmp(repro_at(f, i, c_class), "high_99.8"))
            repro_printf(r, "%s%s", shown++ ? ", " : "", repro_at(f, i, c_name));
    repro_printf(r, ". So many regions outside the limits means the variation is far larger "
                    "than chance (overdispersion): `percap funnel --overdispersion` gives the "
                    "wider random-effects limits.\n\n    %s\n",
                 repro_command(r, "bessudnov_funnel.csv"));
}

static void smoothing_section(repro *r, const percap_table *s)
{
    repro_printf(r, "\n### Smoothing small regions\n\nClayton-Kaldor empirical Bayes pulls each "
                    "rate towards the overall one in proportion to its uncertainty. The most "
                    "shrunk:\n\n| region | men 16-61.5 | raw rate | smoothed | interval | "
                    "shrinkage |\n|---|---:|---:|---:|---|---:|\n");
    size_t n = percap_table_rows(s), order[8], k = 0;
    bool used[1024] = {false};
    double shrink[1024];
    long c_shrink = repro_col(s, "shrinkage");
    for (size_t i = 0; i < n && i < 1024; i++)
        shrink[i] = repro_num(s, (long)i, c_shrink);
    for (; k < 5 && k < n; k++) {
        size_t best = n;
        for (size_t i = 0; i < n && i < 1024; i++)
            if (!used[i] && (best == n || shrink[i] > shrink[best]))
                best = i;
        if (best == n)
            break;
        used[best] = true;
        order[k] = best;
    }
    static const char *const names[] = {"region_name", "population", "rate", "smoothed_rate",
                                        "smoothed_low", "smoothed_high"};
    long c[6];
    for (size_t j = 0; j < 6; j++)
        c[j] = repro_col(s, names[j]);
    for (size_t j = 0; j < k; j++) {
        long i = (long)order[j];
        repro_printf(r, "| %s | %.0f | %.1f | %.1f | %.1f–%.1f | %.2f |\n", repro_at(s, i, c[0]),
                     repro_num(s, i, c[1]), repro_num(s, i, c[2]), repro_num(s, i, c[3]),
                     repro_num(s, i, c[4]), repro_num(s, i, c[5]), shrink[i]);
    }
    repro_printf(r, "\n    %s\n", repro_command(r, "bessudnov_smoothed.csv"));
}

static void count_models(repro *r, const percap_table *p, const percap_table *nb)
{
    repro_printf(r, "\n### Counts, not rates: Poisson and negative-binomial models\n\nA linear "
                    "model of a rate weights Nenets like Moscow. Modelling the deaths with the "
                    "male population as exposure (rate ratio per unit, 95%% interval):\n\n"
                    "| term | Poisson | negative binomial |\n|---|---|---|\n");
    for (size_t i = 1; i < percap_table_rows(p); i++)
        repro_printf(r, "| `%s` | %.4f (%.4f–%.4f) | %.4f (%.4f–%.4f) |\n",
                     repro_cell_text(p, i, "term"), repro_cell(p, i, "ratio"),
                     repro_cell(p, i, "ratio_low"), repro_cell(p, i, "ratio_high"),
                     repro_cell(nb, i, "ratio"), repro_cell(nb, i, "ratio_low"),
                     repro_cell(nb, i, "ratio_high"));
    repro_printf(r, "\nThe Poisson model is far too sure of itself: its deviance is many times "
                    "its degrees of freedom, so its narrow intervals are an artefact. The "
                    "negative-binomial model allows for the extra variation and agrees with "
                    "OLS on which term matters.\n\n    %s\n    %s\n",
                 repro_command(r, "bessudnov_poisson.csv"),
                 repro_command(r, "bessudnov_negbin.csv"));
}

static void charts_rates(repro *r)
{
    static const char *const common[] = {INPUTS, "--as-of", "2023-04-12", NULL};
    repro_chart(r, "bessudnov-charts", "ranking", "Deaths per 100,000 men aged 16-61.5 "
                "(list of 2023-04-12), exact 95% intervals", common);
    repro_chart(r, "bessudnov-charts", "rank-intervals", "Median rank and 95% rank interval "
                "(10,000 draws from each rate's posterior)", common);
    repro_chart(r, "bessudnov-charts", "map", "Deaths per 100,000 men aged 16-61.5 on a tile "
                "map", common);
    repro_chart(r, "bessudnov-charts", "scatter", "Rate against % below the subsistence "
                "minimum (2020), circles sized by the number of men, OLS line and 95% band",
                (const char *const[]){INPUTS, "--x", "poverty_pct_2020", "--formula",
                                      "rate ~ poverty_pct_2020", "--as-of", "2023-04-12", NULL});
}

static void timeline(repro *r, const percap_table *t)
{
    char select[256] = "";
    for (size_t j = 0; j < 5 && j < percap_table_rows(t); j++) {
        size_t used = strlen(select);
        snprintf(select + used, sizeof select - used, "%s%s", j ? "," : "",
                 repro_cell_text(t, j, "region_code"));
    }
    repro_chart(r, "bessudnov-charts", "timeline", "Deaths by month of confirmation, the five "
                "highest rates",
                (const char *const[]){"--deaths", "@D/deaths_by_month_2023-04-12.csv", "--select",
                                      select, "--as-of", "2023-04-12", NULL});
}

/* The rows of `m` for each of the five highest rates, in file order, each
 * list ended by -1: the month table then reads a region's own rows, not
 * every row of the file for every cell. */
static long *rows_by_region(const percap_table *t, const percap_table *m, size_t *nregions)
{
    size_t n = percap_table_rows(m), k = percap_table_rows(t) < 5 ? percap_table_rows(t) : 5;
    long *rows = malloc((k * (n + 1) + 1) * sizeof *rows);
    long c_top = repro_col(t, "region_code"), c_code = repro_col(m, "region_code");
    for (size_t j = 0; rows && j < k; j++) {
        const char *code = repro_at(t, (long)j, c_top);
        long *list = rows + j * (n + 1);
        size_t used = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(repro_at(m, (long)i, c_code), code))
                list[used++] = (long)i;
        list[used] = -1;
    }
    *nregions = k;
    return rows;
}

/* Deaths in `month` from the last of a region's rows that has it (0 if
 * none), as when each cell searched the whole file. */
static double month_deaths(const percap_table *m, const long *list, long c_month,
                           long c_deaths, const char *month)
{
    long found = -1;
    for (; *list >= 0; list++)
        if (!strcmp(repro_at(m, *list, c_month), month))
            found = *list;
    return found >= 0 ? repro_num(m, found, c_deaths) : 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One line per month, in order: the file lists every region's months in
 * turn, so its rows do not give the months once each. */
static bool month_rows(repro *r, const percap_table *m, const long *rows, size_t k)
{
    size_t n = percap_table_rows(m), distinct = 0;
    long c_month = repro_col(m, "month"), c_deaths = repro_col(m, "deaths");
    const char **months = malloc((n ? n : 1) * sizeof *months);
    if (!months)
        return false;
    for (size_t i = 0; i < n; i++)
        months[i] = repro_at(m, (long)i, c_month);
    qsort(months, n, sizeof *months, by_text);
    for (size_t i = 0; i < n; i++) {
        if (distinct > 0 && strcmp(months[i], months[distinct - 1]) == 0)
            continue;
        months[distinct++] = months[i];
        repro_printf(r, "| %s |", months[i]);
        for (size_t j = 0; j < k; j++)
            repro_printf(r, " %.0f |",
                         month_deaths(m, rows + j * (n + 1), c_month, c_deaths, months[i]));
        repro_printf(r, "\n");
    }
    free(months);
    return true;
}

/* Deaths by month of confirmation for the five highest rates. */
static void monthly(repro *r, const percap_table *t)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/deaths_by_month_2023-04-12.csv", repro_datasets(r));
    percap_error err;
    percap_error_clear(&err);
    percap_table *m = percap_table_read(path, NULL, &err);
    if (!m)
        return;
    size_t k;
    long *rows = rows_by_region(t, m, &k);
    if (!rows) {
        percap_table_free(m);
        repro_fail(r, CLI_NOMEM);
        return;
    }
    long c_name = repro_col(t, "region_name");
    repro_printf(r, "\n### Deaths by month of confirmation, five highest rates\n\n| month |");
    for (size_t j = 0; j < k; j++)
        repro_printf(r, " %s |", repro_at(t, (long)j, c_name));
    repro_printf(r, "\n|---|%s\n", "---:|---:|---:|---:|---:|");
    if (!month_rows(r, m, rows, k))
        repro_fail(r, CLI_NOMEM);
    repro_printf(r, "\nFrom `datasets/deaths_by_month_2023-04-12.csv` (month in which the death "
                    "was confirmed, not when it happened; 58 undated records left out).\n");
    free(rows);
    percap_table_free(m);
}

/* The tables the report reads, each read when a section first needs it:
 * reading one waits for the step that makes it, so the charts already
 * start while the funnel step still runs. */
enum { RATES, RATES_DEC, OLS, POISSON, NEGBIN, FUNNEL, SMOOTHED, NTABLES };

static const char *const table_files[NTABLES] = {
    "bessudnov_rates.csv",   "bessudnov_rates_2022-12.csv", "bessudnov_ols.csv",
    "bessudnov_poisson.csv", "bessudnov_negbin.csv",        "bessudnov_funnel.csv",
    "bessudnov_smoothed.csv"};

/* NULL once anything failed: the report is then not written. */
static const percap_table *need(repro *r, percap_table **t, int which)
{
    if (!t[which] && repro_status(r) == 0)
        t[which] = repro_table(r, table_files[which]);
    return repro_status(r) == 0 ? t[which] : NULL;
}

static void report(repro *r, percap_table **t)
{
    if (!need(r, t, OLS))
        return;
    repro_printf(r, "## Bessudnov (2023): deaths per 100,000 men aged 16-61.5\n\n"
                    "A. Bessudnov, \"Ethnic and regional inequalities in Russian military "
                    "fatalities in Ukraine\", *Demographic Research* 48(31), 2023: the "
                    "BBC/Mediazona list of 2023-04-12 (19,895 named dead with a region) per "
                    "100,000 men aged 16-61.5 in the 2021 census.\n\n");
    replication(r, t[OLS]);
    fit_statistics(r);
    if (!need(r, t, RATES) || !need(r, t, RATES_DEC))
        return;
    rates_table(r, t[RATES], t[RATES_DEC]);
    charts_rates(r);
    if (!need(r, t, FUNNEL))
        return;
    funnel_section(r, t[FUNNEL]);
    repro_chart(r, "bessudnov-charts", "funnel", "Funnel plot with limits widened for "
                "overdispersion (Spiegelhalter 2005)",
                (const char *const[]){INPUTS, "--overdispersion", "--as-of", "2023-04-12", NULL});
    if (!need(r, t, SMOOTHED))
        return;
    smoothing_section(r, t[SMOOTHED]);
    if (!need(r, t, POISSON) || !need(r, t, NEGBIN))
        return;
    count_models(r, t[POISSON], t[NEGBIN]);
    monthly(r, t[RATES]);
    timeline(r, t[RATES]);
}

void reproduce_bessudnov_2023(repro *r)
{
    run_steps(r);
    percap_table *t[NTABLES] = {NULL};
    report(r, t);
    for (size_t i = 0; i < NTABLES; i++)
        percap_table_free(t[i]);
}
