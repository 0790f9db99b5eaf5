#!/usr/bin/env python3
"""Writes a synthetic one-row-per-death list shaped like the BBC/Mediazona
list, of any size, for benchmarks.

Every text field is quoted (as R's write.csv and most exporters do), names
are Cyrillic, a few carry doubled quotes (nicknames) or commas, and the
region is spelt either as the registry's short English name or as its
Russian name, both taken from datasets/regions.csv, so percap must
normalise two scripts. Regions are drawn in proportion to the deaths of
datasets/deaths_2023-04-12.csv, so the counts look like the real ones.
Some cells are empty (region, date, age), as in the real list.

Usage: gen_records.py --rows N [--seed S] [--tsv] [-o FILE]
  --tsv  the same records as tab-separated values with no quoting at all
         (quotes and tabs dropped from the values): for tools such as
         GNU datamash that cannot read quoted CSV.
"""
import argparse
import csv
import datetime
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.path.join(HERE, "..", "datasets")

SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
            "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков",
            "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
            "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
            "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
            "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов",
            "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
            "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров",
            "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
            "Магомедов", "Алиев", "Гаджиев", "Омаров", "Дорджиев", "Монгуш",
            "Ооржак", "Цыренов", "Батуев", "Хабибуллин", "Сафин", "Гарипов"]
INITIALS = "АБВГДЕЖЗИКЛМНОПРСТФЮЯ"
NICKNAMES = ["Серый", "Малой", "Тайфун", "Кот", "Медведь", "Север"]
UNITS = ["professional army", "mobilized", "volunteer", "PMC Wagner",
         "prisoner recruited by Wagner", "police / national guard, FSB",
         "airborne troops", "marines", "special forces", "unknown"]
UNIT_WEIGHTS = [30, 20, 12, 6, 10, 4, 7, 4, 3, 4]
RANKS = ["рядовой", "ефрейтор", "младший сержант", "сержант", "старший сержант",
         "прапорщик", "лейтенант", "старший лейтенант", "капитан", "майор"]
RANK_WEIGHTS = [40, 12, 10, 10, 6, 5, 6, 5, 4, 2]

HEADER = ["id", "name", "birth_year", "rank", "unit", "region", "death_date", "age"]


def load_regions():
    """(spellings, weights): each region's short English and Russian name,
    weighted by its deaths in the shipped 2023-04-12 counts."""
    names = {}
    with open(os.path.join(DATASETS, "regions.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["iso_code"]] = (row["short_en"], row["name_ru"])
    spellings, weights = [], []
    with open(os.path.join(DATASETS, "deaths_2023-04-12.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["region_code"]
            if code in names and int(row["deaths"]) > 0:
                spellings.append(names[code])
                weights.append(int(row["deaths"]))
    return spellings, weights


def quote(text):
    return '"' + text.replace('"', '""') + '"'


def make_pools(rng, spellings, weights):
    """Pre-drawn column values: drawing per row would make the generator,
    not the file, the slow part of a run."""
    pool = 65536
    names = []
    for _ in range(pool):
        name = "%s %s. %s." % (rng.choice(SURNAMES), rng.choice(INITIALS), rng.choice(INITIALS))
        if rng.random() < 0.01:
            name += ' "%s"' % rng.choice(NICKNAMES)
        names.append(name)
    regions = []
    for short_en, name_ru in rng.choices(spellings, weights, k=pool):
        r = rng.random()
        regions.append("" if r < 0.005 else short_en if r < 0.6 else name_ru)
    units = rng.choices(UNITS, UNIT_WEIGHTS, k=pool)
    ranks = rng.choices(RANKS, RANK_WEIGHTS, k=pool)
    start = datetime.date(2022, 2, 24).toordinal()
    days = datetime.date(2024, 12, 31).toordinal() - start + 1
    dates = [datetime.date.fromordinal(start + rng.randrange(days)).isoformat()
             for _ in range(days * 4)]
    return names, regions, units, ranks, dates


def write(out, rows, seed, tsv):
    rng = random.Random(seed)
    spellings, weights = load_regions()
    names, regions, units, ranks, dates = make_pools(rng, spellings, weights)
    n = len(names)
    nd = len(dates)
    sep = "\t" if tsv else ","
    q = (lambda s: s.replace('"', "")) if tsv else quote
    out.write(sep.join(HEADER) + "\n")
    batch = []
    for i in range(rows):
        r = rng.getrandbits(112)  # disjoint slices: no column follows another
        age = 18 + ((r >> 80) & 0xFF) % 43
        date = dates[((r >> 64) & 0xFFFF) % nd]
        if (r >> 88) & 1023 < 10:
            date = ""
        birth = int(date[:4]) - age if date else 1990
        age_text = "" if (r >> 98) & 1023 < 20 else str(age)
        batch.append(sep.join((str(100000 + i), q(names[r & 0xFFFF]), str(birth),
                               q(ranks[(r >> 16) & 0xFFFF]), q(units[(r >> 32) & 0xFFFF]),
                               q(regions[(r >> 48) & 0xFFFF]), date, age_text)))
        if len(batch) == 10000:
            out.write("\n".join(batch) + "\n")
            batch = []
    if batch:
        out.write("\n".join(batch) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tsv", action="store_true")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    if a.output:
        with open(a.output, "w", encoding="utf-8", newline="") as f:
            write(f, a.rows, a.seed, a.tsv)
    else:
        sys.stdout.reconfigure(newline="")
        write(sys.stdout, a.rows, a.seed, a.tsv)


if __name__ == "__main__":
    main()
