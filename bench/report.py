#!/usr/bin/env python3
"""Writes bench/results.md from hyperfine's JSON exports (one per group)
and the facts bench/run.sh collected: medians, ratios, the machine.
Usage: report.py WORK_DIR OUT_FILE"""
import json
import os
import sys

work, out = sys.argv[1], sys.argv[2]


def facts():
    """key=value lines bench/run.sh wrote, in order."""
    f = {}
    with open(os.path.join(work, "facts.txt"), encoding="utf-8") as fp:
        for line in fp:
            k, _, v = line.rstrip("\n").partition("=")
            f[k] = v
    return f


def results(group):
    path = os.path.join(work, group + ".json")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fp:
        return json.load(fp)["results"]


def seconds(x):
    return "%.3f s" % x if x < 10 else "%.1f s" % x


def times(a, b, digits=2):
    """a / b as "N.NNx"; a time too short to measure makes no ratio."""
    return "%.*fx" % (digits, a / b) if b > 0 else "(too fast to time)"


def table(group, base, notes, lines):
    """Medians, and each command against `base` (the named command)."""
    rs = results(group)
    if not rs:
        lines.append("(not run)\n")
        return {}, {}
    med = {r["command"]: r["median"] for r in rs}
    ref = med.get(base)
    cpu = {r["command"]: r["user"] + r["system"] for r in rs}
    lines.append("| command | median | min | max | CPU (user+sys) | runs |%s" % (
        " time / %s | CPU / %s |" % (base, base) if ref else ""))
    lines.append("|---|---:|---:|---:|---:|---:|%s" % ("---:|---:|" if ref else ""))
    for r in rs:
        name = r["command"]
        ratios = " %s | %s |" % (times(r["median"], ref), times(cpu[name], cpu[base])) \
            if ref else ""
        lines.append("| %s | %s | %s | %s | %s | %d |%s" % (
            name + (" " + notes[name] if name in notes else ""), seconds(r["median"]),
            seconds(r["min"]), seconds(r["max"]), seconds(cpu[name]), len(r["times"]), ratios))
    lines.append("")
    return med, cpu


def main():
    f = facts()
    lines = ["# percap benchmarks", ""]
    runs = int(f["runs"])
    lines.append("Measured %s with `bench/run.sh%s`. Machine: %s, %s processors, %s of "
                 "memory; %s. Every time is the median of %s, by hyperfine %s; all "
                 "commands read files from the page cache. Load average at the start (other "
                 "work on the machine): %s." % (
                     f["date"], f.get("args", ""), f["cpu"], f["nproc"], f["mem"], f["os"],
                     "%d runs after a warm-up run" % runs if runs > 1 else "one run",
                     f["hyperfine"], f["load"]))
    lines.append("")
    lines.append("## Counting a list of deaths by region, with a date cut")
    lines.append("")
    lines.append("%s rows (%s MB) made by `bench/gen_records.py --rows %s`: every text field "
                 "quoted, Cyrillic names, regions spelt as the registry's short English or "
                 "Russian name. Each command counts the rows dated %s to %s by region. "
                 "%s" % (f["rows_fmt"], f["mb"], f["rows"], f["since"], f["until"],
                         f.get("totals", "")))
    lines.append("")
    notes = {k[5:]: v for k, v in f.items() if k.startswith("note:")}
    med, cpu = table("aggregate", "percap", notes, lines)
    p = med.get("percap")
    for other, label, target in (("wc -l", "`wc -l` (reading the file, nothing more)", 4),
                                 ("pandas", "pandas", None), ("R", "R", None),
                                 ("datamash", "datamash", None),
                                 ("percap, libcsv only (before)", "percap before the fast "
                                  "path (libcsv only)", None)):
        if p and other in med:
            if other == "wc -l":
                lines.append("- percap takes **%s** the time of %s (target: within %dx)." % (
                    times(p, med[other], 1), label, target))
            else:
                lines.append("- percap is **%s** faster than %s (%s less CPU time)." % (
                    times(med[other], p, 1), label, times(cpu[other], cpu["percap"], 1)))
    lines.append("- Memory (maximum resident set): %s." % f.get("memory", "not measured"))
    lines.append("")
    lines.append("")
    lines.append("## The Bessudnov (2023) reproduction")
    lines.append("")
    lines.append("The analysis of `percap reproduce bessudnov-2023` -- rates with exact "
                 "intervals for two lists, rank intervals (10,000 draws), OLS, Poisson and "
                 "negative-binomial models, funnel limits and curves, Clayton-Kaldor smoothing "
                 "-- against `bench/bessudnov.R`, the same work in R (base R and MASS) giving "
                 "the same numbers. `percap reproduce` also writes the report and the chart "
                 "scripts (gnuplot is kept off its PATH, so nothing is drawn); the command "
                 "sequence (`bench/bessudnov_percap.sh`) is the eight percap commands of its "
                 "manifest, one process each.")
    lines.append("")
    med, cpu = table("bessudnov", "R", {}, lines)
    r = med.get("R")
    for name in ("percap reproduce bessudnov-2023", "percap command sequence"):
        if r and name in med:
            lines.append("- %s: **%s** faster than R, %s less CPU time (target: 20x)." % (
                name, times(r, med[name], 1), times(cpu["R"], cpu[name], 1)))
    lines.append("")
    lines.append("## Rank intervals")
    lines.append("")
    lines.append("`percap rates --rank-intervals simulation` for %s synthetic areas "
                 "(`bench/gen_areas.py`, county-like populations) and 10,000 draws "
                 "(target: under 1 s)." % f.get("areas", "?"))
    lines.append("")
    table("rank", "", {}, lines)
    lines.append("## Machine")
    lines.append("")
    for k in ("cpu", "nproc", "mem", "os", "cc", "python", "pandas", "r", "datamash",
              "hyperfine", "percap_commit"):
        if k in f:
            lines.append("- %s: %s" % (k, f[k]))
    lines.append("")
    with open(out, "w", encoding="utf-8") as fp:
        fp.write("\n".join(lines))


main()
