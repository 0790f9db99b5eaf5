#!/usr/bin/env bash
# Line and branch coverage of src/ by the whole test suite.
#
# Usage: tests/coverage.sh [BUILD_DIR]     (default: build-coverage)
#        tests/coverage.sh BUILD_DIR --report   (figures of the last run only)
#
# Builds with gcc --coverage in BUILD_DIR (its own folder: the flags would
# slow and alter any other build; counters are updated atomically, since
# large files are read by several threads, and PERCAP_COVERAGE tells
# tests that run work in child processes to write the counts out), runs
# every test (ctest; a failing test
# is reported but the figures are still made), and prints the coverage of
# src/ as a whole, of the library alone (src/ without src/cli/), and per
# file, with gcovr if it is installed (Debian: gcovr), else lcov, else
# gcov's own summaries added up. The HTML report, with gcovr, goes to
# BUILD_DIR/coverage/index.html.
#
# COVERAGE_MIN_LINES and COVERAGE_MIN_BRANCHES (percentages), if set, make
# the script fail when the coverage of src/ is below them (with lcov or
# gcov alone: of src/ without src/cli/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-coverage}
mkdir -p "$build"
build=$(cd "$build" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
# gcovr leaves gcov's files where it ran when it fails
trap 'rm -f "$root"/*.gcov "$build"/*.gcov' EXIT

if [ "${2:-}" != --report ]; then
echo "== build with --coverage in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc \
    -DCMAKE_C_FLAGS="--coverage -fprofile-update=atomic -O0 -DPERCAP_COVERAGE" \
    -DCMAKE_EXE_LINKER_FLAGS="--coverage" \
    >/dev/null
cmake --build "$build" -j"$jobs" >/dev/null
find "$build" -name '*.gcda' -delete

echo "== run every test"
tests_ok=1
(cd "$build" && ctest -j"$jobs" --output-on-failure >"$build/ctest.log" 2>&1) || tests_ok=0
tail -n 3 "$build/ctest.log"
[ $tests_ok = 1 ] || echo "(some tests failed: see $build/ctest.log; coverage follows anyway)"
fi

echo "== coverage of src/"
lines_pct="" branches_pct=""

# gcovr's summary line: "lines: 91.2% (1234 out of 1353)"
summary_gcovr() {
    local name=$1
    shift
    local out l b
    # never -o /dev/null: gcovr replaces its output file, and as root that
    # turns the device into a regular file for the whole machine
    out=$(gcovr -a "$build/coverage.json" "$@" --print-summary -o "$build/gcovr-summary.txt" 2>/dev/null)
    l=$(sed -n 's/^lines: *\([0-9.]*\)%.*/\1/p' <<<"$out")
    b=$(sed -n 's/^branches: *\([0-9.]*\)%.*/\1/p' <<<"$out")
    printf '%-28s lines %6s%%   branches %6s%%   %s\n' "$name" "$l" "$b" \
        "$(sed -n 's/^lines: *[0-9.]*% *//p' <<<"$out")"
    lines_pct=$l branches_pct=$b
}

if command -v gcovr >/dev/null; then
    # gcov runs once, into a tracefile; every report below reads that
    (cd "$build" && gcovr -r "$root" --filter "$root/src/" --json "$build/coverage.json")
    summary_gcovr "src/ without src/cli/" --exclude "$root/src/cli/"
    echo "-- per file: lines (total, executed, %), branches (total, taken, %)"
    {
        gcovr -a "$build/coverage.json" 2>/dev/null | awk '/^src\// {print "L", $1, $2, $3, $4}'
        gcovr -a "$build/coverage.json" --branches 2>/dev/null |
            awk '/^src\// {print "B", $1, $2, $3, $4}'
    } | awk '$1 == "L" {l[$2] = $3 " " $4 " " $5; order[++n] = $2}
             $1 == "B" {b[$2] = $3 " " $4 " " $5}
             END {for (i = 1; i <= n; i++) {
                     split(l[order[i]], x, " "); split(b[order[i]], y, " ")
                     printf "   %-38s %5s %5s %5s   %5s %5s %5s\n", order[i], x[1], x[2], x[3],
                            y[1], y[2], y[3]}}'
    mkdir -p "$build/coverage"
    gcovr -a "$build/coverage.json" --html-details "$build/coverage/index.html" 2>/dev/null || true
    # the figures for the whole of src/ decide
    summary_gcovr "src/ (library and tool)"
elif command -v lcov >/dev/null; then
    lcov -q --rc lcov_branch_coverage=1 --capture --directory "$build" \
        --output-file "$build/all.info" 2>/dev/null
    lcov -q --rc lcov_branch_coverage=1 --extract "$build/all.info" "$root/src/*" \
        --output-file "$build/src.info" 2>/dev/null
    lcov -q --rc lcov_branch_coverage=1 --remove "$build/src.info" "$root/src/cli/*" \
        --output-file "$build/lib.info" 2>/dev/null
    for f in src lib; do
        echo "-- ${f/lib/src without src\/cli}:"
        lcov --rc lcov_branch_coverage=1 --summary "$build/$f.info" 2>&1 | grep -E 'lines|branches'
    done
    out=$(lcov --rc lcov_branch_coverage=1 --summary "$build/lib.info" 2>&1)
    lines_pct=$(sed -n 's/.*lines\.*: *\([0-9.]*\)%.*/\1/p' <<<"$out")
    branches_pct=$(sed -n 's/.*branches\.*: *\([0-9.]*\)%.*/\1/p' <<<"$out")
else
    # gcov's own per-file summaries, added up over the library's files
    total_l=0 hit_l=0 total_b=0 hit_b=0
    while IFS= read -r gcda; do
        src_file=$(basename "${gcda%.gcda}")
        src_file=${src_file%.c.o}.c
        case $gcda in */percap.dir/src/cli/*) continue ;; esac
        out=$(cd "$(dirname "$gcda")" && gcov -b -n "$gcda" 2>/dev/null |
            awk -v f="$src_file" '$0 ~ "^File .*/src/.*" f "\x27" {on=1; next} /^File/ {on=0} on')
        read -r pl nl < <(sed -n "s/^Lines executed:\([0-9.]*\)% of \([0-9]*\)/\1 \2/p" <<<"$out")
        read -r pb nb < <(sed -n "s/^Taken at least once:\([0-9.]*\)% of \([0-9]*\)/\1 \2/p" <<<"$out")
        [ -n "${nl:-}" ] || continue
        total_l=$((total_l + nl)); hit_l=$(awk -v a="$hit_l" -v p="$pl" -v n="$nl" 'BEGIN{printf "%d", a + p*n/100 + 0.5}')
        total_b=$((total_b + ${nb:-0})); hit_b=$(awk -v a="$hit_b" -v p="${pb:-0}" -v n="${nb:-0}" 'BEGIN{printf "%d", a + p*n/100 + 0.5}')
        nl="" nb=""
    done < <(find "$build/CMakeFiles/percap.dir" -name '*.gcda')
    lines_pct=$(awk -v h="$hit_l" -v t="$total_l" 'BEGIN{printf "%.1f", t ? 100*h/t : 0}')
    branches_pct=$(awk -v h="$hit_b" -v t="$total_b" 'BEGIN{printf "%.1f", t ? 100*h/t : 0}')
    echo "src/ without src/cli/: lines $lines_pct% of $total_l, branches $branches_pct% of $total_b (gcov)"
fi

status=0
if [ -n "${COVERAGE_MIN_LINES:-}" ] && awk -v a="$lines_pct" -v m="$COVERAGE_MIN_LINES" 'BEGIN{exit !(a < m)}'; then
    echo "line coverage $lines_pct% is below $COVERAGE_MIN_LINES%"
    status=1
fi
if [ -n "${COVERAGE_MIN_BRANCHES:-}" ] && awk -v a="$branches_pct" -v m="$COVERAGE_MIN_BRANCHES" 'BEGIN{exit !(a < m)}'; then
    echo "branch coverage $branches_pct% is below $COVERAGE_MIN_BRANCHES%"
    status=1
fi
exit $status
