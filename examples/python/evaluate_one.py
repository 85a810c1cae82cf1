"""Evaluate one applicant and print why: python3 evaluate_one.py [AS_OF]

Run from the repository root with the built package on PYTHONPATH (build/python)."""
import json
import pathlib
import sys

import eligo

root = pathlib.Path(__file__).resolve().parents[2]
pack = eligo.load(root / "rules/major-illness/major-illness.pack.json")
as_of = sys.argv[1] if len(sys.argv) > 1 else "2024-05-01"
with open(root / "examples/applicants/major-illness.jsonl", encoding="utf-8") as f:
    applicants = [json.loads(line) for line in f if line.strip()]
for applicant in applicants:
    r = pack.evaluate(applicant, as_of=as_of)
    print(f"{eligo.mask('name', applicant['applicant']['name'])}: {r.verdict}",
          "；".join(r.reasons) or r.outputs.get("amount", ""))
