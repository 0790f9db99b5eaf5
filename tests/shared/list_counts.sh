#!/usr/bin/env bash
# Checks `percap aggregate` on the real BBC/Mediazona lists against an
# independent count made once with R's read.csv and table()
# (list_counts.R -> list_counts_R.csv). Needs ../shared/reference beside the
# repository; skips (exit 77) where it is absent.
# Usage: list_counts.sh PERCAP_BINARY SOURCE_DIR
set -euo pipefail
percap=$1
src=$(cd "$2" && pwd)
ref=$src/../shared/reference/casualties
if [ ! -d "$ref" ]; then
    echo "SKIP: $ref is absent; the list is not part of the repository"
    exit 77
fi
export PERCAP_REGIONS=$src/datasets/regions.csv
expected=$src/tests/shared/list_counts_R.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

check() { # version cut file [aggregate options...]
    local version=$1 cut=$2 file=$3
    shift 3
    "$percap" aggregate -q --records "$ref/$file" "$@" -o "$work/got.csv"
    # R's names to codes, then both sides as sorted code,deaths lines
    awk -F, -v v="$version" -v c="$cut" 'NR > 1 && $1 == v && $2 == c {
        gsub(/"/, "", $3); print $3 "\t" $4 }' "$expected" >"$work/r.tsv"
    cut -f1 "$work/r.tsv" | tr '\n' '\0' | xargs -0 "$percap" regions | cut -f2 >"$work/codes"
    paste -d, "$work/codes" <(cut -f2 "$work/r.tsv") | sort >"$work/want"
    awk -F, 'NR > 1 { print $1 "," $NF }' "$work/got.csv" | sort >"$work/have"
    if cmp -s "$work/want" "$work/have"; then
        echo "ok: $file ($cut): $(wc -l <"$work/have") regions agree with R"
    else
        echo "FAIL: $file ($cut) differs from R's count:"
        diff "$work/want" "$work/have" | head -10
        failures=$((failures + 1))
    fi
}

check 2023-04-12 all bbc_mediazona_list_2023-04-12.csv
check 2022-12-09 all bbc_mediazona_list_2022-12-09.csv
check 2023-04-12 2022-04-05 bbc_mediazona_list_2023-04-12.csv --until 2022-04-05
[ "$failures" = 0 ]
