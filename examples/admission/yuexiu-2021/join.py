"""Joins the example's decisions: points (rules/gz-points) and eligibility (rules/yuexiu-school), line by line,
with the extra columns; writes applicants.csv (the eligible, for eligo rank) and screened_out.csv.

usage: join.py OUT_DIR
"""
import csv
import json
import os
import sys

out = sys.argv[1]
points = [json.loads(l) for l in open(os.path.join(out, "points.decisions.jsonl"), encoding="utf-8")]
elig = [json.loads(l) for l in open(os.path.join(out, "eligibility.decisions.jsonl"), encoding="utf-8")]
extra = list(csv.DictReader(open(os.path.join(out, "extra.csv"), encoding="utf-8")))
assert len(points) == len(elig) == len(extra), (len(points), len(elig), len(extra))
with open(os.path.join(out, "applicants.csv"), "w", encoding="utf-8", newline="") as a, \
        open(os.path.join(out, "screened_out.csv"), "w", encoding="utf-8", newline="") as s:
    ok = csv.writer(a, lineterminator="\n")
    no = csv.writer(s, lineterminator="\n")
    ok.writerow(["key", "total", "si_months", "permit_since", "preferences"])
    no.writerow(["key", "verdict", "failed_checks"])
    for p, e, x in zip(points, elig, extra):
        if e["verdict"] == "eligible" and p["verdict"] == "eligible":
            ok.writerow([x["key"], p["score"]["total"], x["si_months"], x["permit_since"], x["preferences"]])
        else:
            failed = ";".join(c["id"] for c in e["checks"] if c["status"] != "passed")
            no.writerow([x["key"], e["verdict"], failed])
