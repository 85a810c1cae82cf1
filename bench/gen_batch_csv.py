#!/usr/bin/python3
"""Rows for the P3 figure (bench/README.md): `eligo batch` over a CSV of the points reference pack
(bench/packs/points6.pack.json, columns of group `a`).

    gen_batch_csv.py --rows 1000000 --out points-1m.csv [--seed 1]
"""
import argparse
import random

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
rng = random.Random(a.seed)
edu = ["none", "high_school", "associate", "bachelor_plus"]
with open(a.out, "w", encoding="utf-8") as f:
    f.write("birth_date,permit_since,education,rent_years,si_years,volunteer_hours\n")
    lines = []
    for i in range(a.rows):
        lines.append(f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
                     f"{rng.randint(2005, 2023)}-{rng.randint(1, 12):02d}-01,{edu[i % 4]},{rng.randint(0, 9)},"
                     f"{rng.randint(0, 12)},{rng.randint(0, 400)}\n")
        if len(lines) == 10000:
            f.writelines(lines)
            lines.clear()
    f.writelines(lines)
