#!/usr/bin/env bash
# Runs `percap reproduce all` from the shipped datasets and checks the
# report against the published numbers it must reproduce, that two runs
# give identical files, and that each command in the manifest, run alone,
# remakes its file byte for byte.
#  - Bessudnov (2023) OLS: the author's printed output (replicationAnalysis.md
#    in github.com/abessudnov/ruCasualtiesPublic, commit 29aa86c8d838); the
#    report marks each term "same to the printed digits" or "DIFFERS".
#  - The BBC's figures of 5 April 2022 (datasets/press_figures.csv, from the
#    press reports named there) appear beside the list's counts.
# Usage: reproduce.sh PERCAP_BINARY SOURCE_DIR
set -euo pipefail
# the registry shipped with this source tree, wherever the build is
export PERCAP_REGIONS="$(cd "$2" && pwd)/datasets/regions.csv"
percap=$1
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
"$percap" reproduce all --out "$work/report" 2>"$work/log" || { cat "$work/log"; exit 1; }
report=$work/report/report.md
fail=0
check() { # description, grep pattern, expected count
    local got
    got=$(grep -c -- "$2" "$report" || true)
    if [ "$got" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1 ($got, expected $3)"; fail=1; fi
}
check "three OLS terms equal to the printed digits" "same to the printed digits" 3
check "no term differs" "DIFFERS" 0
check "R squared as published" "R² 0.08803 (published 0.08803: same)" 1
check "adjusted R squared as published" "adjusted R² 0.06523 (published 0.06523: same)" 1
check "BBC figure for Dagestan shown" "| Republic of Dagestan | 93 (BBC Russian Service) |" 1
check "BBC figure for Buryatia shown" "| Republic of Buryatia | 52 (BBC Russian Service) |" 1
check "the data note" "What these numbers are" 1
# the months of 2022-02 to 2023-04 once each (the table once repeated them
# for every region in the file: 1,275 lines)
check "deaths by month: one line per month" "^| 20[0-9][0-9]-[0-9][0-9] |" 15
for f in report.md manifest.json lenton_rates.csv bessudnov_rates.csv bessudnov_ols.csv; do
    [ -s "$work/report/$f" ] && echo "ok: $f written" || { echo "FAIL: $f missing"; fail=1; }
done
cp -R "$work/report" "$work/first"
"$percap" reproduce all --out "$work/report" 2>/dev/null
if diff -r "$work/first" "$work/report" >/dev/null; then
    echo "ok: a second run gives identical files"
else
    echo "FAIL: a second run differs"; diff -r "$work/first" "$work/report" | head; fail=1
fi
# Each command of the manifest, run alone, makes the same bytes: the
# manifest is a true recipe, and what reproduce shares between its steps
# (the registry, the rank simulation: see src/cli/rank_cache.h) changes
# nothing.
python3 -c '
import json, sys
for entry in json.load(open(sys.argv[1]))["files"]:
    print(entry["command"])' "$work/report/manifest.json" >"$work/commands"
rm -rf "$work/first"; cp -R "$work/report" "$work/first"
n=0
while IFS= read -r cmd; do
    case $cmd in percap\ *) ;; *) echo "FAIL: not a percap command: $cmd"; fail=1; continue ;; esac
    eval "\"\$percap\"${cmd#percap}" 2>/dev/null || { echo "FAIL: $cmd"; fail=1; }
    n=$((n + 1))
done <"$work/commands"
if [ "$n" -gt 20 ] && diff -r "$work/first" "$work/report" >/dev/null; then
    echo "ok: each of the $n commands in the manifest, run alone, gives the same file"
else
    echo "FAIL: the manifest's $n commands, run alone, give different files"
    diff -r "$work/first" "$work/report" | head; fail=1
fi
exit $fail
