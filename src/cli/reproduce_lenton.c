/* lenton-2022: Adam Lenton's per-capita ranking of April 2022, rebuilt as
 * closely as the data allow, with the uncertainty he could not show. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "reproduce.h"

#define TOP 9

/* The six regions Lenton named among the nine highest. */
static const char *const named[][2] = {
    {"RU-SE", "North Ossetia"}, {"RU-BU", "Buryatia"},   {"RU-TY", "Tyva"},
    {"RU-DA", "Dagestan"},      {"RU-IN", "Ingushetia"}, {"RU-CHU", "Chukotka"}};

#define INPUTS "--population", "@D/region_stats.csv", "--population-col", "population_2020", \
               "--deaths", "@D/deaths_2022-04-05.csv", "--covariates", "@D/region_stats.csv"

static void run_steps(repro *r)
{
    repro_shared_step(r, "lenton_rates.csv", (const char *const[]){
        "rates", INPUTS, "--covariate-cols",
        "poverty_pct_2020,mean_income_2020,russian_pct_men_2010",
        "--rank-intervals", "simulation", "--top", "9", "--pooled", NULL});
    repro_step(r, "lenton_correlations.csv", (const char *const[]){
        "correlate", INPUTS, "--x",
        "I(100 - russian_pct_men_2010),poverty_pct_2020,log(mean_income_2020)", NULL});
    repro_step(r, "lenton_model_negbin.csv", (const char *const[]){
        "model", INPUTS, "--family", "negbin", "--formula",
        "deaths ~ I(100 - russian_pct_men_2010) + log(mean_income_2020)", NULL});
}

/* "12.3", or "n/a" for a missing value. */
static const char *one_decimal(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.1f", v);
    return buf;
}

/* The table's columns, each looked up once. */
enum { C_RANK, C_NAME, C_DEATHS, C_RATE, C_LOW, C_HIGH, C_RANK_LOW, C_RANK_HIGH, C_P_TOP,
       C_RUSSIAN, C_INCOME, NCOLS };
static const char *const rate_columns[NCOLS] = {
    "rank", "region_name", "deaths", "rate", "ci_low", "ci_high", "rank_low", "rank_high",
    "p_top", "russian_pct_men_2010", "mean_income_2020"};

static void find_columns(const percap_table *t, long *col)
{
    for (size_t c = 0; c < NCOLS; c++)
        col[c] = repro_col(t, rate_columns[c]);
}

static void ranking_table(repro *r, const percap_table *t, size_t max)
{
    repro_printf(r, "| rank | region | deaths | per 100,000 | 95%% interval | rank interval "
                    "| P(top %d) | non-Russian %% of men (2010) | mean income, rub. (2020) |\n"
                    "|---:|---|---:|---:|---|---|---:|---:|---:|\n", TOP);
    long c_code = repro_col(t, "region_code"), c[NCOLS];
    find_columns(t, c);
    for (size_t i = 0; c_code >= 0 && i < percap_table_rows(t) && i < max; i++) {
        /* the first row with this code, as a lookup by code would find */
        long row = repro_row(t, percap_table_cell(t, i, (size_t)c_code));
        char nonrus[32];
        repro_printf(r, "| %s | %s | %.0f | %.2f | %.2f–%.2f | %.0f–%.0f | %.2f | %s | %.0f |\n",
                     repro_at(t, row, c[C_RANK]), repro_at(t, row, c[C_NAME]),
                     repro_num(t, row, c[C_DEATHS]), repro_num(t, row, c[C_RATE]),
                     repro_num(t, row, c[C_LOW]), repro_num(t, row, c[C_HIGH]),
                     repro_num(t, row, c[C_RANK_LOW]), repro_num(t, row, c[C_RANK_HIGH]),
                     repro_num(t, row, c[C_P_TOP]),
                     one_decimal(nonrus, sizeof nonrus,
                                 100 - repro_num(t, row, c[C_RUSSIAN])),
                     repro_num(t, row, c[C_INCOME]));
    }
}

static void charts_ranking(repro *r)
{
    static const char *const common[] = {INPUTS, "--as-of", "2022-04-05", NULL};
    repro_chart(r, "lenton-charts", "ranking", "Deaths per 100,000 residents, records confirmed "
                "by 5 April 2022, with exact 95% intervals", common);
    repro_chart(r, "lenton-charts", "rank-intervals", "Median rank and 95% rank interval of "
                "each region (10,000 draws)",
                (const char *const[]){INPUTS, "--as-of", "2022-04-05", "--top", "9", NULL});
    repro_chart(r, "lenton-charts", "map", "Deaths per 100,000 residents by 5 April 2022 on a "
                "tile map (each region one square)", common);
}

