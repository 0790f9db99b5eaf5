#!/usr/bin/env bash
# Builds percap (Release), makes the test data, runs percap and its peers
# with hyperfine and writes a table of medians and ratios.
#
#   bench/run.sh [--quick] [--rows N] [--runs N] [--work DIR] [--out FILE]
#
#   --quick     tiny data, one run of each command: proves the scripts work
#               (for CI); results go to WORK/results.md unless --out says
#   --rows N    rows in the record list (default 3,000,000: about 340 MB)
#   --runs N    hyperfine runs per command (default 5)
#   --work DIR  builds and data (default ${TMPDIR:-/tmp}/percap-bench); data
#               already there is reused
#   --out FILE  the table (default bench/results.md)
#
# Peers -- pandas, R (base, and MASS for the Bessudnov script), GNU
# datamash -- are used when installed and skipped with a message when not
# (Debian: apt-get install hyperfine python3-pandas r-base-core r-cran-mass
# datamash). "percap before" is the last commit without the fast path,
# built from git when the repository has it. Everything but hyperfine is
# optional.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

quick=0 rows=3000000 runs=5 work=${TMPDIR:-/tmp}/percap-bench out=
args=
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1; rows=20000; runs=1 ;;
        --rows) rows=$2; shift ;;
        --runs) runs=$2; shift ;;
        --work) work=$2; shift ;;
        --out) out=$2; shift ;;
        *) sed -n '2,22p' "$0" >&2; exit 2 ;;
    esac
    args+=" $1"
    shift
done
[ $quick = 1 ] && args+=" (quick: $rows rows, $runs run)"
mkdir -p "$work"
work=$(cd "$work" && pwd)
[ -n "$out" ] || { [ $quick = 1 ] && out=$work/results.md || out=$here/results.md; }
BEFORE=ea9571c           # the last commit whose CSV reading is libcsv alone
SINCE=2022-06-01 UNTIL=2023-12-31
say() { printf '== %s\n' "$*"; }
skip() { printf '   skipped: %s\n' "$*"; }
facts=$work/facts.txt
: >"$facts"
fact() { printf '%s=%s\n' "$1" "$2" >>"$facts"; }

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
[ -c /dev/null ] || echo "warning: /dev/null is not a device; commands that write to it will fail" >&2

build() { # SOURCE BUILD_DIR
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DPERCAP_BUILD_TESTS=OFF \
        -DPERCAP_WERROR=OFF >"$2.log" 2>&1 &&
        cmake --build "$2" --target percap_cli -j"$(nproc)" >>"$2.log" 2>&1
}

say "building percap (Release)"
mkdir -p "$work/build"
build "$root" "$work/build" || { cat "$work/build.log" >&2; exit 1; }
percap=$work/build/percap
export PERCAP_REGIONS=$root/datasets/regions.csv

before=
if [ $quick = 1 ]; then
    skip "percap before the fast path (not in --quick)"
elif git -C "$root" cat-file -e "$BEFORE^{commit}" 2>/dev/null; then
    say "building percap at $BEFORE (before the fast path)"
    rm -rf "$work/before-src" && mkdir -p "$work/before-src" "$work/before"
    git -C "$root" archive "$BEFORE" | tar -x -C "$work/before-src"
    if build "$work/before-src" "$work/before"; then before=$work/before/percap; else
        skip "percap at $BEFORE did not build (see $work/before.log)"; fi
else
    skip "percap before the fast path (commit $BEFORE not in this repository)"
fi

say "making $rows records"
csv=$work/records-$rows.csv tsv=$work/records-$rows.tsv
[ -s "$csv" ] || python3 "$here/gen_records.py" --rows "$rows" -o "$csv"
pandas_py=
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import pandas' 2>/dev/null; then pandas_py=$py; break; fi
done
have_r=0 have_mass=0
command -v Rscript >/dev/null && have_r=1
[ $have_r = 1 ] && Rscript -e 'suppressPackageStartupMessages(library(MASS))' >/dev/null 2>&1 && have_mass=1
have_datamash=0
command -v datamash >/dev/null && have_datamash=1
[ $have_datamash = 1 ] && { [ -s "$tsv" ] || python3 "$here/gen_records.py" --rows "$rows" --tsv -o "$tsv"; }
areas=3143
python3 "$here/gen_areas.py" --areas $areas "$work/areas"

# ---- the same answer from every tool, or no timing ----
say "checking that every tool counts the same rows"
agg=("$percap" aggregate -q --records "$csv" --since $SINCE --until $UNTIL)
sum_col() { awk -F, 'NR > 1 { s += $NF } END { print s + 0 }'; } # the count is last
want=$("${agg[@]}" | sum_col)
echo "   percap: $want rows counted"
ok_peer() { # NAME TOTAL
    if [ "$2" = "$want" ]; then echo "   $1: $2 (same)"; return 0; fi
    echo "   $1 counts $2, not $want: left out"; return 1
}
agg_cmds=(-n "wc -l" "wc -l $csv"
          -n "percap" "${agg[*]}"
          -n "percap, 1 thread" "env PERCAP_THREADS=1 ${agg[*]}")
