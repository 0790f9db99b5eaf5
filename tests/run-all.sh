#!/usr/bin/env bash
# Sets up and runs every test: installs the build dependencies when run as
# root on Debian and they are missing, then
#   1. a -Werror build and the whole suite (ctest),
#   2. the same under AddressSanitizer and UndefinedBehaviorSanitizer,
#   3. the command-line tests under valgrind memcheck (no errors, no leaks).
# Usage: bash tests/run-all.sh      (from the repository root or anywhere)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages=(build-essential cmake pkg-config libgsl-dev libcsv-dev libcmocka-dev valgrind
          gnuplot-nox python3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
        exit 1
    fi
fi

jobs=$(nproc 2>/dev/null || echo 2)

echo "== build with -Werror, run every test"
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=Debug -DPERCAP_WERROR=ON >/dev/null
cmake --build build-ci -j"$jobs" >/dev/null
(cd build-ci && ctest --output-on-failure)

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPERCAP_WERROR=ON -DPERCAP_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure)

echo "== command-line tests under valgrind memcheck"
PERCAP_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all" \
    tests/cli/run.sh build-ci/percap "$root"