/* Where each named region stands, and how sure that is. */
static void named_regions(repro *r, const percap_table *t)
{
    repro_printf(r, "\n### The six regions Lenton named\n\n");
    long c[NCOLS];
    find_columns(t, c);
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        long row = repro_row(t, named[i][0]);
        double rank = repro_num(t, row, c[C_RANK]), p = repro_num(t, row, c[C_P_TOP]);
        double lo = repro_num(t, row, c[C_RANK_LOW]), hi = repro_num(t, row, c[C_RANK_HIGH]);
        double deaths = repro_num(t, row, c[C_DEATHS]);
        char share[32];
        if (p > 0.995 && p < 1)
            snprintf(share, sizeof share, "over 99%%");
        else
            snprintf(share, sizeof share, "%.0f%%", 100 * p);
        repro_printf(r, "- **%s**: %.0f death%s, %.2f per 100,000, rank %.0f (95%% rank "
                        "interval %.0f–%.0f); among the top %d in %s of simulated "
                        "draws%s.\n",
                     named[i][1], deaths, deaths == 1 ? "" : "s", repro_num(t, row, c[C_RATE]),
                     rank, lo, hi, TOP, share,
                     hi - lo >= 20 ? ": its place is barely determined, one or two deaths "
                                     "move it many places"
                     : p >= 0.95 ? ": firmly among the highest" : "");
    }
}

/* The press figures of 5 April 2022 beside the list as it stands now. */
static void press_comparison(repro *r, const char *datasets, const percap_table *rates)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/press_figures.csv", datasets);
    percap_error err;
    percap_error_clear(&err);
    percap_table *p = percap_table_read(path, NULL, &err);
    if (!p)
        return;
    long c_as = percap_table_find(p, "as_of"), c_code = percap_table_find(p, "region_code");
    long c_pub = percap_table_find(p, "publisher"), c_d = percap_table_find(p, "deaths");
    long c_name = repro_col(rates, "region_name"), c_deaths = repro_col(rates, "deaths");
    repro_printf(r, "\n### Against the figures published on 5 April 2022\n\n"
                    "| region | BBC count of 5 April 2022 | in the list, confirmed by 5 April "
                    "(2023 version) |\n|---|---:|---:|\n");
    for (size_t i = 0; c_as >= 0 && c_code >= 0 && i < percap_table_rows(p); i++) {
        const char *code = percap_table_cell(p, i, (size_t)c_code);
        if (strcmp(percap_table_cell(p, i, (size_t)c_as), "2022-04-05") != 0 || !*code)
            continue;
        long row = repro_row(rates, code);
        repro_printf(r, "| %s | %s (%s) | %.0f |\n", repro_at(rates, row, c_name),
                     repro_at(p, (long)i, c_d), repro_at(p, (long)i, c_pub),
                     repro_num(rates, row, c_deaths));
    }
    repro_printf(r, "\nThe BBC had 1,083 names on 5 April 2022; the later list holds %.0f "
                    "records with a region confirmed by that date, because names kept being "
                    "found and dated back. Source of the press figures: "
                    "`datasets/press_figures.csv`.\n",
                 repro_value(rates, "ALL", "deaths"));
    percap_table_free(p);
}

/* Which correlate is strongest (Pearson), said in words from the numbers. */
static void verdict(repro *r, const percap_table *c, const percap_table *m)
{
    size_t best = 0;
    double nonrus = NAN, best_r = 0;
    for (size_t i = 0; i < percap_table_rows(c); i++) {
        if (strcmp(repro_cell_text(c, i, "method"), "pearson") != 0)
            continue;
        double v = fabs(repro_cell(c, i, "r"));
        if (strstr(repro_cell_text(c, i, "x"), "russian"))
            nonrus = v;
        if (v > best_r) {
            best_r = v;
            best = i;
        }
    }
    bool ethnicity_wins = strstr(repro_cell_text(c, best, "x"), "russian") != NULL;
    double p_nonrus = NAN;
    for (size_t i = 0; i < percap_table_rows(m); i++)
        if (strstr(repro_cell_text(m, i, "term"), "russian"))
            p_nonrus = repro_cell(m, i, "p_value");
    repro_printf(r, "\nIn these data %s: the strongest Pearson correlate is `%s` (|r| = %.2f; "
                    "non-Russian share %.2f). With income in the model, the non-Russian share "
                    "%s (p = %.2f). Lenton had 1,083 names; with the fuller list his finding "
                    "%s.\n",
                 ethnicity_wins ? "ethnicity leads" : "wealth leads",
                 repro_cell_text(c, best, "x"), best_r, nonrus,
                 p_nonrus < 0.05 ? "keeps a clear association" : "adds little that is "
                                                                 "distinguishable from chance",
                 p_nonrus, ethnicity_wins ? "is reproduced" : "is not reproduced here: poverty "
                                                               "and low income say more than "
                                                               "ethnicity");
}

