#!/usr/bin/env bash
# The catalogue of hostile inputs: every file in files/ (committed) and
# every big one this script generates into gen/ at test time, fed to
# percap in the role cases.tsv gives it, with the exact result expected.
#
# Usage: run.sh PERCAP_BINARY SOURCE_DIR [CASE...]
#
# cases.tsv has one case per line, tab-separated (lines starting with #
# are comments):
#   name     what the case is; also its scratch folder
#   status   the exit status expected:
#              0  ok (a legal oddity, such as a byte-order mark, accepted)
#              1  bad data (the file is wrong: the message names it)
#              2  bad usage (an impossible request)
#              3  input/output error (a file cannot be read or written)
#              4  out of memory
#   tags     '-', or a comma list of: bug=ID (a known library bug, see
#            below), mknod (needs a device node: skipped if mknod fails),
#            limit=SECONDS (a time limit of its own)
#   args     the arguments of percap, as shell words, run from the case's
#            folder where files/ and gen/ are the catalogue; ' -o out.csv'
#            is appended unless the arguments give -o themselves
#   stderr   the exact standard error expected: \n \t \\ are escapes;
#            @NAME compares with the file expected/NAME; * accepts anything
#            (only for known bugs, whose right message is for the fix to say)
#
# Each case passes when all of these hold:
#   - the exit status and standard error are as expected;
#   - a failed run (status not 0) leaves no out.csv; a successful command
#     that writes a table leaves a non-empty one;
#   - no temporary file (*.tmp.*) is left in the case's folder;
#   - standard error is valid UTF-8 (messages quote data);
#   - device nodes made for the case are still device nodes afterwards;
#   - it finishes within BAD_INPUT_TIME_LIMIT seconds (default 15; runs
#     over 3 seconds are listed).
#
# Known bugs: a case tagged bug=ID states what percap SHOULD do and fails
# today. It is run and shown as XFAIL without failing the suite; once the
# bug is fixed it shows as XPASS, which fails the suite until the tag is
# removed. BAD_INPUT_STRICT=1 makes every XFAIL a failure.
#
# PERCAP_WRAPPER, if set, runs each command under it (e.g. valgrind with
# --error-exitcode=99); BAD_INPUT_SKIP_BIG=1 skips the cases that use gen/.
set -u
percap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
shift 2
here=$src/tests/bad-input
limit=${BAD_INPUT_TIME_LIMIT:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 xfail=0 skip=0
failed_names=()

# ---- the big files ---------------------------------------------------------

# n columns: region, c2..c(n-1), population; one row per region given.
wide_table() {
    awk -v n="$1" -v bad="$2" 'BEGIN {
        printf "region"; for (i = 2; i < n; i++) printf ",c%d", i; print ",population"
        printf "Tyva"; for (i = 2; i < n; i++) printf ",1"; print ",100000"
        if (bad != "") { printf "Buryatia"; for (i = 2; i < n; i++) printf ",2"; print "," bad }
    }'
}

# n bytes of one character
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }

generate() {
    local g=$work/gen
    mkdir -p "$g"
    wide_table 5000 2OOOOO >"$g/pop_5000_columns.csv"
    wide_table 100000 "" >"$g/pop_100000_columns.csv"
    printf 'region,deaths\nTyva,5\n' >"$g/deaths_tyva.csv"
    awk 'BEGIN { printf "date_of_death"; for (i = 2; i < 5000; i++) printf ",c%d", i
                 print ",region"
                 for (r = 0; r < 2; r++) { printf "2022-03-01"
                     for (i = 2; i < 5000; i++) printf ",x"; print (r ? ",Narnia" : ",Tyva") } }' \
        >"$g/records_5000_columns.csv"
    local mb10=$((10 * 1024 * 1024))
    { printf 'region,population\nTyva,100000\n"'; repeat A $mb10; printf '",5\n'; } \
        >"$g/pop_10mb_region_name.csv"
    { printf 'region,deaths\nTyva,'; repeat 9 $mb10; printf '\n'; } >"$g/deaths_10mb_number.csv"
    { printf 'region,date_of_death\nTyva,2022-03-01\n"'; repeat X $mb10; printf '",2022-03-02\n'; } \
        >"$g/records_10mb_region.csv"
    awk 'BEGIN { split("Tyva,RU-BU,Moscow,Tuva Republic,Bryansk", n, ",")
                 print "region,date_of_death"
                 for (i = 0; i < 999999; i++) printf "%s,2022-%02d-%02d\n", n[i % 5 + 1], i % 12 + 1, i % 28 + 1
                 print "Atlantis,2022-03-01" }' >"$g/records_1e6_unknown_last.csv"
    awk 'BEGIN { print "region,population"
                 for (i = 0; i < 1000000; i++) printf "area %07d,%d\n", i, 1000 + i
                 print "area 0000001,5" }' >"$g/pop_1e6_areas_duplicate_last.csv"
    head -n 100001 "$g/pop_1e6_areas_duplicate_last.csv" >"$g/pop_1e5_areas.csv"
    { echo 'area,population'; tail -n +2 "$g/pop_1e5_areas.csv"; } \
        >"$g/pop_1e5_areas_unnamed_column.csv"
    printf 'area,deaths\narea 0000001,999999999\n' >"$g/deaths_areas_over.csv"
    { printf 'rate ~ I('; repeat '(' 10000; printf 1; repeat ')' 10000; printf ')'; } \
        >"$g/formula_10000_parentheses.txt"
}

# ---- one case ----------------------------------------------------------------

utf8_ok() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }

