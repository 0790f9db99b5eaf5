#!/usr/bin/env bash
# Rewrites the expected stdout/stderr of the named cases from what the tool
# prints now. For deliberate changes of output only: read the diff first.
# Usage: tests/cli/regen.sh PERCAP_BINARY CASE...
set -eu
percap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
shift
for name in "$@"; do
    dir=$src/tests/cli/cases/$name
    tmp=$(mktemp -d)
    cp -R "$dir"/. "$tmp"/
    ln -s "$src/tests/cli/data" "$tmp/data"
    ln -s "$src/datasets" "$tmp/datasets"
    args=$(head -n 1 "$dir/cmd")
    (cd "$tmp" && eval "exec env LC_ALL=C PERCAP_REGIONS=datasets/regions.csv \"$percap\" $args" \
        </dev/null >"$tmp/.stdout" 2>"$tmp/.stderr") || true
    [ -f "$dir/stdout" ] && cp "$tmp/.stdout" "$dir/stdout"
    [ -f "$dir/stderr" ] && cp "$tmp/.stderr" "$dir/stderr"
    rm -rf "$tmp"
    echo "regenerated $name"
done
