#!/usr/bin/env python3
"""Writes a small dataset whose region names attack gnuplot scripts.

    hostile_data.py GROUP DIR

GROUP is 1..4: the hostile names are split over groups because percap's
registry treats names that differ only in punctuation as the same
region ("`touch pwned`" and "|touch pwned" both normalise to
"touchpwned"), so each group holds one spelling of each attack. DIR
receives regions.csv (the registry: the names as name_en and short_en,
tile places), population.csv, deaths.csv, covariates.csv (column x),
records.csv (one row per death with a date, for the timeline),
names.json (what each hostile name must look like on a chart: control
characters become spaces) and codes.txt (the hostile regions' codes,
comma-separated, for --select).

Every hostile area has a rate far from the others (200 or 10 per
100,000 against 50, on 1,000,000 people), so the funnel names it as an
outlier and every chart shows its name."""
import csv
import json
import re
import sys

GROUPS = {
    1: ["`touch pwned`", "'; system(\"touch pwned\"); '", "North\nOssetia", "Тыва Республика"],
    2: ["|touch pwned", "O'Brien's Land", "a_b^c{d}&~@x \\n #1", "PERCAP_EOD",
        "100% sure %s %d %n %"],
    3: ["<touch pwned", "\"double\" quotes\"", "Кабардино-Балкарская Республика", "'''x'''"],
    4: ["$(touch pwned)", "tab\there ; ! ls", "# hash; set output '|touch pwned'", "\\"],
}
NORMAL = ["Alpha", "Beta", "Gamma", "Delta"]


def shown(name):
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", name)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(group, directory):
    hostile = GROUPS[group]
    names = hostile + NORMAL
    codes = ["XX-H%d" % (i + 1) for i in range(len(names))]
    write_csv(directory + "/regions.csv", ["iso_code", "name_en", "short_en", "tile_row", "tile_col"],
              [[c, n, n, 1 + i // 4, 1 + i % 4] for i, (c, n) in enumerate(zip(codes, names))])
    write_csv(directory + "/population.csv", ["region", "population"],
              [[c, 1000000] for c in codes])
    deaths = [2000 if i % 2 == 0 else 100 for i in range(len(hostile))] + [500] * len(NORMAL)
    write_csv(directory + "/deaths.csv", ["region", "deaths"], list(zip(codes, deaths)))
    write_csv(directory + "/covariates.csv", ["region", "x"],
              [[c, 3 + 7 * i] for i, c in enumerate(codes)])
    records = []
    for i, c in enumerate(codes):
        for k in range(3 + 2 * i):
            records.append([c, "2022-%02d-%02d" % (1 + (k * 5 + i) % 12, 1 + k % 28)])
    write_csv(directory + "/records.csv", ["region", "date"], records)
    with open(directory + "/names.json", "w", encoding="utf-8") as f:
        json.dump([shown(n) for n in hostile], f, ensure_ascii=False)
    with open(directory + "/codes.txt", "w") as f:
        f.write(",".join(codes[:len(hostile)]))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
