#!/usr/bin/env bash
# The analysis steps of `percap reproduce bessudnov-2023` as plain percap
# commands (the same commands its manifest.json lists), without the report
# and the charts: what bench/bessudnov.R does in R.
# Usage: bessudnov_percap.sh PERCAP DATASETS_DIR OUT_DIR
set -euo pipefail
p=$1 d=$2 o=$3
mkdir -p "$o"
cov=poverty_pct_2020,mean_income_2020,russian_pct_men_2010
f='rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)'
in=(--population "$d/region_stats.csv" --population-col men_16_61_2021
    --deaths "$d/deaths_2023-04-12.csv" --covariates "$d/region_stats.csv" --regions "$d/regions.csv")
"$p" rates -q "${in[@]}" --covariate-cols $cov --rank-intervals simulation --pooled \
    -o "$o/bessudnov_rates.csv"
"$p" rates -q --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2022-12-09.csv" --covariates "$d/region_stats.csv" \
    --regions "$d/regions.csv" --covariate-cols $cov --pooled -o "$o/bessudnov_rates_2022-12.csv"
"$p" model -q "${in[@]}" --formula "$f" -o "$o/bessudnov_ols.csv"
"$p" model -q "${in[@]}" --formula "$f" --format json -o "$o/bessudnov_ols.json"
"$p" model -q "${in[@]}" --formula "$f" --family poisson -o "$o/bessudnov_poisson.csv"
"$p" model -q "${in[@]}" --formula "$f" --family negbin -o "$o/bessudnov_negbin.csv"
"$p" funnel -q "${in[@]}" --covariate-cols $cov -o "$o/bessudnov_funnel.csv" \
    --curves "$o/bessudnov_funnel_curves.csv"
"$p" smooth -q "${in[@]}" --covariate-cols $cov -o "$o/bessudnov_smoothed.csv"
