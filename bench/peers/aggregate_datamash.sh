#!/usr/bin/env bash
# The aggregation benchmark with GNU datamash, which cannot read quoted CSV
# (a comma inside quotes splits the field): it gets the same records as
# unquoted tab-separated values (gen_records.py --tsv), awk makes the date
# cut, datamash sorts and counts. Usage: aggregate_datamash.sh TSV SINCE UNTIL
set -euo pipefail
awk -F'\t' -v s="$2" -v u="$3" 'NR > 1 && $7 >= s && $7 <= u && $6 != "" { print $6 }' "$1" |
    LC_ALL=C datamash -s -g 1 count 1
