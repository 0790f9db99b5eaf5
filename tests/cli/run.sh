#!/usr/bin/env bash
# Table-driven tests of the percap command line: each folder in cases/
# holds `cmd` (the arguments, one line, run from inside the folder with
# the shared inputs of ../../data reachable as data/), `status` (the exit
# status expected) and optionally `stdout` and `stderr` (exact text
# expected). A case whose command names `-o out.*` and fails must leave
# no such file behind; no case may leave a temporary file.
#
# Usage: run.sh PERCAP_BINARY SOURCE_DIR [CASE...]
# PERCAP_WRAPPER, if set, runs each command under it (e.g. valgrind with
# --error-exitcode=99, so any memory error or leak fails the case).
set -u
percap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
shift 2
cases_dir="$src/tests/cli/cases"
pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/.empty"   # standard input of every case: empty, whatever /dev/null is

run_case() {
    local dir=$1 name
    name=$(basename "$dir")
    local tmp="$work/$name"
    mkdir -p "$tmp"
    cp -R "$dir"/. "$tmp"/
    ln -s "$src/tests/cli/data" "$tmp/data"
    ln -s "$src/datasets" "$tmp/datasets"
    local args
    args=$(head -n 1 "$dir/cmd")
    (cd "$tmp" && eval "exec env LC_ALL=C PERCAP_REGIONS=datasets/regions.csv ${PERCAP_WRAPPER:-} \"$percap\" $args" \
        <"$work/.empty" >"$tmp/.stdout" 2>"$tmp/.stderr")
    local got=$? problems=""
    local want
    want=$(cat "$dir/status")
    [ "$got" = "$want" ] || problems+=" status $got, expected $want;"
    if [ -f "$dir/stdout" ] && ! cmp -s "$dir/stdout" "$tmp/.stdout"; then
        problems+=" stdout differs;"
        diff -u "$dir/stdout" "$tmp/.stdout" | head -20 >"$tmp/.diff_out"
    fi
    if [ -f "$dir/stderr" ] && ! cmp -s "$dir/stderr" "$tmp/.stderr"; then
        problems+=" stderr differs;"
        diff -u "$dir/stderr" "$tmp/.stderr" | head -20 >"$tmp/.diff_err"
    fi
    if [ "$want" != 0 ]; then
        for f in "$tmp"/out.*; do
            [ -e "$f" ] && problems+=" failed run left $(basename "$f");"
        done
    fi
    if ls "$tmp" | grep -q '\.tmp\.'; then
        problems+=" temporary file left behind;"
    fi
    if [ -z "$problems" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name:$problems"
        cat "$tmp"/.diff_out "$tmp"/.diff_err 2>/dev/null
        [ -f "$dir/stderr" ] || sed 's/^/    stderr: /' "$tmp/.stderr" | head -5
    fi
}

if [ $# -gt 0 ]; then
    for c in "$@"; do run_case "$cases_dir/$c"; done
else
    for dir in "$cases_dir"/*/; do run_case "${dir%/}"; done
fi
echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
