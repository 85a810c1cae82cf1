"""End to end: the Yuexiu allocation example (examples/admission/yuexiu-2021/run) checked by an independent
re-implementation of the documented order, lottery and allocation; a second run gives byte-identical files;
the workbook opens with openpyxl.

usage: check_yuexiu_example.py ELIGO SOURCE_DIR WORK_DIR
"""
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import openpyxl

eligo, root, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
run = os.path.join(root, "examples/admission/yuexiu-2021/run")
for d in ("a", "b"):
    subprocess.run([run, os.path.join(work, d), eligo], check=True, stdout=subprocess.DEVNULL)
    # The generated applicants hold (made-up) ID numbers in clear on purpose: the R8 scan skips these inputs.
    with open(os.path.join(work, d, ".r8-clear"), "w") as f:
        f.write("points.jsonl\neligibility.jsonl\n")
for name in ("placements.csv", "schools.csv", "placements.xlsx", "applicants.csv"):
    a = open(os.path.join(work, "a", name), "rb").read()
    b = open(os.path.join(work, "b", name), "rb").read()
    assert a == b, name + " differs between two runs"

out = os.path.join(work, "a")
spec = json.load(open(os.path.join(root, "examples/admission/yuexiu-2021/spec.json"), encoding="utf-8"))
applicants = list(csv.DictReader(open(os.path.join(out, "applicants.csv"), encoding="utf-8")))
placements = list(csv.DictReader(open(os.path.join(out, "placements.csv"), encoding="utf-8")))
schools = {s["school"]: s for s in csv.DictReader(open(os.path.join(out, "schools.csv"), encoding="utf-8"))}
assert len(applicants) > 200, len(applicants)
assert len(placements) == len(applicants), (len(placements), len(applicants))

lot = lambda k: hashlib.sha256((spec["seed"] + "|" + k).encode("utf-8")).hexdigest()
order = sorted(applicants, key=lambda a: (-Decimal(a["total"]), -int(a["si_months"]), a["permit_since"], lot(a["key"])))
left = {s["id"]: s["places"] for s in spec["schools"]}
expected = {}
for a in order:
    prefs = a["preferences"].split(";") if a["preferences"] else []
    got = next((p for p in prefs if left[p] > 0), "")
    if got:
        left[got] -= 1
    expected[a["key"]] = got
by_lottery = sorted(applicants, key=lambda a: lot(a["key"]))
lottery_number = {a["key"]: i + 1 for i, a in enumerate(by_lottery)}
for i, p in enumerate(placements):
    assert p["key"] == order[i]["key"], (i, p["key"], order[i]["key"])
    assert int(p["rank"]) == i + 1
    assert p["school"] == expected[p["key"]], (p["key"], p["school"], expected[p["key"]])
    assert p["lottery"] == lot(p["key"])
    assert int(p["lottery_number"]) == lottery_number[p["key"]]
    assert p["reason_zh"], p
placed = sum(1 for p in placements if p["school"])
assert placed == sum(s["places"] for s in spec["schools"]) - sum(left.values())
for s in spec["schools"]:
    admitted = [p for p in placements if p["school"] == s["id"]]
    row = schools[s["id"]]
    assert int(row["admitted"]) == len(admitted)
    if admitted:
        assert row["cutoff"] == admitted[-1]["points"], (s["id"], row["cutoff"], admitted[-1]["points"])

wb = openpyxl.load_workbook(os.path.join(out, "placements.xlsx"))
assert wb.sheetnames == ["placements 录取结果", "schools 学校", "rejected 被拒行"], wb.sheetnames
ws = wb["placements 录取结果"]
assert ws.max_row == len(placements) + 1
assert [c.value for c in ws[1]][:4] == ["rank", "key", "points", "school"]
print("ok: %d eligible applicants, %d placed, %d schools; byte-identical reruns" % (len(applicants), placed, len(schools)))
