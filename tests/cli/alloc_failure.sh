#!/usr/bin/env bash
# Memory running out at many points of real commands (an LD_PRELOAD
# library, fail_malloc.c, makes allocation N fail and all after it):
# each run must end with status 0 (the failure was survived) or status 4
# with a message on standard error, never silently, never by a signal,
# and a failed run must leave no output file behind.
#
# Usage: alloc_failure.sh PERCAP_BINARY FAIL_MALLOC_SO SOURCE_DIR
# Every one of the first 100 allocations fails in turn (opening the files
# is among them: fopen allocates, and its ENOMEM must read as out of
# memory too), then every ALLOC_FAILURE_STEP-th (default 37).
set -u
percap=$1 preload=$2 src=$3
step=${ALLOC_FAILURE_STEP:-37}
d=$src/datasets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PERCAP_REGIONS=$d/regions.csv
fail=0

# name, then the command (its output file is $work/out.csv or $work/plot)
sweep() {
    local name=$1 total=0 survived=0 reported=0
    shift
    local max=${ALLOC_MAX:-6000} # past the allocations of these runs at the step used
    for ((n = 1; n <= max; n += n < 100 ? 1 : step)); do
        rm -rf "$work/out.csv" "$work/plot"
        PERCAP_FAIL_AT=$n LD_PRELOAD=$preload "$@" >"$work/stdout" 2>"$work/stderr"
        local st=$?
        total=$((total + 1))
        if [ $st = 0 ]; then
            survived=$((survived + 1))
        elif [ $st = 4 ] && grep -q "out of memory" "$work/stderr" && [ ! -e "$work/out.csv" ]; then
            reported=$((reported + 1))
        else
            echo "FAIL $name: allocation $n: status $st, stderr: $(head -c 200 "$work/stderr")"
            [ -e "$work/out.csv" ] && echo "     and out.csv was left behind"
            fail=1
        fi
        ls "$work" | grep -q '\.tmp\.' && { echo "FAIL $name: allocation $n left a temporary file"; fail=1; }
    done
    echo "$name: $total runs: $survived survived, $reported stopped with 'out of memory'"
}

sweep rates "$percap" rates -q --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2023-04-12.csv" --rank-intervals simulation --draws 200 -o "$work/out.csv"
sweep aggregate "$percap" aggregate -q --records "$src/tests/cli/data/records_age_first.csv" \
    -o "$work/out.csv"
sweep model "$percap" model -q --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2023-04-12.csv" --covariates "$d/region_stats.csv" \
    --covariate-cols russian_pct_men_2010,poverty_pct_2020 --formula "rate ~ poverty_pct_2020" \
    --family negbin -o "$work/out.csv"
sweep funnel "$percap" funnel -q --population "$d/region_stats.csv" --population-col men_16_61_2021 \
    --deaths "$d/deaths_2023-04-12.csv" --overdispersion -o "$work/out.csv"
exit $fail
