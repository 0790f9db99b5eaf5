#!/usr/bin/env bash
# Redraws the example charts in plots/ from the shipped datasets: the list of
# 2023-04-12 per 100,000 men aged 16-61.5 (2021 census).
# Usage: plots/make.sh [PERCAP_BINARY]   (default: build/percap; needs gnuplot)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
percap=${1:-$root/build/percap}
cd "$root"
inputs=(--population datasets/region_stats.csv --population-col men_16_61_2021
        --deaths datasets/deaths_2023-04-12.csv --covariates datasets/region_stats.csv
        --denominator-name "men aged 16-61.5 (2021 census)"
        --counted "named dead, BBC News Russian/Mediazona list" --as-of 2023-04-12)
draw() { "$percap" plot "$@" --out plots --render png,svg -q; }
draw ranking "${inputs[@]}"
draw rank-intervals "${inputs[@]}"
draw map "${inputs[@]}"
draw funnel "${inputs[@]}" --overdispersion
draw scatter "${inputs[@]}" --x poverty_pct_2020 --formula 'rate ~ poverty_pct_2020'
"$percap" plot timeline --deaths datasets/deaths_by_month_2023-04-12.csv \
    --counted "named dead, BBC News Russian/Mediazona list" --as-of 2023-04-12 \
    --select RU-TY,RU-BU,RU-ZAB,RU-DA,RU-MOW --out plots --render png,svg -q
echo "charts written to plots/"