static void differences(repro *r)
{
    repro_printf(r, "\n### What differs from Lenton's setting\n\n"
                    "- He counted the BBC's 1,083 names published on 5 April 2022; the list "
                    "kept growing, and this uses the records of the 2023-04-12 version whose "
                    "death was *confirmed* by 5 April 2022 (the date of confirmation, not of "
                    "death; 58 records with a region but no date are left out).\n"
                    "- His exact population source is not known; this uses Rosstat's resident "
                    "population of 1 January 2020 (all ages), the denominator of a per-capita "
                    "rate. Crimea and Sevastopol are included, as in Russian statistics.\n"
                    "- Small regions move a lot: with one death, Chukotka's rank interval "
                    "spans most of the table. Rank intervals and P(top 9) say how much of any "
                    "ranking is chance.\n");
}

static void correlations(repro *r, const percap_table *c, const percap_table *m)
{
    repro_printf(r, "\n### Ethnicity or wealth?\n\nLenton found the share of non-Russians a "
                    "stronger correlate than wealth. Correlations with the rate per 100,000 "
                    "(Pearson with Fisher-z interval; Spearman with Bonett-Wright interval):\n\n"
                    "| variable | method | n | r | 95%% interval | p |\n|---|---|---:|---:|---|---:|\n");
    char pbuf[32];
    for (size_t i = 0; i < percap_table_rows(c); i++)
        repro_printf(r, "| `%s` | %s | %s | %.3f | %.3f to %.3f | %s |\n",
                     repro_cell_text(c, i, "x"), repro_cell_text(c, i, "method"),
                     repro_cell_text(c, i, "n"), repro_cell(c, i, "r"), repro_cell(c, i, "ci_low"),
                     repro_cell(c, i, "ci_high"), repro_p(pbuf, sizeof pbuf,
                                                          repro_cell(c, i, "p_value")));
    verdict(r, c, m);
    repro_printf(r, "\nBoth together, negative-binomial regression of deaths with the "
                    "population as exposure (rate ratios per unit):\n\n| term | rate ratio | "
                    "95%% interval | p |\n|---|---:|---|---:|\n");
    for (size_t i = 1; i < percap_table_rows(m); i++)
        repro_printf(r, "| `%s` | %.4f | %.4f–%.4f | %s |\n", repro_cell_text(m, i, "term"),
                     repro_cell(m, i, "ratio"), repro_cell(m, i, "ratio_low"),
                     repro_cell(m, i, "ratio_high"),
                     repro_p(pbuf, sizeof pbuf, repro_cell(m, i, "p_value")));
    repro_printf(r, "\nMade by\n\n    %s\n    %s\n", repro_command(r, "lenton_correlations.csv"),
                 repro_command(r, "lenton_model_negbin.csv"));
}

void reproduce_lenton_2022(repro *r)
{
    run_steps(r);
    percap_table *t = repro_table(r, "lenton_rates.csv");
    percap_table *c = repro_table(r, "lenton_correlations.csv");
    percap_table *m = repro_table(r, "lenton_model_negbin.csv");
    if (t && c && m) {
        repro_printf(r, "## Lenton (2022): deaths per 100,000 residents, April 2022\n\n"
                        "Adam Lenton (Riddle, April 2022) ranked Russia's regions by the BBC's "
                        "named dead per head of population at 5 April 2022 and found North "
                        "Ossetia, Buryatia, Tyva, Dagestan, Ingushetia and Chukotka among the "
                        "nine highest. His table was never published. This rebuilds it from "
                        "the BBC/Mediazona list (records confirmed up to 2022-04-05) and "
                        "Rosstat's resident population of 1 January 2020, with exact 95%% "
                        "intervals and rank intervals from %s draws.\n\n",
                     "10,000");
        ranking_table(r, t, 15);
        charts_ranking(r);
        repro_printf(r, "\nAll 85 regions: `lenton_rates.csv`, made by\n\n    %s\n",
                     repro_command(r, "lenton_rates.csv"));
        named_regions(r, t);
        press_comparison(r, repro_datasets(r), t);
        correlations(r, c, m);
        repro_chart(r, "lenton-charts", "scatter", "Deaths per 100,000 residents (April 2022) "
                    "against the share of ethnic Russians among men (2010), with the OLS line",
                    (const char *const[]){INPUTS, "--x", "russian_pct_men_2010", "--formula",
                                          "rate ~ russian_pct_men_2010", "--title",
                                          "April 2022: deaths per 100,000 and ethnicity",
                                          "--as-of", "2022-04-05", NULL});
        differences(r);
    }
    percap_table_free(t);
    percap_table_free(c);
    percap_table_free(m);
}
