#!/usr/bin/env bash
# Reproduces the OLS model of A. Bessudnov, "Ethnic and regional
# inequalities in Russian military fatalities in Ukraine", Demographic
# Research 48(31), 2023, from the shipped datasets, and compares every
# number to the precision the author printed. Expected values: the
# author's own R output, summary(lm(mortalityRate ~ percBelowSubsistence +
# percentNonRus)), in replicationAnalysis.md of github.com/abessudnov/
# ruCasualtiesPublic at commit 29aa86c8d838 (data of 2023-04-12, n = 83).
# Usage: bessudnov_2023.sh PERCAP_BINARY SOURCE_DIR
set -euo pipefail
# the registry shipped with this source tree, wherever the build is
export PERCAP_REGIONS="$(cd "$2" && pwd)/datasets/regions.csv"
percap=$1
d=$(cd "$2" && pwd)/datasets
json=$("$percap" model -q --format json \
    --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2023-04-12.csv" --covariates "$d/region_stats.csv" \
    --formula 'rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)')
csv=$("$percap" model -q \
    --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2023-04-12.csv" --covariates "$d/region_stats.csv" \
    --formula 'rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)')
fail=0
expect() { # what got want
    if [ "$2" = "$3" ]; then echo "ok: $1 = $2"; else echo "FAIL: $1 = $2, published $3"; fail=1; fi
}
field() { # term column(2=estimate 3=se 4=t 5=p) format
    awk -F, -v t="$1" -v c="$2" -v f="$3" 'NR > 1 && $1 == t { printf f, $c }' <<<"$csv"
}
stat() { # json key format
    sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" <<<"$json" | head -1 | xargs printf "$2"
}
for spec in "(Intercept)|28.36623|13.85164|2.048|0.0439" \
            "poverty_pct_2020|2.60051|1.06703|2.437|0.0170" \
            "I(100 - russian_pct_men_2010)|-0.01555|0.20937|-0.074|0.9410"; do
    IFS='|' read -r term est se t p <<<"$spec"
    expect "$term estimate" "$(field "$term" 2 %.5f)" "$est"
    expect "$term std. error" "$(field "$term" 3 %.5f)" "$se"
    expect "$term t" "$(field "$term" 4 %.3f)" "$t"
    expect "$term p" "$(field "$term" 5 %.4f)" "$p"
done
expect "n" "$(stat n %d)" 83
expect "residual df" "$(stat df_residual %d)" 80
expect "R squared" "$(stat r_squared %.5f)" 0.08803
expect "adjusted R squared" "$(stat adj_r_squared %.5f)" 0.06523
expect "residual standard error" "$(stat sigma %.2f)" 42.42
exit $fail
