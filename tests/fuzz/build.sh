#!/usr/bin/env bash
# Builds and runs the differential CSV fuzz target, fuzz_csv_diff.c (the
# fast CSV path against libcsv; see the top of that file), with libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer (clang; on Debian the
# packages clang and libclang-rt-14-dev).
#
#   build.sh OUT              build into OUT, seeds in OUT/corpus
#   build.sh OUT SECONDS      build, then fuzz for SECONDS (at nice 19);
#                             a difference or sanitizer report fails the
#                             run and leaves the input in OUT/artifacts
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)

flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined"
flags+=" -fno-sanitize-recover=all"
CC=clang cmake -S "$root" -B "$out/lib" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$flags" \
    -DPERCAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$out/lib" --target percap -j"$(nproc)" >"$out/lib/build.log" 2>&1 ||
    { cat "$out/lib/build.log" >&2; exit 1; }
clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -I"$root/include" -I"$root/src" "$here/fuzz_csv_diff.c" "$out/lib/libpercap.a" \
    -lgsl -lgslcblas -lcsv -lm -lpthread -o "$out/fuzz_csv_diff"

# seeds: every CSV the tests use, cut to 4 KiB
rm -rf "$out/corpus"
mkdir -p "$out/corpus"
for f in "$root"/tests/cli/data/*.csv "$root"/tests/bad-input/files/*.csv "$root"/datasets/*.csv; do
    [ -f "$f" ] && head -c 4096 "$f" >"$out/corpus/$(basename "$(dirname "$f")")_$(basename "$f")"
done
echo "built $out/fuzz_csv_diff, $(ls "$out/corpus" | wc -l) seeds"

if [ $# -ge 2 ]; then
    mkdir -p "$out/artifacts" "$out/work"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        nice -n 19 "$out/fuzz_csv_diff" -max_total_time="$2" -max_len=4096 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/" \
        "$out/work" "$out/corpus" >"$out/fuzz.log" 2>&1 || { tail -40 "$out/fuzz.log"; exit 1; }
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
    echo "fuzz_csv_diff: $execs executions in $2 s ($((execs / $2)) per second), no difference"
fi
