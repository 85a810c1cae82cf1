#!/usr/bin/python3
"""The 四季惠民 seasonal run on generated data, as scripts/demo runs it: residents in, relief certificates
joined from SQLite and from CSV, eligo batch → payout orders → a bank file → eligo reconcile. The counts
must equal the ones rules/siji-huimin/gen_sample.py computed without eligo.

usage: siji_sample_test.py ELIGO_CLI SOURCE_DIR
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

cli, root = sys.argv[1], Path(sys.argv[2])
gen = [sys.executable, str(root / "rules/siji-huimin/gen_sample.py")]


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit("exit %d (expected %d): %s\n%s%s" % (p.returncode, expect, " ".join(args), p.stdout, p.stderr))
    return p


with tempfile.TemporaryDirectory(prefix="eligo-siji-") as tmp:
    d = Path(tmp)
    run(gen + ["--out", str(d), "--residents", "600", "--season", "2024-Q3", "--seed", "7"])
    expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
    results = {}
    for name, table in [("sqlite", "certificates.sqlite:certificates"), ("csv", "certificates.csv")]:
        out = d / name
        run([cli, "batch", str(root / "rules/siji-huimin"), "--input", str(d / "residents.csv"),
             "--join", "civil_affairs.certificates=%s:id_number" % (d / table), "--as-of", "2024-08-15",
             "--by", "community", "--out", str(out) + "/", "--progress", "off", "--threads", "2",
             "--payout-orders", str(out / "orders.csv"), "--amount", "amount", "--policy", "siji-huimin",
             "--period", "2024-Q3", "--payee-name", "name"])
        print(run(gen + ["--out", str(d), "--check", str(out / "summary.json")]).stdout.strip())
        results[name] = (out / "results.csv").read_bytes()
    # The certificates read from SQLite and from CSV give byte-identical results.
    assert results["sqlite"] == results["csv"], "SQLite and CSV certificates gave different results"

    orders = d / "sqlite/orders.csv"
    n = expected["eligible"] - (2 if expected["duplicate_id_eligible"] else 0)
    assert len(orders.read_text(encoding="utf-8").splitlines()) == n + 1
    run(gen + ["--out", str(d), "--bank-for", str(orders)])
    run([cli, "reconcile", "--orders", str(orders), "--bank", str(d / "bank.csv"), "--out", str(d / "rec"),
         "--cutoff", "2024-09-30"])
    rec = json.loads((d / "rec/summary.json").read_text(encoding="utf-8"))
    by = rec["orders"]["by_class"]
    # Every order paid once except the last (missing); the first's returned record is a failed record.
    assert by["paid"]["count"] == n - 1, by
    assert by["missing"]["count"] == 1, by
    assert rec["records"]["by_class"]["failed"]["count"] == 1, rec["records"]["by_class"]
    assert rec["rejected"] == {"orders": 0, "bank": 0, "registry": 0, "exclusions": 0}, rec["rejected"]
    print("ok: %d orders, %d paid, 1 missing, 1 returned record" % (n, n - 1))
