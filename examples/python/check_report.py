"""Opens the report batch_to_xlsx.py wrote and checks it against the CSV (used by CTest)."""
import sys

import openpyxl

csv_rows = sum(1 for line in open(sys.argv[1], encoding="utf-8") if line.strip()) - 1
wb = openpyxl.load_workbook(sys.argv[2])
decisions = wb["decisions"]
header = [c.value for c in decisions[1]]
assert header[:3] == ["row", "verdict", "total"], header
rows = list(decisions.iter_rows(min_row=2, values_only=True))
assert len(rows) == csv_rows, (len(rows), csv_rows)
assert all(r[1] in ("eligible", "ineligible", "needs_evidence", "error") for r in rows)
summary = {r[0]: r[1] for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
assert sum(summary.values()) == csv_rows, summary
print(f"report ok: {csv_rows} rows, {summary}")
