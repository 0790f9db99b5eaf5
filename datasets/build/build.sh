#!/usr/bin/env bash
# Rebuilds datasets/ from the public reference material with percap's own
# tools: the registry and press figures with the two Python scripts beside
# this file (they cross-check the sources), everything else with
# `percap join` and `percap aggregate`. Deterministic: running it twice gives
# identical files.
#
# Usage: datasets/build/build.sh PERCAP_BINARY [REFERENCE_DIR]
#   REFERENCE_DIR defaults to ../shared/reference beside the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
percap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ref=${2:-$root/../shared/reference}
# PERCAP_DATASETS_OUT: build elsewhere, e.g. to compare with what is shipped
out=${PERCAP_DATASETS_OUT:-$root/datasets}
export PERCAP_REGIONS=$out/regions.csv

python3 "$here/make_registry.py" "$ref" --out "$out/regions.csv"
python3 "$here/make_press_figures.py" "$ref" --registry "$out/regions.csv" \
    --out "$out/press_figures.csv"

regions=$ref/regions
# Denominators and covariates, one row per region, joined whatever the
# spelling each publisher uses. The 2021 census file lists the 85 regions.
"$percap" join -q -o "$out/region_stats.csv" \
    "$regions/census2021_men_16_61.csv" \
    "$regions/rosstat_population_2020-01-01.csv" \
    "$regions/region_characteristics_2020.csv" \
    "$regions/census2010_ethnicity_men.csv" \
    --columns nMen16_615_2021,population_2020_01_01,percBelowSubsistence,meanIncome,unemploymentRate,subsistenceLevel,percRus,nMen,nRusMen \
    --rename nMen16_615_2021=men_16_61_2021 \
    --rename population_2020_01_01=population_2020 \
    --rename percBelowSubsistence=poverty_pct_2020 \
    --rename meanIncome=mean_income_2020 \
    --rename unemploymentRate=unemployment_pct_2020 \
    --rename subsistenceLevel=subsistence_rub_2020 \
    --rename percRus=russian_pct_men_2010 \
    --rename nMen=census2010_men \
    --rename nRusMen=census2010_russian_men

list23=$ref/casualties/bbc_mediazona_list_2023-04-12.csv
list22=$ref/casualties/bbc_mediazona_list_2022-12-09.csv
stats=$out/region_stats.csv
# Every region of region_stats.csv is listed, with 0 where the list has
# nobody: a region with no named dead is a finding, not a gap.
"$percap" aggregate -q --records "$list23" --until 2022-04-05 --zeros-from "$stats" \
    -o "$out/deaths_2022-04-05.csv"
"$percap" aggregate -q --records "$list22" --zeros-from "$stats" -o "$out/deaths_2022-12-09.csv"
"$percap" aggregate -q --records "$list23" --zeros-from "$stats" -o "$out/deaths_2023-04-12.csv"
"$percap" aggregate -q --records "$list23" --by month --zeros-from "$stats" \
    -o "$out/deaths_by_month_2023-04-12.csv"

bash "$here/check.sh" "$percap" "$out"
