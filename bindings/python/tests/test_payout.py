"""eligo.reconcile on files made by scripts/gen_payout.py: every order lands in the class the answer key says."""
import collections
import json
import subprocess
import sys

import eligo


def test_reconcile_finds_every_injected_fault(tmp_path, root):
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(root / "scripts/gen_payout.py"), "--orders", "400", "--seed", "7",
                    "--out", str(data)], check=True, capture_output=True)
    key = json.loads((data / "answer_key.json").read_text(encoding="utf-8"))
    mapping = json.loads((data / "mapping.json").read_text(encoding="utf-8"))
    result = eligo.reconcile(orders=data / "orders.csv", bank=data / "bank.csv", out=tmp_path / "report",
                             mapping=mapping, cutoff=key["cutoff"], registry=data / "registry.csv",
                             exclude=data / "exclusions.csv", workbook=False)
    assert result["rows"]["orders"] == len(key["orders"]) + sum(1 for r in key["rejected"] if r["file"] == "orders")
    got = {}
    with open(tmp_path / "report" / "orders.jsonl", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            got[item["order_no"]] = item["class"]
    assert got == dict(key["orders"])
    counts = collections.Counter(dict(key["orders"]).values())
    by_class = result["summary"]["orders"]["by_class"]
    assert {c: v["count"] for c, v in by_class.items() if v["count"]} == dict(counts)
    assert result["summary"]["orders"]["total"]["count"] == len(key["orders"])
    # nothing unmasked in what was written
    text = (tmp_path / "report" / "orders.csv").read_text(encoding="utf-8")
    assert not any(len(tok) == 18 and tok[:17].isdigit() for tok in text.replace(",", " ").split())
