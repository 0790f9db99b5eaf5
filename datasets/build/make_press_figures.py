#!/usr/bin/env python3
"""Build datasets/press_figures.csv: dated regional death counts from the press.

Usage:
    python3 datasets/build/make_press_figures.py [REFERENCE_DIR]
        [--registry FILE] [--out FILE]

Reads casualties/news_snapshots.csv from REFERENCE_DIR (default
../shared/reference relative to the repository root) and the region
registry datasets/regions.csv (built by make_registry.py), and writes
datasets/press_figures.csv: the same columns plus `region_code`, the
canonical ISO 3166-2 code of the region (empty for national totals), placed
after `region`.  Rows are sorted by as_of, then region_code (ties keep the
input order).  Region names are resolved with the registry's keys and the
same normalisation as the C loader; a name that does not resolve, or
resolves ambiguously, is an error.

Citations of the form NNN_<hash>.txt in the source column refer to press
articles kept in the reference material, not in this repository; they are
replaced by the publisher and headline of the article (checked against the
article text), so that every row names its source on its own.

Only the Python standard library is used; output is UTF-8, LF, no BOM.
"""

import argparse
import csv
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # keep datasets/build free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_registry import norm, auto_keys  # noqa: E402

IN_COLUMNS = ["as_of", "publisher", "counting", "region", "deaths",
              "qualifier", "total_named", "source"]
OUT_COLUMNS = ["as_of", "publisher", "counting", "region", "region_code",
               "deaths", "qualifier", "total_named", "source"]

# Names that denote the whole country (region_code left empty).
NATIONAL = {norm(s) for s in ["Russia", "Russian Federation", "Россия",
                              "Российская Федерация"]}

QUALIFIERS = {"exact", "at_least"}

# Reference articles cited by file name in news_snapshots.csv:
# file -> (publisher, citation, phrase that must occur in the article).
ARTICLES = {
    "000_e2234aba6b1b7afe.txt": (
        "The Moscow Times",
        "“150 Siberian Soldiers Refuse Ukraine Deployment, Activist Says”",
        "150 Siberian Soldiers Refuse Ukraine Deployment, Activist Says"),
    "001_4e250d6f87dbdd5a.txt": (
        "The Moscow Times",
        "article beginning “At least 300 soldiers from a single unit in "
        "Russia’s North Caucasus refused deployment to Ukraine”",
        "At least 300 soldiers from a single unit in Russia’s North "
        "Caucasus refused deployment to Ukraine"),
    "004_f3e8be29fbbbde04.txt": (
        "RFE/RL",
        "“In Russia's Poorest Regions, Mothers And Wives Are Fighting To "
        "Bring Their Soldiers Back Home”",
        "In Russia's Poorest Regions, Mothers And Wives Are Fighting To "
        "Bring Their Soldiers Back Home"),
}
ARTICLE_RE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


class BuildError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise BuildError(msg)


def note(msg):
    print("make_press_figures: " + msg, file=sys.stderr)


def load_registry(path):
    """Return {normalised key: set of iso codes} as the C loader sees it."""
    check(os.path.isfile(path), "registry not found: %s (run "
          "make_registry.py first)" % path)
    keys = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            names = auto_keys(r)
            names += r["aliases"].split("; ") if r["aliases"] else []
            for n in names:
                keys.setdefault(norm(n), set()).add(r["iso_code"])
    check(keys, "registry %s is empty" % path)
    return keys


def resolve(name, keys):
    k = norm(name)
    check(k, "empty region name")
    if k in NATIONAL:
        return ""
    isos = keys.get(k)
    check(isos, "region name %r does not resolve" % name)
    check(len(isos) == 1, "region name %r is ambiguous: %s"
          % (name, ", ".join(sorted(isos))))
    return next(iter(isos))


def rewrite_source(src, ref):
    def repl(m):
        fname = m.group(0)
        check(fname in ARTICLES, "unknown article cited: %s" % fname)
        publisher, citation, phrase = ARTICLES[fname]
        path = os.path.join(ref, "articles", fname)
        check(os.path.isfile(path), "cited article missing: %s" % path)
        with open(path, encoding="utf-8") as f:
            check(phrase in f.read(), "%s: expected text %r not found"
                  % (fname, phrase))
        return "%s, %s" % (publisher, citation)

    out = ARTICLE_RE.sub(repl, src)
    # "<publisher>, <title> (<publisher>, July 2022)" -> "... (July 2022)"
    for publisher, citation, _ in ARTICLES.values():
        lead = "%s, %s (%s, " % (publisher, citation, publisher)
        out = out.replace(lead, "%s, %s (" % (publisher, citation))
    return out


def build(ref, registry):
    keys = load_registry(registry)
    path = os.path.join(ref, "casualties", "news_snapshots.csv")
    check(os.path.isfile(path), "missing reference file: %s" % path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rd = csv.DictReader(f)
        check(rd.fieldnames == IN_COLUMNS, "%s: columns %r, expected %r"
              % (path, rd.fieldnames, IN_COLUMNS))
        rows = [dict(r) for r in rd]
    check(rows, "%s: no rows" % path)
    out = []
    for i, r in enumerate(rows, start=2):
        where = "%s line %d" % (os.path.basename(path), i)
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["as_of"]),
              "%s: bad date %r" % (where, r["as_of"]))
        check(r["deaths"].isdigit(), "%s: bad deaths %r"
              % (where, r["deaths"]))
        check(r["total_named"] == "" or r["total_named"].isdigit(),
              "%s: bad total_named %r" % (where, r["total_named"]))
        check(r["qualifier"] in QUALIFIERS, "%s: bad qualifier %r"
              % (where, r["qualifier"]))
        check(r["source"].strip(), "%s: no source" % where)
        try:
            code = resolve(r["region"], keys)
        except BuildError as e:
            raise BuildError("%s: %s" % (where, e))
        row = {c: r[c] for c in IN_COLUMNS}
        row["region_code"] = code
        row["source"] = rewrite_source(r["source"], ref)
        out.append(row)
    out.sort(key=lambda x: (x["as_of"], x["region_code"]))
    return out


def write_csv(rows, path):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".press.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=OUT_COLUMNS,
                               lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow(r)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", nargs="?",
                    default=os.path.join(root, "..", "shared", "reference"),
                    help="reference directory (default: %(default)s)")
    ap.add_argument("--registry",
                    default=os.path.join(root, "datasets", "regions.csv"))
    ap.add_argument("--out",
                    default=os.path.join(root, "datasets",
                                         "press_figures.csv"))
    args = ap.parse_args(argv)
    try:
        rows = build(os.path.normpath(args.reference), args.registry)
    except BuildError as e:
        print("make_press_figures: ERROR: %s" % e, file=sys.stderr)
        return 1
    write_csv(rows, args.out)
    note("wrote %s (%d rows)" % (args.out, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
