#!/usr/bin/env bash
# Validates the shipped datasets with `percap check`: structure, known and
# unique regions, complete non-negative counts, and totals against the
# published ones (men 16-61.5 and population from the sources' own totals;
# 19,895 = the list's 20,253 rows less 358 without a region; 9,507 = 9,592
# less 85; 1,566 records with a region dated by 2022-04-05).
# Usage: check.sh PERCAP_BINARY [DATASETS_DIR]
set -euo pipefail
percap=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here/..}
export PERCAP_REGIONS=$out/regions.csv
"$percap" check --total men_16_61_2021=44434799 --total population_2020=146745098 \
    "$out/region_stats.csv"
"$percap" check "$out/regions.csv"
"$percap" check --total deaths=1566 "$out/deaths_2022-04-05.csv"
"$percap" check --total deaths=9507 "$out/deaths_2022-12-09.csv"
"$percap" check --total deaths=19895 "$out/deaths_2023-04-12.csv"
"$percap" check --key region_code,month --total deaths=19837 \
    "$out/deaths_by_month_2023-04-12.csv"
"$percap" check --region-col region_code --key as_of,publisher,counting,region \
    "$out/press_figures.csv"
