#!/usr/bin/env python3
"""Writes N synthetic areas (a registry, populations and death counts
shaped like US counties: populations log-normal around 25,000) for the
rank-interval benchmark: regions.csv, population.csv, deaths.csv in DIR.
Usage: gen_areas.py --areas N [--seed S] DIR"""
import argparse
import math
import os
import random

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--areas", type=int, default=3143)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("dir")
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.dir, exist_ok=True)
with open(os.path.join(a.dir, "regions.csv"), "w") as reg, \
        open(os.path.join(a.dir, "population.csv"), "w") as pop, \
        open(os.path.join(a.dir, "deaths.csv"), "w") as dea:
    reg.write("code,name\n")
    pop.write("region,population\n")
    dea.write("region,deaths\n")
    for i in range(a.areas):
        code = "A%05d" % (i + 1)
        people = max(100, int(rng.lognormvariate(math.log(25000), 1.2)))
        rate = rng.gammavariate(20, 1e-3 / 20)   # about 1 per 1,000, varying
        lam = people * rate
        # Poisson by inversion for small means, normal above
        deaths = max(0, int(round(rng.gauss(lam, math.sqrt(lam))))) if lam > 50 else \
            sum(1 for _ in range(200) if rng.random() < lam / 200)
        reg.write("%s,Area %d\n" % (code, i + 1))
        pop.write("%s,%d\n" % (code, people))
        dea.write("%s,%d\n" % (code, deaths))
