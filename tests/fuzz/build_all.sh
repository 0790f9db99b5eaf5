#!/usr/bin/env bash
# Builds and runs percap's libFuzzer targets (clang, or $CLANG; on
# Debian 12 the packages clang-14 and libclang-rt-14-dev).
#
#   build_all.sh build OUT              library and targets, with ASan and
#                                       UBSan, into OUT; seed corpora in
#                                       OUT/corpus/TARGET, made from the
#                                       repository's own files
#   build_all.sh run OUT SECONDS [T...] each target (or those named) for
#                                       SECONDS, at nice 19, on the corpus;
#                                       a crash, leak, sanitizer report or
#                                       broken property fails the run
#                                       (artifacts in OUT/artifacts)
#   build_all.sh runs OUT N [T...]      the same, N executions each (no
#                                       time limit): how the 10^7 figures
#                                       in the README were made
#
# The targets are tests/fuzz/fuzz_<name>.c for the names in TARGETS.
# Their properties are described at the top of each file; ubsan.supp
# lists the sanitizer findings already reported that must not stop them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

TARGETS=(numparse normalize formula population counts covariates records registry gp_emit)
CLANG=${CLANG:-$(command -v clang || command -v clang-14 || echo clang)}

# Inputs longer than this add nothing the shorter ones do not reach, and
# slow every run.
max_len() {
    case $1 in
        numparse) echo 256 ;;
        normalize|gp_emit) echo 512 ;;
        formula) echo 1024 ;;
        *) echo 8192 ;;
    esac
}

usage() {
    sed -n '2,20p' "$0" >&2
    exit 2
}

build() {
    local out=$1
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    # these two checks alone recover, for ubsan.supp (see there)
    local flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined"
    flags+=" -fno-sanitize-recover=all -fsanitize-recover=pointer-overflow,nonnull-attribute"
    CC=$CLANG cmake -S "$root" -B "$out/lib" -DCMAKE_BUILD_TYPE=None \
        -DCMAKE_C_FLAGS="$flags" -DPERCAP_BUILD_TESTS=OFF >/dev/null
    # clang warns where gcc does not; the library's own build is the judge
    if ! cmake --build "$out/lib" --target percap -j"$(nproc)" >"$out/lib/build.log" 2>&1; then
        cat "$out/lib/build.log" >&2
        return 1
    fi
    for t in "${TARGETS[@]}"; do
        "$CLANG" -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Wall -Wextra -Werror \
            -DPERCAP_SOURCE_DIR="\"$root\"" -I"$root/include" -I"$root/src" \
            "$here/fuzz_$t.c" "$out/lib/libpercap.a" \
            -lgsl -lgslcblas -lcsv -lm -lpthread -o "$out/fuzz_$t"
    done
    seed "$out/corpus"
    echo "built ${#TARGETS[@]} targets in $out"
}

# One seed file per line of stdin, named by its number.
seed_lines() {
    local dir=$1 i=0
    mkdir -p "$dir"
    while IFS= read -r line; do
        printf '%s' "$line" >"$dir/line$((i++))"
    done
}

seed_files() {
    local dir=$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && head -c 4096 "$f" >"$dir/$(basename "$(dirname "$f")")_$(basename "$f")"
    done
    return 0
}

seed() {
    local c=$1 data=$root/tests/cli/data bad=$root/tests/bad-input/files ds=$root/datasets
    rm -rf "$c"
    # cells of the real tables: numbers, dates, names
    cat "$ds/region_stats.csv" "$ds/deaths_2023-04-12.csv" "$data"/records*.csv \
        "$data"/deaths_*.csv "$data"/pop_*.csv | tr ',;' '\n\n' | sort -u | head -2000 |
        seed_lines "$c/numparse"
    tr ',;' '\n\n' <"$ds/regions.csv" | sort -u | head -3000 | seed_lines "$c/normalize"
    { cut -d, -f2- "$root/tests/data/formula_cases.csv" | tail -n +2
      cut -d, -f4 "$root/tests/data/model_cases.csv" | tail -n +2
      echo 'rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)'
      echo 'log(rate) ~ log(x1) + `men 16-61` - 1'
    } | seed_lines "$c/formula"
    seed_files "$c/population" "$data"/pop*.csv "$bad"/pop_*.csv "$bad"/good_pop.csv \
        "$ds/region_stats.csv"
    seed_files "$c/counts" "$data"/deaths*.csv "$bad"/deaths_*.csv "$bad"/good_deaths.csv \
        "$ds"/deaths_2023-04-12.csv
    seed_files "$c/covariates" "$data"/stats_*.csv "$data"/covariates*.csv "$bad"/cov_*.csv \
        "$ds/region_stats.csv"
    seed_files "$c/records" "$data"/records*.csv "$bad"/records_*.csv
    seed_files "$c/registry" "$data"/regions_three.csv "$data"/registry_ambiguous.csv \
        "$bad"/reg_*.csv "$ds/regions.csv"
    { cut -d, -f2,3 "$ds/regions.csv"
      printf '%s\n' "O'Brien's \"county\"" "'''x'" "a''''b" '`rm -rf /`' '@macro' 'A\nB' \
          'ends in \' '|cat /etc/passwd' 'system("ls")'
    } | seed_lines "$c/gp_emit"
}

# $2 is a time in seconds, or N executions when it is written "Nx"
run() {
    local out=$1 secs=$2 limit
    shift 2
    case $secs in
        *x) limit="-runs=${secs%x} -max_total_time=0" ;;
        *) limit="-max_total_time=$secs" ;;
    esac
    out=$(cd "$out" && pwd)
    local list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${TARGETS[@]}")
    mkdir -p "$out/artifacts" "$out/logs"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/ubsan.supp"
    export ASAN_OPTIONS="detect_leaks=1"
    local failed=0
    for t in "${list[@]}"; do
        mkdir -p "$out/work/$t"
        # the corpus grows in work/, the seeds stay as they are
        # shellcheck disable=SC2086 # $limit is two options
        nice -n 19 "$out/fuzz_$t" $limit -max_len="$(max_len "$t")" \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$out/artifacts/$t-" "$out/work/$t" "$out/corpus/$t" \
            >"$out/logs/$t.log" 2>&1 || failed=1
        local execs
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log")
        local took
        took=$(sed -n 's/.*Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$out/logs/$t.log")
        echo "fuzz_$t: ${execs:-?} executions in ${took:-$secs}s$( [ $failed = 0 ] || echo ' -- FAILED, see '"$out/logs/$t.log")"
        [ $failed = 0 ] || break
    done
    return $failed
}

[ $# -ge 2 ] || usage
case $1 in
    build) build "$2" ;;
    run) [ $# -ge 3 ] || usage; out=$2; secs=$3; shift 3; run "$out" "$secs" "$@" ;;
    runs) [ $# -ge 3 ] || usage; out=$2; n=$3; shift 3; run "$out" "${n}x" "$@" ;;
    *) usage ;;
esac
