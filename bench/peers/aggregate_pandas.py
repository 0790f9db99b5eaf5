#!/usr/bin/env python3
"""The aggregation benchmark in pandas: deaths by region with a date cut.
read_csv reads only the two columns needed (usecols), as strings; ISO dates
compare correctly as strings. Usage: aggregate_pandas.py FILE SINCE UNTIL"""
import sys

import pandas as pd

path, since, until = sys.argv[1:4]
df = pd.read_csv(path, usecols=["region", "death_date"], dtype=str)
d = df["death_date"]
counts = df[(d >= since) & (d <= until)].groupby("region").size()
sys.stdout.write(counts.to_csv())
