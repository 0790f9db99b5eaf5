#!/usr/bin/env bash
# Rebuilds every shipped dataset from ../shared/reference into a temporary
# folder with datasets/build/build.sh and requires byte-identical files:
# what is shipped is exactly what percap's own tools make from the
# sources. Skips (exit 77) without ../shared/reference or python3.
# Usage: datasets_rebuild.sh PERCAP_BINARY SOURCE_DIR
set -euo pipefail
percap=$1
src=$(cd "$2" && pwd)
ref=$src/../shared/reference
if [ ! -d "$ref" ] || ! command -v python3 >/dev/null; then
    echo "SKIP: needs $ref and python3"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PERCAP_DATASETS_OUT=$work bash "$src/datasets/build/build.sh" "$percap" "$ref" >"$work/log" 2>&1 ||
    { cat "$work/log"; exit 1; }
status=0
for f in "$src"/datasets/*.csv; do
    if cmp -s "$f" "$work/$(basename "$f")"; then
        echo "ok: $(basename "$f") rebuilds identically"
    else
        echo "FAIL: $(basename "$f") differs from its rebuild"
        status=1
    fi
done
exit $status
