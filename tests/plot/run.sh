#!/usr/bin/env bash
# Renders every chart with gnuplot and checks the images, then shows that
# hostile region names are drawn literally and never run.
#
#  1. From the shipped data (2023-04-12 list, men 16-61.5): each of the six
#     kinds with --render png,svg; each DIR/KIND.gp, .png and .svg exists,
#     the PNG is a PNG and the SVG is XML, both of the size the script asks.
#     A script also runs alone ('gnuplot KIND.gp' in its directory).
#  2. Hostile names (tests/plot/hostile_data.py: backquotes, system(),
#     pipes, '<', $(...), a newline, quotes of both kinds, enhanced-text
#     markup, Cyrillic, the datablock terminator): every chart of every
#     group is rendered from a fresh directory; afterwards no file named
#     pwned* exists anywhere on the file system that is newer than the
#     run, and every name appears literally among the SVG's text nodes. An
#     output directory named like an attack works too.
#  3. Without gnuplot on PATH: status 3, a message saying how to install
#     it, the script written and no image.
#
# Usage: run.sh PERCAP_BINARY SOURCE_DIR. Exit 77 (skipped) without gnuplot.
set -u
percap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
here="$src/tests/plot"
command -v gnuplot >/dev/null || { echo "plot: gnuplot is not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "plot: python3 is needed to check the images: skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker="$work/started"
touch "$marker"
sleep 1   # so that anything made by the run is strictly newer than the marker
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

export PERCAP_REGIONS="$src/datasets/regions.csv"
D="$src/datasets"
kinds="ranking rank-intervals scatter funnel map timeline"
stems="ranking rank_intervals scatter funnel map timeline"

# ---- 1. the shipped data --------------------------------------------------------
out="$work/shipped"
common=(--population "$D/region_stats.csv" --population-col men_16_61_2021
        --deaths "$D/deaths_2023-04-12.csv" --out "$out" --render png,svg -q)
for kind in $kinds; do
    case $kind in
    scatter) extra=(--covariates "$D/region_stats.csv" --covariate-cols poverty_pct_2020
                    --x poverty_pct_2020 --formula 'rate ~ poverty_pct_2020') ;;
    timeline) extra=() ;;
    *) extra=() ;;
    esac
    if [ "$kind" = timeline ]; then
        args=(--deaths "$D/deaths_by_month_2023-04-12.csv" --out "$out" --render png,svg -q)
    else
        args=("${common[@]}" "${extra[@]}")
    fi
    if (cd "$work" && "$percap" plot "$kind" "${args[@]}") 2>"$work/err"; then ok
    else bad "shipped $kind: $(head -3 "$work/err")"; fi
done
if python3 "$here/check_images.py" sizes "$out" $stems; then ok; else bad "shipped images"; fi
ls "$out" | grep -q '\.tmp\.' && bad "temporary files left in $out"

# A script runs alone and draws the same picture size.
alone="$work/alone"
mkdir -p "$alone"
cp "$out/ranking.gp" "$alone/"
(cd "$alone" && gnuplot -d ranking.gp && gnuplot -d -e "percap_format='svg'" ranking.gp) \
    2>"$work/err" || bad "ranking.gp alone: $(head -3 "$work/err")"
if python3 "$here/check_images.py" sizes "$alone" ranking; then ok; else bad "ranking.gp alone"; fi

# ---- 2. hostile names --------------------------------------------------------------
for group in 1 2 3 4; do
    g="$work/hostile$group"
    mkdir -p "$g/run"
    python3 "$here/hostile_data.py" "$group" "$g" || { bad "group $group: no data"; continue; }
    codes=$(cat "$g/codes.txt")
    base=(--regions "$g/regions.csv" --population "$g/population.csv" --deaths "$g/deaths.csv"
          --out "$g/out" --render png,svg -q)
    for kind in $kinds; do
        case $kind in
        scatter) args=("${base[@]}" --covariates "$g/covariates.csv" --x x --labels 50) ;;
        funnel) args=("${base[@]}" --labels 50) ;;
        timeline) args=(--regions "$g/regions.csv" --records "$g/records.csv" --select "$codes"
                        --out "$g/out" --render png,svg -q) ;;
        *) args=("${base[@]}") ;;
        esac
        # run from an empty directory: a command that ran would leave its file here
        if (cd "$g/run" && "$percap" plot "$kind" "${args[@]}") 2>"$work/err"; then ok
        else bad "hostile $group $kind: $(head -3 "$work/err")"; fi
    done
    if python3 "$here/check_images.py" sizes "$g/out" $stems; then ok
    else bad "hostile $group images"; fi
    for stem in $stems; do
        if python3 "$here/check_images.py" texts "$g/out" "$stem" "$g/names.json"; then ok
        else bad "hostile $group $stem: a name is not shown literally"; fi
    done
done
# An output directory whose name is itself an attack: it only ever reaches
# chdir(), never gnuplot's parser or a shell.
weird="$work/we'ird |dir \`touch pwned\` \$(touch pwned)"
if (cd "$work" && "$percap" plot funnel "${common[@]:0:6}" --out "$weird" --render png,svg -q) \
    2>"$work/err"; then ok; else bad "hostile --out directory: $(head -3 "$work/err")"; fi
if python3 "$here/check_images.py" sizes "$weird" funnel; then ok; else bad "hostile --out images"; fi

found=$(find / -xdev \( -path /proc -o -path /sys \) -prune -o -name 'pwned*' -newer "$marker" \
        -print 2>/dev/null)
if [ -z "$found" ]; then ok; else bad "files made by hostile names: $found"; fi

# ---- 3. no gnuplot -------------------------------------------------------------------
nog="$work/nognuplot"
mkdir -p "$nog/bin"
ln -s "$(command -v python3)" "$nog/bin/python3"   # a PATH with no gnuplot on it
(cd "$work" && env PATH="$nog/bin" "$percap" plot ranking "${common[@]:0:6}" --out "$nog/out" \
    --render png,svg -q) 2>"$work/err"
status=$?
[ "$status" = 3 ] && ok || bad "without gnuplot: status $status, expected 3"
grep -q "apt-get install gnuplot-nox" "$work/err" && ok || bad "without gnuplot: $(cat "$work/err")"
grep -q "the script $nog/out/ranking.gp is written" "$work/err" && ok \
    || bad "without gnuplot, no word of the script: $(cat "$work/err")"
[ -s "$nog/out/ranking.gp" ] && ok || bad "without gnuplot: no script"
ls "$nog/out" | grep -q -v '^ranking\.gp$' && bad "without gnuplot: $(ls "$nog/out")"

echo "plot: $pass passed, $fail failed"
[ "$fail" = 0 ]