if [ -n "$before" ]; then
    got=$("$before" aggregate -q --records "$csv" --since $SINCE --until $UNTIL | sum_col)
    ok_peer "percap before" "$got" &&
        agg_cmds+=(-n "percap, libcsv only (before)" "$before aggregate -q --records $csv --since $SINCE --until $UNTIL")
fi
if [ -n "$pandas_py" ]; then
    p=("$pandas_py" "$here/peers/aggregate_pandas.py" "$csv" $SINCE $UNTIL)
    got=$("${p[@]}" | sum_col) && ok_peer pandas "$got" && agg_cmds+=(-n pandas "${p[*]}")
else skip "pandas (not installed: apt-get install python3-pandas)"; fi
if [ $have_r = 1 ]; then
    p=(Rscript "$here/peers/aggregate.R" "$csv" $SINCE $UNTIL)
    got=$("${p[@]}" | sum_col) && ok_peer R "$got" && agg_cmds+=(-n R "${p[*]}")
else skip "R (not installed: apt-get install r-base-core)"; fi
if [ $have_datamash = 1 ]; then
    p=("$here/peers/aggregate_datamash.sh" "$tsv" $SINCE $UNTIL)
    got=$("${p[@]}" | awk -F'\t' '{ s += $2 } END { print s + 0 }') && ok_peer datamash "$got" &&
        agg_cmds+=(-n datamash "${p[*]}")
    fact "note:datamash" "(unquoted TSV of the same records, awk for the date cut: datamash cannot read quoted CSV)"
else skip "datamash (not installed: apt-get install datamash)"; fi
fact "totals" "Every tool in the table counted the same $want rows (checked before timing)."

hf() { # GROUP COMMANDS...
    local group=$1
    shift
    # through a pipe, not /dev/null: nothing may skip writing its output
    hyperfine --style basic --output=pipe --warmup $((quick ? 0 : 1)) --runs "$runs" \
        --export-json "$work/$group.json" "$@"
}

say "timing: counting by region"
hf aggregate "${agg_cmds[@]}"

say "timing: the Bessudnov reproduction"
bess_cmds=()
if "$percap" reproduce --help >/dev/null 2>&1; then
    # gnuplot kept off the PATH: the report and chart scripts, no drawing
    bess_cmds+=(-n "percap reproduce bessudnov-2023"
                "env PATH=/nonexistent $percap reproduce bessudnov-2023 --out $work/reproduce --datasets $root/datasets")
fi
bess_cmds+=(-n "percap command sequence" "$here/bessudnov_percap.sh $percap $root/datasets $work/sequence")
if [ $have_mass = 1 ]; then
    bess_cmds+=(-n R "Rscript $here/bessudnov.R $root/datasets $work/bessudnov-r")
else skip "bessudnov.R (needs R and MASS: apt-get install r-base-core r-cran-mass)"; fi
hf bessudnov "${bess_cmds[@]}"

say "timing: rank intervals"
a=$work/areas
hf rank -n "$areas areas x 10000 draws" \
    "$percap rates -q --regions $a/regions.csv --population $a/population.csv --deaths $a/deaths.csv --rank-intervals simulation --draws 10000"

say "memory"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
if [ -x /usr/bin/time ]; then
    small=$work/records-$((rows / 10)).csv
    [ -s "$small" ] || python3 "$here/gen_records.py" --rows $((rows / 10)) -o "$small"
    m1=$(rss "$percap" aggregate -q --records "$small" --since $SINCE --until $UNTIL)
    m2=$(rss "${agg[@]}")
    mem="percap $((m1 / 1024)) MB on $((rows / 10)) rows and $((m2 / 1024)) MB on $rows rows (streaming: flat in rows)"
    [ -n "$pandas_py" ] && mem+=", pandas $(( $(rss "$pandas_py" "$here/peers/aggregate_pandas.py" "$csv" $SINCE $UNTIL) / 1024 )) MB"
    [ $have_r = 1 ] && mem+=", R $(( $(rss Rscript "$here/peers/aggregate.R" "$csv" $SINCE $UNTIL) / 1024 )) MB"
    fact memory "$mem"
    echo "   $mem"
else skip "memory (/usr/bin/time not installed: apt-get install time)"; fi

fact date "$(date -u +%Y-%m-%d)"
fact args "$args"
fact cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)"
fact nproc "$(nproc)"
fact mem "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
fact os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r)"
fact load "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)"
fact runs "$runs"
fact rows "$rows"
fact rows_fmt "$(printf "%'d" "$rows" 2>/dev/null || echo "$rows")"
fact mb "$(( $(stat -c %s "$csv") / 1000000 ))"
fact since $SINCE
fact until $UNTIL
fact areas $areas
fact cc "$(cc --version | head -1)"
fact python "$(python3 --version 2>&1)"
[ -n "$pandas_py" ] && fact pandas "$("$pandas_py" -c 'import pandas; print(pandas.__version__)')"
[ $have_r = 1 ] && fact r "$(Rscript --version 2>&1 | head -1)"
[ $have_datamash = 1 ] && fact datamash "$(datamash --version | head -1)"
fact hyperfine "$(hyperfine --version | cut -d' ' -f2)"
fact percap_commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' with uncommitted changes')"
python3 "$here/report.py" "$work" "$out"
say "wrote $out"