# Device nodes named in the arguments: null (1,3) and full (1,7).
make_nodes() {
    local dir=$1 args=$2
    case " $args " in *" -o devnull"*) mknod "$dir/devnull" c 1 3 2>/dev/null || return 1 ;; esac
    case " $args " in *" -o devfull"*) mknod "$dir/devfull" c 1 7 2>/dev/null || return 1 ;; esac
    return 0
}

writes_table() {
    case $1 in rates|funnel|smooth|model|correlate|aggregate|join) return 0 ;; esac
    return 1
}

run_case() {
    local name=$1 want=$2 tags=$3 args=$4 expect=$5
    local dir=$work/cases/$name bug="" limit=$limit
    case ",$tags," in *,bug=*) bug=${tags#*bug=}; bug=${bug%%,*} ;; esac
    case ",$tags," in *,limit=*) limit=${tags#*limit=}; limit=${limit%%,*} ;; esac
    if [ "${BAD_INPUT_SKIP_BIG:-}" = 1 ] && [[ $args == *gen/* ]]; then
        skip=$((skip + 1))
        return
    fi
    mkdir -p "$dir"
    ln -s "$here/files" "$dir/files"
    ln -s "$work/gen" "$dir/gen"
    if [[ ,$tags, == *,mknod,* ]] && ! make_nodes "$dir" "$args"; then
        echo "SKIP $name: cannot make device nodes here"
        skip=$((skip + 1))
        return
    fi
    [[ " $args " == *" -o "* ]] || args+=" -o out.csv"
    local start end got problems=""
    start=$(date +%s%N)
    (cd "$dir" && eval "exec env LC_ALL=C PERCAP_REGIONS=\"$src/datasets/regions.csv\" \
        timeout -k 5 $limit ${PERCAP_WRAPPER:-} \"$percap\" $args" \
        </dev/null >"$dir/.stdout" 2>"$dir/.stderr")
    got=$?
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000))
    [ "$got" = 124 ] && problems+=" took over ${limit}s (killed);"
    [ "$got" = "$want" ] || problems+=" status $got, expected $want;"
    case $expect in
        '*') ;;
        @*) cmp -s "$here/expected/${expect#@}" "$dir/.stderr" || problems+=" stderr differs;" ;;
        '') [ ! -s "$dir/.stderr" ] || problems+=" stderr not empty;" ;;
        *) printf '%b\n' "$expect" >"$dir/.want"
           cmp -s "$dir/.want" "$dir/.stderr" || problems+=" stderr differs;" ;;
    esac
    if [ "$want" != 0 ] && [ -e "$dir/out.csv" ]; then
        problems+=" failed run left out.csv;"
    fi
    if [ "$want" = 0 ] && [[ " $args " == *" -o out.csv "* ]] && writes_table "${args%% *}" &&
        [ ! -s "$dir/out.csv" ]; then
        problems+=" no out.csv written;"
    fi
    if ls -A "$dir" | grep -q '\.tmp\.'; then
        problems+=" temporary file left behind;"
    fi
    utf8_ok "$dir/.stderr" || problems+=" stderr is not valid UTF-8;"
    for node in devnull devfull; do
        if [[ ,$tags, == *,mknod,* ]] && [[ " $args " == *" -o $node"* ]] && [ ! -c "$dir/$node" ]; then
            problems+=" the device node $node was replaced;"
        fi
    done
    [ "$ms" -gt 3000 ] && echo "slow $name: ${ms} ms"
    if [ -z "$problems" ] && [ -z "$bug" ]; then
        pass=$((pass + 1))
    elif [ -z "$problems" ]; then
        fail=$((fail + 1))
        failed_names+=("$name")
        echo "XPASS $name: known bug $bug seems fixed; remove the tag from cases.tsv"
    elif [ -n "$bug" ] && [ "${BAD_INPUT_STRICT:-}" != 1 ]; then
        xfail=$((xfail + 1))
        echo "XFAIL $name (known bug $bug):$problems"
    else
        fail=$((fail + 1))
        failed_names+=("$name")
        echo "FAIL $name:$problems"
        if [[ $expect != '*' && $expect != @* ]]; then
            diff "$dir/.want" "$dir/.stderr" 2>/dev/null | head -c 2000 | sed 's/^/    /'
        else
            head -c 600 "$dir/.stderr" | sed 's/^/    stderr: /'
        fi
    fi
    rm -rf "$dir"
}

# ---- the table -------------------------------------------------------------------

# the big files only when a case that will run uses them
big_needed=0
if [ "${BAD_INPUT_SKIP_BIG:-}" != 1 ]; then
    while IFS=$'\t' read -r name _ _ args _; do
        [[ -z $name || $name == \#* || $args != *gen/* ]] && continue
        if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
            big_needed=1
        fi
    done <"$here/cases.tsv"
fi
[ $big_needed = 0 ] || generate
mkdir -p "$work/gen" "$work/cases"
found=0
while IFS=$'\t' read -r name status tags args stderr; do
    [[ -z $name || $name == \#* ]] && continue
    if [ $# -gt 0 ]; then
        wanted=0
        for c in "$@"; do [ "$c" = "$name" ] && wanted=1; done
        [ $wanted = 1 ] || continue
    fi
    found=$((found + 1))
    run_case "$name" "$status" "$tags" "$args" "$stderr"
done <"$here/cases.tsv"
echo "bad-input: $found cases: $pass passed, $fail failed, $xfail known bugs (XFAIL), $skip skipped"
[ ${#failed_names[@]} = 0 ] || echo "failed: ${failed_names[*]}"
[ "$fail" = 0 ]
